"""Raw-data snapshot layer: pinned copies of the reports, each with a metadata sidecar.

Every report in ``data/raw/`` is kept byte-for-byte as obtained and never edited. Next to each file ``X`` sits
``X.meta.json`` recording where it came from (title, publisher, source, URL, region, year, licence, access date)
and its ``sha256`` and ``size``. Reading through :func:`verify` checks the bytes against the sidecar, so a raw
file that was edited, truncated or re-encoded is caught before any number is extracted from it: every value
downstream traces to exactly these bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.csv"
_CHUNK = 1 << 20


class ChecksumError(ValueError):
    """A raw file's bytes do not match the sha256 recorded in its sidecar."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{path}: sha256 mismatch: sidecar {sidecar_path(path).name} expects {expected}, "
            f"file has {actual}. Raw files must not be edited; restore the original or re-snapshot it."
        )


@dataclass(frozen=True)
class RawFile:
    """A raw report whose bytes have been hashed (and checked, when it has a sidecar)."""

    path: Path
    sha256: str
    size: int
    meta: dict[str, Any] = field(default_factory=dict)


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """Return the sidecar path for ``path`` (``X`` -> ``X.meta.json``)."""
    p = Path(path)
    return p.with_name(p.name + SIDECAR_SUFFIX)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of the file's bytes, read in chunks so a large PDF never has to fit in memory twice."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def load_sidecar(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load the sidecar of the raw file ``path`` (or the sidecar itself, if given its ``.meta.json`` path).

    Raises ``FileNotFoundError`` when there is none, so callers decide whether that is acceptable.
    """
    p = Path(path)
    side = p if p.name.endswith(SIDECAR_SUFFIX) else sidecar_path(p)
    with open(side, encoding="utf-8") as fh:
        meta = json.load(fh)
    if not isinstance(meta, dict):
        # A malformed data file, not a programming error: ValueError, like every other bad-sidecar case here.
        raise ValueError(f"{side}: sidecar must be a JSON object, got {type(meta).__name__}")  # noqa: TRY004
    return meta


def verify(path: str | os.PathLike[str]) -> RawFile:
    """Hash ``path`` and check it against its sidecar.

    A file without a sidecar (e.g. one a user passes on the command line) is not an error: it is hashed and
    returned with ``meta={}``, so its values can still be traced to exact bytes. A sidecar whose ``sha256`` or
    ``size`` disagrees with the file raises :class:`ChecksumError`.
    """
    p = Path(path)
    actual = sha256_file(p)
    size = p.stat().st_size
    try:
        meta = load_sidecar(p)
    except FileNotFoundError:
        return RawFile(path=p, sha256=actual, size=size, meta={})
    expected = meta.get("sha256")
    if expected is None:
        raise ValueError(f"{sidecar_path(p)}: sidecar has no 'sha256' field")
    if str(expected).lower() != actual:
        raise ChecksumError(p, str(expected), actual)
    recorded_size = meta.get("size")
    if recorded_size is not None and int(recorded_size) != size:
        # Same hash but another size cannot happen for honest files; treat it as a corrupt sidecar.
        raise ChecksumError(p, f"{expected} ({recorded_size} bytes)", f"{actual} ({size} bytes)")
    return RawFile(path=p, sha256=actual, size=size, meta=meta)


def _is_report(p: Path) -> bool:
    return (
        p.is_file()
        and not p.name.startswith(".")
        and not p.name.endswith(SIDECAR_SUFFIX)
        and p.name != MANIFEST_NAME
    )


def iter_raw(data_dir: str | os.PathLike[str] = "data/raw") -> Iterator[Path]:
    """Yield the report files in ``data_dir`` sorted by name (sidecars, the manifest and dotfiles skipped).

    Sorted so that every run, on every machine, processes the files in the same order.
    """
    yield from sorted((p for p in Path(data_dir).iterdir() if _is_report(p)), key=lambda p: p.name)


def write_sidecar(path: str | os.PathLike[str], **meta: Any) -> Path:
    """Write ``path``'s sidecar with ``meta`` plus the computed ``file``, ``sha256`` and ``size``.

    The hash and size are always computed here, never taken from the caller, so a sidecar cannot describe
    bytes other than the file's. The write is atomic (temp file in the same directory, then ``os.replace``) so
    an interrupted run never leaves a half-written sidecar that would fail verification later.
    Returns the sidecar path.
    """
    p = Path(path)
    record: dict[str, Any] = {"file": p.name}
    record.update(meta)
    record["sha256"] = sha256_file(p)
    record["size"] = p.stat().st_size
    side = sidecar_path(p)
    fd, tmp = tempfile.mkstemp(dir=side.parent, prefix="." + side.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(record, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, side)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return side
