"""The synthetic national corpus: agencies keep their names across years, every format is there,
and the extractor reads back who, where and when (the series the cross-year checks need)."""

from __future__ import annotations

import csv

from analysis.cli import main
from analysis.dataset import load_dataset
from analysis.synth.corpus import write_corpus


def test_small_national_corpus_round_trips(tmp_path):
    src, out = tmp_path / "corpus", tmp_path / "out"
    files = list(write_corpus(src, regions=3, years=range(2020, 2023), documents=3))
    assert len(files) == 9
    with open(src / "corpus.csv", encoding="utf-8") as fh:
        rows = {r["file"]: r for r in csv.DictReader(fh)}
    assert {r["layout"] for r in rows.values()} >= {"html", "docx", "pdf"}
    assert len({r["agency"] for r in rows.values()}) == 3
    assert main(["extract", str(src), "--out", str(out), "--jobs", "1"]) == 0
    ds = load_dataset(out)
    rep = ds["reports"].set_index("file")
    assert set(rep.index) == set(rows)  # corpus.csv itself is not read as a report
    for name, truth in rows.items():
        got = rep.loc[name]
        assert got["region"] == truth["region"] and got["scope"] == truth["scope"], name
        assert int(got["year"]) == int(truth["year"]) and got["template"] == truth["template"], name
    xyear = ds["checks"][ds["checks"]["table"] == "xyear"]
    assert (xyear["rule"] == "xyear.carried_over").sum() >= 3  # three agencies x two year pairs, when read


def test_extraction_on_a_dask_local_cluster(tmp_path, capsys):
    import json

    import pytest

    pytest.importorskip("distributed")
    src = tmp_path / "corpus"
    list(write_corpus(src, regions=2, years=range(2021, 2023)))
    assert main(["extract", str(src), "--jsonl", "--scheduler", "local", "--jobs", "1", "--no-cache"]) == 0
    objs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["path"].rsplit("/", 1)[-1] for o in objs] == sorted(p.name for p in src.glob("*.txt"))
    assert all(o["status"] in ("ok", "flagged") for o in objs)
