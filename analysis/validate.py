"""Validate stage: the template's arithmetic rules (勾稽关系) evaluated as tidy check rows.

A failing rule never changes a value: the values stay as printed, the row records both sides and
the difference, and the report is flagged. A rule with an unknown value is recorded as not
evaluable (``ok`` is None) rather than silently passing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .template import Layout


def _plain(v: object) -> int | float | None:
    return float(v) if isinstance(v, Decimal) else v  # type: ignore[return-value]


def run_checks(layouts: Iterable[Layout], values: Mapping[str, object]) -> list[dict]:
    rows: list[dict] = []
    for layout in layouts:
        for rule in layout.rules:
            lhs_vals = [values.get(k) for k in rule.lhs]
            rhs_vals = [values.get(k) for k in rule.rhs]
            row = {
                "rule": rule.id,
                "table": rule.table,
                "where": rule.where,
                "lhs_keys": list(rule.lhs),
                "rhs_keys": list(rule.rhs),
                "lhs": None,
                "rhs": None,
                "diff": None,
                "ok": None,
                "detail": rule.en,
            }
            if any(v is None for v in lhs_vals + rhs_vals):
                unknown = [k for k, v in zip(rule.keys, lhs_vals + rhs_vals) if v is None]
                row["detail"] = f"{rule.en}: not evaluable, unknown {', '.join(unknown[:3])}"
            else:
                lhs, rhs = sum(lhs_vals), sum(rhs_vals)  # type: ignore[arg-type]
                row.update(lhs=_plain(lhs), rhs=_plain(rhs), diff=_plain(lhs - rhs), ok=lhs == rhs)
                if lhs != rhs:
                    row["detail"] = f"{rule.en}: {lhs} != {rhs} (as printed; values not corrected)"
            rows.append(row)
    return rows
