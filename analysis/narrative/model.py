"""Facts read from the prose, each with the words and the line it was read from.

A fact's ``quote`` is always a piece of the line it cites (``line``); when the quoted words run on
over a line break (PDF layout), the rest is in ``continued`` as further (line, quote) pieces, and
``span`` covers the whole passage in the source text. Facts computed from other facts (the implied
previous-year count) carry ``derived=True`` and quote what they were computed from: prose values are
never mixed silently with table values, and nothing here is written into a table key.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Keys that to_json() always emits, so that every report has the same shape (None = not stated).
TOP_KEYS = (
    "applications_stated",
    "applications_stated_basis",
    "yoy_growth_pct_stated",
    "yoy_abs_stated",
    "yoy_direction",
    "prev_year_applications_implied",
    "history",
    "land_requisition",
    "topics",
    "channels",
    "applicants_stated",
    "requests_breakdown",
    "processed_stated",
    "carried_forward_stated",
    "outcomes_stated",
    "fees_stated",
    "review_stated",
    "review_results",
    "litigation_stated",
    "litigation_direct_stated",
    "litigation_after_review_stated",
    "review_litigation_note",
    "normative_documents_stated",
    "answered_on_time_pct_stated",
)

# Groups whose members are separate facts "group.member" (each item has its own quote and line).
GROUPS = (
    "topics",
    "channels",
    "applicants_stated",
    "requests_breakdown",
    "outcomes_stated",
    "review_results",
    "normative_documents_stated",
)

LAND_LEVELS = ("count", "share", "qualitative", "proxy", "none")
BASES = ("new", "new_plus_carried", "office_only", "unknown")


@dataclass
class Fact:
    key: str
    value: Any
    basis: str | None
    level: str | None
    quote: str
    line: int  # 1-based line of ``quote``
    span: tuple[int, int]  # source character offsets [start, end) of the whole passage
    derived: bool = False
    detail: dict[str, Any] = field(default_factory=dict)
    continued: list[dict[str, Any]] = field(default_factory=list)  # [{"line": n, "quote": "…"}]

    def lines(self) -> list[int]:
        return [self.line] + [c["line"] for c in self.continued]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        del d["key"]
        return d


@dataclass
class Narrative:
    facts: list[Fact] = field(default_factory=list)
    year: int | None = None  # report year from the title, if printed
    whole_government: bool | None = None  # a 县/区/市 government report (vs. one department's)

    def get(self, key: str) -> Fact | None:
        for f in self.facts:
            if f.key == key:
                return f
        return None

    def value(self, key: str) -> Any:
        f = self.get(key)
        return None if f is None else f.value

    def group(self, name: str) -> dict[str, Fact]:
        """Members of a group, in report order: ``{"granted": Fact, ...}`` for ``outcomes_stated``."""
        prefix = name + "."
        return {f.key[len(prefix):]: f for f in self.facts if f.key.startswith(prefix)}

    def to_json(self) -> dict[str, Any]:
        """key -> {value, quote, line, ...}; every key of TOP_KEYS is present (None when not stated)."""
        out: dict[str, Any] = {k: None for k in TOP_KEYS}
        for f in self.facts:
            head, _, member = f.key.partition(".")
            if member and head in GROUPS:
                g = out.get(head) or {"value": {}, "items": {}}
                if not g["items"]:
                    g.update(quote=f.quote, line=f.line)
                g["value"][member] = f.value
                g["items"][member] = f.to_dict()
                out[head] = g
            elif f.key == "land_requisition":
                out[f.key] = {
                    "level": f.level,
                    "count": f.value.get("count"),
                    "share": f.value.get("share"),
                    **{k: v for k, v in f.to_dict().items() if k not in ("value", "level")},
                }
            elif out.get(f.key) is None:
                out[f.key] = f.to_dict()
            else:  # a second statement of the same thing: keep it visible, not silently dropped
                out.setdefault(f.key + "_also", []).append(f.to_dict())
        if out["land_requisition"] is None:
            out["land_requisition"] = {"level": "none", "count": None, "share": None, "quote": None,
                                       "line": None}
        if out["prev_year_applications_implied"] is not None:
            imp = out["prev_year_applications_implied"]
            imp["integer"] = imp["detail"].get("integer")
        out["year"] = self.year
        return out

    @classmethod
    def from_records(cls, records: list[dict[str, Any]], year: int | None = None) -> Narrative:
        """Rebuild from ``to_records`` rows (e.g. read back from JSON, where the years of a history
        series became strings) so cross-year checks can run at the dataset stage."""
        facts = []
        for r in records:
            value = r["value"]
            if r["key"] == "narr.history" and isinstance(value, dict):
                value = {label: {int(y): v for y, v in series.items()} for label, series in value.items()}
            facts.append(Fact(r["key"].removeprefix("narr."), value, r.get("basis"), r.get("level"), r.get("quote"),
                              r.get("line"), (r.get("span_start"), r.get("span_end")), r.get("status") == "derived",
                              r.get("detail") or {}, r.get("continued") or []))
        return cls(facts, year)

    def to_records(self) -> list[dict[str, Any]]:
        """Tidy rows (one per fact) for the dataset: keys are namespaced ``narr.*``."""
        rows = []
        for f in self.facts:
            rows.append({
                "key": "narr." + f.key,
                "value": f.value,
                "status": "derived" if f.derived else "stated",
                "basis": f.basis,
                "level": f.level,
                "quote": f.quote,
                "line": f.line,
                "span_start": f.span[0],
                "span_end": f.span[1],
                "continued": f.continued,
                "detail": f.detail,
            })
        return rows
