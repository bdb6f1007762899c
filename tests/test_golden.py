"""Real reports against values a person read from them (tests/golden/, never extractor output).

Seeds: tests/golden/seeds/*.expected.json, written by reading the five seed reports.
Corpus: tests/golden/corpus/*.expected.json, shipped with the corpus (hand-verified).
"""

from __future__ import annotations

import tomllib

import pytest
from conftest import GOLDEN, golden_files, load_expected

OUTSIDE_TEXT = tomllib.loads((GOLDEN / "corpus_outside_text.toml").read_text(encoding="utf-8"))

SCOPE_WORDS = {"整体": "government", "部门": "department", "办公室": "office"}


def _ids(paths):
    return [p.name.replace(".expected.json", "") for p in paths]


FILES = golden_files()


@pytest.mark.parametrize("golden", FILES, ids=_ids(FILES))
def test_every_cell_matches_what_a_person_read(golden, extracted):
    exp = load_expected(golden)
    res = extracted(exp["file"])
    stem = golden.name.replace(".expected.json", "")
    outside = set(OUTSIDE_TEXT.get(stem, {}).get("keys", []))
    wrong = []
    for key, want in exp["values"].items():
        got, status = res.values.get(key, "absent"), res.value_status.get(key)
        rec = res.records.get(key)
        if key in outside:
            if not (got is None and status == "ambiguous" and want in rec.candidates):
                wrong.append((key, want, got, status, "expected ambiguous with the truth among candidates"))
            continue
        if want is None:
            if got is not None or status == "ok":
                wrong.append((key, want, got, status, "the text does not determine this cell"))
        elif got != want:
            wrong.append((key, want, got, status, rec.note if rec else ""))
    assert not wrong, f"{len(wrong)} cells differ from the hand-read values:\n" + "\n".join(map(str, wrong))


@pytest.mark.parametrize("golden", FILES, ids=_ids(FILES))
def test_metadata_matches_what_a_person_read(golden, extracted):
    exp = load_expected(golden)
    res = extracted(exp["file"])
    meta = res.meta
    assert meta["year"] == exp["year"]
    assert res.template == str(exp["template"])[:4]
    scope = exp.get("scope") or next(v for k, v in SCOPE_WORDS.items() if k in exp["agency_scope"])
    assert meta["scope"] == scope
    if scope == "department" and "agency" not in exp:
        # The corpus names a department report's "region" by the department itself.
        assert meta["agency"] == exp["region"]
        assert meta["region"] == exp["parent"]
    else:
        assert meta["region"] == exp["region"]
        if meta["parent"] is not None or "agency" in exp:  # parent only "where stated"
            assert meta["parent"] == exp["parent"]
    if "agency" in exp:
        assert meta["agency"] == exp["agency"]
    if "publication_date" in exp:
        assert meta["publication_date"] == exp["publication_date"]


@pytest.mark.parametrize("golden", FILES, ids=_ids(FILES))
def test_every_value_traces_to_its_line(golden, extracted):
    """The provenance of each value points at the printed characters, on the line it names."""
    from analysis.read import read_path

    exp = load_expected(golden)
    res = extracted(exp["file"])
    doc = read_path(GOLDEN.parents[1] / "data" / "raw" / exp["file"])
    for key, rec in res.records.items():
        if rec.raw is None:
            assert rec.status in ("ambiguous", "missing", "derived"), key
            continue
        start, end = rec.span
        assert doc.text[start:end] == rec.raw, key
        assert doc.line_of(start) == rec.line
        assert rec.raw.replace(" ", "") in doc.line_text(rec.line).replace(" ", ""), key
