"""The synthetic report generator's own invariants (no extractor involved).

The truth a synthetic report carries must be exactly what it prints: values obey every rule of the
template, every printed cell appears in the text in reading order, blanks are recorded as None, and
the same seed gives the same report.
"""

from __future__ import annotations

import random
import re
import time

import pytest

from analysis.synth import (
    BLANK_MARKERS,
    FUSED_LAYOUTS,
    SCALES,
    TEXT_LAYOUTS,
    Perturb,
    build_report,
    generate,
    random_values,
)
from analysis.synth.perturb import halfwidth
from analysis.template import TEMPLATES, load

SPEC = load()
FORMS = [("2019", "single"), ("2021", "split"), ("2021", "single")]
SEEDS = range(40)


def _layout_keys(template: str, form: str) -> list[str]:
    return [c.key for t in ("t2", "t3", "t4") for c in SPEC.layout(t, template, form).cells]


def _rules(template: str, form: str):
    return [r for t in ("t2", "t3", "t4") for r in SPEC.layout(t, template, form).rules]


# -- values ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("template", "form"), FORMS)
@pytest.mark.parametrize("scale", SCALES)
def test_random_values_obey_every_rule(template: str, form: str, scale: str) -> None:
    rules = _rules(template, form)
    assert rules, "the template declares rules for this layout"
    keys = _layout_keys(template, form)
    for seed in range(60):
        v = random_values(random.Random(seed), template, form, scale)
        assert sorted(v) == sorted(keys), "one value per printed cell, nothing else"
        for rule in rules:
            lhs, rhs = sum(v[k] for k in rule.lhs), sum(v[k] for k in rule.rhs)
            assert lhs == rhs, f"seed {seed}: {rule.id} ({rule.where}) {lhs} != {rhs}"


def test_random_values_look_like_real_reports() -> None:
    ints, zeros, decimals, negatives, big = 0, 0, 0, 0, 0
    all_zero_t3 = 0
    for seed in range(400):
        template = TEMPLATES[seed % 2]
        form = "single" if template == "2019" else "split"
        v = random_values(random.Random(seed), template, form, SCALES[seed % len(SCALES)])
        for k, x in v.items():
            assert isinstance(x, int | float)
            if isinstance(x, float):
                decimals += 1
                assert float(repr(x)) == x and len(repr(x).partition(".")[2]) <= 6
                continue
            assert x >= 0 or SPEC_SIGNED.get(k), f"only 本年增/减 may be negative: {k}={x}"
            ints += 1
            zeros += x == 0
            negatives += x < 0
            big += x >= 100_000
        all_zero_t3 += all(x == 0 for k, x in v.items() if k.startswith("t3."))
    assert 0.5 < zeros / ints < 0.95, "most cells are zero, not all"
    assert decimals and negatives and big, "fees with decimals, signed changes and six-digit counts occur"
    assert 10 < all_zero_t3 < 200, "some reports (departments, townships) are all zero"


SPEC_SIGNED = {c.key: c.signed for t in ("t2",) for tmpl in TEMPLATES for c in SPEC.layout(t, tmpl).cells}


def test_unknown_scale_is_an_error() -> None:
    with pytest.raises(ValueError):
        random_values(random.Random(0), "2021", "split", "galaxy")


# -- reports -----------------------------------------------------------------------------------------
def _norm(s: str) -> str:
    """Compare labels across layouts: no whitespace, half-width punctuation."""
    return re.sub(r"\s+", "", halfwidth(s))


def _found(label: str, text: str) -> bool:
    """Contiguous, or (a row broken across a page inside its cells) as a head and a tail in order."""
    if label in text:
        return True
    for cut in range(1, len(label)):
        i = text.find(label[:cut])
        if i >= 0 and text.find(label[cut:], i + cut) > i:
            return True
    return False


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_text_contains_every_printed_row_label(layout: str, template: str) -> None:
    for seed in SEEDS:
        perturb = Perturb(wrapped_labels=True, typos=True)
        rep = generate(seed, layout=layout, template=template, perturb=perturb)
        text = _norm(rep.text)
        for table in ("t2", "t3"):
            for label in rep.report.row_labels(table):
                assert _found(_norm(label), text), f"seed {seed} {layout}: row label {label!r} not printed"


