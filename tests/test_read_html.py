"""Read stage, HTML: the real saved page, chrome, merged cells, no network, robustness, fuzz."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.read import LIMITS, Document, ReadError, read_bytes, read_path

ROOT = Path(__file__).resolve().parents[1]

# 表三 value rows of the 2021 template, top to bottom.
T3_ROWS = [
    "new_received", "carried_over", "granted", "partially_granted",
    "denied_state_secret", "denied_law_prohibited", "denied_three_safety_one_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_inquiry",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "not_processed_petition", "not_processed_repeat", "not_processed_publication", "not_processed_massive",
    "not_processed_confirm", "other_no_correction", "other_no_fee", "other_other",
    "total_processed", "carried_forward",
]
T4_GROUPS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]


def corpus(name: str) -> Path:
    for d in (ROOT / "data" / "raw", ROOT / "tests" / "golden" / "corpus", ROOT.parent / "shared" / "corpus"):
        if (d / name).exists():
            return d / name
    pytest.skip(f"{name} not available")


def expected(stem: str) -> dict:
    return json.loads(corpus(f"{stem}.expected.json").read_text(encoding="utf-8"))


def numeric_tail(line: str) -> list[int]:
    """The run of integer cells at the end of a tab-separated row."""
    out: list[int] = []
    for cell in reversed(line.split("\t")):
        if not cell.strip().isdigit():
            break
        out.insert(0, int(cell))
    return out


def t3_value_rows(doc: Document) -> list[tuple[str, list[int]]]:
    """(line, seven numbers) for each 表三 row, in order."""
    rows = []
    for i in range(1, doc.n_lines + 1):
        line = doc.line_text(i)
        nums = numeric_tail(line)
        if len(nums) == 7 and len(line.split("\t")) > 7:
            rows.append((line, nums))
    return rows


@pytest.fixture(scope="module")
def page() -> Document:
    return read_path(corpus("pt2023_pingtan_html.html"))


def test_real_page_basics(page: Document) -> None:
    assert page.format == "html" and page.encoding == "utf-8"
    assert page.origins is not None and len(page.origins) == page.n_lines
    assert page.line_text(1) == "平潭综合实验区2023年度政府信息公开工作年度报告"


def test_real_page_t3_rows_match_expected(page: Document) -> None:
    values = expected("pt2023_pingtan_html")["values"]
    rows = t3_value_rows(page)
    assert len(rows) == len(T3_ROWS)
    new_received = next(line for line, _ in rows if "本年新收" in line)
    assert new_received.split("\t")[-7:] == ["80", "1", "0", "0", "0", "0", "81"]
    for key, (line, nums) in zip(T3_ROWS, rows, strict=True):
        assert nums[0] == values[f"t3.{key}.natural_person"], line
        assert nums[-1] == values[f"t3.{key}.total"], line
    granted = next(i for i in range(1, page.n_lines + 1) if "（一）予以公开" in page.line_text(i))
    assert page.line_text(granted) == "三、本年度办理结果\t（一）予以公开\t22\t0\t0\t0\t0\t0\t22"
    assert page.origin_of(granted) == "table 2, row 6 (cells: 1, 2-3, 4, 5, 6, 7, 8, 9, 10)"
    # a row under the rowspan=22 label starts at its own grid column, without repeating the label
    partial = next(i for i in range(1, page.n_lines + 1) if "（二）部分公开" in page.line_text(i))
    assert page.line_text(partial).startswith("（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t19\t")
    assert page.origin_of(partial).startswith("table 2, row 7 (cells: 2-3, 4,")


def test_real_page_t4_and_t2(page: Document) -> None:
    values = expected("pt2023_pingtan_html")["values"]
    t4 = [numeric_tail(page.line_text(i)) for i in range(1, page.n_lines + 1)]
    t4_row = next(nums for nums in t4 if len(nums) == 15)
    assert t4_row == [values[f"t4.{g}.{c}"] for g in T4_GROUPS for c in T4_COLS]
    lines = page.text.split("\n")
    assert "行政规范性文件\t77\t132\t470" in lines
    assert "行政事业性收费\t5949.088667" in lines
    assert "行政许可\t2629" in lines  # a colspan=3 value cell is written once


def test_real_page_chrome_dropped(page: Document) -> None:
    for chrome in ("分享到", "微信", "QQ空间", "扫一扫", "关闭", "文字版", "文件下载", "相关链接", "附件下载"):
        assert chrome not in page.text, chrome


SMALL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某县2023年政府信息公开工作年度报告</title>
<style>.x{color:red} STYLETEXT</style><script>var SCRIPTTEXT = "脚本文字";</script></head><body>
<div id="header"><div class="top-nav"><ul><li><a href="/">首页</a></li><li>导航菜单政务公开</li></ul></div></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>
<div class="wrap"><div class="left-menu"><ul><li>栏目一</li><li>栏目二</li></ul></div>
<div class="content"><h1>某县2023年政府信息公开工作年度报告</h1>
<p>本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自2023年1月1日起至2023年12月31日止，全年主动公开政府信息一千余条。</p>
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
<table border="1"><tbody>
<tr><td colspan="3" rowspan="2">（本列数据的勾稽关系）</td><td colspan="3">申请人情况</td></tr>
<tr><td>自然人</td><td>法人</td><td>总计</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>80</td><td>1</td><td>81</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td rowspan="2"><p>（三）</p><p>不予公开</p></td>
    <td><p>1.属于</p><p>国家秘密</p></td><td><p><span>1</span><span>2</span></p></td><td>0</td><td>12</td></tr>
<tr><td>2.其他<br/>法律</td><td>3</td><td colspan="2">3</td></tr>
</tbody></table>
<p>以上为申请办理情况。</p>
<div class="share"><a>分享到微信</a><a>分享到微博</a></div>
</div></div>
<div class="footer"><p>版权所有：某县人民政府 网站标识码1234</p></div>
<noscript>请启用脚本NOSCRIPT</noscript><iframe src="http://example.invalid/frame">IFRAMETEXT</iframe>
</body></html>"""


