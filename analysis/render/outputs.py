"""Notebook side of the render convention: where a notebook writes its figure data and key figures.

While ``ogi render`` executes a notebook for a region it sets, in the kernel's environment:

* ``OGI_RENDER_DIR``    a private, empty directory for this region's side outputs;
* ``OGI_RENDER_REGION`` the region name; ``OGI_RENDER_SLUG`` its file-name slug.

A notebook may write there (directly, or with the helpers below, which do nothing outside a render):

* ``figures*.csv``       the data of its figures and tables, one row per data point, with a ``figure_id``
                         column (e.g. ``东阿县-2023-F3``); the renderer concatenates every region's files
                         into ``reports/figures.csv`` (columns united; ``region`` and ``slug`` added first
                         when missing);
* ``key_figures.json``   a flat JSON object of scalars (e.g. ``{"new_requests_2023": 81}``) shown as extra
                         columns of ``reports/index.html``.

This module imports nothing heavy: notebooks import it in their first cell at no cost.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from pathlib import Path

ENV_DIR = "OGI_RENDER_DIR"
ENV_REGION = "OGI_RENDER_REGION"
ENV_SLUG = "OGI_RENDER_SLUG"
FIGURES_GLOB = "figures*.csv"
KEY_FIGURES = "key_figures.json"


def output_dir() -> Path | None:
    """The directory for this region's side outputs, or ``None`` outside ``ogi render``."""
    d = os.environ.get(ENV_DIR)
    return Path(d) if d else None


def save_figure_data(figure_id: str, data) -> Path | None:
    """Write a figure's or table's data (a DataFrame or a list of dicts) as ``figures-<id>-<crc32>.csv``.

    Saving the same id again replaces its file. Returns the path (``None`` outside ``ogi render``).
    """
    out = output_dir()
    if out is None:
        return None
    import pandas as pd

    df = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
    if "figure_id" in df.columns:
        df = df.drop(columns="figure_id")
    df.insert(0, "figure_id", figure_id)
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", str(figure_id)).strip("_-")[:40] or "figure"
    path = out / f"figures-{safe}-{zlib.crc32(str(figure_id).encode('utf-8')):08x}.csv"  # one file per id
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def save_key_figures(figures: dict | None = None, **more) -> Path | None:
    """Merge scalars into ``key_figures.json`` (shown in the index)."""
    out = output_dir()
    if out is None:
        return None
    path = out / KEY_FIGURES
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current.update(figures or {})
    current.update(more)
    clean = {str(k): (v.item() if hasattr(v, "item") else v) for k, v in current.items()}
    path.write_text(json.dumps(clean, ensure_ascii=False, default=str), encoding="utf-8")
    return path
