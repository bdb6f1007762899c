"""Round trip: synthetic reports with known values through the extractor.

The contract checked here, for every value the report prints:
- a number the extractor returns is the printed number (exactly; decimals at the printed places),
  whatever its status: never a wrong number, least of all one marked ok / resolved_by_constraint /
  repaired;
- a number it cannot determine comes back as None with a status other than ok;
- a blank marker ("/", "—", "无") comes back as None; with status "blank" in layouts that keep cells
  apart and rows whole (only cell-level perturbations: typos, full-width digits, thousands
  separators); otherwise (fused text, broken rows) blank, missing or ambiguous;
- a clean report (cells kept apart, no perturbation) comes back exactly, every value;
- the metadata (region, year, scope, template) comes back.
Derived group totals of 表三, when the extractor returns a number, must be the sum of the sub-rows.
"""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.synth import FUSED_LAYOUTS, TEXT_LAYOUTS, Perturb, SynthReport, generate
from analysis.template import TEMPLATES

SEPARATED = tuple(x for x in TEXT_LAYOUTS if x not in FUSED_LAYOUTS)
CLAIMS = ("ok", "resolved_by_constraint", "repaired", "derived")

seeds = st.integers(min_value=0, max_value=2**31 - 1)
perturbs = st.builds(Perturb, **{f.name: st.booleans() for f in fields(Perturb)})


@pytest.fixture(scope="module")
def extract():
    # Imported here, not at module level, so a missing extractor fails these tests, not collection.
    from analysis.extract import extract_text

    return extract_text


def _context(rep: SynthReport, key: str, res) -> str:
    return (f"seed={rep.seed} layout={rep.layout} template={rep.template} form={rep.form} "
            f"perturb={rep.perturb.active()} key={key} truth={rep.values.get(key, rep.derived.get(key))!r} "
            f"got={res.values.get(key)!r} status={res.value_status.get(key)!r}\n"
            f"(reproduce: generate({rep.seed}, layout={rep.layout!r}, template={rep.template!r}, "
            f"perturb=Perturb({', '.join(f'{n}=True' for n in rep.perturb.active())})))")


def check_never_wrong(rep: SynthReport, res) -> None:
    for key, truth in rep.values.items():
        got = res.values.get(key)
        status = res.value_status.get(key)
        if got is None:
            assert status != "ok", _context(rep, key, res)
            if truth is None and rep.layout not in FUSED_LAYOUTS:
                # A printed blank is reported as blank, unless its whole row could not be placed
                # (then it is unknown like its neighbours); test_blanks_come_back_as_blank demands
                # "blank" exactly where nothing else disturbs the row.
                assert status in ("blank", "missing", "ambiguous"), _context(rep, key, res)
        else:
            assert truth is not None, "a blank cell came back as a number: " + _context(rep, key, res)
            assert rep.matches(key, got), "a wrong number: " + _context(rep, key, res)
    for key in rep.derived:
        got = res.values.get(key)
        if got is not None:
            assert rep.matches(key, got), "a wrong derived total: " + _context(rep, key, res)


def check_meta(rep: SynthReport, res) -> None:
    assert res.template == rep.template, f"template: {res.template} != {rep.template} (seed {rep.seed})"
    for field in ("region", "year", "scope"):
        assert res.meta.get(field) == rep.meta[field], (
            f"meta {field}: {res.meta.get(field)!r} != {rep.meta[field]!r} "
            f"(seed={rep.seed} layout={rep.layout})")


@settings(max_examples=60, deadline=None)
@given(seed=seeds, layout=st.sampled_from(TEXT_LAYOUTS), template=st.sampled_from(TEMPLATES),
       perturb=perturbs)
def test_never_a_wrong_number(extract, seed: int, layout: str, template: str, perturb: Perturb) -> None:
    rep = generate(seed, layout=layout, template=template, perturb=perturb)
    res = extract(rep.text, path="synthetic.txt")
    check_never_wrong(rep, res)


@settings(max_examples=60, deadline=None)
@given(seed=seeds, layout=st.sampled_from(SEPARATED), template=st.sampled_from(TEMPLATES))
def test_clean_layouts_come_back_exactly(extract, seed: int, layout: str, template: str) -> None:
    rep = generate(seed, layout=layout, template=template, perturb=Perturb.none())
    res = extract(rep.text, path="synthetic.txt")
    for key in rep.values:
        got = res.values.get(key)
        assert got is not None and rep.matches(key, got), _context(rep, key, res)
        assert res.value_status.get(key) in CLAIMS, _context(rep, key, res)
    check_never_wrong(rep, res)
    check_meta(rep, res)


# Damage that leaves every row whole: a blank marker must then be read as a blank, not merely as
# "unknown" (with rows broken, stray numbers or moved cells, check_never_wrong accepts unknown).
cell_level = st.builds(Perturb, blanks=st.just(True), typos=st.booleans(), fullwidth=st.booleans(),
                       thousands=st.booleans())


@settings(max_examples=60, deadline=None)
@given(seed=seeds, layout=st.sampled_from(SEPARATED), template=st.sampled_from(TEMPLATES), perturb=cell_level)
def test_blanks_come_back_as_blank(extract, seed: int, layout: str, template: str, perturb: Perturb) -> None:
    rep = generate(seed, layout=layout, template=template, perturb=perturb)
    assert rep.blank_keys
    res = extract(rep.text, path="synthetic.txt")
    for key in rep.blank_keys:
        assert res.values.get(key) is None and res.value_status.get(key) == "blank", _context(rep, key, res)
    check_never_wrong(rep, res)


@settings(max_examples=60, deadline=None)
@given(seed=seeds, layout=st.sampled_from(TEXT_LAYOUTS), template=st.sampled_from(TEMPLATES))
def test_metadata_round_trip(extract, seed: int, layout: str, template: str) -> None:
    rep = generate(seed, layout=layout, template=template)
    res = extract(rep.text, path="synthetic.txt")
    check_meta(rep, res)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", ["html", "docx", "pdf"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_every_format_equals_the_text_route(extract, seed: int, layout: str, template: str) -> None:
    """The same report as a saved web page, a Word file and a PDF gives the values its text gives."""
    from analysis.extract import extract_document
    from analysis.read import read_bytes

    text_rep = generate(seed, layout="tab_grid", template=template, perturb=Perturb.none())
    doc_rep = generate(seed, layout=layout, template=template, perturb=Perturb.none())
    assert doc_rep.values == text_rep.values  # one report, two renderings
    text_values = extract(text_rep.text, path="synthetic.txt").values
    data = doc_rep.data if doc_rep.data is not None else doc_rep.text.encode("utf-8")
    doc_values = extract_document(read_bytes(data, f"synthetic.{layout}")).values
    keys = [k for k in text_rep.values if text_rep.values[k] is not None]
    assert {k: doc_values.get(k) for k in keys} == {k: text_values.get(k) for k in keys}
    assert all(text_rep.matches(k, text_values[k]) for k in keys)
