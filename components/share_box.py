"""The "Export" popover: CSV, GeoJSON and standalone HTML downloads of exactly the frame given."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components import auth
from components.i18n import N_, _, _n, language
from incidents.export import (
    CDN_NOTE,
    FORMATS,
    export_filename,
    to_csv_bytes,
    to_geojson_bytes,
    to_standalone_html,
)
from incidents.privacy import describe_policy
from incidents.urlstate import ViewState

__all__ = ["render_exports"]

_LABELS = {
    "csv": (N_("CSV (spreadsheet)"), ":material/table_view:"),
    "geojson": (N_("GeoJSON (GIS)"), ":material/map:"),
    "html": (N_("HTML map with time slider"), ":material/movie:"),
}


def _html_bytes(df: pd.DataFrame, view: ViewState, notice: str) -> bytes:
    return to_standalone_html(df, view, notice=notice).encode("utf-8")


def _built(frame: Callable[[], pd.DataFrame], build: Callable[..., bytes], *args) -> bytes:
    return build(frame(), *args)


def render_exports(
    df: pd.DataFrame | Callable[[], pd.DataFrame],
    view_state: ViewState,
    *,
    notice: str | None = None,
    key: str = "export",
    container=None,
    rows: int | None = None,
) -> None:
    """Offer downloads of ``df`` (what is on screen) as CSV, GeoJSON and a standalone HTML map.

    ``df`` must be the frame the page shows: filtered, and with the public view applied for
    viewers; or a function returning it, with its number of ``rows``, so that a large
    selection is gathered only when a download is asked for. ``notice`` is written on the HTML
    map (default: the current user's public-view sentence). The files are built only when a
    button is clicked.
    """
    frame, count = (df, int(rows or 0)) if callable(df) else ((lambda: df), len(df))
    if notice is None:
        notice = describe_policy(auth.view_policy(), language())
    where = container if container is not None else st
    with where.popover(_("Export"), icon=":material/download:"):
        st.markdown(_n("Download the **{n} incident** shown, with the current filters.",
                       "Download the **{n} incidents** shown, with the current filters.",
                       count))
        if notice:
            st.caption(notice + " " + _("The files are the public view too."))
        builders = {
            "csv": functools.partial(_built, frame, to_csv_bytes),
            "geojson": functools.partial(_built, frame, to_geojson_bytes),
            "html": functools.partial(_built, frame, _html_bytes, view_state, notice),
        }
        for fmt, build in builders.items():
            label, icon = _LABELS[fmt]
            st.download_button(
                _(label), data=build, file_name=export_filename(fmt, view_state),
                mime=FORMATS[fmt][1], key=f"{key}_{fmt}", icon=icon, on_click="ignore",
                disabled=count == 0, width="stretch",
            )
        st.caption(_("CSV opens in spreadsheets (cells that could run as formulas start with "
                     "an apostrophe).") + " " + _(CDN_NOTE))
