"""A batch of bad inputs, generated here: the batch completes, every file gets a status and a
human-readable reason, and nothing raises (issue 4)."""

from __future__ import annotations

import io
import zipfile

from conftest import RAW

from analysis.cli import main
from analysis.dataset import load_dataset

GOOD = (RAW / "000_12653dde3b93f4f1.txt").read_bytes()
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>
<w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


def _docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", BOMB)
    return buf.getvalue()


def _corpus(d):
    text = GOOD.decode("utf-8")
    files = {
        "empty.txt": b"",
        "garbage.bin": bytes((i * 7919) % 256 for i in range(50_000)),
        "news.txt": "东阿县召开常务会议\n2023年10月27日，县政府召开常务会议，研究部署重点工作12项。\n".encode(),
        "truncated.txt": text[: text.index("(五) 不予处理")].encode(),
        "nested.html": b"<html><body>" + b"<div>" * 100_000 + "政府信息公开".encode() + b"</div>" * 3,
        "malformed.html": "<html><table><tr><td rowspan=999999 colspan=999999>一、本年新收<td>1<tr><td>".encode(),
        "huge.html": b"<html><body>" + b"<p>" + b"x" * (50 * 1024 * 1024) + b"</p></body></html>",
        "bomb.docx": _docx_bomb(),
        "fake.pdf": b"%PDF-1.4\n%broken",
        "copy_a.txt": GOOD,
        "copy_b.txt": GOOD,
        "gb18030.txt": GOOD.decode("utf-8").encode("gb18030"),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    return files


def test_bad_inputs_never_stop_the_batch(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    files = _corpus(src)
    out = tmp_path / "out"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    rep = load_dataset(out)["reports"].set_index("file")
    assert set(rep.index) == set(files)
    for name, row in rep.iterrows():
        assert row["status"], name
        if row["status"] != "ok":
            assert isinstance(row["reason"], str) and len(row["reason"]) > 10, (name, row["reason"])
    assert rep.loc["empty.txt", "status"] == "empty"
    assert rep.loc["garbage.bin", "status"] == "unreadable"
    assert rep.loc["news.txt", "status"] == "not_a_report"
    assert rep.loc["huge.html", "status"] == "too_large"
    assert rep.loc["bomb.docx", "status"] == "unsafe"
    assert rep.loc["fake.pdf", "status"] in ("malformed", "unreadable")
    assert rep.loc["nested.html", "status"] in ("not_a_report", "malformed", "empty")
    assert rep.loc["malformed.html", "status"] in ("not_a_report", "flagged", "malformed")
    # A truncated report keeps what it has and says what is missing.
    trunc = rep.loc["truncated.txt"]
    assert trunc["status"] == "flagged" and "t4" in trunc["reason"]
    values = load_dataset(out)["values"]
    tv = values[values.file == "truncated.txt"].set_index("key")
    assert tv.loc["t3.new_received.total", "value"] == 81
    assert tv.loc["t4.review.total", "status"] == "missing"
    # Identical copies: one used, the other points at it. Same report in another encoding: kept,
    # one marked for use.
    assert rep.loc["copy_b.txt", "duplicate_of"] == rep.loc["copy_a.txt", "report_id"]
    used = rep[rep.agency == "东阿县人民政府"]["dataset_use"]
    assert used.sum() == 1