_MARKER_LINE = re.compile(r"^(?:第\d+页|- \d+ -)$", re.MULTILINE)
_VALUE_TOKEN = re.compile(r"^(?:[+-]?[\d０-９][\d０-９,]*(?:\.\d+)?|[/—无])$")


def _regions(text: str) -> dict[str, str]:
    """The text of each table, from its first header word to the next table's."""
    def find(word: str, start: int) -> int:  # header words may come with spaces inside ("行 政 复 议")
        m = re.compile(r"\s*".join(word)).search(text, start)
        assert m, f"{word} not found"
        return m.start()

    a = find("第二十条", 0)
    b = find("勾稽关系", a)
    c = find("行政复议", b)
    d = find("存在的主要问题", c)
    return {"t2": text[a:b], "t3": text[b:c], "t4": text[c:d]}


def _printed_in_order(rep, table: str) -> list[str]:
    t = rep.report.tables[table]
    return [rep.report.printed[k] for refs in t.value_refs for k in refs]


def _is_subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(x == y for y in it) for x in needle)


@pytest.mark.parametrize("layout", [x for x in TEXT_LAYOUTS if x not in FUSED_LAYOUTS])
@pytest.mark.parametrize("template", TEMPLATES)
def test_separated_layouts_print_exactly_the_truth_in_reading_order(layout: str, template: str) -> None:
    """Every value token of a table, in reading order, is the printed cell: nothing lost or added
    (stray numbers excepted, which are only ever lone tokens between rows)."""
    for seed in SEEDS:
        perturb = Perturb.random(random.Random(seed))
        rep = generate(seed, layout=layout, template=template, perturb=perturb)
        text = _MARKER_LINE.sub("", rep.text)
        for table, region in _regions(text).items():
            tokens = [x for x in region.split() if _VALUE_TOKEN.match(x)]
            want = _printed_in_order(rep, table)
            if perturb.stray_cells and table == "t3":
                assert _is_subsequence(want, tokens), f"seed {seed} {layout} {table}"
                assert len(tokens) - len(want) <= 2
            else:
                assert tokens == want, f"seed {seed} {layout} {table}: {tokens} != {want}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_fused_layout_glues_each_rows_values_after_its_label(template: str) -> None:
    for seed in SEEDS:
        rep = generate(seed, layout="fused_crawler", template=template)
        body = _norm(rep.text.split("=== 正文 ====================", 1)[1])
        assert "\n" not in rep.text.split("=== 正文 ====================\n", 1)[1].rstrip("\n")
        pos = body.index("第二十条")
        for table in ("t2", "t3"):
            t = rep.report.tables[table]
            for r, refs in enumerate(t.value_refs):
                if not refs:
                    continue
                label = rep.report.text_of(t.label_cells[r][-1])
                glued = _norm(label) + "".join(rep.report.printed[k] for k in refs)
                at = body.find(glued, pos)
                assert at >= 0, f"seed {seed}: {glued!r} not in the fused body"
                pos = at


def test_values_are_the_printed_cells_and_blanks_are_none() -> None:
    for seed in range(200):
        rep = generate(seed, perturb=Perturb(blanks=True))
        assert sorted(rep.values) == sorted(_layout_keys(rep.template, rep.form))
        assert rep.blank_keys == {k for k, v in rep.values.items() if v is None}
        assert rep.blank_keys, "blanks=True prints at least one blank marker"
        for k in rep.blank_keys:
            assert rep.report.printed[k] in BLANK_MARKERS
        for k, v in rep.values.items():
            if v is not None:
                assert rep.report.printed[k] not in BLANK_MARKERS


