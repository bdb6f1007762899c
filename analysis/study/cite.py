"""How to cite a report: the dataset version, the code version, the parameters and the render date.

* Dataset version: SHA-256 over the processed CSV files (name and bytes, in name order), short form.
  CSV rather than Parquet because Parquet bytes embed the writer's version; the CSVs are the same bytes
  whenever the data are the same.
* Code version: the git commit of the checkout that holds ``analysis/`` ("+dirty" when it has
  uncommitted changes), or "unknown" outside git.
* Render date: today, unless ``SOURCE_DATE_EPOCH`` is set (the reproducible-builds convention), so
  that two renders of the same data and code can be byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROJECT = "ogi"


# Per-process caches (a renderer reuses one kernel for many regions): the dataset hash keyed by the
# files' names, sizes and modification times; the git version keyed by the repository and its HEAD and
# index times, and re-read at most every _CODE_TTL seconds (edits to tracked files touch neither).
_DATASET_CACHE: dict[tuple, str] = {}
_CODE_CACHE: dict[tuple, tuple[float, str]] = {}
_CODE_TTL = 60.0
_RACY = 2.0  # files modified this recently are hashed every time (a rewrite may keep size and mtime)


def dataset_version(data_dir: str | Path, length: int = 12) -> str:
    """Short SHA-256 of the processed data files; "unknown" when there are none."""
    base = Path(data_dir)
    files = sorted(base.glob("*.csv")) or sorted(base.glob("*.parquet"))
    if not files:
        return "unknown"
    try:
        stats = [f.stat() for f in files]
    except OSError:
        stats = None
    key = (str(base.resolve()), tuple((f.name, st.st_size, st.st_mtime_ns) for f, st in zip(files, stats))) \
        if stats is not None else None
    if key is not None and key in _DATASET_CACHE:
        return _DATASET_CACHE[key][:length]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode("utf-8") + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    digest = h.hexdigest()
    if key is not None and all(time.time() - st.st_mtime > _RACY for st in stats):
        if len(_DATASET_CACHE) > 32:
            _DATASET_CACHE.clear()
        _DATASET_CACHE[key] = digest
    return digest[:length]


def _git_stamp(repo: Path) -> tuple:
    out = [str(repo)]
    for p in (repo / ".git", repo / ".git" / "HEAD", repo / ".git" / "index"):
        try:
            out.append(p.stat().st_mtime_ns)
        except OSError:
            out.append(None)
    return tuple(out)


def code_version(repo: Path = REPO) -> str:
    """Short git commit (+dirty), or "unknown" when not in a git checkout or git is absent."""
    key = _git_stamp(Path(repo))
    hit = _CODE_CACHE.get(key)
    if hit is not None and time.monotonic() - hit[0] < _CODE_TTL:
        return hit[1]
    version = _code_version(repo)
    if len(_CODE_CACHE) > 32:
        _CODE_CACHE.clear()
    _CODE_CACHE[key] = (time.monotonic(), version)
    return version


def _code_version(repo: Path) -> str:
    try:
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, timeout=10, check=False)
        if commit.returncode != 0 or not commit.stdout.strip():
            return "unknown"
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=False)
        return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def render_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def package_version() -> str:
    """The installed ogi version (the package metadata, so it works from any working directory)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ogi")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Citation:
    subject_zh: str  # e.g. 东阿县
    subject_en: str
    years: tuple[int, ...]
    dataset: str
    code: str
    date: dt.date
    parameters: dict
    sources: tuple[dict, ...] = ()  # the government reports used: agency, title, year, publication_date

    def _span(self) -> str:
        if not self.years:
            return ""
        return str(self.years[0]) if len(self.years) == 1 else f"{self.years[0]}–{self.years[-1]}"

    def gbt7714(self) -> str:
        """GB/T 7714-2015 entry for the report as a dataset/online resource ([DS/OL])."""
        span = self._span()
        title = f"{self.subject_zh}政府信息公开工作年度报告分析（{span}）" if span else \
            f"{self.subject_zh}政府信息公开工作年度报告分析"
        d = self.date.isoformat()
        return (f"{PROJECT} 项目组. {title}[DS/OL]. 版本 {package_version()}, 数据集版本 {self.dataset}, "
                f"代码版本 {self.code}. ({d})[{d}].")

    def apa(self) -> str:
        """APA 7 entry (dataset with a report)."""
        span = self._span()
        subject = f"{self.subject_en}" + (f", {span}" if span else "")
        return (f"{PROJECT} contributors. ({self.date.year}). Government information disclosure annual reports: "
                f"{subject} (Version {package_version()}; dataset {self.dataset}; code {self.code}) "
                f"[Data set and report]. Rendered {self.date.isoformat()}.")

    def source_gbt7714(self) -> list[str]:
        """The government reports themselves, as [EB/OL] entries (the primary sources to cite too)."""
        out = []
        for s in self.sources:
            pub = s.get("publication_date")
            pub = f"({pub})" if pub and str(pub) not in ("nan", "None") else ""
            out.append(f"{s.get('agency') or ''}. {s.get('title') or s.get('file')}[EB/OL]. {pub}.")
        return out

    def html(self, lang: str = "zh") -> str:
        """The "How to cite" block: both styles, versions, parameters and render date; all escaped."""
        e = html.escape
        h_cite = "如何引用" if lang == "zh" else "How to cite"
        h_src = "原始报告" if lang == "zh" else "Primary sources"
        lab = ({"dataset": "数据集版本（处理后数据文件的SHA-256）", "code": "代码版本（git提交）",
                "params": "参数", "date": "生成日期"} if lang == "zh" else
               {"dataset": "Dataset version (SHA-256 of the processed data files)",
                "code": "Code version (git commit)", "params": "Parameters", "date": "Render date"})
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        srcs = "".join(f"<li>{e(s)}</li>" for s in self.source_gbt7714())
        return (
            f'<section class="ogi-cite" id="how-to-cite"><h3>{e(h_cite)}</h3>'
            f"<p><b>GB/T 7714</b>: <span class=\"ogi-cite-gbt\">{e(self.gbt7714())}</span></p>"
            f"<p><b>APA</b>: <span class=\"ogi-cite-apa\">{e(self.apa())}</span></p>"
            f"<ul><li>{e(lab['dataset'])}: <code>{e(self.dataset)}</code></li>"
            f"<li>{e(lab['code'])}: <code>{e(self.code)}</code></li>"
            f"<li>{e(lab['params'])}: <code>{e(params)}</code></li>"
            f"<li>{e(lab['date'])}: {e(self.date.isoformat())}</li></ul>"
            + (f"<p><b>{e(h_src)}</b></p><ul>{srcs}</ul>" if srcs else "")
            + "</section>"
        )

    def __repr__(self) -> str:
        return self.gbt7714()

    def _repr_html_(self) -> str:
        return self.html(self.parameters.get("lang", "zh"))
