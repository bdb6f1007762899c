"""Optional Dask distributed back end (``pip install 'ogi[dask]'``).

``--scheduler ADDRESS`` sends each region to a worker of an existing ``dask.distributed`` cluster;
``--scheduler local`` starts a ``LocalCluster`` for the run. Each worker thread keeps its own warm kernel
(restarted when the project code hash changes, so a long-lived cluster picks up new code), renders, and
returns the HTML and side outputs to the client, which writes every file: workers need the project
installed and ``--data`` readable at the same path, not the output directory.

``map_paths(func, paths, scheduler)`` is the same plumbing for other stages, e.g. extraction::

    from analysis.render.cluster import map_paths
    from analysis.cli import extract_one
    for path, result in map_paths(extract_one, files, "local"):
        ...
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

INSTALL_HINT = "Dask is not installed: pip install 'ogi[dask]' (dask and distributed)"


def available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def dask_client(scheduler: str, n_workers: int | None = None, processes: bool = True,
                threads_per_worker: int = 1):
    """``(client, owned)``: a client of ``scheduler`` (an address) or of a new ``LocalCluster`` ("local").

    ``owned`` is True when the cluster was created here (and is closed on exit).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:  # pragma: no cover  (depends on the environment)
        raise RuntimeError(INSTALL_HINT) from e
    if scheduler in ("local", "local-threads"):
        cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1,
                               threads_per_worker=threads_per_worker,
                               processes=processes and scheduler == "local", dashboard_address=None)
        client = Client(cluster)
        try:
            yield client, True
        finally:
            client.close()
            cluster.close()
    else:
        client = Client(scheduler)
        try:
            yield client, False
        finally:
            client.close()


def map_paths(func: Callable, items: Iterable, scheduler: str = "local", n_workers: int | None = None,
              client=None) -> Iterator[tuple[object, object]]:
    """Run ``func(item)`` on Dask for every item; yield ``(item, result)`` as results arrive.

    Pass ``client`` to reuse an existing client; otherwise one is made from ``scheduler``.
    """
    from distributed import as_completed

    items = list(items)

    def run(c):
        futs = c.map(func, items, pure=False)
        index = {f.key: i for i, f in enumerate(futs)}
        for f in as_completed(futs):
            yield items[index[f.key]], f.result()

    if client is not None:
        yield from run(client)
        return
    with dask_client(scheduler, n_workers=n_workers) as (c, _owned):
        yield from run(c)
