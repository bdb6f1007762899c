"""ogi: China's government information disclosure annual reports as traceable, checked data.

Stages: read (file -> text) -> extract (text -> values with provenance) -> validate (rules ->
check rows) -> dataset (tidy tables) -> analysis -> notebooks -> render.
"""

__version__ = "0.1.0"


def load_dataset(path: str = "data/processed"):
    """The processed dataset (reports, values, checks, dictionary) as pandas DataFrames."""
    from .dataset import load_dataset as _load

    return _load(path)
