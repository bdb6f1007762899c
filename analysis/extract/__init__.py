"""Extract stage: text -> values with provenance (see core.py for the flow)."""

from .core import ReportResult, ValueRecord, extract_document, extract_path, extract_text
from .version import extractor_version

__all__ = ["ReportResult", "ValueRecord", "extract_document", "extract_path", "extract_text", "extractor_version"]
