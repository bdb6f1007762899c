"""Word reader: .docx (python-docx) and old binary .doc (converted by LibreOffice when present).

Before anything is parsed the zip is checked: the declared uncompressed sizes must stay under the
limit (a zip bomb is refused without inflating it; zipfile never returns more than the declared
size), and no XML part may carry a DTD (``<!DOCTYPE``/``<!ENTITY``: OOXML never needs one, and it
is how entity-expansion bombs and external entities get in). python-docx's own parser does not
resolve entities either.

Body paragraphs and tables are read in document order. A table row is one line with its cells
joined by a tab; a horizontally merged cell (gridSpan) is written once, and the continuation of a
vertically merged cell (vMerge) is not written at all, just as an HTML rowspan cell appears only in
its first row. A table containing another table is layout: its cells are read as paragraphs.
Origins: ``paragraph N`` and ``table T, row R (cells: ...)`` (see :mod:`.lines`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator

from .document import ReadError
from .lines import join_pieces, row_origin

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
CONVERT_TIMEOUT = 120  # seconds for LibreOffice to convert one .doc
_DTD_MARKERS = tuple(
    m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)


def check_zip(data: bytes, max_unzipped: int | None = MAX_UNZIPPED) -> zipfile.ZipFile:
    """Open a .docx as a zip after checking its declared sizes and its XML parts for DTDs."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise ReadError(f"the Word file is not a valid zip archive ({e})", status="malformed") from e
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"the Word file's zip holds {len(infos)} parts (limit {MAX_MEMBERS})", status="too_large")
    total = sum(i.file_size for i in infos)
    if max_unzipped is not None and total > max_unzipped:
        raise ReadError(
            f"the Word file unzips to {total / 2**20:.0f} MB, over the {max_unzipped / 2**20:.0f} MB limit "
            "(possibly a zip bomb); not unpacked",
            status="too_large",
        )
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise ReadError("the zip archive is not a Word document (no word/document.xml)", status="unsupported_format")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                part = zf.read(info)
            except Exception as e:  # bad CRC, unsupported compression, truncated data
                raise ReadError(f"the Word file's part {info.filename} cannot be unzipped ({e})",
                                status="malformed") from e
            if any(m in part for m in _DTD_MARKERS):
                raise ReadError(
                    f"the Word file's part {info.filename} declares a DTD or entities (an XML entity bomb or "
                    "external entity); refused",
                    status="unsafe",
                )
    return zf


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _paragraph_text(p, in_cell: bool) -> str:
    """Text of a w:p; tabs kept in body text (they separate columns), spaces in cells."""
    out: list[str] = []
    stack = [p]
    while stack:
        el = stack.pop()
        if el.tag == _MC_FALLBACK:
            continue  # the same text box again in VML form
        name = _local(el)
        if name == "t" and el.text:
            out.append(el.text)
        elif name == "tab" and el.getparent() is not None and _local(el.getparent()) == "r":
            out.append(" " if in_cell else "\t")
        elif name in ("br", "cr"):
            out.append(" " if in_cell else "\n")
        elif name == "noBreakHyphen":
            out.append("-")
        stack.extend(reversed(el))
    return "".join(out)


def _cell_text(tc) -> str:
    return join_pieces(_paragraph_text(p, True) for p in tc.iter(f"{W}p"))


def _int_attr(el, default: int) -> int:
    try:
        return max(1, min(int(el.get(f"{W}val")), 1000)) if el is not None else default
    except (TypeError, ValueError):
        return default


def _table_rows(tbl, number: int) -> Iterator[tuple[str, str]]:
    for r, tr in enumerate(tbl.findall(f"{W}tr"), 1):
        before = tr.find(f"{W}trPr/{W}gridBefore")
        col = _int_attr(before, 0) if before is not None else 0
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for tc in _row_cells(tr):
            span = _int_attr(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is None or vmerge.get(f"{W}val") == "restart":
                texts.append(_cell_text(tc))
                spans.append((col, col + span - 1))
            col += span
        if any(texts):
            yield "\t".join(texts), row_origin(number, r, spans)


def _row_cells(tr) -> Iterator:
    """w:tc children of a row, also those wrapped in content controls (w:sdt/w:sdtContent)."""
    stack = list(reversed(tr))
    while stack:
        el = stack.pop()
        name = _local(el)
        if name == "tc":
            yield el
        elif name in ("sdt", "sdtContent", "customXml"):
            stack.extend(reversed(el))


def body_lines(body) -> Iterator[tuple[str, str]]:
    """``(line, origin)`` pairs of a w:body in document order (iterative, no recursion)."""
    para = 0
    tables = 0
    stack = list(reversed(body))
    while stack:
        el = stack.pop()
        name = _local(el)
        if name == "p":
            for line in _paragraph_text(el, False).split("\n"):
                if line.strip():
                    para += 1
                    yield line.strip(), f"paragraph {para}"
        elif name == "tbl" and el.find(f".//{W}tbl") is None:
            tables += 1
            yield from _table_rows(el, tables)
        elif name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "smartTag", "ins", "txbxContent"):
            stack.extend(reversed(el))


def read_docx(data: bytes, max_unzipped: int | None = MAX_UNZIPPED) -> list[tuple[str, str]]:
    import docx

    check_zip(data, max_unzipped)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as e:  # python-docx: "file ... is not a Word file, content type is ..."
        raise ReadError(f"the file is not a Word document python-docx can open ({e})",
                        status="unsupported_format") from e
    except Exception as e:
        raise ReadError(f"the Word file is damaged ({type(e).__name__}: {e})", status="malformed") from e
    return list(body_lines(document.element.body))


def convert_doc(data: bytes) -> bytes:
    """Old binary .doc -> .docx bytes via LibreOffice; ReadError when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ReadError(
            "old binary Word .doc file: converting it needs LibreOffice (soffice), which is not installed; "
            "install LibreOffice or save the file as .docx",
            status="unsupported_format",
        )
    with tempfile.TemporaryDirectory(prefix="ogi-doc-") as tmp:
        src = os.path.join(tmp, "input.doc")
        with open(src, "wb") as f:
            f.write(data)
        env = dict(os.environ, HOME=tmp)  # a private LibreOffice profile
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", "--convert-to", "docx", "--outdir", tmp, src],
                capture_output=True, timeout=CONVERT_TIMEOUT, check=False, env=env, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as e:
            raise ReadError(f"LibreOffice did not convert the .doc within {CONVERT_TIMEOUT} s",
                            status="malformed") from e
        out = os.path.join(tmp, "input.docx")
        if not os.path.exists(out):
            raise ReadError("LibreOffice could not convert the .doc file (damaged or not a Word document)",
                            status="malformed")
        with open(out, "rb") as f:
            return f.read()
