"""Perturbations seen in real reports, and the switches that turn them on.

Every perturbation here was seen in a real report (the comments name one). Label variants are keyed by
the label's id in the model (``t3.row.<key>``, ``t2.col.<key>``, ``sec.t3`` ...), never by its text: the
canonical labels live only in the template, and these lists hold only the deliberate misprints.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from functools import lru_cache

# Printed in a cell that has no value: "no value", never zero (the truth records None).
BLANK_MARKERS = ("/", "—", "无")

LABEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "t2.col.repealed": ("本年度止件数",),  # seed 002
    "t2.row.normative_documents": ("规范性文件", "行政规范性文件"),  # seed 003 (2021), pt2019 market dept
    "t3.row.denied_law_prohibited": ("2.其他法律行政止公开", "2.其他法律法规禁止公开"),  # hz2023, seed 000
    "t3.hdr.outcomes": ("0三、本年度办理结果",),  # seed 004: a stray 0 glued to the group label
    "t3.col.total": ("总 计",),  # seed 000
    "sec.t2": ("二、行政机关主动公开政府信息情况",),  # seed 002
    "sec.t3": ("三、行政机关收到和处理政府信息公开申请情况",),  # seed 002
    "sec.t4": (
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",  # seed 002
        "四、政府信息公开行政法复议、行政诉讼情况",  # pt2022
    ),
}


def digit_adjacent(variant: str, canonical: str) -> bool:
    """A variant that adds a leading digit: in fused text it would glue onto the previous row's values."""
    return variant[:1].isdigit() and not canonical[:1].isdigit()


_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_HALFWIDTH_PUNCT = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})


@lru_cache(maxsize=4096)
def fullwidth(s: str) -> str:
    return s.translate(_FULLWIDTH_DIGITS)


@lru_cache(maxsize=4096)  # labels repeat across reports; prose paragraphs are few per report
def halfwidth(s: str, space: bool = False) -> str:
    """Full-width punctuation as a PDF text layer often gives it: "(一) 予以公开" / "(一)予以公开"."""
    s = s.translate(_HALFWIDTH_PUNCT)
    if space:
        s = s.replace(")", ") ").replace(",", ", ").replace(")  ", ") ").strip()
    return s


@dataclass(frozen=True)
class Perturb:
    """Which kinds of damage a synthetic report may carry. Each is applied by the rng at a few places.

    typos           label misprints and variant wordings from LABEL_VARIANTS
    stray_cells     a lone small number left by a merged label column, between two rows
    page_breaks     page markers ("第10页", "- 10 -") inside tables; the 表三 group label repeated
    wrapped_labels  labels and header words broken over lines
    fullwidth       a few values printed in full-width digits ("１２")
    thousands       thousands separators ("62,544.3758")
    blanks          "/", "—" or "无" printed in cells whose value is zero: the truth becomes None
    misaligned      empty cells moved around the label in tab-separated rows
    """

    typos: bool = False
    stray_cells: bool = False
    page_breaks: bool = False
    wrapped_labels: bool = False
    fullwidth: bool = False
    thousands: bool = False
    blanks: bool = False
    misaligned: bool = False

    @classmethod
    def none(cls) -> Perturb:
        return cls()

    @classmethod
    def all(cls) -> Perturb:
        return cls(**{f.name: True for f in fields(cls)})

    @classmethod
    def random(cls, rng: random.Random, p: float = 0.5) -> Perturb:
        return cls(**{f.name: rng.random() < p for f in fields(cls)})

    @property
    def clean(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def active(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]
