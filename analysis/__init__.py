"""ogi: China's government information disclosure annual reports as traceable, checked data.

Stages: read (file -> text) -> extract (text -> values with provenance) -> validate (rules ->
check rows) -> dataset (tidy tables) -> analysis -> notebooks -> render.
"""

__version__ = "0.1.0"