def test_blanks_keep_every_rule_when_read_as_zero() -> None:
    for seed in range(100):
        rep = generate(seed, perturb=Perturb(blanks=True))
        v = {k: x or 0 for k, x in rep.values.items()}
        for rule in _rules(rep.template, rep.form):
            assert sum(v[k] for k in rule.lhs) == sum(v[k] for k in rule.rhs)


def test_clean_reports_have_no_blanks_and_no_variants() -> None:
    for seed in range(100):
        rep = generate(seed, perturb=Perturb.none())
        assert not rep.blank_keys and not rep.report.labels
        for k, v in rep.values.items():
            want = str(v) if k not in rep.decimals else rep.report.printed[k]
            assert rep.report.printed[k].lstrip("+") == want
            if k in rep.decimals:
                assert float(rep.report.printed[k]) == v


def test_same_seed_same_report_different_seed_different_report() -> None:
    for layout in TEXT_LAYOUTS:
        a, b = generate(5, layout=layout), generate(5, layout=layout)
        assert a.text == b.text and a.values == b.values and a.meta == b.meta
        assert generate(6, layout=layout).text != a.text
    assert generate(9).text == generate(9).text


def test_metadata() -> None:
    seen_scopes = set()
    for seed in range(200):
        rep = generate(seed)
        m = rep.meta
        assert set(m) == {"region", "parent", "agency", "scope", "year", "publication_date", "template"}
        assert m["template"] == rep.template
        assert m["region"][-1] in "县区市" and m["parent"].endswith("市")
        assert m["region"] in m["agency"]
        assert (2019 <= m["year"] <= 2020) == (rep.template == "2019")
        assert str(m["year"]) in rep.text
        if rep.report.meta.publication_date:  # signed at the end
            assert m["publication_date"] == rep.report.meta.publication_date
            y, mo, d = (int(x) for x in m["publication_date"].split("-"))
            assert y == m["year"] + 1
            if rep.layout != "page_flip":
                assert f"{y}年{mo}月{d}日" in rep.text
        elif m["publication_date"]:  # only the page header dates it
            assert rep.layout in ("fused_crawler", "page_flip")
            assert m["publication_date"] == rep.report.meta.posted
            y, mo, d = (int(x) for x in m["publication_date"].split("-"))
            assert f"{y}-{mo:02d}-{d:02d}" in rep.text or f"{y}-{mo}-{d}" in rep.text
        seen_scopes.add(m["scope"])
    assert seen_scopes == {"government", "office", "department", "township"}


def test_generate_arguments() -> None:
    rep = generate(1, layout="spaced", template="2021", form="single", scope="township")
    assert (rep.layout, rep.template, rep.form, rep.meta["scope"]) == ("spaced", "2021", "single", "township")
    assert "t3.other_total.total" in rep.values and "t3.other_other.total" not in rep.values
    assert generate(1, template="2019", form="split").form == "single", "2019 has one (六) row"
    with pytest.raises(ValueError):
        generate(1, layout="papyrus")


def test_perturbations_show_up() -> None:
    seen = {"page_marker": 0, "fullwidth": 0, "thousands": 0, "stray": 0, "typo": 0, "repeat": 0}
    for seed in range(120):
        rep = generate(seed, perturb=Perturb.all())
        t = rep.text
        seen["page_marker"] += bool(_MARKER_LINE.search(t)) and rep.layout in ("page_flip", "spaced")
        seen["fullwidth"] += bool(re.search("[０-９]", t))
        seen["thousands"] += bool(re.search(r"\d,\d{3}", t))
        seen["typo"] += bool(rep.report.labels)
        seen["repeat"] += rep.layout == "fused_crawler" and t.count("三、本年度办理结果") > 1
        seen["stray"] += bool(re.search(r"^\t?\d\t?$|^\d\t", t, re.MULTILINE))
    assert all(seen.values()), seen


