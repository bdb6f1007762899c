"""The extractor's version: a hash of the code that turns a file into values.

Cached results are keyed by (content sha256, this version), so any change to the readers, the
extractor, the template or the rules invalidates them without anyone remembering to bump a number.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_PARTS = ("extract", "read", "template", "narrative", "validate.py", "textnorm.py")
MAJOR = "1"


@cache
def extractor_version() -> str:
    h = hashlib.sha256()
    for part in _PARTS:
        p = _PACKAGE / part
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".toml", ".yaml"):
                h.update(f.relative_to(_PACKAGE).as_posix().encode())
                h.update(f.read_bytes())
    return f"{MAJOR}+{h.hexdigest()[:12]}"