def test_spans_written_once_with_grid_positions() -> None:
    doc = read_bytes(SMALL.encode(), "small.html")
    lines = doc.text.split("\n")
    assert lines == [
        "某县2023年政府信息公开工作年度报告",
        ("本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自2023年1月1日起至2023年12月31日止，"
         "全年主动公开政府信息一千余条。"),
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系）\t申请人情况",
        "自然人\t法人\t总计",
        "一、本年新收政府信息公开申请数量\t80\t1\t81",
        "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t12\t0\t12",
        "2.其他法律\t3\t3",  # <br> between two hanzi joins with nothing
        "以上为申请办理情况。",
    ]
    assert doc.origins == [
        "paragraph 1", "paragraph 2", "paragraph 3",
        "table 1, row 1 (cells: 1-3, 4-6)",
        "table 1, row 2 (cells: 4, 5, 6)",
        "table 1, row 3 (cells: 1-3, 4, 5, 6)",
        "table 1, row 4 (cells: 1, 2, 3, 4, 5, 6)",
        "table 1, row 5 (cells: 3, 4, 5-6)",
        "paragraph 4",
    ]
    assert doc.line_text(8).count("3") == 2  # the colspan=2 cell is not written twice


def test_chrome_and_active_content_dropped() -> None:
    text = read_bytes(SMALL.encode(), "small.html").text
    for junk in ("SCRIPTTEXT", "脚本文字", "STYLETEXT", "color:red", "导航菜单", "当前位置", "栏目一", "分享到",
                 "版权所有", "NOSCRIPT", "IFRAMETEXT", "首页"):
        assert junk not in text, junk


def test_title_line_added_when_article_lacks_it() -> None:
    page = ("<html><head><title>某区2022年度报告</title></head><body><div class='nav'>首页</div>"
            "<div><p>正文第一段，政府信息公开申请共计12件。</p></div></body></html>")
    doc = read_bytes(page.encode(), "a.html")
    assert doc.text.split("\n") == ["某区2022年度报告", "正文第一段，政府信息公开申请共计12件。"]
    assert doc.origins == ["title", "paragraph 1"]


