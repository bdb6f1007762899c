"""``ogi render``: the region notebook once per region -> ``reports/<slug>.html``, ``index.html``, ``figures.csv``.

Wire it into ``analysis/cli.py`` with ``add_render_parser(sub)`` after the other sub-commands.
Exit status: 0 when every region rendered (or was up to date), 1 when a region failed (its error page and
the summary say why), 2 for usage errors (no dataset, no notebook, unknown scheduler back end).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path


def add_render_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "render", help="render the region notebook into one HTML report per region (plus index and figures.csv)",
        description="Execute the region notebook for every region of the dataset (or those named) and write "
                    "reports/<slug>.html, reports/index.html and reports/figures.csv. Only regions whose data, "
                    "notebook or code changed since the last run are rendered again.")
    p.add_argument("--region", "-r", action="append", metavar="R", dest="regions",
                   help="render this region (repeatable; default: every region of the dataset)")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="parallel workers, each a warm kernel "
                   "(default: the number of cores)")
    p.add_argument("--data", default="data/processed", metavar="DIR", help="dataset directory (default %(default)s)")
    p.add_argument("--out", default="reports", metavar="DIR", help="output directory (default %(default)s)")
    p.add_argument("--notebook", default="notebooks/region.py", metavar="PATH",
                   help="region notebook, jupytext .py or .ipynb (default %(default)s)")
    p.add_argument("--naive", action="store_true",
                   help="run the papermill and jupyter nbconvert commands once per region (slow; for comparison)")
    p.add_argument("--force", action="store_true", help="render every selected region even if up to date")
    p.add_argument("--lang", choices=["zh", "en"], help="inject this `lang` parameter")
    p.add_argument("--years", type=int, nargs="+", metavar="YEAR", help="inject this `years` parameter")
    p.add_argument("--timeout", type=float, default=600, metavar="S",
                   help="per-cell execution timeout in seconds (default %(default)s; 0: none)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="render on Dask distributed: a scheduler address, or 'local' for a LocalCluster "
                        "(needs the optional extra: pip install 'ogi[dask]')")
    p.add_argument("--no-peers", dest="peers", action="store_false",
                   help="re-render a region only when its own rows change (not when a region of the same "
                        "scope, which its comparison section ranks it against, changes)")
    p.add_argument("--keep-notebooks", action="store_true", help="also keep the executed notebooks "
                   "(OUT/.render/<slug>/<slug>.ipynb)")
    prog = p.add_mutually_exclusive_group()
    prog.add_argument("--progress", dest="progress", action="store_true", default=None,
                      help="show progress even when stdout is not a terminal")
    prog.add_argument("--quiet", "-q", dest="progress", action="store_false", help="no progress line")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(func=cmd_render)
    return p


def cmd_render(args: argparse.Namespace) -> int:
    from .engine import RenderOptions, render, summary_json

    if not Path(args.notebook).is_file():
        print(f"ogi render: no notebook at {args.notebook}", file=sys.stderr)
        return 2
    if args.scheduler:
        from .cluster import INSTALL_HINT, available

        if not available():
            print(f"ogi render: {INSTALL_HINT}", file=sys.stderr)
            return 2
    opts = RenderOptions(
        data_dir=args.data, out_dir=args.out, notebook=args.notebook, regions=args.regions, jobs=args.jobs,
        naive=args.naive, force=args.force, lang=args.lang, years=args.years,
        timeout=args.timeout or None, peers=args.peers, scheduler=args.scheduler, progress=args.progress,
        keep_notebooks=args.keep_notebooks)
    def _terminate(signum, frame):  # SIGTERM: stop like Ctrl-C (kernels killed, finished regions recorded)
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _terminate)
    try:
        summary = render(opts)
    except FileNotFoundError as e:
        print(f"ogi render: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ogi render: interrupted (finished regions are recorded; run again to continue)", file=sys.stderr)
        return 130
    print(summary_json(summary) if args.json else str(summary))
    return 0 if summary.ok else 1


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m analysis.render.cli``) until ``ogi`` wires the sub-command in."""
    parser = argparse.ArgumentParser(prog="ogi")
    sub = parser.add_subparsers(dest="command", required=True)
    add_render_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
