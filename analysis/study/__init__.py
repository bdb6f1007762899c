"""The study: indicators, models and citable exhibits built on the processed dataset.

Modules (each small, each with the reason for its choices in its docstring):

* :mod:`~analysis.study.data`       load the dataset; one report per agency-year; unknown stays NaN; refs
* :mod:`~analysis.study.indicators` ``analysis/indicators.toml``: indicator and figure metadata
* :mod:`~analysis.study.stats`      Wilson intervals, growth with absolute change, formatting
* :mod:`~analysis.study.measures`   indicators computed from the cells the toml names
* :mod:`~analysis.study.requests`   new requests per agency-year (table > printed history > prose), YoY
* :mod:`~analysis.study.trend`      Poisson GLM trend (≥ 3 printed years) or why none
* :mod:`~analysis.study.land`       land requisition share with its precision level
* :mod:`~analysis.study.outcomes`   six categories, sub-reasons, applicants
* :mod:`~analysis.study.review`     表四 correction rates
* :mod:`~analysis.study.compare`    same-scope comparison and ranks
* :mod:`~analysis.study.quality`    failed checks and unknown values, with their meaning
* :mod:`~analysis.study.figures`    stable ids, captions, source lines, hovers, the figure registry
* :mod:`~analysis.study.cite`       dataset/code versions, GB/T 7714 and APA
* :mod:`~analysis.study.report`     ``RegionReport``: the sections ``notebooks/region.py`` shows
* :mod:`~analysis.study.overview`   ``Overview``: the sections ``notebooks/overview.py`` shows

The renderer needs: ``notebooks/region.py`` with parameters ``region``, ``years``, ``lang``, ``data_dir``,
``figures_out``; and :func:`analysis.study.figures.registry` (or the ``figures-<slug>.csv`` the notebook
writes when ``figures_out`` is set).
"""

from .data import Study, load
from .figures import registry, reset

__all__ = ["Study", "load", "registry", "reset"]
