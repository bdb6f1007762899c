"""Tests for the raw-data snapshot layer (analysis/raw.py) and the committed snapshot in data/raw/."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from analysis.raw import (
    ChecksumError,
    RawFile,
    iter_raw,
    load_sidecar,
    sha256_file,
    sidecar_path,
    verify,
    write_sidecar,
)

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SHARED = Path(__file__).resolve().parents[2] / "shared"

REQUIRED_FIELDS = {
    "file",
    "title",
    "publisher",
    "source",
    "url",
    "region",
    "year",
    "format",
    "licence",
    "accessed",
    "sha256",
    "size",
}

RAW_FILES = list(iter_raw(RAW))


def _shared_original(name: str) -> Path | None:
    for sub in ("seeds", "corpus"):
        p = SHARED / sub / name
        if p.is_file():
            return p
    return None


def test_snapshot_is_not_empty() -> None:
    assert len(RAW_FILES) >= 13


@pytest.mark.parametrize("path", RAW_FILES, ids=lambda p: p.name)
def test_every_raw_file_has_a_matching_sidecar(path: Path) -> None:
    assert sidecar_path(path).is_file(), f"{path.name} has no sidecar"
    meta = load_sidecar(path)
    assert REQUIRED_FIELDS <= meta.keys(), f"missing fields: {REQUIRED_FIELDS - meta.keys()}"
    assert meta["file"] == path.name
    assert meta["sha256"] == sha256_file(path)
    assert meta["size"] == path.stat().st_size
    assert meta["format"] == path.suffix.lstrip(".")
    assert isinstance(meta["year"], int)
    assert meta["title"] and meta["publisher"] and meta["region"]
    rf = verify(path)
    assert isinstance(rf, RawFile)
    assert rf.meta == meta


@pytest.mark.parametrize("path", RAW_FILES, ids=lambda p: p.name)
def test_raw_file_is_byte_identical_to_shared(path: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    original = _shared_original(path.name)
    if original is None:
        pytest.skip(f"{path.name} is not in shared/seeds or shared/corpus")
    assert path.read_bytes() == original.read_bytes()


def test_manifest_lists_every_raw_file() -> None:
    with open(RAW / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == [p.name for p in RAW_FILES]
    for row in rows:
        meta = load_sidecar(RAW / row["file"])
        assert row["sha256"] == meta["sha256"]
        assert int(row["size"]) == meta["size"]
        assert row["title"] == meta["title"]


def test_iter_raw_skips_sidecars_manifest_and_dotfiles(tmp_path: Path) -> None:
    for name in ("b.txt", "a.pdf", "a.pdf.meta.json", "manifest.csv", ".hidden.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "subdir").mkdir()
    assert [p.name for p in iter_raw(tmp_path)] == ["a.pdf", "b.txt"]


def test_tampered_copy_raises_checksum_error(tmp_path: Path) -> None:
    src = RAW_FILES[0]
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    shutil.copyfile(sidecar_path(src), sidecar_path(dst))
    assert verify(dst).sha256 == load_sidecar(src)["sha256"]

    data = bytearray(dst.read_bytes())
    data[len(data) // 2] ^= 0x01
    dst.write_bytes(bytes(data))
    with pytest.raises(ChecksumError) as exc:
        verify(dst)
    err = exc.value
    assert isinstance(err, ValueError)
    assert err.expected == load_sidecar(src)["sha256"]
    assert err.actual == sha256_file(dst)
    message = str(err)
    assert dst.name in message and err.expected in message and err.actual in message


def test_file_without_sidecar_verifies_with_empty_meta(tmp_path: Path) -> None:
    p = tmp_path / "user_supplied.txt"
    p.write_text("某县2024年政府信息公开工作年度报告\n", encoding="utf-8")
    rf = verify(p)
    assert rf.meta == {}
    assert rf.sha256 == sha256_file(p)
    assert rf.size == p.stat().st_size
    assert rf.path == p


def test_write_sidecar_round_trips(tmp_path: Path) -> None:
    p = tmp_path / "report.html"
    p.write_bytes("<html>表三</html>".encode())
    side = write_sidecar(p, title="测试报告", year=2024, url=None, sha256="not-trusted", size=-1)
    assert side == sidecar_path(p)
    meta = load_sidecar(p)
    assert meta == json.loads(side.read_text(encoding="utf-8"))
    assert meta["file"] == "report.html"
    assert meta["title"] == "测试报告" and meta["year"] == 2024 and meta["url"] is None
    # hash and size are computed from the bytes, never taken from the caller
    assert meta["sha256"] == sha256_file(p)
    assert meta["size"] == p.stat().st_size
    assert verify(p).meta == meta
    # atomic write leaves no temporary files behind
    assert sorted(x.name for x in tmp_path.iterdir()) == ["report.html", "report.html.meta.json"]
    # overwriting works and still verifies
    write_sidecar(p, title="改名")
    assert verify(p).meta["title"] == "改名"
