"""Incidents page: a sortable table of the filtered incidents; a selected row shows its details."""

from __future__ import annotations

import streamlit as st

from components import state
from components.context import current
from components.filters import event_type_label, precision_label
from components.i18n import _, _n, number
from components.incident_card import column_config, render_incident
from components.share_box import render_exports
from components.url_sync import current_state
from incidents.schema import DATE_PRECISION_LABELS

ctx = current()
df = ctx.filtered

MAX_ROWS = 10_000  # a browser table of a million rows helps no one and costs seconds

columns = ["incident_id", "date_start", "date_precision", "country", "admin1", "location",
           "geo_precision", "event_type", "actor", "target", "fatalities_best", "dataset"]
newest = df.sort_values("date_start", ascending=False, kind="stable").head(MAX_ROWS)
table = newest[columns].reset_index(drop=True)
# Labels in the session's language; the codes stay in exports (an interface).
table["event_type"] = table["event_type"].astype("string").map(event_type_label,
                                                               na_action="ignore")
table["geo_precision"] = table["geo_precision"].astype("string").map(precision_label,
                                                                     na_action="ignore")
table["date_precision"] = table["date_precision"].astype("string").map(
    lambda p: _(DATE_PRECISION_LABELS[p]) if p in DATE_PRECISION_LABELS else p,
    na_action="ignore")

head, export = st.columns([5, 1], vertical_alignment="bottom")
head.markdown("#### " + _n("{n} incident", "{n} incidents", len(df)))
if len(df) > MAX_ROWS:
    head.caption(_("The table shows the {n} most recent; narrow the filters, or export them "
                   "all.", n=number(MAX_ROWS)))
with export:
    render_exports(df, current_state(ctx.filters), key="table_export")
event = st.dataframe(
    table,
    # A new selection of rows is a new table: a row picked before must not point at another.
    key=f"{state.W_TABLE}-{abs(hash((ctx.filters, ctx.data_version))) % 10**12}",
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    height=min(420, 35 * (len(table) + 1) + 3),  # no empty grid under a short table
    column_config=column_config(columns),
)
rows = event.selection.rows if event is not None else []
if rows:
    incident_id = table.iloc[rows[0]]["incident_id"]
    st.session_state[state.SELECTED] = incident_id
    st.divider()
    render_incident(df[df["incident_id"] == incident_id].iloc[0])
else:
    st.caption(_("Select a row to see the incident's details. Click a column header to sort."))
