"""sitrep: news reports about armed conflict in, coded conflict events out."""

from sitrep.api import extract, extract_batch, geoparse
from sitrep.records import DocumentResult, Event, Report

__version__ = "0.1.0"
__all__ = ["extract", "extract_batch", "geoparse", "DocumentResult", "Event", "Report",
           "__version__"]
