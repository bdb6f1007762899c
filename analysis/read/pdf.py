"""PDF reader: rebuild visual lines from positioned words.

A plain text dump of a PDF table often lists cells column by column. Instead the words of each
page (pdfplumber, duplicate "fake bold" glyphs removed) are clustered into lines by the vertical
centre (tolerance half the page's median font size), sorted by x, and joined: a horizontal gap
wider than about 0.7 character is a cell boundary and becomes a tab, a smaller gap is closed (a
space is kept between two Latin words). A label written vertically (one character per line, as in
a tall merged cell) is gathered into one word and emitted as its own line, so its characters do not
leak into the table rows beside it. A wrapped cell (a label spread over two lines) stays two lines.

Origins are ``page P, line L`` (1-based, L counted within the page). A PDF whose pages carry no
text at all (a scan) raises ``ReadError(status="needs_ocr")``: it must never look like an empty
report whose values are all missing or zero.
"""

from __future__ import annotations

import io
import itertools
import logging
import statistics
from dataclasses import dataclass

from .document import ReadError
from .lines import fix_radicals, is_cjk

MAX_PAGES = 2000

_VERTICAL_MIN = 3  # characters stacked at one x before they count as vertical text


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


def _vertical_runs(words: list[_Word]) -> tuple[list[_Word], list[_Word]]:
    """Split off single CJK characters stacked in a column; return (other words, merged runs)."""
    singles = [w for w in words if len(w.text) == 1 and is_cjk(w.text)]
    singles.sort(key=lambda w: (round(w.x0), w.top))
    runs: list[list[_Word]] = []
    for w in singles:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and abs(last.x0 - w.x0) <= 1.0
            and abs(last.x1 - w.x1) <= 1.0
            and -0.1 * w.size <= w.top - last.bottom <= 0.3 * w.size
        ):
            runs[-1].append(w)
        else:
            runs.append([w])
    merged: list[_Word] = []
    used: set[int] = set()
    for run in runs:
        if len(run) >= _VERTICAL_MIN:
            used.update(id(w) for w in run)
            merged.append(_Word(
                "".join(w.text for w in run), run[0].x0, run[0].x1, run[0].top, run[-1].bottom, run[0].size,
            ))
    return [w for w in words if id(w) not in used], merged


def _join(line: list[_Word]) -> str:
    line.sort(key=lambda w: w.x0)
    out = line[0].text
    for prev, w in itertools.pairwise(line):
        gap = w.x0 - prev.x1
        if gap > 0.7 * min(prev.size, w.size):
            out += "\t"
        elif gap > 0.15 * min(prev.size, w.size) and prev.text[-1].isascii() and w.text[0].isascii():
            out += " "
        out += w.text
    return out


def page_lines(raw_words: list[dict]) -> list[str]:
    """pdfplumber words (with "size") of one page -> its text lines, top to bottom."""
    words = [
        _Word(fix_radicals(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"], float(w.get("size") or 0) or 10.0)
        for w in raw_words
        if w["text"].strip()
    ]
    if not words:
        return []
    tol = 0.5 * statistics.median(w.size for w in words)
    words, vertical = _vertical_runs(words)
    words.sort(key=lambda w: w.mid)
    groups: list[tuple[float, list[_Word]]] = []  # (top of the line, its words)
    cur: list[_Word] = []
    centre = 0.0
    for w in words:
        if cur and abs(w.mid - centre) > tol:
            groups.append((min(x.top for x in cur), cur))
            cur = []
        cur.append(w)
        centre = sum(x.mid for x in cur) / len(cur)
    if cur:
        groups.append((min(x.top for x in cur), cur))
    groups.extend((v.top, [v]) for v in vertical)
    groups.sort(key=lambda g: g[0])
    return [_join(g) for _, g in groups]


def read_pdf(data: bytes) -> list[tuple[str, str]]:
    """Return ``(line, origin)`` pairs for every page. Raises ReadError."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as e:
        raise ReadError("the PDF is encrypted with a password; it cannot be read", status="encrypted") from e
    except Exception as e:  # pdfminer raises many types on damaged files
        raise ReadError(f"the PDF is damaged and cannot be opened ({type(e).__name__}: {e})", status="malformed") from e
    pairs: list[tuple[str, str]] = []
    n_words = n_cid = 0
    with pdf:
        n_pages = len(pdf.pages)
        if n_pages > MAX_PAGES:
            raise ReadError(f"the PDF has {n_pages} pages, more than the {MAX_PAGES} read", status="too_large")
        for number, page in enumerate(pdf.pages, 1):
            try:
                words = page.dedupe_chars().extract_words(
                    keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"],
                )
            except Exception as e:
                raise ReadError(
                    f"page {number} of the PDF cannot be read ({type(e).__name__}: {e})", status="malformed",
                ) from e
            n_words += len(words)
            n_cid += sum(1 for w in words if "(cid:" in w["text"])
            pairs.extend((line, f"page {number}, line {i}") for i, line in enumerate(page_lines(words), 1))
            page.close()
    if n_words == 0:
        raise ReadError(
            f"the PDF has no text layer ({n_pages} page(s) of images or drawings only); it needs OCR",
            status="needs_ocr",
        )
    if n_cid > 0.5 * n_words:
        raise ReadError(
            "the PDF's text layer has no Unicode mapping (glyph ids only, shown as '(cid:N)'); it needs OCR",
            status="needs_ocr",
        )
    return pairs
