"""Chinese glyphs in matplotlib figures, on any machine that installed the project.

matplotlib's default font (DejaVu Sans) has no CJK glyphs: region names and template labels come out
as boxes with a "Glyph … missing from font(s)" warning. The ``noto-cjk-sans-otc`` wheel (OFL licence,
a pip dependency of ogi, nothing fetched at run time) ships Noto Sans CJK as one ``.ttc`` collection;
matplotlib ≥ 3.11 can select its Simplified Chinese face once the file is registered.

Facts measured on this machine (see ``shared/TOOLCHAIN.md``): the font must be registered with
``fontManager.addfont`` once per process (a papermill kernel is a new process), the family list must be
set as ``font.family`` (the same list in ``font.sans-serif`` still drew boxes), and it must be set *after*
``seaborn.set_theme()``, which resets the font settings. :func:`setup` does all three in that order.
"""

from __future__ import annotations

from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
FAMILY = ["DejaVu Sans", CJK_FAMILY]  # Latin digits and letters from DejaVu, Chinese from Noto

_registered: Path | None = None


def font_path() -> Path:
    """Path of the bundled Noto Sans CJK collection; raises if the wheel is not installed (why: a plot
    silently full of boxes is worse than an import error naming the missing dependency)."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("noto-cjk-sans-otc is not installed: run `make venv` (it is a dependency of ogi) "
                          "or `pip install noto-cjk-sans-otc`") from e
    return Path(str(FONT_PATH))


def register() -> Path:
    """Add the CJK font to matplotlib's font manager (idempotent within a process)."""
    global _registered
    from matplotlib import font_manager

    path = font_path()
    if _registered != path:
        font_manager.fontManager.addfont(str(path))
        _registered = path
    return path


def apply() -> None:
    """Point matplotlib at DejaVu Sans with Noto Sans CJK SC as fallback (call after set_theme)."""
    import matplotlib as mpl

    register()
    mpl.rcParams["font.family"] = list(FAMILY)
    mpl.rcParams["axes.unicode_minus"] = False  # the CJK face lacks U+2212 in some versions


def setup(theme: bool = True) -> None:
    """Seaborn's theme (optional) followed by the CJK font settings, in the order that works."""
    if theme:
        import seaborn as sns

        sns.set_theme(style="whitegrid")
    apply()
