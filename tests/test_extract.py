"""Behaviour of the extractor on the hard cases named in the extraction issue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis.extract import extract_text
from analysis.extract.metadata import detect_template, scope_of
from analysis.extract.readings import row_readings
from analysis.extract.tokens import normalise, tokenize
from analysis.template import load

T4_GROUPS = ("review", "suit_direct", "suit_after_review")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")


def t4(res, group):
    return [res.values[f"t4.{group}.{c}"] for c in T4_COLS]


# -- seed 000: 表四 prints 16 numbers for 15 cells ------------------------------------------------
def test_sixteen_numbers_keep_what_every_reading_agrees_on(extracted):
    res = extracted("000_12653dde3b93f4f1.txt")
    assert t4(res, "review") == [1, 0, 1, 0, 2]
    assert t4(res, "suit_direct") == [0, 0, 0, 0, 0]
    after = t4(res, "suit_after_review")
    assert after[0] == 0 and after[1] == 0 and after[4] == 1
    for col in ("other", "pending"):
        key = f"t4.suit_after_review.{col}"
        assert res.values[key] is None
        assert res.value_status[key] == "ambiguous"
        assert sorted(res.records[key].candidates) == [0, 1]
    assert res.value_status["t4.review.upheld"] == "repaired"
    assert res.status == "flagged"


# -- seed 001: the source's own arithmetic error is kept and flagged ------------------------------
def test_source_error_is_kept_as_printed_and_fails_its_check(extracted):
    res = extracted("001_b59b93e2e8dda449.txt")
    assert t4(res, "review") == [4, 1, 1, 1, 6]
    failing = [c for c in res.checks if c["ok"] is False]
    assert [(c["rule"], c["where"], c["lhs"], c["rhs"], c["diff"]) for c in failing] == [
        ("t4.group_sum", "review", 7, 6, 1)
    ]
    assert res.status == "flagged"


def test_stray_cell_from_merged_column_is_dropped_only_because_the_rules_allow_it(extracted):
    res = extracted("001_b59b93e2e8dda449.txt")
    for col in ("natural_person", "total"):
        assert res.values[f"t3.denied_process_info.{col}"] == 0
    assert res.value_status["t3.denied_process_info.total"] == "repaired"
    assert res.values["t3.denied_enforcement_file.total"] == 0


def test_inconsistent_fused_table_resolves_rows_and_fails_columns(extracted):
    res = extracted("pt2020_pingtan.txt")
    assert res.values["t3.total_processed.total"] == 21
    assert res.value_status["t3.total_processed.total"] == "resolved_by_constraint"
    failing = {(c["rule"], c["where"]): c["diff"] for c in res.checks if c["ok"] is False}
    assert failing == {("t3.outcomes_sum", "natural_person"): 6, ("t3.outcomes_sum", "total"): 6}


def test_truncated_duplicate_table_is_not_read(extracted):
    res = extracted("003_460eccb9c86bd1f4.txt")
    assert res.tables["t3"]["lines"][0] > 100  # the real table, not the one-line preview on line 9
    assert res.values["t3.other_other.total"] == 7


def test_group_totals_are_derived(extracted):
    res = extracted("000_12653dde3b93f4f1.txt")
    assert res.values["t3.unable_total.total"] == 8
    assert res.value_status["t3.unable_total.total"] == "derived"
    assert res.values["t3.denied_total.natural_person"] == 1


def test_2021_report_printing_other_as_one_row():
    text = _seed000().replace(
        "→(六) 其他处理→1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请→0→0→0→0→0→0→0→\n"
        "→→2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请→0→0→0→0→0→0→0→\n"
        "→→3.其他→0→0→0→0→0→0→0→\n", "→(六) 其他处理→→0→0→0→0→0→0→0→\n").replace("→", "\t")
    res = extract_text(text)
    assert res.tables["t3"]["form"] == "single"
    assert res.values["t3.other_total.total"] == 0
    assert res.value_status["t3.other_total.total"] == "ok"
    assert res.values["t3.other_other.total"] == 0
    assert res.value_status["t3.other_other.total"] == "derived"
    assert res.values["t3.total_processed.total"] == 75


# -- tokens ----------------------------------------------------------------------------------------
def _seed000() -> str:
    from conftest import RAW

    return (RAW / "000_12653dde3b93f4f1.txt").read_text(encoding="utf-8").replace("\t", "→")


def _nums(s: str) -> list[str]:
    return [t.raw for t in tokenize(normalise(s)) if t.kind == "num"]


def test_fullwidth_digits_and_thousands_separators():
    assert _nums("行政许可\t１２３４\t62,544.3758") == ["1234", "62,544.3758"]
    assert len(normalise("１２３")) == 3


def test_glued_ordinal_belongs_to_the_next_label():
    toks = tokenize(normalise("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"))
    kinds = [(t.kind, t.raw) for t in toks]
    assert ("ord", "2") in kinds
    assert ("num", "0000000") in kinds and ("num", "00000002") not in kinds


def test_prose_numbers_and_page_markers_are_not_values():
    assert _nums("（其他情况包括 7 条“经检索,信息不存在”情况。）") == []
    assert _nums("0 0 0\n第10页\n- 10 -\n0 0") == ["0", "0", "0", "0", "0"]
    assert _nums("2023 年") == []


def test_blank_markers_are_kept_apart_from_zero():
    toks = tokenize(normalise("行政许可\t/\t—\t无\t0"))
    assert [t.kind for t in toks] == ["text", "blank", "blank", "blank", "num"]


# -- readings --------------------------------------------------------------------------------------
def _cells(table: str, row: str, template: str = "2021"):
    layout = load().layout(table, template, "split")
    r = next(r for r in layout.rows if r.key == row)
    rules = [rule for rule in layout.rules if set(rule.keys) <= {c.key for c in r.cells}]
    return r.cells, rules


def test_fused_row_resolved_by_its_row_sum():
    cells, rules = _cells("t3", "new_received")
    rr = row_readings(tokenize(normalise("230 000023")), cells, rules)
    assert [[p.value for p in r] for r in rr.readings] == [[23, 0, 0, 0, 0, 0, 23]]
    assert rr.constrained


def test_fused_row_without_rule_stays_ambiguous():
    cells, rules = _cells("t2", "normative_documents")
    rr = row_readings(tokenize(normalise("6233440")), cells, rules)
    assert len(rr.readings) > 1
    assert (62, 33, 440) in {tuple(p.value for p in r) for r in rr.readings}


def test_signed_change_only_in_the_change_column():
    cells, rules = _cells("t2", "licensing", "2019")
    rr = row_readings(tokenize(normalise("20+1737")), cells, rules)
    readings = {tuple(p.value for p in r) for r in rr.readings}
    assert readings == {(20, 1, 737), (20, 17, 37), (20, 173, 7)}


def test_decimal_only_in_decimal_cells():
    cells, rules = _cells("t2", "fees")
    rr = row_readings(tokenize(normalise("5949.088667")), cells, rules)
    assert [p.value for p in rr.readings[0]] == [Decimal("5949.088667")]


# -- metadata ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("agency,scope", [
    ("东阿县人民政府", "government"),
    ("东昌府区人民政府办公室", "office"),
    ("平潭综合实验区市场监督管理局", "department"),
    ("某某县某某镇人民政府", "township"),
    ("某某市某某区某某街道办事处", "township"),
    ("鄄城县", "government"),
])
def test_scope(agency, scope):
    assert scope_of(agency) == scope


def test_template_from_header_words_before_year():
    assert detect_template("信息内容本年新制作数量本年新公开数量对外公开总数量", 2023)[0] == "2019"
    assert detect_template("信息内容本年制发件数本年废止件数现行有效件数", 2020)[0] == "2021"
    assert detect_template("无表格", 2020)[0] == "2019"


def test_news_article_is_not_a_report():
    res = extract_text("东阿县召开会议\n2023年10月27日，县政府召开常务会议，研究部署重点工作12项。\n")
    assert res.status == "not_a_report"
    assert all(v is None for v in res.values.values())
