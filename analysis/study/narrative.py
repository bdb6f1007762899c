"""Facts stated in a report's prose (the ``narrative`` table), read tolerantly.

Why tolerant: the narrative table is produced by another stage whose columns may still change; the study
only needs, per fact, its report, key, value, quote, line and whether it was derived (computed from other
facts rather than printed). Accepted variants: keys with or without the ``narr.`` prefix; ``value``
as JSON text or as a Python object; ``derived`` as a bool column or ``status == "derived"``;
``detail`` as JSON text or a dict; ``report_id`` or only ``file``. A missing table is not an error:
sections that need prose say that no prose facts are available.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

COLUMNS = ["report_id", "key", "value", "quote", "line", "derived", "level", "detail"]


@dataclass(frozen=True)
class Fact:
    report_id: str
    key: str
    value: Any
    quote: str | None
    line: int | None
    derived: bool
    level: str | None = None
    detail: dict = field(default_factory=dict)
    index: int = 0  # position in the table: refs use it so two statements of one key stay distinct

    @property
    def ref(self) -> str:
        return f"n|{self.report_id}|{self.key}|{self.index}"


def _json(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip()
        if s[:1] in "[{\"" or s in ("null", "true", "false") or _looks_numeric(s):
            try:
                return json.loads(s)
            except ValueError:
                return v
        return v
    if hasattr(v, "tolist"):  # numpy arrays from Parquet list columns
        return v.tolist()
    return v


def _looks_numeric(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _none(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        if pd.isna(v) is True:
            return None
    except (TypeError, ValueError):
        pass
    return v


def tidy(narrative: pd.DataFrame | None, reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """The narrative table in the study's shape (``COLUMNS``); empty when absent."""
    if narrative is None or len(narrative) == 0:
        return pd.DataFrame(columns=COLUMNS)
    df = narrative.copy()
    if "report_id" not in df.columns:
        if "file" in df.columns and reports is not None:
            df["report_id"] = df["file"].map(dict(zip(reports["file"], reports["report_id"])))
        else:
            raise KeyError("narrative table has neither report_id nor file")
    if "key" not in df.columns:
        raise KeyError("narrative table has no key column")
    df["key"] = df["key"].astype(str).str.replace(r"^narr\.", "", regex=True)
    if "derived" in df.columns:
        derived = df["derived"].map(lambda x: bool(_none(x)) and str(x).lower() not in ("false", "0"))
    elif "status" in df.columns:
        derived = df["status"].astype(str).eq("derived")
    else:
        derived = pd.Series(False, index=df.index)
    out = pd.DataFrame({
        "report_id": df["report_id"].astype(str),
        "key": df["key"],
        "value": df["value"].map(lambda v: _json(_none(v))) if "value" in df.columns else None,
        "quote": df["quote"].map(_none) if "quote" in df.columns else None,
        "line": df["line"].map(lambda x: None if _none(x) is None else int(x)) if "line" in df.columns
        else None,
        "derived": derived.astype(bool),
        "level": df["level"].map(_none) if "level" in df.columns else None,
        "detail": df["detail"].map(lambda v: _json(_none(v)) or {}) if "detail" in df.columns else None,
    })
    out["detail"] = out["detail"].map(lambda d: d if isinstance(d, dict) else {})
    if "continued" in df.columns:
        # A quote that runs over a line break (PDF layout) continues in further pieces: join them so the
        # reader sees the whole sentence; ``line`` stays the first line.
        more = df["continued"].map(lambda v: _json(_none(v)) or [])
        out["quote"] = [_join(q, m) for q, m in zip(out["quote"], more)]
    return out.reset_index(drop=True)


def _join(quote: Any, more: Any) -> Any:
    if not isinstance(more, list) or not more or quote is None:
        return quote
    pieces = [str(quote)] + [str(m.get("quote", "")) for m in more if isinstance(m, dict)]
    return " ".join(p for p in pieces if p)


def facts(table: pd.DataFrame, report_id: str, key: str | None = None, prefix: str | None = None) -> list[Fact]:
    """Facts of one report, by exact key or key prefix (``topics.``), in table order."""
    if table is None or len(table) == 0:
        return []
    sel = table[table["report_id"] == report_id]
    if key is not None:
        sel = sel[sel["key"] == key]
    if prefix is not None:
        sel = sel[sel["key"].str.startswith(prefix)]
    out = []
    for idx, r in sel.iterrows():
        value = r["value"]
        level = r["level"]
        # land_requisition's level may sit inside the value ({level, count, share}) instead of a column.
        if isinstance(value, dict) and level is None and "level" in value:
            level = value.get("level")
        out.append(Fact(report_id=str(r["report_id"]), key=str(r["key"]), value=value, quote=r["quote"],
                        line=r["line"], derived=bool(r["derived"]), level=level, detail=r["detail"] or {},
                        index=int(idx)))
    return out


def first(table: pd.DataFrame, report_id: str, key: str) -> Fact | None:
    found = facts(table, report_id, key)
    return found[0] if found else None


def by_ref(table: pd.DataFrame, ref: str) -> Fact | None:
    """The fact a ``n|report|key|index`` ref points at."""
    try:
        _, rid, key, idx = ref.split("|", 3)
    except ValueError:
        return None
    for f in facts(table, rid, key):
        if f.index == int(idx):
            return f
    return None
