"""Streamlit pieces of the Geocode page: the cached geocoder, the geocode run, the review of
doubtful places with a small map to pick a candidate or place the point by hand (the map
itself, and where it opens, are ``incidents.review_map``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit_folium import st_folium

from components import data, state
from components.filters import PRECISION_LABELS, precision_label
from components.i18n import N_, _, _n, formatter, language, number
from components.incident_card import column_config
from components.text import literal
from incidents.errors import IncidentsError
from incidents.geocoding import Geocoder, GeoResult
from incidents.geocoding.review import (
    GeocodeRunReport,
    apply_correction,
    geocode_missing,
    unmapped,
)
from incidents.notes import translate_note
from incidents.review_map import place_hint, place_rows, review_map
from incidents.schema import GEO_PRECISIONS

__all__ = [
    "geocoder_for",
    "place_key",
    "review_section",
    "run_section",
    "show_flash",
    "show_status",
]


CURRENT, CLICKED = "current", "clicked"


#: How the review queue names each status (incidents.geocoding.review.review_queue).
STATUS_LABELS = {"unresolved": N_("unresolved"), "other country": N_("other country"),
                 "low confidence": N_("low confidence")}


def _status(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def geocoder_for(url: str) -> Geocoder:
    """Return the shared geocoder for the database at ``url``, its index built."""
    with st.spinner(_("Loading the gazetteer…")):
        return data.geocoder(url)


def show_status(geocoder: Geocoder) -> None:
    """Say which geocoders answer: the offline index only, or online too (or online down)."""
    icon = ":material/cloud_off:" if not geocoder.online_enabled else ":material/cloud:"
    st.caption(f"{icon} " + _("Geocoder: {status}.",
                              status=literal(geocoder.status(language()))))


def show_flash() -> None:
    """Show (once) what the last save on this page did."""
    message = st.session_state.pop(state.GEO_FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def place_key(location: str, country: str | None) -> str:
    """Return a short stable key for a place text and country (for widget keys)."""
    return hashlib.sha1(f"{location}\x1f{country or ''}".encode()).hexdigest()[:12]


# -- section 1: incidents without coordinates -----------------------------------------------

def run_section(engine: Engine, df: pd.DataFrame, geocoder: Geocoder) -> None:
    """Count the unmapped incidents, geocode them on request with a progress bar, report."""
    todo = unmapped(df)
    manual = int((todo["geocoder"] == "manual").fillna(False).sum())
    n = len(todo) - manual
    st.markdown("#### " + _("Incidents without coordinates"))
    report = st.session_state.get(state.GEO_RUN_REPORT)
    if report is not None:
        _show_report(report)
    if n == 0:
        st.caption(_("Every incident in the database has a point (filters do not apply here)."))
        return
    st.caption(_n("{n} incident in the database has no point (filters do not apply here).",
                  "{n} incidents in the database have no point (filters do not apply here).", n)
               + " " + _("Each distinct place text is looked up once; places nothing matches "
                         "stay unmapped and appear in the review below."))
    if not st.button(_n("Geocode {n} incident", "Geocode {n} incidents", n), key=state.W_GEO_RUN,
                     type="primary", icon=":material/travel_explore:"):
        return
    bar = st.progress(0.0, text=_("Starting"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=_n("{done} of {n} place", "{done} of {n} places",
                                                   total, done=number(done)))

    try:
        report = geocode_missing(engine, df, geocoder, progress=progress)
    except IncidentsError as exc:
        bar.empty()
        st.error(_("The geocode run failed and nothing was stored: {error}. Try again; if it "
                   "keeps failing, check the database connection.", error=literal(exc)))
        return
    st.session_state[state.GEO_RUN_REPORT] = report
    data.clear()
    st.rerun()  # every page, and the Incidents metric, read the new points


def _show_report(report: GeocodeRunReport) -> None:
    kind = st.success if report.unresolved == 0 else st.info
    kind(_("Last run: {summary}", summary=report.summary(language())),
         icon=":material/fact_check:")
    if report.unresolved_places_list:
        with st.expander(_n("{n} place not found", "{n} places not found",
                            report.unresolved_places)):
            st.dataframe(
                pd.DataFrame(report.unresolved_places_list,
                             columns=[_("Place (as reported)"), _("Country"), _("Incidents")]),
                hide_index=True, width="stretch",
            )


# -- section 2: review ------------------------------------------------------------------------

def review_section(engine: Engine, df: pd.DataFrame, geocoder: Geocoder, url: str,
                   version: int) -> None:
    """Show the review queue; for the selected place, the map, the choices and the save."""
    st.markdown("#### " + _("Review"))
    threshold = st.columns([2, 3])[0].slider(
        _("Review places matched with confidence below"), 0.1, 1.0, 0.6, 0.05, key=state.W_GEO_THRESHOLD,
        help=_("Places matched in another country than their incidents', and places nothing "
               "matched, are always listed."))
    with st.spinner(_("Checking places…")):
        queue = data.review_queue(url, version, threshold, df, geocoder)
    if queue.empty:
        st.caption(_("Nothing to review: every place text read automatically matched with "
                     "enough confidence."))
        return
    labels = [_place_label(r) for r in queue.itertuples(index=False)]
    st.caption(_n("{n} place to review, unresolved first. Select a row, or a place below.",
                  "{n} places to review, unresolved first. Select a row, or a place below.",
                  len(queue)))
    st.dataframe(
        _queue_table(queue), key=state.W_GEO_QUEUE, on_select=lambda: _select_row(labels),
        selection_mode="single-row", hide_index=True, width="stretch",
        height=min(38 + 35 * len(queue), 280),
        column_config={
            _("Confidence"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                             format="%.2f"),
        },
    )
    if st.session_state.get(state.W_GEO_PLACE) not in labels:
        st.session_state[state.W_GEO_PLACE] = labels[0]
    label = st.selectbox(_("Place to review"), labels, key=state.W_GEO_PLACE)
    entry = queue.iloc[labels.index(label)]
    _review_place(engine, df, geocoder, entry)


def _place_label(row) -> str:
    country = f" ({row.country})" if row.country else ""
    return f"{row.location}{country}"


def _queue_table(queue: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        _("Place (as reported)"): queue["location"],
        _("Country"): queue["country"],
        _("Incidents"): queue["incidents"],
        _("Status"): queue["status"].map(_status),
        _("Current match"): queue["matched_name"].fillna(""),
        _("Confidence"): queue["confidence"],
    })


def _select_row(labels: list[str]) -> None:
    selection = st.session_state.get(state.W_GEO_QUEUE)
    rows = selection.selection.rows if selection is not None else []
    if rows:
        st.session_state[state.W_GEO_PLACE] = labels[rows[0]]


@dataclass(frozen=True)
class _Choice:
    label: str  # Markdown, data escaped
    latitude: float
    longitude: float
    geo_precision: str | None  # None for a point placed by hand
    name: str | None


def _precision_label(precision: str | None) -> str:
    return literal(precision_label(precision))


def _options(result: GeoResult, clicked: dict | None) -> dict[str, _Choice]:
    """Return choice key -> the point it stands for: the current match, candidates, a click."""
    options: dict[str, _Choice] = {}
    if result.found:
        options[CURRENT] = _Choice(
            _("Current match: {name} ({country})", name=literal(result.matched_name),
              country=literal(result.country or "?"))
            + f" · {_precision_label(result.geo_precision)}",
            result.latitude, result.longitude, result.geo_precision, result.matched_name)
    for n, c in enumerate(result.candidates, start=1):
        options[str(n)] = _Choice(
            f"{n}. {literal(c.name)} ({literal(c.country)}) · {_precision_label(c.geo_precision)}",
            c.latitude, c.longitude, c.geo_precision, c.name)
    if clicked is not None:
        options[CLICKED] = _Choice(
            _("Point placed by hand: {lat}, {lon}", lat=format(clicked["lat"], ".5f"),
              lon=format(clicked["lng"], ".5f")),
            float(clicked["lat"]), float(clicked["lng"]), None, None)
    return options


def _why(result: GeoResult) -> str:
    """Return what the geocoder says about its answer: confidence, region, notes."""
    lang = language()
    parts = [_("confidence {value}", value=number(result.confidence, 2))] if result.found else []
    where = ", ".join(a for a in (result.admin2, result.admin1) if a)
    if where:
        parts.append(_("in {place}", place=literal(where)))
    parts.extend(literal(translate_note(n, lang)) for n in result.notes)
    return " · ".join(parts) or _("no note")


def _review_place(engine: Engine, df: pd.DataFrame, geocoder: Geocoder,
                  entry: pd.Series) -> None:
    result: GeoResult = entry["result"]
    key = place_key(entry["location"], entry["country"])
    map_key, choice_key = state.GEO_REVIEW_MAP + key, state.W_GEO_CHOICE + key
    # The component's latest answer arrives before this rerun: a new click becomes the choice.
    clicked = (st.session_state.get(map_key) or {}).get("last_clicked")
    if clicked and clicked != st.session_state.get(state.GEO_LAST_CLICK + key):
        st.session_state[state.GEO_LAST_CLICK + key] = clicked
        st.session_state[choice_key] = CLICKED
    options = _options(result, clicked or None)
    if st.session_state.get(choice_key) not in options:
        st.session_state.pop(choice_key, None)
    chosen = st.session_state.get(choice_key, next(iter(options), None))

    st.markdown(f"**{literal(entry['location'])}** · {literal(entry['country'] or '')} · "
                + _n("{n} incident", "{n} incidents", int(entry["incidents"]))
                + f" · {_status(entry['status'])}")
    st.caption(_why(result))
    if entry["status"] == "other country":
        st.warning(_("The current match is in {match}, but these incidents are in {country}. "
                     "The map opens where they are.", match=literal(result.country),
                     country=literal(entry["country"])),
                   icon=":material/wrong_location:")
    left, right = st.columns([3, 2])
    with left:
        point = ((options[chosen].latitude, options[chosen].longitude)
                 if chosen in options else None)
        hint = place_hint(result, entry["country"], place_rows(df, entry["location"]), geocoder)
        m, chosen_layer = review_map(result, point, hint, entry["country"],
                                     clicked=chosen == CLICKED, lang=language(),
                                     precision_label=precision_label)
        st_folium(m, key=map_key, height=420, use_container_width=True,
                  feature_group_to_add=chosen_layer, returned_objects=["last_clicked"])
        st.caption(_("Red: the current match. Blue, numbered: other candidates. Green ring: "
                     "the point to save. Click on the map to place the point by hand."))
    with right:
        if not options:
            st.info(_("No candidate: click on the map where this place is."),
                    icon=":material/touch_app:")
            _incidents_of(df, entry)
            return
        choice = st.radio(_("Point"), list(options), key=choice_key,
                          format_func=lambda k: options[k].label)
        picked = options[choice]
        default = picked.geo_precision or result.geo_precision or "town"
        precision = st.selectbox(
            _("What the point stands for"), GEO_PRECISIONS, index=GEO_PRECISIONS.index(default),
            format_func=formatter(PRECISION_LABELS, f"{state.W_GEO_PRECISION}{key}_{choice}"),
            key=f"{state.W_GEO_PRECISION}{key}_{choice}")
        st.caption(f"{picked.latitude:.5f}, {picked.longitude:.5f}. "
                   + _("Saved points win over the gazetteer for this place text from now on."))
        if st.button(_("Save correction"), key=state.W_GEO_SAVE, type="primary", icon=":material/save:"):
            _save(engine, geocoder, entry, picked.latitude, picked.longitude, precision,
                  picked.name)
        _incidents_of(df, entry)


def _save(engine: Engine, geocoder: Geocoder, entry: pd.Series, lat: float, lon: float,
          precision: str, name: str | None) -> None:
    try:
        moved = apply_correction(engine, geocoder, entry["location"], entry["country"], lat,
                                 lon, precision, matched_name=name)
    except IncidentsError as exc:
        st.error(_("The correction was not saved: {error}.", error=literal(exc)))
        return
    data.clear()
    st.session_state[state.GEO_FLASH] = _n(
        "Correction saved for {place}: {n} incident moved to {lat}, {lon} ({precision}).",
        "Correction saved for {place}: {n} incidents moved to {lat}, {lon} ({precision}).",
        moved, place=literal(entry["location"]), lat=format(lat, ".5f"), lon=format(lon, ".5f"),
        precision=precision_label(precision))
    st.rerun()


def _incidents_of(df: pd.DataFrame, entry: pd.Series) -> None:
    rows = place_rows(df, entry["location"], entry["country"])
    with st.expander(_("Incidents with this place text ({n})", n=number(len(rows)))):
        columns = ["incident_id", "date_start", "admin1", "admin2", "geocoder", "description"]
        st.dataframe(rows[columns].head(200), hide_index=True, width="stretch",
                     column_config=column_config(columns))
