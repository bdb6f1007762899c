"""Safe, unique, stable ASCII file names for region names.

``slugify("东阿县") == "dong-e-xian-<8 hex>"``: a readable transliteration (pinyin through ``pypinyin`` when
installed, accents stripped from Latin letters, anything else dropped), lower case, ``[a-z0-9-]`` only,
at most 48 characters, then the first 8 hex digits of the SHA-1 of the exact name (NFC, UTF-8). The hash
makes two names that transliterate alike (homophones, ``A/B`` vs ``A B``, case) distinct, and depends on
the name alone, so a region keeps its slug whatever other regions are rendered. A name that already is a
slug (``[a-z0-9]+(-[a-z0-9]+)*``, not reserved) is kept as it is.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["SlugCollision", "slugify", "unique_slugs"]

MAX_READABLE = 48
RESERVED = {"index", "figures", "con", "prn", "aux", "nul", "com1", "lpt1", "render-state"}
_PLAIN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class SlugCollision(ValueError):
    """Two different names gave the same slug (astronomically unlikely; reported, never overwritten)."""


def _ascii(chunk: str) -> str:
    norm = unicodedata.normalize("NFKD", chunk)
    return "".join(c for c in norm if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def _transliterate(name: str) -> list[str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover  (pypinyin is a dependency; this keeps the module importable)
        return [_ascii(name)]
    return [_ascii(tok) for tok in lazy_pinyin(name, errors="default")]


def slugify(name: str) -> str:
    name = unicodedata.normalize("NFC", str(name))
    if _PLAIN.match(name) and len(name) <= MAX_READABLE and name not in RESERVED:
        return name
    parts = []
    for tok in _transliterate(name):
        parts.extend(p for p in re.split(r"[^a-z0-9]+", tok.lower()) if p)
    readable = "-".join(parts)[:MAX_READABLE].strip("-") or "region"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


def unique_slugs(names) -> dict[str, str]:
    """``{name: slug}`` for distinct names; raises :class:`SlugCollision` rather than overwrite a report."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for name in names:
        if name in out:
            continue
        s = slugify(name)
        if s in seen and seen[s] != name:
            raise SlugCollision(f"{name!r} and {seen[s]!r} both slug to {s!r}")
        seen[s] = name
        out[name] = s
    return out
