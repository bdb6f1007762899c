"""Random table values that satisfy every rule (勾稽关系) of a template.

The numbers imitate what real reports print: most 表三 and 表四 cells are small counts and most are
zero, some agencies report nothing at all, 表二 decisions run to six digits and fees carry up to six
decimals. Cell keys come from ``spec.layout(...).cells``; only the handful of 表三 row keys that the
rules name (new_received, carried_over, total_processed, carried_forward) are referred to here, and the
tests check the result against the rules as the template states them.
"""

from __future__ import annotations

import math
import random
from functools import cache

from ..template import Cell, load

SCALES = ("province", "city", "county", "department", "township")

# Requests handled in a year: (probability of an all-zero report, low, high) of a log-uniform draw.
# A county government handles a few dozen, a department or township often none.
_VOLUME = {
    "province": (0.0, 150, 3000),
    "city": (0.0, 40, 1200),
    "county": (0.04, 3, 220),
    "department": (0.3, 1, 40),
    "township": (0.45, 1, 12),
}

# Applicant columns other than natural persons: probability that the column has any request at all.
_APPLICANT_P = {"commercial": 0.35, "research": 0.04, "social_org": 0.05, "legal_service": 0.12,
                "other_org": 0.15}

# Outcome rows of 表三: (probability that the row is used at all, weight when used). Rows not listed
# (the rarer refusal grounds) use _OUTCOME_DEFAULT, which keeps most of them at zero.
_OUTCOME = {
    "granted": (0.95, 8.0),
    "partially_granted": (0.55, 2.0),
    "unable_not_held": (0.7, 3.0),
    "unable_needs_creation": (0.25, 1.0),
    "unable_unclear": (0.2, 0.7),
    "not_processed_repeat": (0.2, 0.8),
    "not_processed_petition": (0.15, 0.6),
    "other_total": (0.35, 1.0),
    "other_no_correction": (0.25, 0.8),
    "other_other": (0.3, 1.0),
}
_OUTCOME_DEFAULT = (0.08, 0.4)

# 表四: probability that a result column of a group is non-zero.
_T4_P = {"review": 0.25, "suit_direct": 0.15, "suit_after_review": 0.1}

# 表二 magnitudes per scale: the upper bound of a log-uniform draw for each kind of cell. Regulations
# (规章) are made only by provinces and larger cities.
_T2_KINDS = ("reg", "reg_in_force", "doc", "doc_in_force", "big", "mid", "fee", "items", "proc", "small")
_T2_HI = {
    scale: dict(zip(_T2_KINDS, row, strict=True))
    for scale, row in {
        "province": (40, 400, 120, 900, 999_999, 60_000, 900_000.0, 600, 9e9, 50),
        "city": (8, 150, 80, 600, 400_000, 20_000, 200_000.0, 400, 2e9, 50),
        "county": (0, 0, 40, 300, 60_000, 5_000, 80_000.0, 300, 4e8, 50),
        "department": (0, 0, 10, 60, 8_000, 800, 5_000.0, 150, 5e7, 20),
        "township": (0, 0, 3, 20, 600, 100, 50.0, 30, 2e6, 5),
    }.items()
}


def _loguniform(rng: random.Random, lo: float, hi: float) -> float:
    if hi <= lo:
        return lo
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _count(rng: random.Random, hi: int, p_zero: float) -> int:
    """A count that is zero with probability p_zero, else log-uniform in 1..hi (small ones likelier)."""
    if hi < 1 or rng.random() < p_zero:
        return 0
    return min(hi, int(_loguniform(rng, 1, hi + 1)))


def _decimal(rng: random.Random, hi: float, p_zero: float) -> float:
    """A money amount as printed: 0, or up to six decimals. The float is what its printed digits say."""
    if hi <= 0 or rng.random() < p_zero:
        return 0.0
    places = rng.choice((0, 1, 2, 2, 2, 4, 6))
    v = _loguniform(rng, 0.5, hi)
    return float(f"{v:.{places}f}")


