"""The timeline under the map: a brushable histogram and the playback settings.

The date window is the sidebar's date range: brushing, stepping and playing only request a
new window (applied by ``apply_pending_window`` before the sidebar is drawn), so the map, the
table and the ``Incidents`` metric all follow from the same filters. The player (Play, steps,
the window) is ``components.player``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from components import state
from components.i18n import N_, _, formatter, language
from incidents.i18n import vega_locale
from incidents.schema import EVENT_TYPES
from incidents.timeline import STEP_UNITS, choose_freq

SPEEDS = {0.5: N_("fast (0.5 s)"), 1.0: N_("normal (1 s)"), 2.0: N_("slow (2 s)")}
MODES = {"cumulative": N_("Cumulative"), "sliding": N_("Sliding window")}
UNITS = {"day": N_("day"), "week": N_("week"), "month": N_("month")}  # STEP_UNITS, bin sizes
MEASURES = {"incidents": N_("Incidents"), "fatalities": N_("Fatalities")}
AXIS_TITLES = {
    ("incidents", "day"): N_("Incidents per day"),
    ("incidents", "week"): N_("Incidents per week"),
    ("incidents", "month"): N_("Incidents per month"),
    ("fatalities", "day"): N_("Fatalities (best estimate) per day"),
    ("fatalities", "week"): N_("Fatalities (best estimate) per week"),
    ("fatalities", "month"): N_("Fatalities (best estimate) per month"),
}
BIN_STARTS = {"day": N_("Day"), "week": N_("Week starting"), "month": N_("Month")}
BRUSH = "window"


def request_window(start: dt.date, end: dt.date) -> None:
    """Ask for a new date window; it applies at the start of the next run."""
    st.session_state[state.PENDING_WINDOW] = (start, end)


def apply_pending_window(first: dt.date, last: dt.date) -> None:
    """Move a requested window into the date-range widget (call before it is drawn)."""
    pending = st.session_state.pop(state.PENDING_WINDOW, None)
    if pending:
        start, end = (min(max(d, first), last) for d in pending)
        st.session_state[state.W_DATES] = (min(start, end), max(start, end))


def window_of(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Return the date window this session shows (the sidebar's date range)."""
    value = st.session_state.get(state.W_DATES) or (first, last)
    return (value[0], value[-1]) if len(value) else (first, last)


def window_from_selection(event) -> tuple[dt.date, dt.date] | None:
    """Return the dates an Altair interval selection event covers, else None."""
    selection = ((event or {}).get("selection") or {}).get(BRUSH) or {}
    bounds = selection.get("period")
    if not bounds or len(bounds) != 2:
        return None
    try:
        stamps = sorted(pd.Timestamp(b, unit="ms") if isinstance(b, (int, float))
                        else pd.Timestamp(b) for b in bounds)
    except (ValueError, TypeError):
        return None
    return stamps[0].date(), stamps[1].date()


def _on_brush(first: dt.date, last: dt.date) -> None:
    window = window_from_selection(st.session_state.get(state.W_BRUSH))
    if window is None:
        return
    request_window(*window)


#: Vega's expression for a period's timestamp from ``d``, its day since 1970-01-01: local
#: midnight, as Streamlit hands the chart a date column (it adds the timezone offset).
_PERIOD_JS = "datum.d * 864e5 + timezoneoffset(datum.d * 864e5) * 6e4"


def _wide(bins: pd.DataFrame, measure: str) -> tuple[pa.Table, float, int]:
    """Return one row per period: ``d`` its first day (days since 1970-01-01) and ``p<j>``
    the measure and its imprecise share for the j-th event type, packed as
    ``measure * base + imprecise``, with the scale they are stored at and the base. The
    chart's data travels to the browser whenever it changes: tenths when they fit 16 bits
    (the chart shows one decimal), else whole numbers; both numbers of a type in one 32-bit
    column while they fit 16 bits each (else a double, exact up to 2**27 per bar); an Arrow
    table without pandas' metadata, with nine columns instead of seventeen.
    """
    codes = [t.code for t in EVENT_TYPES]
    columns = {}
    for prefix, column in (("v", measure), ("m", "imprecise")):
        wide = bins.pivot_table(index="period", columns="event_type", values=column,
                                aggfunc="sum", fill_value=0.0, observed=True)
        wide = wide.reindex(columns=codes, fill_value=0.0)
        columns.update({f"{prefix}{j}": wide[c].to_numpy() for j, c in enumerate(codes)})
        periods = wide.index
    top = max((float(v.max()) for v in columns.values()), default=0.0)
    # Tenths while they fit 16 bits; above, whole numbers (a tenth of a bar of thousands is
    # not seen).
    scale = 10.0 if top < 6_500 else 1.0
    base, kind = (1 << 16, np.uint32) if top * scale < 65_535 else (1 << 26, np.float64)
    days = pd.DatetimeIndex(periods).to_numpy("datetime64[D]").astype(np.int64)
    arrays = {"d": pa.array(days.astype(np.uint16 if days.max(initial=0) < 65_536 else np.int32))}
    for j in range(len(codes)):
        value, imprecise = (np.rint(columns[f"{k}{j}"] * scale) for k in "vm")
        arrays[f"p{j}"] = pa.array((value * base + imprecise).astype(kind))
    return pa.table(arrays), scale, base