def test_derived_group_totals() -> None:
    rep = generate(3, template="2021", form="split", perturb=Perturb.none())
    d = rep.derived
    assert "t3.denied_total.total" in d and "t3.other_total.total" in d
    assert d["t3.denied_total.total"] == sum(
        v for k, v in rep.values.items() if k.startswith("t3.denied_") and k.endswith(".total"))
    assert rep.matches("t3.denied_total.total", d["t3.denied_total.total"])
    single = generate(3, template="2019")
    assert "t3.other_total.total" not in single.derived


def test_matches_compares_decimals_at_printed_places() -> None:
    for seed in range(50):
        rep = generate(seed, perturb=Perturb.none())
        for k, places in rep.decimals.items():
            v = rep.values[k]
            assert rep.matches(k, v)
            assert rep.matches(k, float(f"{v:.{places}f}"))
            assert not rep.matches(k, v + 1)
        assert not rep.matches("t3.granted.total", None) or rep.values["t3.granted.total"] is None


def test_build_report_directly() -> None:
    report = build_report(random.Random(0), "2021", perturb=Perturb.none(), form="split", scope="department")
    assert report.meta.scope == "department" and report.form == "split"
    kinds = [k for k, _ in report.blocks]
    assert kinds.count("table") == 3 and kinds[0] == "title"
    headings = [t for k, t in report.blocks if k == "heading"]
    assert headings[:4] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况"]


def test_generation_is_fast() -> None:
    n = 300
    start = time.perf_counter()
    for seed in range(n):
        generate(seed)
    per = (time.perf_counter() - start) / n
    assert per < 0.01, f"{per * 1e3:.2f} ms per report"  # ~1 ms on a slow machine; 10x headroom for CI


# -- HTML, DOCX, PDF ---------------------------------------------------------------------------------
def test_html_page() -> None:
    from analysis.synth import render_html

    rep = generate(4, perturb=Perturb.none())
    page = render_html(rep.report, random.Random(4))
    needles = ("<script", "<iframe", "当前位置", 'rowspan="', 'colspan="', "<td", "<p", "<span", "分享到微信")
    for needle in needles:
        assert needle in page
    assert page.count("<table") == 3
    for k in rep.values:
        assert f">{rep.report.printed[k]}<" in page


def test_docx_has_merged_cells() -> None:
    docx = pytest.importorskip("docx")
    import io

    from analysis.synth import render_docx

    rep = generate(4, perturb=Perturb.none())
    data = render_docx(rep.report)
    doc = docx.Document(io.BytesIO(data))
    assert len(doc.tables) == 3
    t3 = doc.tables[1]
    xml = t3._tbl.xml
    assert "w:vMerge" in xml and "w:gridSpan" in xml
    text = "\n".join(c.text for row in t3.rows for c in row.cells)
    for label in rep.report.row_labels("t3"):
        assert label in text


def test_pdf_has_a_text_layer() -> None:
    pytest.importorskip("reportlab")
    pdfplumber = pytest.importorskip("pdfplumber")
    import io

    from analysis.synth import render_pdf

    rep = generate(4, template="2021", perturb=Perturb.none())
    data = render_pdf(rep.report)
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    flat = re.sub(r"\s+", "", text)
    assert "收到和处理政府信息公开申请情况" in flat
    for label in ("行政许可", "予以公开", "结转下年度继续办理"):
        assert label in flat


def test_generate_document_layouts() -> None:
    page = generate(8, layout="html", perturb=Perturb(blanks=True))
    assert page.text.startswith("<!DOCTYPE html>") and page.data is None and page.blank_keys
    pytest.importorskip("docx")
    pytest.importorskip("reportlab")
    for layout, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        rep = generate(8, layout=layout)
        assert rep.text == "" and rep.data.startswith(magic)
        assert rep.values == generate(8, layout=layout).values
