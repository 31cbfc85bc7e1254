"""Keep the dashboard's state in the URL: apply a shared link once, then mirror every change."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import state
from components.i18n import _, browser_language, language
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
    result = parse_query(params, countries=is_iso2, lang=language())
    notices = list(result.notices)
    _apply_dates(result.state.filters, first, last, notices)
    _apply_filters(df, result.state.filters, notices)
    _apply_map(df, result.state, notices)
    if notices:
        st.session_state[state.URL_NOTICES] = notices


def _apply_dates(f: Filters, first: dt.date, last: dt.date, notices: list[str]) -> None:
    """Set the date window the link asks for, clamped to the data's ``first`` – ``last``."""
    if not (f.start or f.end):
        return
    start, end = f.start or first, f.end or last
    if start < first or end > last:
        notices.append(_("Dates clamped to the data, {first} – {last}.", first=first,
                         last=last))
    start, end = min(max(start, first), last), max(min(end, last), first)
    st.session_state[state.W_DATES] = (min(start, end), max(start, end))


def _keep(df: pd.DataFrame, key: str, values: tuple[str, ...], columns: tuple[str, ...],
          what: str, notices: list[str]) -> None:
    """Set the widget ``key`` to the ``values`` found in ``columns``; say which are not.
    ``what`` names the filter in a notice: "No incidents for {what} …"."""
    if not values:
        return
    present = _options(df, *columns)
    good = [v for v in values if v in present]
    missing = [v for v in values if v not in present]
    if missing:
        notices.append(_("No incidents for {what} {values}: ignored.", what=what,
                         values=", ".join(repr(m) for m in missing[:5])))
    if good:
        st.session_state[key] = good


def _apply_filters(df: pd.DataFrame, f: Filters, notices: list[str]) -> None:
    """Set the sidebar's filter widgets from the link's filters."""
    ss = st.session_state
    _keep(df, state.W_COUNTRY, f.countries, ("country",), _("country"), notices)
    _keep(df, state.W_ADMIN1, f.admin1, ("admin1",), _("region"), notices)
    _keep(df, state.W_ACTOR, f.actors, ("actor", "target"), _("actor"), notices)
    ss[state.W_ACTOR_ROLE] = f.actor_role
    if f.event_types:
        ss[state.W_TYPE] = list(f.event_types)
    if f.precisions:
        ss[state.W_PRECISION] = list(f.precisions)
    if f.min_fatalities:
        ss[state.W_MIN_FATALITIES] = f.min_fatalities
    if f.text:
        ss[state.W_TEXT] = f.text


def _apply_map(df: pd.DataFrame, link: ViewState, notices: list[str]) -> None:
    """Set the map's layer, basemap, view and selected incident from the link."""
    ss = st.session_state
    ss[state.W_LAYER] = link.layer
    ss[state.W_BASEMAP] = link.basemap
    if link.lat is not None:
        ss[state.MAP_VIEW] = {"lat": link.lat, "lon": link.lon,
                              "zoom": link.zoom if link.zoom is not None else 8}
    if not link.incident:
        return
    row = df[df["incident_id"] == link.incident]
    if not len(row):
        notices.append(_("Incident {id} is not in the data: ignored.", id=repr(link.incident)))
        return
    ss[state.SELECTED] = link.incident
    lat, lon = row["latitude"].iloc[0], row["longitude"].iloc[0]
    if link.lat is None and pd.notna(lat):  # the map opens on the incident
        ss[state.MAP_VIEW] = {"lat": round(float(lat), 5), "lon": round(float(lon), 5),
                              "zoom": link.zoom or 9}


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
        lang=language(),
    )


def _defaults(first: dt.date, last: dt.date, lang: str | None = None) -> ViewState:
    return ViewState(filters=Filters(start=first, end=last), lang=lang)


def write_link(view: ViewState, first: dt.date, last: dt.date) -> None:
    """Mirror ``view`` into the address bar (only parameters that differ from the defaults;
    the language when it is not the browser's)."""
    wanted = encode_query(view, default=_defaults(first, last, browser_language()))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def share_url(view: ViewState, first: dt.date, last: dt.date) -> str:
    """Return the full link that opens ``view`` for someone else, in the same language
    (``lang`` is always in it: a colleague's browser may ask for another)."""
    base = (st.context.url or "").split("?", 1)[0]
    query = encode_query_string(view, default=_defaults(first, last))
    return f"{base}?{query}" if query else base


def show_notices() -> None:
    """Show what a link asked for that could not be applied, until dismissed."""
    notices = st.session_state.get(state.URL_NOTICES)
    if not notices:
        return
    with st.container(border=True):
        st.warning(_("Parts of the link you opened could not be applied; the rest of it was."),
                   icon=":material/link_off:")
        for notice in notices:
            st.text(notice)  # shown literally: a notice may quote hostile input
        if st.button(_("Dismiss"), key=state.W_URL_NOTICES_DISMISS):
            st.session_state.pop(state.URL_NOTICES, None)
            st.rerun()
