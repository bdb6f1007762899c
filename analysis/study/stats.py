"""Small statistics: Wilson intervals for shares, growth with its absolute change, number formatting.

Why Wilson: the counts here are small (a county's 表四 often has 0–5 cases, 表三 10–100 requests), where
the normal-approximation interval collapses to zero width at 0/n and spills outside [0, 1]; the Wilson
score interval stays inside [0, 1] and is sensible at 0 and n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def is_known(x: object) -> bool:
    """A usable number: not None, not NaN (unknown values are NaN and stay unknown)."""
    if x is None:
        return False
    try:
        return not math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n; (nan, nan) when n is 0 or either is unknown."""
    if not (is_known(k) and is_known(n)) or n <= 0:
        return (math.nan, math.nan)
    if k < 0 or k > n:
        # A printed numerator larger than its total is a data error: no interval pretends otherwise.
        return (math.nan, math.nan)
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    # At k = 0 (or k = n) the bound is exactly 0 (1); float rounding would leave 3e-18.
    return (0.0 if k == 0 else lo, 1.0 if k == n else hi)


@dataclass(frozen=True)
class Share:
    """k of n with its proportion and Wilson interval; every field NaN when unknown."""

    k: float
    n: float
    p: float
    lo: float
    hi: float

    @property
    def known(self) -> bool:
        return is_known(self.p)


def share(k: float, n: float, z: float = Z95) -> Share:
    """k/n with a Wilson interval; unknown (NaN) if either is unknown or n is 0."""
    if not (is_known(k) and is_known(n)) or n <= 0:
        return Share(float(k) if is_known(k) else math.nan, float(n) if is_known(n) else math.nan,
                     math.nan, math.nan, math.nan)
    lo, hi = wilson(k, n, z)
    return Share(float(k), float(n), k / n, lo, hi)


def total(values: list[float]) -> float:
    """Sum that is unknown if any part is unknown (never treats a missing cell as zero)."""
    if not values or not all(is_known(v) for v in values):
        return math.nan
    return float(sum(values))


@dataclass(frozen=True)
class Growth:
    """Change from ``prev`` to ``cur``: absolute change always; percentage only on a non-zero base."""

    prev: float
    cur: float
    abs_change: float
    pct: float  # NaN when prev is 0 or unknown

    def text(self, lang: str = "zh", unit: str | None = None) -> str:
        return fmt_growth(self.abs_change, self.pct, self.prev, lang=lang, unit=unit)


def growth(prev: float, cur: float) -> Growth:
    if not (is_known(prev) and is_known(cur)):
        return Growth(math.nan if not is_known(prev) else prev, math.nan if not is_known(cur) else cur,
                      math.nan, math.nan)
    change = float(cur) - float(prev)
    pct = change / prev * 100 if prev else math.nan
    return Growth(float(prev), float(cur), change, pct)


# ----------------------------------------------------------------------------------------------- text

UNKNOWN = {"zh": "未知", "en": "unknown"}


def fmt_int(x: float, lang: str = "zh") -> str:
    if not is_known(x):
        return UNKNOWN[lang]
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def fmt_pct(p: float, lang: str = "zh", digits: int = 1) -> str:
    """A proportion (0–1) as a percentage."""
    if not is_known(p):
        return UNKNOWN[lang]
    return f"{p * 100:.{digits}f}%"


def fmt_share(s: Share, lang: str = "zh") -> str:
    """"88.0% (66/75; 95% CI 78.7–93.6%)": the counts always beside the percentage."""
    if not s.known:
        base = f"{fmt_int(s.k, lang)}/{fmt_int(s.n, lang)}"
        return f"{UNKNOWN[lang]} ({base})"
    ci = "95% CI" if lang == "en" else "95%置信区间"
    return f"{fmt_pct(s.p, lang)} ({fmt_int(s.k, lang)}/{fmt_int(s.n, lang)}; {ci} " \
           f"{s.lo * 100:.1f}–{s.hi * 100:.1f}%)"


def fmt_growth(abs_change: float, pct: float, prev: float | None = None, lang: str = "zh",
               unit: str | None = None) -> str:
    """"+23 件 (+39.7%)": the absolute change first, the percentage beside it, never alone."""
    if not is_known(abs_change):
        return UNKNOWN[lang]
    unit = unit if unit is not None else ("件" if lang == "zh" else "requests")
    sep = "" if lang == "zh" else " "
    head = f"{abs_change:+,.0f}{sep}{unit}"
    if is_known(pct):
        return f"{head} ({pct:+.1f}%)"
    if is_known(prev) and prev == 0:
        return f"{head} ({'上年为0，无百分比' if lang == 'zh' else 'no percentage: base 0'})"
    return head
