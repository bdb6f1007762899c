"""Rendering: execute the region notebook once per region and write citable HTML reports, fast.

Usage: ``ogi render [--region R ...] [--jobs N] [--data DIR] [--out reports/] [--notebook PATH] [--naive]``,
or from Python::

    from analysis.render import render, RenderOptions
    summary = render(RenderOptions(data_dir="data/processed", out_dir="reports", regions=["东阿县"]))
    print(summary)          # rendered / skipped / failed

Outputs (in ``--out``, every file written to a temporary name and renamed):

* ``<slug>.html``          one report per region, no code shown (see ``export.py``); an escaped error page
                           when the region failed. ``<slug>`` is ``slug.slugify(region)``: ASCII, unique,
                           stable (pinyin + 8 hex digits of the name's SHA-1, e.g. ``dong-e-xian-1b2c3d4e``);
* ``index.html``           every region rendered into this directory, its key figures and a link;
* ``figures.csv``          every region's figure and table data (see the convention below);
* ``.render-state.json``   the manifest: per region the content key it was rendered from (``state.py``);
* ``.render/<slug>/``      the side outputs the notebook wrote for the region (and the executed
                           ``.ipynb`` with ``--keep-notebooks``).

Notebook contract:

* a cell tagged ``parameters`` with literals; the renderer injects ``region`` and ``data_dir`` (plus ``lang``
  and ``years`` when given on the command line) the way papermill does (an ``injected-parameters`` cell);
* side outputs go to the directory in ``$OGI_RENDER_DIR`` (also ``$OGI_RENDER_REGION``, ``$OGI_RENDER_SLUG``):
  ``figures*.csv`` files with a ``figure_id`` column, concatenated into ``figures.csv`` (``region`` and
  ``slug`` columns added when missing), and ``key_figures.json``, a flat object of scalars shown as extra
  index columns. ``analysis.render.outputs`` has helpers (``save_figure_data``, ``save_key_figures``) that
  do nothing outside a render. A notebook whose parameters cell declares ``figures_out`` also gets
  ``figures_out = "$OGI_RENDER_DIR/figures.csv"`` injected (``notebooks/region.py`` writes its figure registry
  there); that scratch path is left out of the content key and of output comparisons;
* index key figures (region, scopes, years, latest year, its new requests ``t3.new_received.total``, number of
  reports) come from the dataset itself, so the index never depends on a notebook's layout;
* cells tagged ``remove-cell`` / ``remove-input`` / ``remove-output`` are dropped / shown without input /
  shown without output;
* module-level state in project code must be pure (warm kernels keep modules imported between regions).

Modes: warm kernels (default; ``--jobs`` workers, each a long-lived kernel reset between regions, HTML
exported in-process), ``--naive`` (the ``papermill`` and ``jupyter nbconvert`` commands per region, for
comparison), ``--scheduler ADDRESS|local`` (Dask distributed, optional extra ``ogi[dask]``).

Importing this package is cheap (notebooks import ``analysis.render.outputs`` inside kernels); the engine
is loaded on first use.
"""

from __future__ import annotations

from .slug import slugify, unique_slugs

__all__ = [
    "RegionResult",
    "RenderOptions",
    "RenderSummary",
    "render",
    "shutdown_kernels",
    "slugify",
    "unique_slugs",
]


def __getattr__(name):
    if name in ("render", "RenderOptions", "RenderSummary", "RegionResult", "shutdown_kernels", "load_notebook"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)
