from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
GOLDEN = ROOT / "tests" / "golden"


def golden_files() -> list[Path]:
    return sorted((GOLDEN / "seeds").glob("*.expected.json")) + sorted((GOLDEN / "corpus").glob("*.expected.json"))


@pytest.fixture(scope="session")
def extracted():
    """Extraction results of every raw report, computed once per test session."""
    from analysis.extract import extract_path

    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = extract_path(str(RAW / name))
        return cache[name]

    return get


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
