"""Compare executed notebooks "up to timestamps and execution counts" (warm kernel vs papermill).

``normalize(nb)`` keeps, per cell, its type, source, tags and outputs (stream text, data by MIME type,
images included, error names and values), and drops execution counts, papermill timings, cell ids and
the injected value of scratch-path parameters (``figures_out``), the per-process parts of paths (``/tmp/ipykernel_<pid>/<hash>.py`` in warnings and tracebacks); each
stream's chunks are concatenated (how stdout and stderr interleave depends on flush timing).
``differences(a, b)`` lists what differs, for test and benchmark messages.
"""

from __future__ import annotations

import re

_KERNEL_FILE = re.compile(r"/tmp/ipykernel_\d+/\d+\.py|/var/folders/[^\s\"']*/ipykernel_\d+/\d+\.py")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text(v) -> str:
    s = "".join(v) if isinstance(v, list) else str(v)
    return _KERNEL_FILE.sub("<kernel-cell>", s)


def _output(o) -> dict:
    kind = o.get("output_type")
    if kind == "stream":
        return {"type": kind, "name": o.get("name"), "text": _text(o.get("text", ""))}
    if kind in ("display_data", "execute_result"):
        data = {k: (_text(v) if isinstance(v, (str, list)) else v) for k, v in (o.get("data") or {}).items()}
        return {"type": "display", "data": data}
    if kind == "error":
        return {"type": kind, "ename": o.get("ename"), "evalue": o.get("evalue"),
                "traceback": [_ANSI.sub("", _text(t)) for t in o.get("traceback", [])]}
    return {"type": kind}


def _merge_streams(outs: list[dict]) -> list[dict]:
    """Concatenate each stream's text (how stdout/stderr chunks interleave depends on flush timing)."""
    streams: dict[str, str] = {}
    rest = []
    for o in outs:
        if o["type"] == "stream":
            streams[o["name"]] = streams.get(o["name"], "") + o["text"]
        else:
            rest.append(o)
    return [{"type": "stream", "name": n, "text": t} for n, t in sorted(streams.items())] + rest


IGNORED_PARAMETERS = ("figures_out",)  # per-run scratch paths injected by the renderer


def normalize(nb, ignore_parameters=IGNORED_PARAMETERS) -> list[dict]:
    cells = []
    for c in nb.cells:
        tags = sorted(t for t in (c.get("metadata", {}).get("tags") or []))
        source = c.source
        if "injected-parameters" in tags and ignore_parameters:
            source = "\n".join(ln for ln in source.split("\n")
                               if not any(ln.startswith(f"{p} = ") for p in ignore_parameters))
        entry = {"type": c.cell_type, "source": source, "tags": tags}
        if c.cell_type == "code":
            entry["outputs"] = _merge_streams([_output(o) for o in c.get("outputs", [])])
        cells.append(entry)
    return cells


def differences(a, b, limit: int = 10) -> list[str]:
    na, nb_ = normalize(a), normalize(b)
    out = []
    if len(na) != len(nb_):
        out.append(f"{len(na)} cells vs {len(nb_)} cells")
    for i, (x, y) in enumerate(zip(na, nb_)):
        if x != y:
            for k in sorted(set(x) | set(y)):
                if x.get(k) != y.get(k):
                    out.append(f"cell {i} ({x.get('type')}): {k} differs: {str(x.get(k))[:300]!r} vs "
                               f"{str(y.get(k))[:300]!r}")
        if len(out) >= limit:
            break
    return out
