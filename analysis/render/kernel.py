"""Warm kernels: one long-lived Jupyter kernel per worker, reset between regions, driven by papermill.

Execution goes through ``papermill.execute_notebook`` itself, with a registered engine (``ogi-warm``)
that hands papermill's own ``PapermillNotebookClient`` an already running kernel instead of starting one.
So parameters are injected by papermill (an ``injected-parameters`` cell after the ``parameters`` cell),
and the output notebook carries papermill's metadata (parameters, start and end time, duration,
exception, per-cell status and timings) and its error markers, exactly as with a fresh kernel.

Before each region the kernel is reset (see ``_kernel.py``); after an execution error, a dead kernel,
a timeout or a change of project code it is replaced by a new one.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import queue
import sys
import time
from pathlib import Path

_KERNEL_SRC = (Path(__file__).resolve().parent / "_kernel.py").read_text(encoding="utf-8")
ENGINE_NAME = "ogi-warm"


class KernelDied(RuntimeError):
    """The kernel process died (or stopped answering) while rendering a region."""


class KernelSetupError(RuntimeError):
    """The kernel could not be started or reset."""


_ENGINE_REGISTERED = False


def register_engine() -> None:
    """Register the ``ogi-warm`` papermill engine (idempotent)."""
    global _ENGINE_REGISTERED
    if _ENGINE_REGISTERED:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, on a kernel (``km``, ``kc``) that the caller keeps running."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     km=None, kc=None, **kwargs):
            if km is None or kc is None:
                raise ValueError("the ogi-warm engine needs a running kernel: pass km= and kc=")
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=km, **final_kwargs)
            client.kc = kc  # reuse our client: nbclient then neither starts nor shuts down anything
            return client.execute()

    papermill_engines.register(ENGINE_NAME, WarmEngine)
    _ENGINE_REGISTERED = True


class WarmKernel:
    """A Jupyter kernel kept alive across regions.

    Use it from one thread at a time. Its asyncio loop lives in a private ``contextvars`` context so that
    papermill/nbclient (which look the loop up in a context variable) always find the same loop.
    """

    def __init__(self, kernel_name: str = "python3", cwd: str | Path | None = None,
                 env: dict | None = None, startup_timeout: float = 60, code_hash: str | None = None,
                 transport: str = "ipc" if os.name == "posix" else "tcp"):
        self.transport = transport
        self.kernel_name = kernel_name
        self.cwd = str(Path(cwd or os.getcwd()).resolve())
        self.env = dict(env or {})
        self.startup_timeout = startup_timeout
        self.code_hash = code_hash
        self.km = None
        self.kc = None
        self.regions = 0
        self.starts = 0
        self._ctx = contextvars.copy_context()
        self._depth = 0

    # -- life cycle -------------------------------------------------------------------------------
    def _run(self, fn, *args, **kwargs):
        if self._depth:  # already inside our context (nested call): just call
            return fn(*args, **kwargs)

        def inner():
            self._depth += 1
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1

        return self._ctx.run(inner)

    def start(self) -> None:
        self._run(self._start)

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import ensure_event_loop, run_sync

        ensure_event_loop()
        self.shutdown()
        env = dict(os.environ)
        env.update(self.env)
        # IPC sockets (files in the Jupyter runtime directory) rather than TCP on localhost: no open port,
        # and no "running over TCP without encryption" warning from every kernel.
        kw = {}
        if self.transport == "ipc":
            import uuid

            from jupyter_core.paths import jupyter_runtime_dir

            rt = Path(jupyter_runtime_dir())
            rt.mkdir(parents=True, exist_ok=True)
            kw["ip"] = str(rt / f"ogi-{uuid.uuid4().hex[:12]}-ipc")  # unique per kernel
        km = AsyncKernelManager(kernel_name=self.kernel_name, transport=self.transport, **kw)
        # As nbclient does for papermill: keep the IPython history in memory, not in a shared SQLite file.
        run_sync(km.start_kernel)(cwd=self.cwd, env=env,
                                  extra_arguments=["--HistoryManager.hist_file=:memory:"])
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
        except Exception:
            kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            raise
        kc.allow_stdin = False
        self.km, self.kc = km, kc
        self.starts += 1
        self.regions = 0
        src = ("import sys as _s, types as _t\n"
               "_m = _t.ModuleType('_ogi_kernel')\n"
               f"exec(compile({_KERNEL_SRC!r}, '_ogi_kernel.py', 'exec'), _m.__dict__)\n"
               "_s.modules['_ogi_kernel'] = _m\n"
               f"_m.snapshot({self.cwd!r})\n"
               "del _s, _t, _m\n")
        self._execute(src, timeout=self.startup_timeout)

    @property
    def alive(self) -> bool:
        if self.km is None:
            return False
        from jupyter_core.utils import run_sync

        try:
            return bool(self._run(run_sync(self.km.is_alive)))
        except Exception:  # noqa: BLE001  (whatever the manager raises, the kernel is not usable)
            return False

    def shutdown(self) -> None:
        km, kc = self.km, self.kc
        self.km = self.kc = None
        if km is None:
            return

        def _stop():
            from jupyter_core.utils import run_sync

            try:
                if kc is not None:
                    kc.stop_channels()
            finally:
                with contextlib.suppress(Exception):  # already dead, or never started
                    run_sync(km.shutdown_kernel)(now=True)
                with contextlib.suppress(Exception):
                    run_sync(km.cleanup_resources)()

        self._run(_stop)

    def kill(self) -> None:
        """Kill the kernel process at once, from any thread (the owning thread then sees a dead kernel)."""
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.kill()

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def ensure(self, code_hash: str | None = None) -> None:
        """Start the kernel if needed; replace it if it died or the project code changed."""
        if code_hash is not None and code_hash != self.code_hash:
            self.code_hash = code_hash
            if self.km is not None:
                self.shutdown()
        if self.km is None or not self.alive:
            self.start()

    # -- execution ---------------------------------------------------------------------------------
    def _execute(self, code: str, timeout: float = 60) -> dict:
        """Run ``code`` silently; return the reply content or raise (``KernelDied``/``KernelSetupError``)."""
        from jupyter_core.utils import run_sync

        async def go():
            kc, km = self.kc, self.km
            msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
            deadline = time.monotonic() + timeout
            reply = None
            while reply is None:
                try:
                    msg = await kc.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not await km.is_alive():
                        raise KernelDied("kernel died") from None
                    if time.monotonic() > deadline:
                        raise KernelSetupError(f"kernel did not answer within {timeout} s") from None
                    continue
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    reply = msg
            # drain IOPub up to this request's idle status so nothing leaks into the next cell
            while True:
                try:
                    msg = await kc.get_iopub_msg(timeout=max(1.0, min(10.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
                if (msg.get("parent_header", {}).get("msg_id") == msg_id
                        and msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"):
                    break
            return reply["content"]

        content = self._run(run_sync(go))
        if content.get("status") != "ok":
            tb = "\n".join(content.get("traceback", []))
            raise KernelSetupError(f"{content.get('ename')}: {content.get('evalue')}\n{tb}")
        return content

    def reset(self, region: str, env: dict | None = None) -> None:
        self._execute(f"_ogi_kernel_m = __import__('sys').modules['_ogi_kernel']\n"
                      f"_ogi_kernel_m.reset({region!r}, {dict(env or {})!r})\n", timeout=60)

    def execute(self, nb, parameters: dict, timeout: float | None = None, **kwargs):
        """Execute the notebook node ``nb`` for ``parameters`` with papermill on this kernel.

        Returns the executed notebook; raises ``papermill.PapermillExecutionError`` (notebook attached as
        ``.nb``) when a cell raised, ``KernelDied`` when the kernel died.
        """
        import papermill
        from nbclient.exceptions import DeadKernelError
        from papermill.exceptions import PapermillExecutionError

        register_engine()

        def run():
            return papermill.execute_notebook(
                nb, None, parameters=parameters, engine_name=ENGINE_NAME, kernel_name=self.kernel_name,
                progress_bar=False, request_save_on_cell_execute=False, km=self.km, kc=self.kc,
                execution_timeout=timeout, autosave_cell_every=0, **kwargs)

        try:
            return self._run(run)
        except PapermillExecutionError:
            raise
        except DeadKernelError as e:
            raise KernelDied(str(e) or "kernel died") from e
        finally:
            self.regions += 1


def kernel_name_of(nb) -> str:
    return (nb.metadata.get("kernelspec") or {}).get("name") or "python3"


def python_of_kernel() -> str:  # pragma: no cover  (diagnostics)
    return sys.executable
