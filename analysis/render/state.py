"""Content hashes and the incremental-render manifest (``reports/.render-state.json``).

A region's report is up to date when the key recorded for it in the manifest equals the key of this run:
SHA-256 over the region's own rows in every dataset table that has a ``region`` column (order-insensitive),
the rows of its peers (every region sharing a scope with it, since the notebook ranks a region against
them; ``peers=False`` drops this), the notebook file, the project code (``analysis/**`` sources and
templates, this engine included) and the render parameters. Failed regions are never up to date.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

STATE_NAME = ".render-state.json"
STATE_VERSION = 1
CODE_SUFFIXES = {".py", ".toml", ".yaml", ".yml", ".j2", ".json", ".css", ".tpl", ".html", ".csv"}


def sha256_bytes(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def file_hash(path: str | Path) -> str:
    return sha256_bytes(Path(path).read_bytes())


def code_hash(root: str | Path | None = None) -> str:
    """Hash of the project code: every source and template file under the ``analysis`` package."""
    base = Path(root) if root else Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(base.rglob("*")):
        if p.is_file() and p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(base)).encode())
            h.update(b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def region_data_hashes(tables: dict, regions=None) -> dict[str, str]:
    """``{region: hash}`` of each region's rows across the dataset tables with a ``region`` column."""
    import pandas as pd

    per_region: dict[str, list[str]] = {}
    for name in sorted(tables):
        df = tables[name]
        if df is None or "region" not in getattr(df, "columns", ()) or df.empty:
            continue
        df = df[df["region"].notna()]
        if regions is not None:
            df = df[df["region"].isin(regions)]
        if df.empty:
            continue
        cols = sorted(df.columns)
        try:
            rows = pd.util.hash_pandas_object(df[cols].astype(str), index=False)
        except TypeError:  # pragma: no cover
            rows = pd.Series([hash(tuple(map(str, r))) for r in df[cols].itertuples(index=False)],
                             index=df.index)
        frame = pd.DataFrame({"region": df["region"].astype(str).values, "h": rows.values})
        for region, grp in frame.groupby("region", sort=False):
            digest = sha256_bytes(name, ",".join(cols), b"".join(
                int(x).to_bytes(8, "little") for x in sorted(grp["h"].tolist())))
            per_region.setdefault(region, []).append(digest)
    return {r: sha256_bytes(*parts) for r, parts in per_region.items()}


def peer_hashes(region_scopes: dict[str, set[str]], data: dict[str, str]) -> dict[str, str]:
    """``{region: hash}`` of the data of every region sharing a scope with it (itself included)."""
    by_scope: dict[str, str] = {}
    for scope in sorted({s for ss in region_scopes.values() for s in ss}):
        members = sorted(r for r, ss in region_scopes.items() if scope in ss)
        by_scope[scope] = sha256_bytes(*(f"{r}={data.get(r, '')}" for r in members))
    return {r: sha256_bytes(*(by_scope[s] for s in sorted(ss))) for r, ss in region_scopes.items()}


def render_key(**parts) -> str:
    return sha256_bytes(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str))


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file in the same directory, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Manifest:
    """The per-output-directory record of what was rendered from what."""

    def __init__(self, out_dir: str | Path):
        self.path = Path(out_dir) / STATE_NAME
        self.regions: dict[str, dict] = {}
        self.meta: dict = {}
        self._last_save = 0.0
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == STATE_VERSION:
                self.regions = dict(data.get("regions", {}))
                self.meta = {k: v for k, v in data.items() if k != "regions"}
        except (OSError, ValueError):
            pass

    def up_to_date(self, region: str, key: str, out_dir: Path) -> bool:
        e = self.regions.get(region)
        return bool(e and e.get("key") == key and e.get("status") == "ok"
                    and (out_dir / e.get("html", "")).is_file())

    def record(self, region: str, **entry) -> None:
        self.regions[region] = entry

    def save(self, force: bool = True, **meta) -> None:
        now = time.monotonic()
        if not force and now - self._last_save < 2.0:
            return
        self.meta.update(meta)
        body = {"version": STATE_VERSION, **{k: v for k, v in self.meta.items() if k != "version"},
                "regions": dict(sorted(self.regions.items()))}
        atomic_write(self.path, json.dumps(body, ensure_ascii=False, indent=1, default=str))
        self._last_save = now
