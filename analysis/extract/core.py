"""Extract stage: Document -> values with provenance, checks and a status.

load: the Document's text (normalised character-for-character, so spans stay valid);
process: metadata, template, then each table read from every candidate region and every printed
form, keeping the reading that explains the most cells; derived group totals; checks;
save: a :class:`ReportResult` whose ``to_json`` is the public JSON contract of ``ogi extract``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from ..narrative import Narrative, extract_narrative, narrative_checks
from ..read import Document, ReadError, read_bytes, read_path
from ..template import Layout, load
from ..validate import run_checks
from .align import Block, align, blocks_of
from .locate import Region, candidate_regions
from .metadata import detect_template, read_metadata
from .readings import RowReadings, row_readings
from .solve import CellRead, solve
from .tokens import Token, normalise, tokenize
from .version import extractor_version

TABLES = ("t2", "t3", "t4")


@dataclass
class ValueRecord:
    """One cell: the value as printed (or None) and where it came from."""

    key: str
    value: int | float | None
    status: str
    raw: str | None = None
    line: int | None = None
    span: tuple[int, int] | None = None
    origin: str | None = None
    candidates: list = field(default_factory=list)
    note: str = ""


@dataclass
class TableRead:
    table: str
    layout: Layout | None
    region: Region | None
    cells: dict[str, CellRead]
    score: float

    @property
    def known(self) -> int:
        return sum(1 for c in self.cells.values() if c.value is not None or c.status == "blank")

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells.values() if c.status == "missing")


@dataclass
class ReportResult:
    path: str
    sha256: str | None
    status: str  # ok, flagged, not_a_report, unreadable (and reader statuses: needs_ocr, ...)
    reason: str = ""
    meta: dict = field(default_factory=dict)
    template: str | None = None
    template_evidence: str = ""
    encoding: str | None = None
    format: str | None = None
    records: dict[str, ValueRecord] = field(default_factory=dict)
    checks: list[dict] = field(default_factory=list)
    tables: dict[str, dict] = field(default_factory=dict)
    narrative: Narrative | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for throughput reports

    @property
    def values(self) -> dict[str, int | float | None]:
        return {k: r.value for k, r in self.records.items()}

    @property
    def value_status(self) -> dict[str, str]:
        return {k: r.status for k, r in self.records.items()}

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "reason": self.reason,
            "extractor_version": extractor_version(),
            **{k: self.meta.get(k) for k in ("region", "parent", "province", "agency", "scope", "year",
                                            "publication_date", "title")},
            "template": self.template,
            "template_evidence": self.template_evidence,
            "encoding": self.encoding,
            "format": self.format,
            "values": self.values,
            "value_status": {k: s for k, s in self.value_status.items() if s != "ok"},
            "provenance": {k: _prov_json(r) for k, r in self.records.items() if r.raw is not None},
            "ambiguous": {k: {"candidates": [_num(c) for c in r.candidates], "note": r.note}
                          for k, r in self.records.items() if r.status == "ambiguous"},
            "notes": {k: r.note for k, r in self.records.items() if r.note},
            "checks": self.checks,
            "tables": self.tables,
            "narrative": self.narrative.to_json() if self.narrative else None,
            "narrative_records": self.narrative.to_records() if self.narrative else [],
            "timings": {k: round(v, 6) for k, v in self.timings.items()},
        }


def _num(v: object) -> int | float | None:
    if isinstance(v, Decimal):
        return float(v)
    return v  # type: ignore[return-value]


def _prov_json(r: ValueRecord) -> dict:
    return {"line": r.line, "span": list(r.span) if r.span else None, "raw": r.raw, "origin": r.origin}


# ------------------------------------------------------------------------------------------------
_LOCAL_RULES: dict[tuple[str, str, str], list[list]] = {}


def _local_rules(layout: Layout) -> list[list]:
    """Per row, the rules whose cells all sit on that row (checked while reading the row)."""
    key = (layout.table, layout.template, layout.form)
    if key not in _LOCAL_RULES:
        _LOCAL_RULES[key] = [[r for r in layout.rules if set(r.keys) <= {c.key for c in row.cells}]
                             for row in layout.rows]
    return _LOCAL_RULES[key]


def _read_rows(layout: Layout, blocks: list[Block], match: dict[int, int]) -> dict[int, RowReadings]:
    local = _local_rules(layout)
    return {i: row_readings(blocks[j].values, layout.rows[i].cells, local[i]) for i, j in match.items()}


def read_table(tokens: list[Token], region: Region, layout: Layout) -> TableRead:
    if layout.table == "t4":
        # 表四 prints its fifteen numbers on one row below a header without digits.
        values = [t for t in tokens if t.kind in ("num", "blank")]
        blocks = [Block(values=values)] if values else []
        match, score = ({0: 0}, 1.0) if values else ({}, 0.0)
    else:
        blocks = blocks_of(tokens)
        match, score = align(layout, blocks)
    cells = solve(layout, _read_rows(layout, blocks, match))
    return TableRead(layout.table, layout, region, cells, score)


def _better(a: TableRead | None, b: TableRead) -> bool:
    if a is None:
        return True
    # More cells read, fewer rows unfound (a form whose rows the text does not print loses),
    # more rules that hold, better label match.
    ka = (a.known, -a.missing, _rules_ok(a), a.score)
    kb = (b.known, -b.missing, _rules_ok(b), b.score)
    return kb > ka


def _rules_ok(t: TableRead) -> int:
    assert t.layout is not None
    n = 0
    for rule in t.layout.rules:
        vals = [t.cells[k].value for k in rule.keys]
        if None not in vals and sum(vals[: len(rule.lhs)]) == sum(vals[len(rule.lhs):]):
            n += 1
    return n


def best_table(text: str, table: str, template: str) -> TableRead | None:
    """Read every candidate region; keep the reading that explains the most cells.

    The template's usual form of 表三 is tried first; the other printed form only when the usual
    one leaves rows unfound (a 2021 report printing (六)其他处理 as one row)."""
    spec = load()
    forms = spec.t3_forms(template) if table == "t3" else ("split",)
    best: TableRead | None = None
    for region in candidate_regions(text, table):
        tokens = tokenize(text, region.start, region.end)
        if not any(t.kind == "num" for t in tokens):
            continue
        for n, form in enumerate(forms):
            cand = read_table(tokens, region, spec.layout(table, template, form))
            if _better(best, cand):
                best = cand
            if not any(c.status == "missing" for c in cand.cells.values()):
                break
    return best


# ------------------------------------------------------------------------------------------------
def _record(doc: Document, cell: CellRead) -> ValueRecord:
    value = float(cell.value) if isinstance(cell.value, Decimal) else cell.value
    rec = ValueRecord(cell.key, value, cell.status, candidates=cell.candidates, note=cell.note)
    part = cell.part
    if part is not None:
        line = doc.line_of(part.start)
        rec.raw = doc.text[part.start:part.end]
        rec.line = line
        rec.span = (part.start, part.end)
        # Plain text needs no origin beyond the line; HTML, Word and PDF lines say where they sat.
        rec.origin = doc.origins[line - 1] if doc.origins else None
    return rec


def _derive_t3(records: dict[str, ValueRecord], template: str, form: str) -> None:
    """Group totals of 表三 (status ``derived``), and the sub-rows of a (六) printed as one row."""
    spec = load()
    layout = spec.layout("t3", template, form)
    members: dict[str, list[str]] = {}
    for r in layout.rows:
        if r.group:
            members.setdefault(r.group, []).append(r.key)
    for g in spec.t3_groups():
        for c in spec.t3_columns():
            key = f"t3.{g['key']}.{c['key']}"
            if key in records:
                continue  # printed (2019's (六)其他处理)
            parts = [records.get(f"t3.{m}.{c['key']}") for m in members.get(g["group"], [])]
            vals = [p.value if p else None for p in parts]
            ok = parts and None not in vals
            records[key] = ValueRecord(key, sum(vals) if ok else None, "derived",  # type: ignore[arg-type]
                                       note=f"sum of {', '.join(members.get(g['group'], []))}")
    if template == "2021" and form == "single":
        for sub in ("other_no_correction", "other_no_fee", "other_other"):
            for c in spec.t3_columns():
                key = f"t3.{sub}.{c['key']}"
                total = records[f"t3.other_total.{c['key']}"].value
                if total == 0:
                    records[key] = ValueRecord(key, 0, "derived",
                                               note="(六)其他处理 printed as one row with 0: every sub-row is 0")
                else:
                    records[key] = ValueRecord(key, None, "missing",
                                               note="(六)其他处理 printed as one row; sub-rows not printed")


_NOT_NEWLINE = re.compile(r"[^\n]")


def _without_tables(text: str, regions: list[Region]) -> str:
    """The text with the table regions read above blanked out, line breaks kept: the prose reader
    then skips the tables (its facts are stated in sentences) and every offset and line number
    stays the same."""
    if not regions:
        return text
    parts, pos = [], 0
    for r in sorted(regions, key=lambda r: r.start):
        if r.start < pos:
            continue
        parts.append(text[pos:r.start])
        parts.append(_NOT_NEWLINE.sub(" ", text[r.start:r.end]))
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


def extract_document(doc: Document) -> ReportResult:
    text = normalise(doc.text)
    meta = read_metadata(text)
    template, evidence = detect_template(text, meta.year)
    result = ReportResult(doc.path, doc.sha256, "ok", meta=meta.__dict__.copy(), template=template,
                          template_evidence=evidence, encoding=doc.encoding, format=doc.format)
    layouts: list[Layout] = []
    regions: list[Region] = []
    t3_form = "single" if template == "2019" else "split"
    started = time.perf_counter()
    for table in TABLES:
        read = best_table(text, table, template)
        if read is None or read.known == 0:
            layout = load().layout(table, template, t3_form if table == "t3" else "split")
            for cell in layout.cells:
                result.records[cell.key] = ValueRecord(cell.key, None, "missing", note=f"{table} not found")
            result.tables[table] = {"found": False}
            layouts.append(layout)
            continue
        assert read.layout is not None and read.region is not None
        layouts.append(read.layout)
        regions.append(read.region)
        if table == "t3":
            t3_form = read.layout.form
        for key, cell in read.cells.items():
            result.records[key] = _record(doc, cell)
        result.tables[table] = {
            "found": True,
            "form": read.layout.form,
            "lines": [doc.line_of(read.region.start), doc.line_of(max(read.region.start, read.region.end - 1))],
            "label_score": round(read.score, 3),
        }
    _derive_t3(result.records, template, t3_form)
    result.checks = run_checks(layouts, result.values)
    tables_done = time.perf_counter()
    # Facts stated in the prose sit beside the table values (never over them); their agreement
    # with the tables is checked, and reported in the same checks table.
    result.narrative = extract_narrative(_without_tables(doc.text, regions))
    result.timings.update(tables=tables_done - started, prose=time.perf_counter() - tables_done)
    result.checks += narrative_checks(result.narrative, result.values)
    _set_status(result)
    return result


def _set_status(result: ReportResult) -> None:
    if not any(t.get("found") for t in result.tables.values()):
        result.status = "not_a_report"
        result.reason = "none of 表二/表三/表四 was found in the text"
        return
    problems = []
    unknown = [k for k, r in result.records.items() if r.status in ("ambiguous", "missing")]
    if unknown:
        problems.append(f"{len(unknown)} values unknown (ambiguous or missing)")
    # The status speaks for the tables; prose disagreements are in the checks table only.
    failed = [c for c in result.checks if c["ok"] is False and c["table"] in TABLES]
    if failed:
        problems.append(f"{len(failed)} checks fail: " + "; ".join(f"{c['rule']}[{c['where']}]" for c in failed[:5]))
    missing_tables = [t for t, info in result.tables.items() if not info.get("found")]
    if missing_tables:
        problems.append("tables not found: " + ", ".join(missing_tables))
    if problems:
        result.status = "flagged"
        result.reason = "; ".join(problems)


def extract_text(text: str, path: str = "<text>") -> ReportResult:
    """Extract from a string (tests, synthetic reports)."""
    return extract_document(read_bytes(text.encode("utf-8"), path))


def extract_path(path: str) -> ReportResult:
    """Read and extract one file. Never raises for bad input: the status says what went wrong."""
    started = time.perf_counter()
    try:
        doc = read_path(path)
    except ReadError as e:
        return ReportResult(str(path), None, e.status, reason=str(e))
    except OSError as e:
        return ReportResult(str(path), None, "unreadable", reason=f"cannot open: {e}")
    read_s = time.perf_counter() - started
    try:
        result = extract_document(doc)
        result.timings["read"] = read_s
        return result
    except Exception as e:  # noqa: BLE001 - one bad document must never stop a batch
        return ReportResult(str(path), doc.sha256, "error", reason=f"extractor failed: {type(e).__name__}: {e}")
