"""The timeline under the map: incidents per bin, stacked by event type."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from incidents.schema import EVENT_TYPES
from incidents.timeline import bin_timeline, choose_freq


def render_timeline(df: pd.DataFrame, start, end, *, measure: str = "incidents") -> None:
    """Draw a stacked bar chart of ``df`` per day, week or month (chosen by the span)."""
    freq = choose_freq(start, end)
    bins = bin_timeline(df, freq)
    if bins.empty:
        st.info("No dated incidents match the filters.")
        return
    labels = {t.code: t.label for t in EVENT_TYPES}
    bins = bins.assign(type_label=bins["event_type"].map(labels))
    title = "Incidents" if measure == "incidents" else "Fatalities (best estimate)"
    chart = (
        alt.Chart(bins)
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=f"per {freq}"),
            y=alt.Y(f"sum({measure}):Q", title=title),
            color=alt.Color(
                "type_label:N", title="Event type",
                scale=alt.Scale(domain=[t.label for t in EVENT_TYPES],
                                range=[t.color for t in EVENT_TYPES]),
                legend=alt.Legend(orient="bottom", columns=4),
            ),
            tooltip=[
                alt.Tooltip("period:T", title=f"{freq} starting"),
                alt.Tooltip("type_label:N", title="Event type"),
                alt.Tooltip(f"sum({measure}):Q", title=title, format=",.1f"),
                alt.Tooltip("sum(imprecise):Q", title="of which imprecise dates", format=",.1f"),
            ],
        )
        .properties(height=190)
    )
    st.altair_chart(chart, width="stretch")
    st.caption(f"Per {freq}. Incidents dated only to a week, month or year, or to a range, are "
               "spread over every bin they may fall in (fractional counts).")
