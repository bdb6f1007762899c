"""Shared state of one extraction: the source, its prose stream, and fact construction."""

from __future__ import annotations

import re
from typing import Any

from .model import Fact
from .stream import Source, build_stream

# Clause and sentence boundaries in the (folded) stream. "、" is not a clause boundary: it joins the
# items of one list ("土地征收、房屋征收").
CLAUSE_END = ",;:。!?\n"
SENTENCE_END = "。!?\n"

# Sub-units named as the subject of a count; with a whole-government report this means the count is
# one office's, not the government's.
SUBUNIT = re.compile(r"办公室|(?<!全)[局委办]|委员会|中心")
WHOLE_SCOPE = re.compile(r"全(?:县|区|市|省|镇|乡|旗|州|盟)|各级|全系统")


class Ctx:
    def __init__(self, text: str):
        self.src = Source(text)
        self.stream = build_stream(text)
        self.s = self.stream.s
        self.title = self.s[:400]

    # -- boundaries ------------------------------------------------------------------------------
    def clause_start(self, pos: int, floor: int = 0) -> int:
        i = pos
        while i > floor and self.s[i - 1] not in CLAUSE_END:
            i -= 1
        return i

    def clause_end(self, pos: int) -> int:
        i = pos
        while i < len(self.s) and self.s[i] not in CLAUSE_END:
            i += 1
        return i

    def sentence_start(self, pos: int) -> int:
        i = pos
        while i > 0 and self.s[i - 1] not in SENTENCE_END:
            i -= 1
        return i

    def sentence_end(self, pos: int) -> int:
        i = pos
        while i < len(self.s) and self.s[i] not in SENTENCE_END:
            i += 1
        return i

    # -- facts -----------------------------------------------------------------------------------
    def fact(
        self,
        key: str,
        value: Any,
        a: int,
        b: int,
        *,
        basis: str | None = None,
        level: str | None = None,
        derived: bool = False,
        detail: dict[str, Any] | None = None,
    ) -> Fact:
        """A fact quoting stream slice [a, b), cut from the source line by line."""
        start, end = self.stream.span(a, b)
        parts = self.src.parts(start, end)
        if parts:
            (line, quote), rest = parts[0], parts[1:]
        else:
            line, quote, rest = self.src.line_of(start), "", []
        return Fact(
            key=key,
            value=value,
            basis=basis,
            level=level,
            quote=quote,
            line=line,
            span=(start, end),
            derived=derived,
            detail=dict(detail or {}),
            continued=[{"line": ln, "quote": q} for ln, q in rest],
        )

    def whole_government(self) -> bool | None:
        """Is this a government's report (县/区/市…) rather than one office's or department's?

        The words before the year in the title decide: "东阿县人民政府 2023 年…" is whole-government,
        "…人民政府办公室2023年…" or "…市场监督管理局2019年度…" is one agency.
        """
        m = re.search(r"([^\s\d:,。]{2,40}?)\s*(?:20\d{2})\s*年度?\s*(?:政府信息公开|政务公开)", self.title)
        if not m:
            return None
        return not re.search(r"(?:办公室|局|委员会|委|办|中心|院|所|处|厅|署|公司)$", m.group(1))

    def year(self) -> int | None:
        m = re.search(r"(20\d{2})\s*年度?\s*(?:政府信息公开|政务公开)(?:工作)?(?:年度)?\s*(?:报\s*告|年报)",
                      self.title)
        return int(m.group(1)) if m else None
