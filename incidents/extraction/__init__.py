"""From news reports to draft incidents, UI-free: dates, places, actors, event type and
attributed claims read from English or French text (rule-based: dateparser for date
expressions, the project's gazetteer and geocoder for places, an alias table for actors).

Public API::

    drafts = extract(Report(text, published=date(2024, 9, 18)), geocoder)
    merged = merge_drafts(drafts_of_two_reports)
"""

from incidents.extraction.extractor import KnownSites, dateline_date, extract, infer_country
from incidents.extraction.model import DRAFT_JSON_KEYS, Claim, Draft, Report, Source, Span
from incidents.extraction.text import guess_source, read_report_file

__all__ = [
    "DRAFT_JSON_KEYS",
    "Claim",
    "Draft",
    "KnownSites",
    "Report",
    "Source",
    "Span",
    "dateline_date",
    "extract",
    "guess_source",
    "infer_country",
    "read_report_file",
]
