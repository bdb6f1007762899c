"""Read stage, PDF: lines rebuilt from word positions, the real report, scans need OCR."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from analysis.read import Document, ReadError, read_bytes, read_path
from analysis.read.pdf import page_lines

ROOT = Path(__file__).resolve().parents[1]

# 表三 value rows as printed in hz2023 (its （六）其他处理 is a single row), top to bottom.
HZ_T3_ROWS = [
    "new_received", "carried_over", "granted", "partially_granted",
    "denied_state_secret", "denied_law_prohibited", "denied_three_safety_one_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_inquiry",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "not_processed_petition", "not_processed_repeat", "not_processed_publication", "not_processed_massive",
    "not_processed_confirm", "other_other", "total_processed", "carried_forward",
]


def corpus(name: str) -> Path:
    for d in (ROOT / "data" / "raw", ROOT / "tests" / "golden" / "corpus", ROOT.parent / "shared" / "corpus"):
        if (d / name).exists():
            return d / name
    pytest.skip(f"{name} not available")


def numeric_tail(line: str) -> list[int]:
    out: list[int] = []
    for cell in reversed(line.split("\t")):
        if not cell.strip().isdigit():
            break
        out.insert(0, int(cell))
    return out


@pytest.fixture(scope="module")
def hz() -> Document:
    return read_path(corpus("hz2023_hongze_district.pdf"))


@pytest.fixture(scope="module")
def hz_expected() -> dict:
    return json.loads(corpus("hz2023_hongze_district.expected.json").read_text(encoding="utf-8"))


def test_real_pdf_basics(hz: Document) -> None:
    assert hz.format == "pdf"
    assert hz.origins is not None and len(hz.origins) == hz.n_lines
    assert hz.origin_of(1) == "page 1, line 1"
    assert hz.line_text(2) == "2023年政府信息公开工作年度报告"
    assert all(o.startswith("page ") for o in hz.origins)


def test_real_pdf_t3_rows_in_order(hz: Document, hz_expected: dict) -> None:
    values = hz_expected["values"]
    rows = [(hz.line_text(i), numeric_tail(hz.line_text(i))) for i in range(1, hz.n_lines + 1)]
    rows = [(line, nums) for line, nums in rows if len(nums) == 7]
    assert len(rows) == len(HZ_T3_ROWS)
    for key, (line, nums) in zip(HZ_T3_ROWS, rows, strict=True):
        assert nums[0] == values[f"t3.{key}.natural_person"], line
        assert nums[-1] == values[f"t3.{key}.total"], line
    assert rows[0][0] == "一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21"
    assert rows[12][0] == "1.本机关不掌握相关政府信息\t10\t0\t0\t0\t0\t0\t10"


def test_real_pdf_t4_row_in_x_order(hz: Document, hz_expected: dict) -> None:
    values = hz_expected["values"]
    lines = hz.text.split("\n")
    t4 = "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0"
    assert t4 in lines
    i = lines.index(t4) + 1
    assert hz.origin_of(i) == "page 4, line 18"
    printed = [values[f"t4.{g}.{c}"] for g in ("review", "suit_direct", "suit_after_review")
               for c in ("upheld", "corrected", "other", "pending", "total")]
    assert numeric_tail(t4) == printed


def test_real_pdf_t2(hz: Document) -> None:
    lines = hz.text.split("\n")
    for row in ("行政规范性文件\t0\t5\t5", "行政许可\t550", "行政处罚\t4119", "行政强制\t195", "行政事业性收费\t7730.28"):
        assert row in lines


def test_vertical_label_is_its_own_line(hz: Document) -> None:
    lines = hz.text.split("\n")
    assert "三、本年度办理结果" in lines
    assert not any(line.startswith(("三\t", "年\t", "度\t")) for line in lines)


def _words(*specs: tuple[str, float, float, float]) -> list[dict]:
    """(text, x0, top, size) -> pdfplumber-like word dicts (width: one em per hanzi, half per digit)."""
    out = []
    for text, x0, top, size in specs:
        width = sum(size if ord(ch) > 0x2E80 else size / 2 for ch in text)
        out.append({"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "size": size})
    return out


def test_page_lines_clusters_and_joins() -> None:
    words = _words(
        ("10", 340, 102, 14), ("一、本年新收", 80, 104, 10), ("5", 320, 102, 14),  # one row, two baselines
        ("（二）部分公开（区分处理的，只计这一情", 80, 130, 9), ("形，不", 80 + 19 * 9 + 4.6, 130, 9),
        ("计其他情形）", 80, 143, 9),
        ("三", 60, 200, 10), ("、", 60, 210, 10), ("本", 60, 220, 10), ("年", 60, 230, 10),
        ("Word", 80, 300, 10), ("file", 80 + 20 + 3, 300, 10),
    )
    assert page_lines(words) == [
        "一、本年新收\t5\t10",
        "（二）部分公开（区分处理的，只计这一情形，不",
        "计其他情形）",
        "三、本年",
        "Word file",
    ]


def test_kangxi_radicals_normalised() -> None:
    assert page_lines(_words(("⼀、本年新收", 80, 100, 10))) == ["一、本年新收"]


def _reportlab():
    return pytest.importorskip("reportlab.pdfgen.canvas")


def test_scan_without_text_layer_needs_ocr() -> None:
    canvas = _reportlab()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.rect(50, 50, 400, 300, fill=1)
    c.showPage()
    c.rect(60, 60, 100, 100)
    c.save()
    with pytest.raises(ReadError) as e:
        read_bytes(buf.getvalue(), "scan.pdf")
    assert e.value.status == "needs_ocr"
    assert "no text layer" in str(e.value) and "2 page" in str(e.value)


def test_generated_chinese_table() -> None:
    canvas = _reportlab()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont("STSong-Light", 10)
    c.drawString(80, 700, "一、本年新收政府信息公开申请数量")
    c.setFont("Helvetica", 14)
    for x, value in zip((320, 350, 380, 410), ("80", "1", "0", "81"), strict=True):
        c.drawString(x, 698, value)
    c.setFont("STSong-Light", 10)
    for i, ch in enumerate("三、本年度办理结果"):
        c.drawString(60, 690 - i * 10, ch)
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(80, 700, "第二页正文")
    c.save()
    doc = read_bytes(buf.getvalue(), "gen.pdf")
    lines = doc.text.split("\n")
    assert "一、本年新收政府信息公开申请数量\t80\t1\t0\t81" in lines
    assert "三、本年度办理结果" in lines
    assert doc.origins[-1] == "page 2, line 1" and lines[-1] == "第二页正文"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF",
                                  b"%PDF-" + bytes(range(256)) * 4])
def test_damaged_pdf(data: bytes) -> None:
    with pytest.raises(ReadError) as e:
        read_bytes(data, "bad.pdf")
    assert e.value.status in ("malformed", "needs_ocr") and str(e.value)


def test_extracts_expected_values(hz: Document, hz_expected: dict) -> None:
    extract = pytest.importorskip("analysis.extract")
    res = extract.extract_document(hz)
    wrong = {k: (res.values.get(k), v) for k, v in hz_expected["values"].items() if res.values.get(k) != v}
    assert not wrong


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_synthetic_pdf_never_a_wrong_number(seed: int, template: str) -> None:
    """A generated PDF (cells drawn at their positions) extracts without a wrong value; most exactly."""
    synth = pytest.importorskip("analysis.synth")
    extract = pytest.importorskip("analysis.extract")
    rep = synth.generate(seed, layout="pdf", template=template)
    values = extract.extract_document(read_bytes(rep.data, "synthetic.pdf")).values
    wrong = {k: (values.get(k), v) for k, v in rep.values.items() if values.get(k) is not None and values[k] != v}
    assert not wrong
    found = sum(1 for k, v in rep.values.items() if values.get(k) == v)
    assert found >= 0.9 * len(rep.values)
