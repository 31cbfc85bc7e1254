"""Exports of a set of incidents: CSV, GeoJSON and a standalone HTML map that plays through time.

Each function exports exactly the frame it is given: the app passes what is on screen (the
filtered, public-view frame the ``Incidents`` metric counts), the command line
(``python -m incidents export``, ``incidents.cli``) what a share-link query selects. The tabular
formats are written by ``incidents.export.tabular``, the HTML map by
``incidents.export.standalone``.
"""

from __future__ import annotations

import pandas as pd

from incidents.csvsafe import FORMULA_PREFIXES, neutralise_cell
from incidents.errors import IncidentsError
from incidents.export.standalone import describe_filters, to_standalone_html
from incidents.export.tabular import to_csv_bytes, to_geojson, to_geojson_bytes
from incidents.i18n import N_
from incidents.urlstate import ViewState

__all__ = [
    "CDN_NOTE",
    "FORMATS",
    "FORMULA_PREFIXES",
    "ExportError",
    "describe_filters",
    "export_bytes",
    "export_filename",
    "neutralise_cell",
    "to_csv_bytes",
    "to_geojson",
    "to_geojson_bytes",
    "to_standalone_html",
]

#: Format -> (file extension, MIME type).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv"),
    "geojson": ("geojson", "application/geo+json"),
    "html": ("html", "text/html"),
}


#: What a recipient of the HTML map needs to know; the app shows it next to the download.
CDN_NOTE = N_(
    "The HTML map is one self-contained file: it opens and plays in any browser without this "
    "server and without internet. Only the basemap tiles need internet; without it the map "
    "shows the country and region outlines and town labels instead."
)  # translated where it is shown

class ExportError(IncidentsError):
    """An export cannot be written (a folder that does not exist, a full disk)."""


# --- one entry point for the app and the command line -------------------------------------------


def export_bytes(df: pd.DataFrame, fmt: str, view: ViewState | None = None, *,
                 notice: str = "") -> bytes:
    """Return ``df`` exported as ``fmt`` (csv, geojson or html)."""
    if fmt == "csv":
        return to_csv_bytes(df)
    if fmt == "geojson":
        return to_geojson_bytes(df)
    if fmt == "html":
        return to_standalone_html(df, view, notice=notice).encode("utf-8")
    raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def export_filename(fmt: str, view: ViewState | None = None) -> str:
    """Return a file name for an export: ``incident-atlas_2024-01-01_2024-12-31.csv``."""
    f = (view or ViewState()).filters
    parts = ["incident-atlas"]
    if f.start or f.end:
        parts.append(f"{f.start or 'start'}_{f.end or 'end'}")
    if f.countries and len(f.countries) <= 3:
        parts.append("-".join(f.countries))
    return "_".join(parts) + "." + FORMATS[fmt][0]
