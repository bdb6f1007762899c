"""Read stage, plain text and dispatch: encodings, sniffing, limits, failures (ReadError only)."""

from __future__ import annotations

import codecs
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.read import LIMITS, Document, ReadError, read_bytes, read_path, sniff
from analysis.read.text import decode

ROOT = Path(__file__).resolve().parents[1]

SAMPLE = (
    "平潭综合实验区2023年度政府信息公开工作年度报告\n"
    "一、本年新收政府信息公开申请数量\t80\t1\t0\t0\t0\t0\t81\n"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）19件，占51.85%；“三安全一稳定”。\n"
)
PURE_CJK = "政府信息公开工作年度报告主动公开依申请公开行政复议行政诉讼" * 3  # no ASCII, so no NUL in UTF-16

ENCODINGS = {
    "utf-8": SAMPLE.encode("utf-8"),
    "utf-8-sig": codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
    "gb18030": SAMPLE.encode("gb18030"),
    "utf-16-le": SAMPLE.encode("utf-16-le"),
    "utf-16-be": SAMPLE.encode("utf-16-be"),
    "utf-16-le+bom": codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
    "utf-16-be+bom": codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
}


@pytest.mark.parametrize("label", sorted(ENCODINGS))
def test_same_text_from_every_encoding(label: str) -> None:
    doc = read_bytes(ENCODINGS[label], "report.txt")
    assert doc.text == SAMPLE
    assert doc.format == "txt"
    assert doc.origins is None
    expected = {"utf-8-sig": "utf-8-sig", "utf-16-le+bom": "utf-16", "utf-16-be+bom": "utf-16"}.get(label, label)
    assert doc.encoding == expected


def test_gbk_is_read_as_gb18030() -> None:
    doc = read_bytes(SAMPLE.encode("gbk"), "a.txt")
    assert doc.text == SAMPLE and doc.encoding == "gb18030"


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "gb18030", "utf-8"])
def test_pure_chinese_without_bom(enc: str) -> None:
    text, got = decode(PURE_CJK.encode(enc))
    assert text == PURE_CJK and got == enc


@pytest.mark.parametrize("enc", ["utf-8", "gb18030", "utf-16-le", "utf-16-be"])
def test_short_chinese(enc: str) -> None:
    text, got = decode("总计81件".encode(enc))
    assert text == "总计81件" and got == enc


def test_real_crawler_text_in_gb18030_and_utf16() -> None:
    path = _corpus("pt2023_pingtan.txt")
    original = read_path(path)
    for enc in ("gb18030", "utf-16-le", "utf-16-be"):
        doc = read_bytes(original.text.encode(enc), "x.txt")
        assert doc.text == original.text and doc.encoding == enc


def test_newlines_normalised_and_line_lookup() -> None:
    doc = read_bytes("第一行\r\n第二行\r第三行\n".encode(), "a.txt")
    assert doc.text == "第一行\n第二行\n第三行\n"
    assert doc.line_text(2) == "第二行"
    assert doc.line_of(doc.text.index("第三行")) == 3
    assert doc.origin_of(3) == "line 3"


def test_empty_and_whitespace_files() -> None:
    for data in (b"", b"   \n\t\r\n"):
        with pytest.raises(ReadError) as e:
            read_bytes(data, "a.txt")
        assert e.value.status == "empty"
        assert "empty file" in str(e.value)
    with pytest.raises(ReadError) as e:
        read_bytes(codecs.BOM_UTF8, "a.txt")
    assert e.value.status == "empty"


@pytest.mark.parametrize("enc", ["utf-8", "gb18030"])
def test_a_few_damaged_bytes_are_replaced_not_fatal(enc: str) -> None:
    good = (SAMPLE * 10).encode(enc)
    damaged = good + b"\xff" + good + "报".encode(enc)[:1]  # a stray byte, a cut character
    doc = read_bytes(damaged, "damaged.txt")
    assert doc.encoding == f"{enc} (2 undecodable byte sequences replaced)"
    assert doc.text.count("\ufffd") == 2
    assert doc.text.replace("\ufffd", "") == SAMPLE * 20
    html = b"<html><head><meta charset='utf-8'></head><body><p>" + damaged + b"</p></body></html>"
    assert "一、本年新收" in read_bytes(html, "damaged.html").text


def test_binary_garbage_is_unreadable() -> None:
    garbage = bytes(range(256)) * 20
    with pytest.raises(ReadError) as e:
        read_bytes(garbage, "a.bin")
    assert e.value.status == "unreadable"
    assert "not UTF-8" in str(e.value)


def test_images_need_ocr() -> None:
    with pytest.raises(ReadError) as e:
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png")
    assert e.value.status == "needs_ocr" and "PNG" in str(e.value)


def test_size_limit() -> None:
    data = SAMPLE.encode() * 10
    with pytest.raises(ReadError) as e:
        read_bytes(data, "a.txt", max_bytes=100)
    assert e.value.status == "too_large" and "limit" in str(e.value)
    assert read_bytes(data, "a.txt", max_bytes=None).text == SAMPLE * 10
    assert LIMITS["html"] == LIMITS["txt"] == 50 * 2**20 and LIMITS["pdf"] == 200 * 2**20


def test_read_path_limit_checked_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(SAMPLE.encode() * 100)
    with pytest.raises(ReadError) as e:
        read_path(p, max_bytes=1000)
    assert e.value.status == "too_large"
    assert read_path(p).path == str(p)


def test_missing_file_is_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as e:
        read_path(tmp_path / "nope.txt")
    assert "cannot open" in str(e.value)


def test_sniff_content_first_suffix_second() -> None:
    assert sniff(b"%PDF-1.7\n...", "report.txt") == "pdf"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "report.pdf") == "html"
    assert sniff("<table><tr><td>总计</td></tr></table>".encode("utf-16"), "x") == "html"
    assert sniff("平潭".encode(), "a.md") == "md"
    assert sniff("平潭".encode(), "a.htm") == "html"
    assert sniff("平潭".encode(), "a.txt") == "txt"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc") == "doc"
    with pytest.raises(ReadError) as e:
        sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "sheet.xls")
    assert e.value.status == "unsupported_format"


def test_zip_that_is_not_word() -> None:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError) as e:
        read_bytes(buf.getvalue(), "book.xlsx")
    assert e.value.status == "unsupported_format" and "word/document.xml" in str(e.value)


def test_document_line_starts_are_fast_and_right() -> None:
    text = "行\n" * 200_000
    doc = Document(path="x", sha256="", text=text, encoding="utf-8", format="txt")
    assert doc.n_lines == 200_001
    assert doc.line_of(len(text) - 1) == 200_000


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_fuzz_random_bytes_only_read_error(data: bytes) -> None:
    for name in ("x.txt", "x.html", "x.pdf", "x.docx", "x.doc"):
        try:
            doc = read_bytes(data, name)
        except ReadError as e:
            assert str(e) and e.status
        else:
            assert isinstance(doc.text, str) and doc.text.strip()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b"\xef\xbb\xbf"]),
       st.binary(max_size=2048))
def test_fuzz_magic_prefixes_only_read_error(prefix: bytes, rest: bytes) -> None:
    try:
        read_bytes(prefix + rest, "x")
    except ReadError as e:
        assert str(e) and e.status


def _corpus(name: str) -> Path:
    for d in (ROOT / "data" / "raw", ROOT / "tests" / "golden" / "corpus", ROOT.parent / "shared" / "corpus"):
        if (d / name).exists():
            return d / name
    pytest.skip(f"{name} not available")