def _chart(bins: pd.DataFrame, freq: str, measure: str,
           window: tuple[dt.date, dt.date] | None):
    """The histogram; ``window`` (None: everything) is drawn as the brush, which the user can
    drag to move the window or redraw outside it."""
    labels = {t.code: _(t.label) for t in EVENT_TYPES}
    labels_js = json.dumps([labels[t.code] for t in EVENT_TYPES])
    data, scale, base = _wide(bins, measure)
    title = _("Incidents") if measure == "incidents" else _("Fatalities (best estimate)")
    initial = {} if window is None else {"value": {"x": [
        pd.Timestamp(window[0]).to_pydatetime(), pd.Timestamp(window[1]).to_pydatetime()]}}
    brush = alt.selection_interval(name=BRUSH, encodings=["x"], **initial)
    chart = (
        alt.Chart(data)
        .transform_fold([f"p{j}" for j in range(len(EVENT_TYPES))], as_=["key", "value"])
        .transform_calculate(
            period=_PERIOD_JS,
            type_label=f"{labels_js}[toNumber(slice(datum.key, 1))]",
            imprecise=f"(datum.value % {base}) / {scale}",
            value=f"floor(datum.value / {base}) / {scale}",
        )
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True)),
            y=alt.Y("sum(value):Q", title=_(AXIS_TITLES[measure, freq])),
            color=alt.Color(
                "type_label:N", title=None,
                scale=alt.Scale(domain=[labels[t.code] for t in EVENT_TYPES],
                                range=[t.color for t in EVENT_TYPES]),
                legend=alt.Legend(orient="right", symbolType="circle", labelLimit=190),
            ),
            opacity=alt.condition(brush, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("period:T", title=_(BIN_STARTS[freq]), format="%e %b %Y"),
                alt.Tooltip("type_label:N", title=_("Event type")),
                alt.Tooltip("sum(value):Q", title=title, format=",.1f"),
                alt.Tooltip("sum(imprecise):Q", title=_("from imprecise dates"), format=",.1f"),
            ],
        )
        .add_params(brush)
        .properties(height=170)
    )
    # Axis dates and numbers in the session's language (month names from CLDR); English is
    # Vega's own, not sent again with every change of the chart's data.
    lang = language()
    return chart if lang == "en" else chart.configure(locale=vega_locale(lang))


def render_timeline_panel(
    bins_for: Callable[[str], pd.DataFrame], first: dt.date, last: dt.date
) -> None:
    """Draw the playback settings and the histogram; ``bins_for(freq)`` returns the timeline
    bins (``incidents.timeline.bin_timeline``) of the filtered incidents at any date. The
    Play, step buttons and window are drawn by ``components.player`` above the map."""
    window = window_of(first, last)
    c = st.columns([1, 1.3, 1.1, 1.1, 1.6], vertical_alignment="bottom")
    c[0].selectbox(_("Step"), STEP_UNITS, index=1, key=state.W_STEP_UNIT,
                   format_func=formatter(UNITS, state.W_STEP_UNIT))
    mode = c[1].selectbox(_("Playback"), list(MODES), format_func=formatter(MODES, state.W_PLAY_MODE),
                          key=state.W_PLAY_MODE)
    c[2].selectbox(_("Speed"), list(SPEEDS), index=1, format_func=formatter(SPEEDS, state.W_PLAY_SPEED),
                   key=state.W_PLAY_SPEED)
    if mode == "sliding":
        c[3].number_input(_("Sliding window (days)"), 1, 3660, 30, key=state.W_SLIDING_DAYS)
    c[4].segmented_control(_("Measure"), list(MEASURES), default="incidents",
                           key=state.W_MEASURE, format_func=formatter(MEASURES, state.W_MEASURE))

    freq = choose_freq(first, last)
    measure = st.session_state.get(state.W_MEASURE) or "incidents"
    bins = bins_for(freq)
    if bins.empty:
        st.info(_("No dated incidents match the other filters."))
    else:
        shown = None if window == (first, last) else window  # the whole span: no brush yet
        st.altair_chart(_chart(bins, freq, measure, shown), key=state.W_BRUSH,
                        on_select=lambda: _on_brush(first, last), selection_mode=BRUSH,
                        width="stretch")
    st.caption(_("Drag across the chart to set the window. One bar per {unit}; incidents "
                 "dated only to a week, month or year, or to a range, are spread over every "
                 "bar they may fall in.", unit=_(UNITS[freq])))
