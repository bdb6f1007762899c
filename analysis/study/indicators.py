"""Indicator and figure metadata from ``analysis/indicators.toml``.

Why one file: a rate's definition, its denominator's name and its Chinese and English labels must be
the same in the notebook text, the figure caption, the table header and the registry; reading them
from one place is the only way they stay the same.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "indicators.toml"
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Indicator:
    id: str
    title_zh: str
    title_en: str
    unit: str
    definition_zh: str
    definition_en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    denominator_zh: str = ""
    denominator_en: str = ""
    alternatives: tuple[str, ...] = ()
    note_zh: str = ""
    note_en: str = ""

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def definition(self, lang: str = "zh") -> str:
        return self.definition_zh if lang == "zh" else self.definition_en

    def denominator_name(self, lang: str = "zh") -> str:
        return self.denominator_zh if lang == "zh" else self.denominator_en

    def note(self, lang: str = "zh") -> str:
        return self.note_zh if lang == "zh" else self.note_en


@dataclass(frozen=True)
class FigureSpec:
    """A numbered figure (F) or table (T) of a report: the number is part of its stable id."""

    number: str
    kind: str
    section: str
    title_zh: str
    title_en: str
    caption_zh: str
    caption_en: str
    extra: dict = field(default_factory=dict)

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def caption(self, lang: str = "zh") -> str:
        return self.caption_zh if lang == "zh" else self.caption_en


@cache
def _raw(path: str = str(PATH)) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator by id; raises on a malformed entry (a missing label must not print as blank)."""
    out = {}
    for iid, d in _raw()["indicators"].items():
        try:
            out[iid] = Indicator(
                id=iid, title_zh=d["title_zh"], title_en=d["title_en"], unit=d["unit"],
                definition_zh=d["definition_zh"], definition_en=d["definition_en"],
                numerator=tuple(d["numerator"]), denominator=tuple(d.get("denominator", ())),
                denominator_zh=d.get("denominator_zh", ""), denominator_en=d.get("denominator_en", ""),
                alternatives=tuple(d.get("alternatives", ())), note_zh=d.get("note_zh", ""),
                note_en=d.get("note_en", ""),
            )
        except KeyError as e:
            raise KeyError(f"indicators.toml: indicator {iid!r} lacks {e}") from None
    for ind in out.values():
        for alt in ind.alternatives:
            if alt not in out:
                raise KeyError(f"indicators.toml: {ind.id} names unknown alternative {alt!r}")
    return out


def get(iid: str) -> Indicator:
    try:
        return indicators()[iid]
    except KeyError:
        raise KeyError(f"unknown indicator {iid!r}; known: {', '.join(sorted(indicators()))}") from None


@cache
def figure_specs() -> dict[str, FigureSpec]:
    out = {}
    for num, d in _raw()["figures"].items():
        known = {"kind", "section", "title_zh", "title_en", "caption_zh", "caption_en"}
        out[num] = FigureSpec(number=num, kind=d["kind"], section=d["section"], title_zh=d["title_zh"],
                              title_en=d["title_en"], caption_zh=d["caption_zh"], caption_en=d["caption_en"],
                              extra={k: v for k, v in d.items() if k not in known})
    return out


def figure_spec(number: str) -> FigureSpec:
    try:
        return figure_specs()[number]
    except KeyError:
        raise KeyError(f"unknown figure number {number!r} (add it to indicators.toml [figures])") from None


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang
