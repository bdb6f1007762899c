"""Blocks of values -> template rows, by fuzzy label matching in printed order.

A table region is cut into *blocks*: a run of value tokens and the label text printed before it.
Rows are matched to blocks by a monotone alignment (dynamic programming) that maximises label
similarity. Similarity weighs each character bigram of a row's label by how rare it is among the
table's labels, so the shared tail "政府信息公开申请数量" counts for little and "本年新收" for a
lot; typos, wraps and variant wording cost only the bigrams they touch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..template import Layout, Row
from .tokens import CJK, Token

MIN_SCORE = 0.34
ORDINAL_BONUS = 0.15
TAIL_SLACK = 2  # characters a label's tail may hold beyond the alias (a typo'd or inserted char)

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
_PAREN = re.compile(r"[（(][^)）]*[)）]")
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@dataclass
class Block:
    label_tokens: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "".join(t.raw for t in self.label_tokens if t.kind == "text")

    @property
    def ordinal(self) -> int | None:
        ords = [t for t in self.label_tokens if t.kind == "ord"]
        return int(ords[-1].raw) if ords else None


def blocks_of(tokens: list[Token]) -> list[Block]:
    """Cut tokens into blocks. A value run whose label has no Chinese text (a stray cell from a
    merged label column, a value list interrupted by punctuation) joins the previous block: the
    reading stage then sees the extra value and decides whether the rules allow dropping it."""
    blocks: list[Block] = []
    cur = Block()
    for t in tokens:
        if t.kind in ("num", "blank"):
            cur.values.append(t)
            continue
        if cur.values:
            blocks.append(cur)
            cur = Block()
        cur.label_tokens.append(t)
    if cur.values:
        blocks.append(cur)
    merged: list[Block] = []
    for b in blocks:
        if merged and not CJK.search(b.label):
            merged[-1].values.extend(b.values)
            merged[-1].label_tokens.extend(b.label_tokens)
        else:
            merged.append(b)
    return merged


def _clean(s: str) -> str:
    return "".join(_KEEP.findall(s))


def _bigrams(s: str) -> frozenset[str]:
    if len(s) < 2:
        return frozenset({s}) if s else frozenset()
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def row_aliases(row: Row) -> tuple[str, ...]:
    """The label as printed, its core without numbering or parenthetical notes, and variants."""
    base = _NUMBERING.sub("", row.zh)
    out = [_clean(base), _clean(_PAREN.sub("", base))]
    out.extend(_clean(a) for a in row.aliases)
    return tuple(dict.fromkeys(a for a in out if a))


@dataclass(frozen=True)
class _LabelIndex:
    """Per layout, computed once per process: for each label bigram, the (row, alias, weight)
    entries it contributes to, and each alias's total weight."""

    postings: dict[str, tuple[tuple[int, int, float, int], ...]]  # (row, alias, weight, reach)
    totals: tuple[tuple[float, ...], ...]
    reach: int  # the longest tail any alias reads: text before it cannot count
    ordinals: tuple[int | None, ...]


_INDEX: dict[tuple[str, str, str], _LabelIndex] = {}


def _index(layout: Layout) -> _LabelIndex:
    key = (layout.table, layout.template, layout.form)
    if key not in _INDEX:
        alias_grams = [[_bigrams(a) for a in row_aliases(r)] for r in layout.rows]
        df: dict[str, int] = {}
        for grams in alias_grams:
            for g in frozenset().union(*grams):
                df[g] = df.get(g, 0) + 1
        postings: dict[str, list[tuple[int, int, float]]] = {}
        totals = []
        for r, (grams, aliases) in enumerate(zip(alias_grams, (row_aliases(x) for x in layout.rows))):
            totals.append(tuple(sum(1.0 / df[g] for g in gs) for gs in grams))
            for a, gs in enumerate(grams):
                reach = len(aliases[a]) + TAIL_SLACK
                for g in gs:
                    postings.setdefault(g, []).append((r, a, 1.0 / df[g], reach))
        _INDEX[key] = _LabelIndex({g: tuple(p) for g, p in postings.items()}, tuple(totals),
                                  max((e[3] for p in postings.values() for e in p), default=0),
                                  tuple(r.ordinal for r in layout.rows))
    return _INDEX[key]


def _tail_distances(label: str) -> dict[str, int]:
    """Each bigram of a label with its distance from the label's end (its last occurrence)."""
    n = len(label)
    if n < 2:
        return {label: 1} if label else {}
    return {label[i:i + 2]: n - i for i in range(n - 1)}  # later occurrences overwrite earlier ones


_MEMO: dict[tuple[int, str, int | None], list[float]] = {}
_MEMO_LIMIT = 100_000


def similarities(index: _LabelIndex, label: str, got: int | None) -> list[float]:
    """Memoised: the same printed labels recur in every report of a template."""
    tail = label[-index.reach - 1:]
    key = (id(index), tail, got)
    sims = _MEMO.get(key)
    if sims is None:
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        sims = _MEMO[key] = _similarities(index, tail, got)
    return sims


def _similarities(index: _LabelIndex, label: str, got: int | None) -> list[float]:
    """Similarity of one block's label to every row: the weighted share of the row's best alias
    found in the label's tail, plus or minus a bonus when both print an ordinal.

    Only the tail counts (the alias's length plus a little slack): the values follow their own
    label, and a segment like "行政处罚无行政强制" (a blank "无" glued to its label) holds two row
    labels of which only the last one owns the values after it."""
    acc: dict[tuple[int, int], float] = {}
    for g, dist in _tail_distances(label).items():
        for r, a, w, reach in index.postings.get(g, ()):
            if dist <= reach:
                acc[(r, a)] = acc.get((r, a), 0.0) + w
    sims = [0.0] * len(index.totals)
    for (r, a), w in acc.items():
        share = w / index.totals[r][a]
        sims[r] = max(sims[r], share)
    if got is not None:
        for r, want in enumerate(index.ordinals):
            if want is not None and sims[r] > 0:
                sims[r] += ORDINAL_BONUS if want == got else -ORDINAL_BONUS
    return sims


def align(layout: Layout, blocks: list[Block]) -> tuple[dict[int, int], float]:
    """Best monotone matching rows -> blocks. Returns ({row index: block index}, total score)."""
    nr, nb = len(layout.rows), len(blocks)
    index = _index(layout)
    by_block = [similarities(index, _clean(b.label), b.ordinal) for b in blocks]
    sim = [[by_block[j][i] for j in range(nb)] for i in range(nr)]
    # dp[i][j]: best score using the first i rows and the first j blocks.
    dp = [[0.0] * (nb + 1) for _ in range(nr + 1)]
    move = [[0] * (nb + 1) for _ in range(nr + 1)]  # 0 skip row, 1 skip block, 2 match
    for i in range(1, nr + 1):
        for j in range(1, nb + 1):
            best, how = dp[i - 1][j], 0
            if dp[i][j - 1] > best:
                best, how = dp[i][j - 1], 1
            s = sim[i - 1][j - 1]
            if s >= MIN_SCORE and dp[i - 1][j - 1] + s > best:
                best, how = dp[i - 1][j - 1] + s, 2
            dp[i][j], move[i][j] = best, how
    match: dict[int, int] = {}
    i, j = nr, nb
    while i > 0 and j > 0:
        how = move[i][j]
        if how == 2:
            match[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif how == 1:
            j -= 1
        else:
            i -= 1
    return match, dp[nr][nb]
