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


_SHORT = 2000  # below this, str.translate is as fast as the array route


def fold(text: str) -> str:
    """Same length as ``text``; returns ``text`` itself when nothing needs folding.

    Long texts go through a UTF-32 array: str.translate looks every character up in a dict, which
    costs more than the rest of reading a report's tables."""
    if not _NEEDS.search(text):
        return text
    if len(text) < _SHORT:
        return text.translate(_TRANS)
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").copy()
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= 0xFEE0
    codes[(codes == 0x3000) | (codes == 0x00A0)] = 0x20
    codes[codes == 0x2212] = ord("-")
    return codes.tobytes().decode("utf-32-le")


# Page furniture of PDF viewers and page-flip sites: "第10页", "第1页/共3页", "Page 3 of 9", and a
# page number between dashes on its own line ("- 10 -"). One definition for the table reader (which
# blanks them out, digits and all) and the prose reader (which drops such lines).
PAGE_NUMBER = r"第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?|[Pp]age\s*\d+(?:\s*of\s*\d+)?"
PAGE_DASHED = r"[-—–][ \t]*\d+[ \t]*[-—–]"
