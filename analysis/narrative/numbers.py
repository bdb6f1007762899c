"""Numbers as the prose prints them: Arabic (full-width already folded), Chinese numerals, percents.

Reports write the same count as ``81``, ``８１`` or ``八十一``; a growth rate as ``39.7%``,
``３９．７％`` or ``百分之三十九点七``. Everything here works on the *normalised* stream (see
``stream.py``), where full-width digits and punctuation have already been folded to ASCII one
character for one character, so regex offsets stay valid offsets into the source text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "零〇○一二两三四五六七八九十百千万"

# Arabic: "1,300" (thousands commas only in groups of three, so "41,28" is not one number),
# "39.7", "81". The look-behind keeps us from starting inside a longer digit run.
ARABIC = r"(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
# Chinese: "二十三", "一百零五", "十二点五". 万 only as a trailing multiplier inside the run.
CHINESE = rf"[{_CN_CHARS}]+(?:点[零〇○一二三四五六七八九]+)?"
NUM = rf"(?:{ARABIC}|{CHINESE})"
# Approximation markers printed right after a count: "1300余条", "200多件".
APPROX = r"(?:余|多)?"
# A percent: "39.7%", "39.7 %", "百分之三十九点七".
PERCENT = rf"(?:(?P<pnum>{ARABIC}|{CHINESE})\s*%|百分之(?P<pcn>{ARABIC}|{CHINESE}))"


def parse_cn_int(s: str) -> int:
    """Chinese integer numeral -> int. ``二十三`` 23, ``十`` 10, ``一百零五`` 105, ``二〇二三`` 2023."""
    if not s:
        raise ValueError("empty numeral")
    if not any(ch in _CN_UNITS or ch == "万" for ch in s):
        # Digit-by-digit ("二〇二三", "五") — how years and single digits are written.
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            # A bare unit ("十二", "百") means one of it.
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


@dataclass(frozen=True, slots=True)
class Number:
    """A parsed number with the precision it was printed with."""

    value: int | float
    decimals: int  # digits after the decimal point as printed (precision of a percent)
    chinese: bool  # printed in Chinese numerals


def parse_number(s: str) -> Number:
    """Parse one number token (Arabic, with commas/decimals, or Chinese with 点)."""
    s = s.strip()
    if re.fullmatch(ARABIC.replace("(?<![0-9.])", ""), s):
        plain = s.replace(",", "")
        if "." in plain:
            return Number(float(plain), len(plain.split(".")[1]), False)
        return Number(int(plain), 0, False)
    if "点" in s:
        whole, frac = s.split("点", 1)
        digits = "".join(str(_CN_DIGITS[ch]) for ch in frac)
        value = float(f"{parse_cn_int(whole) if whole else 0}.{digits}")
        return Number(value, len(digits), True)
    return Number(parse_cn_int(s), 0, True)


def percent_number(m: re.Match) -> Number:
    """The number of a match of :data:`PERCENT` (either named group)."""
    return parse_number(m.group("pnum") or m.group("pcn"))


def as_plain(value: float) -> int | float:
    """24.0 -> 24 so that JSON shows what the report printed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True, slots=True)
class Implied:
    """Previous-year count implied by a current count and a stated growth rate."""

    low: float  # exact bounds of the interval (not rounded)
    high: float  # math.inf when the stated fall reaches 100% (any larger previous count fits)
    integers: tuple[int, ...]  # whole numbers in the interval (at most five are listed)
    n_integers: int | None  # None: unbounded

    @property
    def integer(self) -> int | None:
        return self.integers[0] if self.n_integers == 1 else None

    def rounded(self) -> list[float | None]:
        """Bounds rounded *outward* to 2 decimals, so the printed interval still contains the truth."""
        high = None if math.isinf(self.high) else math.ceil(self.high * 100) / 100
        return [math.floor(self.low * 100) / 100, high]


def implied_previous(current: int, pct: float, decimals: int) -> Implied | None:
    """Previous-year counts consistent with ``current`` and a signed growth of ``pct`` percent.

    A percent printed with ``d`` decimals stands for any true growth in ``[p − h, p + h]`` with
    ``h = 0.5·10^-d`` (the report rounded). prev = current / (1 + g/100) is decreasing in g, so the
    interval's ends come from the opposite ends of the growth range. Exact fractions decide which
    integers fit, so a boundary case such as 64 for +25.0% is not lost to float error.
    """
    half = Fraction(5, 10 ** (decimals + 1))
    p = Fraction(str(pct))
    g_lo, g_hi = p - half, p + half
    if g_hi <= -100:  # even the mildest reading is a fall of 100% or more: nothing to infer
        return None
    lo = Fraction(current) / (1 + g_hi / 100)
    first = max(math.ceil(lo), 1)
    if g_lo <= -100:
        # "下降100%" rounded: the previous count can be anything from lo upwards.
        return Implied(float(lo), math.inf, tuple(range(first, first + 5)), None)
    hi = Fraction(current) / (1 + g_lo / 100)
    last = math.floor(hi)
    n = max(0, last - first + 1)
    ints = tuple(range(first, min(last, first + 4) + 1))
    return Implied(float(lo), float(hi), ints, n)


def growth_fits(prev: int, current: int, pct: float, decimals: int) -> bool:
    """Does an actual change prev -> current round to the stated percent?"""
    if prev <= 0:
        return False
    half = Fraction(5, 10 ** (decimals + 1))
    g = (Fraction(current) - prev) / prev * 100
    p = Fraction(str(pct))
    return p - half <= g <= p + half


def share_fits(count: int, base: int, pct: float, decimals: int) -> bool:
    """Does count/base round to the stated share?"""
    if base <= 0:
        return False
    half = Fraction(5, 10 ** (decimals + 1))
    s = Fraction(count) / base * 100
    p = Fraction(str(pct))
    return p - half <= s <= p + half
