"""Kernel-side helpers of the warm-kernel renderer (runs *inside* the Jupyter kernel).

The renderer executes this file's source in a module object named ``_ogi_kernel`` once per kernel
(it is never imported by the orchestrating process, and it imports nothing heavy itself).
``snapshot()`` records the state of a fresh kernel once ``matplotlib.pyplot``, ``numpy`` and ``pandas``
are imported; ``reset(...)`` puts the kernel back into that state before each region:

* the user namespace is cleared like ``%reset -f`` (``InteractiveShell.reset``) and the execution counter
  restarts at 1 with a new (in-memory) history session, as in a new kernel;
* matplotlib figures are closed and ``rcParams`` restored (``seaborn.set_theme`` and friends write there);
* pandas options, numpy print options and floating-point error state are restored;
* the warnings filters are restored and every ``__warningregistry__`` cleared, so warnings shown once per
  process are shown again for the next region;
* the working directory, ``sys.path``, ``os.environ``, root logger handlers and level are restored, and the
  per-region environment variables set;
* ``random`` and ``numpy.random`` are seeded from ``zlib.crc32(region)`` (stable across processes, unlike
  ``hash()``).

Modules stay imported (that is the point of a warm kernel): project modules must keep module-level
state pure (caches keyed by their arguments). The orchestrator restarts the kernel when project code
changes, after an error, and when the kernel dies.
"""

import contextlib
import gc
import logging
import os
import random
import sys
import warnings
import zlib

_STATE: dict = {}


def snapshot(cwd):
    """Record the clean state of this kernel (call once, right after start-up)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import matplotlib
        import matplotlib.pyplot
        import numpy
        import pandas  # noqa: F401

    _STATE["rc"] = dict(matplotlib.rcParams)
    _STATE["np_print"] = numpy.get_printoptions()
    _STATE["np_err"] = numpy.geterr()
    _STATE["filters"] = list(warnings.filters)
    _STATE["path"] = list(sys.path)
    _STATE["environ"] = dict(os.environ)
    root = logging.getLogger()
    _STATE["log"] = (root.level, list(root.handlers))
    _STATE["cwd"] = cwd
    os.chdir(cwd)
    return True


def _clear_warning_registries():
    warnings.filters[:] = _STATE["filters"]
    with contextlib.suppress(AttributeError):
        warnings.onceregistry.clear()
    for mod in list(sys.modules.values()):
        reg = getattr(mod, "__warningregistry__", None)
        if isinstance(reg, dict):
            reg.clear()
    mutated = getattr(warnings, "_filters_mutated", None) or getattr(warnings, "_filters_mutated_lock_held", None)
    if mutated is not None:
        with contextlib.suppress(Exception):
            mutated()


def reset(region, env):
    """Make this kernel look fresh for ``region``; ``env`` are extra environment variables."""
    ip = get_ipython()  # noqa: F821  (defined in IPython kernels)
    ip.reset(new_session=True)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mpl = sys.modules.get("matplotlib")
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")
        if mpl is not None:
            rc = mpl.rcParams
            setter = getattr(rc, "_set", None)  # no validation (the values were valid when saved)
            if setter is None:  # pragma: no cover  (matplotlib < 3.7)
                rc.update(_STATE["rc"])
            else:
                for k, v in _STATE["rc"].items():
                    setter(k, v)
        pd = sys.modules.get("pandas")
        if pd is not None:
            pd.reset_option("all")
        np = sys.modules.get("numpy")
        if np is not None:
            np.set_printoptions(**_STATE["np_print"])
            np.seterr(**_STATE["np_err"])

    _clear_warning_registries()

    sys.path[:] = _STATE["path"]
    os.environ.clear()
    os.environ.update(_STATE["environ"])
    os.environ.update(env)
    os.chdir(_STATE["cwd"])
    root = logging.getLogger()
    root.setLevel(_STATE["log"][0])
    root.handlers[:] = _STATE["log"][1]

    seed = zlib.crc32(str(region).encode("utf-8"))
    random.seed(seed)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(seed)

    # Free the previous region's objects, then move the survivors (modules, caches) to the permanent
    # generation so later collections only scan what the next region allocates.
    gc.collect()
    gc.freeze()
    return True
