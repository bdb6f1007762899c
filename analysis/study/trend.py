"""Trend in new requests: a Poisson GLM of counts on year, or a sentence saying why there is none.

Why Poisson with a dispersion correction: the counts are small integers, so a log-linear count model
fits their scale; with 3–6 points a negative-binomial dispersion parameter cannot be estimated
reliably, so overdispersion (Pearson χ²/df > 1) widens the intervals instead (quasi-Poisson), which is
stated in the result. Only printed counts (tables and printed history series) are fitted; previous-year
counts implied by a percentage are derived and left out. Fewer than three years: no model, and a reason.
Never statsmodels' ``summary()``: it prints the current time, and a report must render identically.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .stats import Z95, is_known

MIN_YEARS = 3
FITTED_SOURCES = ("table", "history")


@dataclass(frozen=True)
class Trend:
    agency: str
    n_years: int
    years: tuple[int, ...]
    fitted: bool
    method: str  # "poisson" | "quasi-poisson" | "none"
    rate_ratio: float  # multiplicative change per year
    lo: float
    hi: float
    dispersion: float
    p_value: float
    reason_zh: str = ""
    reason_en: str = ""

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def sentence(self, lang: str = "zh") -> str:
        """One sentence a reader can quote, with the interval and the model named."""
        if not self.fitted:
            return self.reason(lang)
        pct, lo, hi = ((x - 1) * 100 for x in (self.rate_ratio, self.lo, self.hi))
        span = f"{self.years[0]}–{self.years[-1]}"
        if lang == "zh":
            model = "泊松广义线性模型" if self.method == "poisson" else "准泊松广义线性模型（按离散度放大标准误）"
            return (f"{span}年共{self.n_years}年，新收申请平均每年变化{pct:+.1f}%"
                    f"（95%置信区间 {lo:+.1f}% 至 {hi:+.1f}%；{model}，离散度 {self.dispersion:.2f}）。")
        model = "Poisson GLM" if self.method == "poisson" else \
            "quasi-Poisson GLM (standard errors scaled by the dispersion)"
        return (f"Over {self.n_years} years ({span}), new requests changed by {pct:+.1f}% a year on average "
                f"(95% CI {lo:+.1f}% to {hi:+.1f}%; {model}, dispersion {self.dispersion:.2f}).")


def _none(agency: str, years: list[int], zh: str, en: str) -> Trend:
    return Trend(agency, len(years), tuple(years), False, "none", math.nan, math.nan, math.nan, math.nan,
                 math.nan, zh, en)


def fit_trend(series: pd.DataFrame, agency: str | None = None) -> Trend:
    """Fit the trend of one agency's ``requests`` by ``year`` (rows from requests.requests_by_year)."""
    if agency is None:
        agency = str(series["agency"].iloc[0]) if len(series) else ""
    usable = series[series["source"].isin(FITTED_SOURCES) & series["requests"].map(is_known)]
    usable = usable.drop_duplicates("year").sort_values("year")
    years = [int(y) for y in usable["year"]]
    skipped = series[~series.index.isin(usable.index)]
    derived_years = sorted(int(y) for y in skipped["year"])
    if len(years) < MIN_YEARS:
        extra_zh = f"（另有{len(derived_years)}年为推算或未知值，不参与拟合）" if derived_years else ""
        extra_en = (f" ({len(derived_years)} more year(s) derived or unknown, not fitted)"
                    if derived_years else "")
        have_zh = "、".join(map(str, years)) if years else "无"
        have_en = ", ".join(map(str, years)) if years else "none"
        return _none(agency, years,
                     f"无趋势模型：只有{len(years)}年的印刷数据（{have_zh}），至少需要{MIN_YEARS}年{extra_zh}。",
                     f"No trend model: only {len(years)} year(s) of printed counts ({have_en}); "
                     f"at least {MIN_YEARS} are needed{extra_en}.")
    import statsmodels.api as sm

    y = usable["requests"].to_numpy(dtype=float)
    x = usable["year"].to_numpy(dtype=float)
    X = sm.add_constant(x - x.mean())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # perfect fits on 3 points warn; the result is still reported
        res = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    df_resid = max(len(y) - 2, 1)
    dispersion = float(res.pearson_chi2 / df_resid)
    scale = max(dispersion, 1.0)
    beta = float(res.params[1])
    se = float(res.bse[1]) * math.sqrt(scale)
    method = "quasi-poisson" if dispersion > 1.0 else "poisson"
    if not np.isfinite(se):
        return _none(agency, years, "无趋势模型：模型未收敛。", "No trend model: the model did not converge.")
    from scipy import stats as sps

    z = beta / se if se > 0 else math.inf
    p = float(2 * sps.norm.sf(abs(z)))
    return Trend(agency, len(years), tuple(years), True, method, math.exp(beta), math.exp(beta - Z95 * se),
                 math.exp(beta + Z95 * se), dispersion, p)


def trends(series: pd.DataFrame) -> list[Trend]:
    """One :class:`Trend` per agency in ``series``."""
    return [fit_trend(g, str(a)) for a, g in series.groupby("agency", sort=True)]


def trend_table(ts: list[Trend], lang: str = "zh") -> pd.DataFrame:
    rows = []
    for t in ts:
        rows.append({"agency": t.agency, "n_years": t.n_years,
                     "years": f"{t.years[0]}–{t.years[-1]}" if t.years else "",
                     "method": t.method, "rate_ratio": t.rate_ratio, "lo": t.lo, "hi": t.hi,
                     "dispersion": t.dispersion, "p_value": t.p_value, "text": t.sentence(lang)})
    return pd.DataFrame(rows)