def test_layout_table_holds_data_table() -> None:
    page = (
        "<html><body><table width='1000'><tr><td class='menu'>栏目导航</td><td>"
        "<p>正文：本年度共收到政府信息公开申请总计十件，全部按时办结，没有发生行政复议。</p>"
        "<table><tr><td>一、本年新收</td><td>10</td></tr><tr><td>二、上年结转</td><td>0</td></tr></table>"
        "</td></tr></table></body></html>"
    )
    doc = read_bytes(page.encode(), "layout.html")
    assert "一、本年新收\t10" in doc.text.split("\n")
    assert "栏目导航" not in doc.text
    assert any(o.startswith("table 1, row 1") for o in doc.origins or [])


@pytest.mark.parametrize("encoding,meta", [("gb18030", "gb2312"), ("gbk", "GBK"), ("utf-8", "utf-8"),
                                           ("gb18030", None), ("utf-16", None)])
def test_html_encodings(encoding: str, meta: str | None) -> None:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    page = f"<html><head>{head}</head><body><p>行政复议结果维持，总计81件。</p></body></html>"
    doc = read_bytes(page.encode(encoding), "a.html")
    assert doc.text == "行政复议结果维持，总计81件。"
    assert doc.encoding in ({"gbk": "gb18030"}.get(encoding, encoding), "utf-16")


def test_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
        '<html><head><link rel="stylesheet" href="http://example.invalid/a.css">'
        '<script src="http://example.invalid/a.js"></script></head><body>'
        '<img src="http://example.invalid/logo.png" alt="LOGO"><iframe src="http://example.invalid/x"></iframe>'
        '<object data="http://example.invalid/o.swf">OBJ</object>'
        "<p>本年度收到申请共计5件。</p></body></html>"
    )
    doc = read_bytes(page.encode(), "offline.html")
    assert doc.text == "本年度收到申请共计5件。"


