"""Keep the dashboard's state in the URL: apply a shared link once, then mirror every change."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import state
from incidents.countries import is_iso2
from incidents.filtering import Filters
from incidents.urlstate import ViewState, encode_query, encode_query_string, parse_query


def _options(df: pd.DataFrame, *columns: str) -> set[str]:
    return {str(v) for column in columns for v in df[column].dropna().unique()}


def apply_link_once(df: pd.DataFrame, first: dt.date, last: dt.date) -> None:
    """Apply the query parameters this session was opened with to the widgets, once.

    Values the data cannot show (a country with no incidents, a date outside the data) are
    dropped or clamped with a notice, as are malformed ones; the rest of the link applies.
    """
    if st.session_state.get(state.URL_LOADED):
        return
    st.session_state[state.URL_LOADED] = True
    params = st.query_params.to_dict()
    if not params:
        return
    result = parse_query(params, countries=is_iso2)
    notices = list(result.notices)
    link, f = result.state, result.state.filters
    ss = st.session_state

    if f.start or f.end:
        start, end = f.start or first, f.end or last
        if start < first or end > last:
            notices.append(f"Dates clamped to the data, {first} – {last}.")
        start, end = min(max(start, first), last), max(min(end, last), first)
        ss[state.W_DATES] = (min(start, end), max(start, end))

    def keep(key: str, values: tuple[str, ...], column: str | tuple[str, ...], what: str) -> None:
        if not values:
            return
        present = _options(df, *((column,) if isinstance(column, str) else column))
        good = [v for v in values if v in present]
        missing = [v for v in values if v not in present]
        if missing:
            notices.append(f"No incidents for {what} " + ", ".join(repr(m) for m in missing[:5])
                           + ": ignored.")
        if good:
            ss[key] = good

    keep(state.W_COUNTRY, f.countries, "country", "country")
    keep(state.W_ADMIN1, f.admin1, "admin1", "region")
    keep(state.W_ACTOR, f.actors, ("actor", "target"), "actor")
    ss[state.W_ACTOR_ROLE] = f.actor_role
    if f.event_types:
        ss[state.W_TYPE] = list(f.event_types)
    if f.precisions:
        ss[state.W_PRECISION] = list(f.precisions)
    if f.min_fatalities:
        ss[state.W_MIN_FATALITIES] = f.min_fatalities
    if f.text:
        ss[state.W_TEXT] = f.text
    ss[state.W_LAYER] = link.layer
    ss[state.W_BASEMAP] = link.basemap
    if link.lat is not None and link.zoom is not None:
        ss[state.MAP_VIEW] = {"lat": link.lat, "lon": link.lon, "zoom": link.zoom}
    elif link.lat is not None:
        ss[state.MAP_VIEW] = {"lat": link.lat, "lon": link.lon, "zoom": 8}
    if link.incident:
        row = df[df["incident_id"] == link.incident]
        if len(row):
            ss[state.SELECTED] = link.incident
            lat, lon = row["latitude"].iloc[0], row["longitude"].iloc[0]
            if link.lat is None and pd.notna(lat):  # the map opens on the incident
                ss[state.MAP_VIEW] = {"lat": round(float(lat), 5), "lon": round(float(lon), 5),
                                      "zoom": link.zoom or 9}
        else:
            notices.append(f"Incident {link.incident!r} is not in the data: ignored.")
    if notices:
        ss[state.URL_NOTICES] = notices


def current_state(filters: Filters) -> ViewState:
    """Return the view this session shows now, as a shared link would reproduce it."""
    ss = st.session_state
    view = ss.get(state.MAP_VIEW) or {}
    return ViewState(
        filters=filters,
        lat=view.get("lat"),
        lon=view.get("lon"),
        zoom=view.get("zoom"),
        incident=ss.get(state.SELECTED),
        layer=ss.get(state.W_LAYER) or "clusters",
        basemap=ss.get(state.W_BASEMAP) or "light",
    )


def _defaults(first: dt.date, last: dt.date) -> ViewState:
    return ViewState(filters=Filters(start=first, end=last))


def write_link(view: ViewState, first: dt.date, last: dt.date) -> None:
    """Mirror ``view`` into the address bar (only parameters that differ from the defaults)."""
    wanted = encode_query(view, default=_defaults(first, last))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def share_url(view: ViewState, first: dt.date, last: dt.date) -> str:
    """Return the full link that opens ``view`` for someone else."""
    base = (st.context.url or "").split("?", 1)[0]
    query = encode_query_string(view, default=_defaults(first, last))
    return f"{base}?{query}" if query else base


def show_notices() -> None:
    """Show what a link asked for that could not be applied, until dismissed."""
    notices = st.session_state.get(state.URL_NOTICES)
    if not notices:
        return
    with st.container(border=True):
        st.warning("Parts of the link you opened could not be applied; the rest of it was.",
                   icon=":material/link_off:")
        for notice in notices:
            st.text(notice)  # shown literally: a notice may quote hostile input
        if st.button("Dismiss", key="url_notices_dismiss"):
            st.session_state.pop(state.URL_NOTICES, None)
            st.rerun()
