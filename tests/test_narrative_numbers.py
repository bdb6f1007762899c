"""Numbers as the prose prints them, and the previous-year interval a stated growth implies.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import pytest

from analysis.narrative.numbers import growth_fits, implied_previous, parse_cn_int, parse_number, share_fits
from analysis.narrative.stream import build_stream, fold


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("百", 100),
        ("一百零五", 105),
        ("三百二十", 320),
        ("两千零一十", 2010),
        ("一万二千", 12000),
        ("二〇二三", 2023),
        ("零", 0),
    ],
)
def test_chinese_integers(text, value):
    assert parse_cn_int(text) == value


@pytest.mark.parametrize(
    ("text", "value", "decimals", "chinese"),
    [
        ("81", 81, 0, False),
        ("39.7", 39.7, 1, False),
        ("51.85", 51.85, 2, False),
        ("1,300", 1300, 0, False),
        ("三十九点七", 39.7, 1, True),
        ("二十四", 24, 0, True),
    ],
)
def test_parse_number(text, value, decimals, chinese):
    n = parse_number(text)
    assert (n.value, n.decimals, n.chinese) == (value, decimals, chinese)


def test_full_width_digits_fold_one_for_one():
    raw = "收到申请８１件，同比增长３９．７％"
    folded = fold(raw)
    assert folded == "收到申请81件,同比增长39.7%"
    assert len(folded) == len(raw)


def test_implied_previous_81_plus_39_7_percent():
    # 39.7% printed with 1 decimal: true growth in [39.65, 39.75];
    # 81/1.3975 = 57.9606…, 81/1.3965 = 58.0021… -> [57.96, 58.01] rounded outward; only 58 fits.
    imp = implied_previous(81, 39.7, 1)
    assert imp.rounded() == [57.96, 58.01]
    assert imp.integer == 58 and imp.n_integers == 1


def test_implied_previous_80_plus_24_percent_fits_no_integer():
    # 24% printed without decimals: growth in [23.5, 24.5]; 80/1.245 = 64.257…, 80/1.235 = 64.777….
    # 64 would be +25.0%, 65 would be +23.08%: no whole number fits.
    imp = implied_previous(80, 24, 0)
    assert imp.rounded() == [64.25, 64.78]
    assert imp.n_integers == 0 and imp.integer is None
    assert not growth_fits(64, 80, 24, 0) and not growth_fits(65, 80, 24, 0)


def test_implied_previous_decrease():
    # 90 after a fall of 10%: growth in [-10.5, -9.5] -> prev in [90/0.905, 90/0.895] = [99.45, 100.56].
    imp = implied_previous(90, -10, 0)
    assert imp.integer == 100
    assert imp.rounded() == [99.44, 100.56]


def test_implied_previous_boundary_is_exact():
    # 75 -> 60 is exactly -20.0%; with 0 decimals the interval [-20.5, -19.5] must include 75 exactly.
    assert growth_fits(75, 60, -20, 0)
    imp = implied_previous(60, -20, 0)
    assert 75 in imp.integers


def test_fall_of_about_100_percent_is_unbounded_above():
    # "下降100%" for 1 request: growth in [-100.5, -99.5]; -99.5% means prev = 1/0.005 = 200, and any
    # larger previous count also rounds to -100%.
    imp = implied_previous(1, -100, 0)
    assert imp.rounded() == [200.0, None] and imp.n_integers is None and imp.integer is None
    # a fall of more than 100% cannot happen
    assert implied_previous(1, -101, 0) is None


def test_share_fits():
    assert share_fits(13, 18, 72, 0)  # 72.22%
    assert not share_fits(5, 18, 27, 0)  # 27.78% rounds to 28
    assert share_fits(42, 81, 51.85, 2)  # 51.851…%


def test_stream_joins_wrapped_lines_and_drops_page_furniture():
    text = "(二)依申请公开。2023 年,本机关共收到政府信息公开\n\n第5页\n\n- 5 -\n\n申请 18 件,比去年增加 5 件。\n（三）政府信息管理"
    st = build_stream(text)
    assert "共收到政府信息公开申请 18 件" in st.s
    assert "第5页" not in st.s
    # every stream character maps back to the same character of the source (after folding)
    for i, ch in enumerate(st.s):
        if i not in st.hard:
            assert fold(text[st.origin[i]]) == ch
    # a heading starts a new sentence
    assert "\n(三)" in st.s
