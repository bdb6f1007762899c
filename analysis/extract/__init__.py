"""Extract stage: text -> values with provenance (see core.py for the flow)."""

from .core import EXTRACTOR_VERSION, ReportResult, ValueRecord, extract_document, extract_path, extract_text

__all__ = ["EXTRACTOR_VERSION", "ReportResult", "ValueRecord", "extract_document", "extract_path", "extract_text"]
