"""The shared sidebar of filters; returns the ``Filters`` value object the pages apply."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import state
from components.i18n import _, formatter, language
from incidents.countries import name_for
from incidents.filtering import ACTOR_ROLES, FilterIndex, Filters
from incidents.schema import EVENT_TYPE_BY_CODE, EVENT_TYPE_CODES, GEO_PRECISIONS, PRECISIONS

PRECISION_LABELS = {p.code: p.label for p in PRECISIONS}

EVENT_TYPE_LABELS = {t.code: t.label for t in EVENT_TYPE_BY_CODE.values()}


def precision_label(precision: str | None) -> str:
    """Return the label of a place-precision class in this session's language."""
    label = PRECISION_LABELS.get(precision or "")
    return _(label) if label else str(precision or "")


def event_type_label(code: str) -> str:
    """Return the label of an event type in this session's language."""
    etype = EVENT_TYPE_BY_CODE.get(str(code), EVENT_TYPE_BY_CODE["other"])
    return _(etype.label)


def data_span(df: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """Return the first and last day any incident covers."""
    if df["date_start"].notna().any():
        first = df["date_start"].min().date()
        last = df["date_end"].fillna(df["date_start"]).max().date()
        return first, last
    today = dt.date.today()
    return today, today


def keep_window_in_data(first: dt.date, last: dt.date) -> None:
    """Keep the date window valid when the data's span changes (an import, a deletion).

    A window that showed the whole span keeps showing the whole span; any other window is
    clamped into the new span (the date widget refuses values outside its bounds).
    """
    ss = st.session_state
    previous = ss.get(state.DATA_SPAN)
    ss[state.DATA_SPAN] = (first, last)
    window = ss.get(state.W_DATES)
    if not window or previous == (first, last):
        return
    start, end = window[0], window[-1]
    if previous and (start, end) == previous:
        ss[state.W_DATES] = (first, last)
        return
    start, end = min(max(start, first), last), min(max(end, first), last)
    ss[state.W_DATES] = (min(start, end), max(start, end))


#: Every filter widget's key, in the order they are drawn.
FILTER_KEYS = (state.W_DATES, state.W_COUNTRY, state.W_ADMIN1, state.W_ACTOR, state.W_ACTOR_ROLE,
               state.W_TYPE, state.W_MIN_FATALITIES, state.W_PRECISION, state.W_TEXT)


def keep_filter_state() -> None:
    """Keep the filters' values through a page that does not draw them (Streamlit forgets
    the value of a widget that is not drawn in a run)."""
    ss = st.session_state
    for key in FILTER_KEYS:
        if key in ss:
            ss[key] = ss[key]


def _reset(first: dt.date, last: dt.date) -> None:
    # Every widget gets its default value written back: a key merely removed from session
    # state leaves the old value in the browser's widget, which sends it again on the next
    # rerun (the search box kept "Gao" and re-applied it on the next page change).
    ss = st.session_state
    ss[state.W_DATES] = (first, last)
    for key in (state.W_COUNTRY, state.W_ADMIN1, state.W_ACTOR, state.W_TYPE, state.W_PRECISION):
        ss[key] = []
    ss[state.W_ACTOR_ROLE] = "either"
    ss[state.W_MIN_FATALITIES] = 0
    ss[state.W_TEXT] = ""
    ss.pop(state.PENDING_WINDOW, None)


def render_sidebar(df: pd.DataFrame, index: FilterIndex | None = None) -> Filters:
    """Draw the filters in the sidebar and return what they select.

    ``index`` (``FilterIndex`` of ``df``, prepared once per dataset) supplies the option lists.
    """
    first, last = data_span(df)
    index = index if index is not None else FilterIndex(df)
    options = index.options
    sb = st.sidebar
    sb.header(_("Filters"))
    dates = sb.date_input(
        # A tuple value keeps the widget in range mode; when a link, a brush or a step set
        # the window, the value in session state wins.
        _("Date range"), value=(first, last),
        min_value=first, max_value=last,
        key=state.W_DATES, help=_("An incident is shown when any day it may have happened on "
                                  "falls in the range."),
        # TRANSLATORS: the date picker's format; only YYYY/MM/DD, DD/MM/YYYY or MM/DD/YYYY.
        format=_("YYYY/MM/DD"),
    )
    start, end = (dates[0], dates[-1]) if isinstance(dates, (tuple, list)) and dates else (first, last)
    lang = language()  # bound now: a format_func may run outside this script run
    countries = sb.multiselect(
        _("Country"), options["country"], key=state.W_COUNTRY,
        format_func=lambda c: f"{name_for(c, lang) or c} ({c})",
        placeholder=_("All countries"),
    )
    admin1 = sb.multiselect(
        _("Region (admin 1)"), index.admin1_options(tuple(countries)),
        key=state.W_ADMIN1, placeholder=_("All regions"),
    )
    actors = sb.multiselect(_("Actor"), options["actor"], key=state.W_ACTOR,
                            placeholder=_("All actors"),
                            help=_("An incident matches when a chosen actor took part in it, "
                                   "on the side chosen below."))
    role = sb.segmented_control(
        _("Actor's role"), list(ACTOR_ROLES), format_func=formatter(ACTOR_ROLES, state.W_ACTOR_ROLE),
        key=state.W_ACTOR_ROLE,
        default=None if state.W_ACTOR_ROLE in st.session_state else "either",
        label_visibility="collapsed",
        help=_("Either: the actor carried out the incident or was its target (UCDP side A or "
               "B, ACLED actor 1 or 2)."),
    ) or "either"
    types = sb.multiselect(
        _("Event type"), list(EVENT_TYPE_CODES), key=state.W_TYPE,
        format_func=formatter(EVENT_TYPE_LABELS, state.W_TYPE), placeholder=_("All event types"),
    )
    min_fat = sb.number_input(
        _("Minimum fatalities (best estimate)"), min_value=0,
        value=0, step=1,
        key=state.W_MIN_FATALITIES,
        help=_("Above 0, incidents whose fatalities are unknown are left out."),
    )
    min_fat = min_fat or 0
    precisions = sb.multiselect(
        _("Place precision"), list(GEO_PRECISIONS), key=state.W_PRECISION,
        format_func=formatter(PRECISION_LABELS, state.W_PRECISION), placeholder=_("Any precision"),
    )
    text = sb.text_input(
        _("Search text"), key=state.W_TEXT, max_chars=200,
        placeholder=_("place, actor, target, description…"),
    )
    sb.button(_("Reset filters"), key=state.W_RESET, on_click=_reset, args=(first, last),
              width="stretch")
    return Filters(
        start=start, end=end, countries=tuple(countries), admin1=tuple(admin1),
        actors=tuple(actors), event_types=tuple(types), min_fatalities=int(min_fat) or None,
        precisions=tuple(precisions), text=text.strip(), actor_role=role,
    )
