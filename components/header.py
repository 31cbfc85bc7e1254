"""The header above every page: the title, the ``Incidents`` metric, fatalities, the window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from components.i18n import _, _n, date, number
from incidents.filtering import Filters


def fatalities_text(best: pd.Series | np.ndarray) -> tuple[str, str | None]:
    """Return the fatalities metric's value and delta for the best estimates ``best`` (a
    Series, or floats with NaN where unknown).

    No incident at all: 0. Every matching incident's figure unknown: "unknown" (never 0).
    Some unknown: the sum of the known ones, and how many are unknown, apart.
    """
    values = np.asarray(pd.Series(best).to_numpy(dtype="float64", na_value=np.nan))
    unknown = int(np.isnan(values).sum())
    if len(values) == 0:
        return "0", None
    if unknown == len(values):
        return _("unknown"), None
    return number(int(np.nansum(values))), (_n("{n} unknown", "{n} unknown", unknown) if unknown
                                            else None)


# Less empty space above the header, so that the map and its player fit a 1440x900 screen.
_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; padding-left: .6rem;
                                         padding-right: .6rem; }
  .st-key-header_subtitle { display: none; }  /* the map comes first on a phone */
}
</style>"""


def render_header(count: int, best: pd.Series | np.ndarray, filters: Filters | None, *,
                  show_window: bool = True) -> None:
    """Draw the header for ``count`` incidents with best fatality estimates ``best``;
    ``filters`` None on pages where no filter applies; ``show_window`` False where the page
    shows the date window itself (the Map page's player)."""
    st.html(_CSS)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        with st.container(width="stretch"):
            st.markdown("#### Incident Atlas")
            with st.container(key="header_subtitle"):
                st.caption(_("Attacks and armed incidents in Mali, Burkina Faso and Niger · "
                             "UCDP GED and the founding reports of {day}",
                             day=date(dt.date(2024, 9, 17))))
        with st.container(key="metric_incidents", width="content"):
            st.metric("Incidents", number(count))  # the label is an interface
        value, delta = fatalities_text(best)
        with st.container(key="metric_fatalities", width="content"):
            st.metric(_("Fatalities (best est.)"), value, delta=delta, delta_color="off",
                      delta_arrow="off",
                      help=_("Sum of best estimates; incidents whose fatalities no source "
                             "states are counted apart, never as 0."))
    if show_window and filters is not None and filters.start and filters.end:
        with st.container(key="window_caption"):
            st.caption(_("Window: {start} – {end}", start=date(filters.start, "medium"),
                         end=date(filters.end, "medium")))
