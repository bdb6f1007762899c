"""Read stage, Word: body order, merged cells written once, entity and zip bombs refused, .doc."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from analysis.read import ReadError, read_bytes
from analysis.read.docx import check_zip

docx = pytest.importorskip("docx")


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _report() -> bytes:
    d = docx.Document()
    d.add_heading("某县2023年政府信息公开工作年度报告", level=1)
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=5, cols=6)
    t.cell(0, 0).merge(t.cell(1, 2)).text = "（本列数据的勾稽关系）"  # 2x3 block
    t.cell(0, 3).merge(t.cell(0, 5)).text = "申请人情况"
    for j, label in enumerate(("自然人", "法人", "总计")):
        t.cell(1, 3 + j).text = label
    t.cell(2, 0).merge(t.cell(2, 2)).text = "一、本年新收政府信息公开申请数量"
    for j, v in enumerate(("80", "1", "81")):
        t.cell(2, 3 + j).text = v
    t.cell(3, 0).merge(t.cell(4, 0)).text = "三、本年度办理结果"  # vertical merge
    cell = t.cell(3, 1).merge(t.cell(3, 2))
    cell.text = "（一）予以"
    cell.add_paragraph("公开")
    for j, v in enumerate(("22", "0", "22")):
        t.cell(3, 3 + j).text = v
    t.cell(4, 1).merge(t.cell(4, 2)).text = "（二）部分公开"
    t.cell(4, 3).text = "19"
    t.cell(4, 4).merge(t.cell(4, 5)).text = "20"
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    p = d.add_paragraph("行政复议")
    p.add_run().add_tab()
    p.add_run("2")
    return _save(d)


def test_body_order_and_merged_cells_once() -> None:
    doc = read_bytes(_report(), "report.docx")
    assert doc.format == "docx"
    assert doc.text.split("\n") == [
        "某县2023年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系）\t申请人情况",
        "自然人\t法人\t总计",
        "一、本年新收政府信息公开申请数量\t80\t1\t81",
        "三、本年度办理结果\t（一）予以公开\t22\t0\t22",
        "（二）部分公开\t19\t20",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t2",
    ]
    assert doc.origins == [
        "paragraph 1", "paragraph 2",
        "table 1, row 1 (cells: 1-3, 4-6)",
        "table 1, row 2 (cells: 4, 5, 6)",
        "table 1, row 3 (cells: 1-3, 4, 5, 6)",
        "table 1, row 4 (cells: 1, 2-3, 4, 5, 6)",
        "table 1, row 5 (cells: 2-3, 4, 5-6)",
        "paragraph 3", "paragraph 4",
    ]


def test_nested_layout_table() -> None:
    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    outer.cell(0, 0).paragraphs[0].text = "外层说明文字"
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "行政许可"
    inner.cell(0, 1).text = "2629"
    doc = read_bytes(_save(d), "layout.docx")
    assert doc.text.split("\n") == ["外层说明文字", "行政许可\t2629"]
    assert doc.origins == ["paragraph 1", "table 1, row 1 (cells: 1, 2)"]


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


def test_entity_bomb_refused() -> None:
    data = _report()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb_dtd = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{lol}]>'
    decl_end = xml.index("?>") + 2
    bomb = xml[:decl_end] + bomb_dtd + xml[decl_end:].replace("三、收到", "&lol9;三、收到", 1)
    with pytest.raises(ReadError) as e:
        read_bytes(_replace_part(data, "word/document.xml", bomb.encode()), "bomb.docx")
    assert e.value.status == "unsafe"
    assert "word/document.xml" in str(e.value) and "entit" in str(e.value)


def test_external_entity_refused(tmp_path) -> None:
    data = _report()
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")
    decl_end = xml.index("?>") + 2
    evil = xml[:decl_end] + f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>' + xml[decl_end:]
    with pytest.raises(ReadError) as e:
        read_bytes(_replace_part(data, "word/styles.xml", evil.encode()), "xxe.docx")
    assert e.value.status == "unsafe"


def test_zip_bomb_refused_without_inflating() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as f:
            chunk = b" " * (1 << 20)
            for _ in range(201):
                f.write(chunk)
    data = buf.getvalue()
    assert len(data) < 2 * 2**20
    with pytest.raises(ReadError) as e:
        read_bytes(data, "bomb.docx")
    assert e.value.status == "too_large" and "zip bomb" in str(e.value)
    with pytest.raises(ReadError):
        check_zip(_report(), max_unzipped=1000)


def test_damaged_docx() -> None:
    data = _report()
    with pytest.raises(ReadError) as e:
        read_bytes(data[: len(data) // 2], "cut.docx")
    assert e.value.status == "malformed" and str(e.value)
    broken = _replace_part(data, "word/document.xml", b"<w:document><unclosed>")
    with pytest.raises(ReadError) as e:
        read_bytes(broken, "broken.docx")
    assert e.value.status == "malformed"


def test_old_doc_needs_libreoffice() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    if shutil.which("soffice") or shutil.which("libreoffice"):
        with pytest.raises(ReadError) as e:  # LibreOffice is there but this is no real .doc
            read_bytes(ole, "old.doc")
        assert e.value.status == "malformed"
        return
    with pytest.raises(ReadError) as e:
        read_bytes(ole, "old.doc")
    assert e.value.status == "unsupported_format"
    assert "LibreOffice" in str(e.value) and ".docx" in str(e.value)


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_synthetic_docx_round_trip(seed: int, template: str) -> None:
    """A generated Word report (real merged cells) extracts to its truth."""
    synth = pytest.importorskip("analysis.synth")
    extract = pytest.importorskip("analysis.extract")
    rep = synth.generate(seed, layout="docx", template=template)
    values = extract.extract_document(read_bytes(rep.data, "synthetic.docx")).values
    assert {k: values.get(k) for k in rep.values} == rep.values