def test_external_entities_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    page = (f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<html><body><p>申请数量&xxe;合计</p></body></html>")
    doc = read_bytes(page.encode(), "xxe.html")
    assert "SECRET-CONTENT" not in doc.text
    assert "申请数量" in doc.text


def test_deep_nesting_and_huge_spans_do_not_crash() -> None:
    deep = "<html><body>" + "<div>" * 100_000 + "深层文字" + "</div>" * 100_000 + "<p>正文内容10件</p></body></html>"
    try:
        doc = read_bytes(deep.encode(), "deep.html")
    except ReadError as e:
        assert e.status in ("malformed", "empty")
    else:
        assert "正文内容10件" in doc.text or "深层文字" in doc.text
    rows = "".join(f"<tr><td rowspan='1000000' colspan='1000000'>{i}</td><td>值{i}</td></tr>" for i in range(300))
    t0 = time.perf_counter()
    doc = read_bytes(f"<html><body><table>{rows}</table></body></html>".encode(), "spans.html")
    assert time.perf_counter() - t0 < 10
    assert doc.n_lines == 300


@pytest.mark.parametrize("junk", ["<", "<<<>>>", "</p></div></table>", "<table><tr><td", "&#0;&#xD800;\x00",
                                  "<html><body></body></html>", "<p>\u2028\u2029\x85</p>", "<td>孤立单元格"])
def test_malformed_html(junk: str) -> None:
    try:
        doc = read_bytes(("<html>" + junk).encode(), "bad.html")
    except ReadError as e:
        assert e.status in ("empty", "malformed") and str(e)
    else:
        assert len(doc.origins or []) == doc.n_lines
        assert len(doc.text.splitlines()) == doc.n_lines


def _big_page(target: int) -> bytes:
    para = "<p>平潭综合实验区政府信息公开工作年度报告第{}段，主动公开政府信息13561条。</p>\n"
    table = ("<table>" + ("<tr><td rowspan=2>三、本年度办理结果</td><td colspan=2><p><span>（一）予以公开</span></p></td>"
                          + "<td>0</td>" * 7 + "</tr><tr>" + "<td>1</td>" * 9 + "</tr>\n") * 20 + "</table>\n")
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div class='nav'>首页</div><div>"]
    size, i = 200, 0
    while size < target:
        s = para.format(i) if i % 3 else table
        parts.append(s)
        size += len(s.encode())
        i += 1
    parts.append("</div></body></html>")
    return "".join(parts).encode()


def test_large_pages_scale_linearly() -> None:
    small, large = _big_page(300_000), _big_page(1_200_000)
    t0 = time.perf_counter()
    read_bytes(small, "s.html")
    t1 = time.perf_counter()
    read_bytes(large, "l.html")
    t2 = time.perf_counter()
    assert (t2 - t1) < 12 * max(t1 - t0, 0.05)  # 4x the input: linear would be ~4x


def test_page_at_the_size_limit() -> None:
    limit = LIMITS["html"]
    body = ("<p>" + "政府信息公开工作年度报告正文" * 400 + "</p>\n").encode()
    head = b"<html><body><div>"
    n = (limit - len(head) - 100) // len(body)
    data = head + body * n + b"</div></body></html>"
    assert len(data) <= limit
    t0 = time.perf_counter()
    doc = read_bytes(data, "limit.html")
    assert time.perf_counter() - t0 < 60
    assert doc.n_lines == n
    with pytest.raises(ReadError) as e:
        read_bytes(data + b" " * (limit - len(data) + 1), "over.html")
    assert e.value.status == "too_large"


_TAGS = ["div", "p", "span", "table", "tr", "td", "th", "br", "script", "style", "nav", "b", "iframe", "li"]
_FRAGMENT = st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.tuples(st.sampled_from(["td", "th"]), st.sampled_from(["rowspan", "colspan"]),
              st.sampled_from(["0", "1", "2", "999999", "-3", "x", ""])).map(lambda a: f"<{a[0]} {a[1]}='{a[2]}'>"),
    st.sampled_from(["总计", "81", "（一）予以公开", "&nbsp;", "&#0;", "&amp;", "\t", "\n", "\x00", "<!--", "-->",
                     "<?xml?>", "<!DOCTYPE html>", "\u2028", "\ufeff", "<meta charset='gbk'>"]),
    st.text(max_size=10),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENT, max_size=60), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_fuzz_htmlish_only_read_error(fragments: list[str], encoding: str) -> None:
    page = "<html>" + "".join(fragments)
    data = page.encode(encoding, errors="ignore")
    try:
        doc = read_bytes(data, "fuzz.html")
    except ReadError as e:
        assert str(e) and e.status
    else:
        assert len(doc.origins or []) == doc.n_lines
        assert len(doc.text.splitlines()) == doc.n_lines


def test_extracts_expected_values(page: Document) -> None:
    extract = pytest.importorskip("analysis.extract")
    res = extract.extract_document(page)
    want = expected("pt2023_pingtan_html")["values"]
    wrong = {k: (res.values.get(k), v) for k, v in want.items() if res.values.get(k) != v}
    assert not wrong


def test_html_equals_crawler_text(page: Document) -> None:
    extract = pytest.importorskip("analysis.extract")
    html_values = extract.extract_document(page).values
    txt_values = extract.extract_document(read_path(corpus("pt2023_pingtan.txt"))).values
    both = [k for k in html_values if html_values[k] is not None and txt_values.get(k) is not None]
    assert len(both) >= 60
    assert {k: html_values[k] for k in both} == {k: txt_values[k] for k in both}


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_synthetic_page_round_trip(seed: int, template: str) -> None:
    """A generated government page (chrome, layout divs, merged cells) extracts to its truth."""
    synth = pytest.importorskip("analysis.synth")
    extract = pytest.importorskip("analysis.extract")
    rep = synth.generate(seed, layout="html", template=template)
    data = rep.data if rep.data is not None else rep.text.encode("utf-8")
    values = extract.extract_document(read_bytes(data, "synthetic.html")).values
    assert {k: values.get(k) for k in rep.values} == rep.values
