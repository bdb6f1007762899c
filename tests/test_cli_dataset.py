"""The command line and the tidy dataset: batch behaviour, JSON contract, atomic writes."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import RAW, ROOT

from analysis.cli import main
from analysis.dataset import load_dataset, write_tables


def _batch(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "garbage.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "news.txt").write_text("县政府召开常务会议，研究部署重点工作12项。\n", encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes((RAW / "002_9d017863089d3b5a.txt").read_text(encoding="utf-8")
                                       .encode("gb18030"))
    return [str(RAW / "000_12653dde3b93f4f1.txt"), str(tmp_path)]


def test_jsonl_one_object_per_input_and_exit_zero(tmp_path, capsys):
    assert main(["extract", "--jsonl", *_batch(tmp_path)]) == 0
    lines = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    by_name = {obj["path"].rsplit("/", 1)[-1]: obj for obj in lines}
    assert set(by_name) == {"000_12653dde3b93f4f1.txt", "empty.txt", "garbage.bin", "news.txt", "gbk.txt"}
    assert by_name["000_12653dde3b93f4f1.txt"]["status"] == "flagged"
    assert by_name["000_12653dde3b93f4f1.txt"]["values"]["t3.new_received.total"] == 81
    assert by_name["empty.txt"]["status"] in ("empty", "unreadable") and by_name["empty.txt"]["reason"]
    assert by_name["garbage.bin"]["status"] == "unreadable" and by_name["garbage.bin"]["reason"]
    assert by_name["news.txt"]["status"] == "not_a_report"
    gbk = by_name["gbk.txt"]
    assert gbk["encoding"] == "gb18030" and gbk["status"] == "ok"
    assert gbk["values"]["t3.new_received.total"] == 41
    for obj in lines:
        for field in ("path", "sha256", "status", "region", "parent", "agency", "scope", "year", "template",
                      "values", "value_status", "checks"):
            assert field in obj


def test_value_status_lists_only_non_ok(capsys):
    main(["extract", str(RAW / "000_12653dde3b93f4f1.txt")])
    obj = json.loads(capsys.readouterr().out)
    assert "ok" not in obj["value_status"].values()
    assert obj["value_status"]["t4.suit_after_review.other"] == "ambiguous"


def test_usage_error_is_nonzero():
    proc = subprocess.run([sys.executable, "-m", "analysis", "extract"], check=False, capture_output=True,
                          cwd=ROOT)
    assert proc.returncode == 2


def test_out_writes_tidy_tables(tmp_path):
    out = tmp_path / "processed"
    assert main(["extract", *_batch(tmp_path), "--out", str(out)]) == 0
    ds = load_dataset(out)
    assert set(ds) >= {"reports", "values", "checks", "dictionary"}
    assert len(ds["reports"]) == 5
    v = ds["values"]
    row = v[(v.file == "000_12653dde3b93f4f1.txt") & (v.key == "t3.new_received.total")].iloc[0]
    assert row.value == 81 and row.status == "ok" and row.line == 72 and row.raw == "81"
    assert (out / "values.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel shows the Chinese
    d = ds["dictionary"].set_index("key")
    assert d.loc["t3.granted.total", "zh"].startswith("（一）予以公开")
    assert d.loc["t2.fees.amount_10k_yuan", "unit"] == "10k yuan"


def test_interrupted_write_leaves_previous_dataset(tmp_path, monkeypatch):
    good = {"reports": pd.DataFrame({"a": [1]})}
    write_tables(good, tmp_path)
    before = (tmp_path / "reports.csv").read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(RuntimeError):
        write_tables({"reports": pd.DataFrame({"a": [2]})}, tmp_path)
    assert pd.read_parquet(tmp_path / "reports.parquet")["a"].tolist() == [1]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert before  # the CSV was replaced atomically or not at all


def test_unchanged_inputs_come_from_the_cache(tmp_path, monkeypatch, capsys):
    from analysis import cli

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes((RAW / "002_9d017863089d3b5a.txt").read_bytes())
    out = tmp_path / "out"
    assert main(["extract", str(src), "--out", str(out)]) == 0

    def no_extraction(path):
        raise AssertionError(f"{path} was extracted again although unchanged")

    monkeypatch.setattr(cli, "extract_one", no_extraction)
    assert main(["extract", str(src), "--out", str(out)]) == 0
    assert load_dataset(out)["reports"]["status"].tolist() == ["ok"]
    # A changed file is extracted again.
    (src / "a.txt").write_bytes((RAW / "002_9d017863089d3b5a.txt").read_bytes() + b"\n")
    with pytest.raises(AssertionError, match="extracted again"):
        main(["extract", str(src), "--out", str(out)])


def test_duplicates_are_kept_and_one_is_marked_for_use(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    data = (RAW / "002_9d017863089d3b5a.txt").read_bytes()
    (src / "a.txt").write_bytes(data)
    (src / "b.txt").write_bytes(data)  # identical copy
    # a re-published revision: same agency and year, one 表四 cell blanked out
    (src / "c.txt").write_bytes(data.replace(b"3\t1\t0\t0\t4\t0", b"3\t1\t/\t0\t4\t0"))
    out = tmp_path / "out"
    main(["extract", str(src), "--out", str(out)])
    rep = load_dataset(out)["reports"].set_index("file")
    assert rep.loc["b.txt", "duplicate_of"] == rep.loc["a.txt", "report_id"]
    assert bool(rep.loc["a.txt", "dataset_use"]) and not bool(rep.loc["b.txt", "dataset_use"])
    assert not bool(rep.loc["c.txt", "dataset_use"])
    assert "a.txt" in rep.loc["c.txt", "use_reason"]
