"""Character folding shared by every stage that reads report text.

Full-width ASCII (U+FF01..U+FF5E) maps 1:1 onto ASCII, ideographic and no-break spaces become
spaces, the minus sign becomes "-". One character in, one character out, so an offset in folded
text is the same offset in the decoded document: provenance spans never drift.
"""

from __future__ import annotations

import re

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2212: ord("-")})
_TRANS = str.maketrans(_FOLD)
_NEEDS = re.compile("[\uff01-\uff5e\u3000\u2212\u00a0]")


def fold(text: str) -> str:
    """Same length as ``text``; returns ``text`` itself when nothing needs folding."""
    return text.translate(_TRANS) if _NEEDS.search(text) else text