def _split(rng: random.Random, n: int, rows: list[int], weights: list[float]) -> dict[int, int]:
    """Distribute n requests over rows (a multinomial draw; proportional rounding for large n)."""
    out = dict.fromkeys(rows, 0)
    if n <= 0 or not rows:
        return out
    if n <= 64:
        for r in rng.choices(rows, weights, k=n):
            out[r] += 1
        return out
    total_w = sum(weights)
    left = n
    for r, w in zip(rows[1:], weights[1:], strict=True):
        share = n * w / total_w
        x = max(0, min(left, round(share + rng.gauss(0, math.sqrt(share) + 0.1))))
        out[r] = x
        left -= x
    out[rows[0]] += left  # the first (most common) row takes the rest, so the sum is exact
    return out


@cache
def _structure(
    template: str, form: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(表三 row keys in printed order, column keys, key of each row x column)."""
    spec = load()
    cols = tuple(c["key"] for c in spec.t3_columns())
    rows = tuple(r.key for r in spec.layout("t3", template, form).rows)
    return rows, cols, tuple(tuple(f"t3.{r}.{c}" for c in cols) for r in rows)


@cache
def _outcome_rows(template: str, form: str) -> tuple[tuple[int, float, float], ...]:
    """(row index, probability of use, weight) of each outcome row: the rows that sum to (七)总计."""
    t3 = load().layout("t3", template, form)
    return tuple((i, *_OUTCOME.get(r.key, _OUTCOME_DEFAULT)) for i, r in enumerate(t3.rows) if r.group)


def _t3_values(rng: random.Random, template: str, form: str, scale: str, zero: bool) -> dict[str, int]:
    rows, cols, keys = _structure(template, form)
    outcomes = _outcome_rows(template, form)
    applicants = cols[:-1]  # the last column is the total
    p_zero, lo, hi = _VOLUME[scale]
    n_total = 0 if zero or rng.random() < p_zero else int(_loguniform(rng, lo, hi + 1))
    per_col = [0] * len(applicants)
    for j in range(1, len(applicants)):
        if n_total and rng.random() < _APPLICANT_P.get(applicants[j], 0.1):
            per_col[j] = rng.randint(1, max(1, n_total // 8))
    per_col[0] = max(0, n_total - sum(per_col)) if n_total else 0

    grid = [[0] * len(cols) for _ in rows]  # rows x columns, the total column filled last
    at = {r: i for i, r in enumerate(rows)}
    i_new, i_over = at["new_received"], at["carried_over"]
    i_done, i_fwd = at["total_processed"], at["carried_forward"]
    for j, n in enumerate(per_col):
        if not n:
            continue  # a column with no request is all zeros
        active = [(i, w) for i, p, w in outcomes if rng.random() < p] or [(outcomes[0][0], 1.0)]
        idx = [i for i, _ in active]
        for i, x in _split(rng, n, idx, [w for _, w in active]).items():
            grid[i][j] = x
        # Carried-over requests are few; the balance rule fixes new_received from the other three.
        forward = 0 if rng.random() < 0.75 else rng.randint(1, max(1, n // 5))
        over = 0 if rng.random() < 0.75 else rng.randint(1, max(1, n // 5))
        over = min(over, n + forward)
        grid[i_done][j] = n
        grid[i_fwd][j] = forward
        grid[i_over][j] = over
        grid[i_new][j] = n + forward - over
    out: dict[str, int] = {}
    last = len(cols) - 1
    for row, krow in zip(grid, keys, strict=True):
        row[last] = sum(row[:last])
        out.update(zip(krow, row, strict=True))
    return out


def _t4_values(rng: random.Random, zero: bool) -> dict[str, int]:
    spec = load()
    cols = [c["key"] for c in spec.raw["t4_columns"]]
    parts, total = cols[:-1], cols[-1]
    out: dict[str, int] = {}
    for g in spec.raw["t4_groups"]:
        s = 0
        for c in parts:
            v = 0 if zero or rng.random() >= _T4_P.get(g["key"], 0.15) else _count(rng, 6, 0.0)
            out[f"t4.{g['key']}.{c}"] = v
            s += v
        out[f"t4.{g['key']}.{total}"] = s
    return out


_IN_FORCE = ("in_force", "total_published")  # stock columns: at least this year's flow
_FLOW_OF = {"in_force": "made", "total_published": "new_published"}


@cache
def _t2_plan(template: str) -> tuple[tuple[str, ...], tuple[tuple[str, str, float], ...],
                                    tuple[tuple[str, str], ...], tuple[tuple[str, str | None], ...]]:
    """How to draw each 表二 cell: (keys in printed order, (key, magnitude kind, p_zero) draws,
    (flow key, stock key) pairs, (signed key, key of the count before it on its row))."""
    cells = load().layout("t2", template).cells
    draws: list[tuple[str, str, float]] = []
    pairs: list[tuple[str, str]] = []
    signed: list[tuple[str, str | None]] = []
    prev: Cell | None = None
    for cell in cells:
        _, row, col = cell.key.split(".")
        if cell.signed:
            same_row = prev is not None and prev.key.rsplit(".", 1)[0] == f"t2.{row}"
            signed.append((cell.key, prev.key if same_row and prev is not None else None))
        elif cell.decimal:
            draws.append((cell.key, "proc" if row == "procurement" else "fee", -1.0))
        elif row == "regulations":
            draws.append((cell.key, "reg_in_force" if col in _IN_FORCE else "reg", 0.3))
        elif cell.unit == "documents":
            draws.append((cell.key, "doc_in_force" if col in _IN_FORCE else "doc", 0.25))
        elif cell.unit == "items":
            draws.append((cell.key, "items", 0.2))
        elif cell.unit == "decisions":
            draws.append((cell.key, "big" if row in ("licensing", "penalty") else "mid", 0.15))
        else:
            draws.append((cell.key, "small", 0.5))
        if col in _FLOW_OF:
            pairs.append((f"t2.{row}.{_FLOW_OF[col]}", cell.key))
        prev = cell
    return tuple(c.key for c in cells), tuple(draws), tuple(pairs), tuple(signed)


def _t2_values(rng: random.Random, template: str, scale: str) -> dict[str, int | float]:
    keys, draws, pairs, signed = _t2_plan(template)
    hi = _T2_HI[scale]
    out: dict[str, int | float] = dict.fromkeys(keys, 0)  # printed order
    fee_zero = 0.35 if scale in ("department", "township") else 0.15
    for key, kind, p_zero in draws:
        if p_zero < 0:
            out[key] = _decimal(rng, hi[kind], fee_zero)
        else:
            out[key] = _count(rng, int(hi[kind]), p_zero)
    # What is in force includes what was made this year (a report printing less is possible but rare).
    for flow, stock in pairs:
        if flow in out:
            out[stock] = max(out[stock], out[flow])
    # 本年增/减 follows 上一年项目数量 on its row: a change that cannot take the count below zero.
    for key, before in signed:
        r = rng.random()
        prev = int(out[before]) if before else 0
        out[key] = 0 if r < 0.4 else (rng.randint(1, 60) if r < 0.75 else -rng.randint(0, prev))
    return out


def random_values(
    rng: random.Random, template: str, form: str = "split", scale: str = "county"
) -> dict[str, int | float]:
    """Random values for every cell of 表二, 表三 and 表四 of ``template``, consistent with every rule.

    ``form`` is the printed form of 表三 (the 2019 template only has "single"). ``scale`` is one of
    SCALES and sets magnitudes. Decimal cells are floats whose repr is the printed number.
    """
    if scale not in _VOLUME:
        raise ValueError(f"unknown scale {scale!r}; expected one of {SCALES}")
    if template == "2019":
        form = "single"
    zero = rng.random() < (0.2 if scale in ("department", "township") else 0.02)  # an all-zero report
    out: dict[str, int | float] = {}
    out.update(_t2_values(rng, template, scale))
    out.update(_t3_values(rng, template, form, scale, zero))
    out.update(_t4_values(rng, zero))
    return out
