"""Incidents page: a sortable table of the filtered incidents; a selected row shows its details."""

from __future__ import annotations

import streamlit as st

from components import state
from components.context import current
from components.filters import event_type_label, precision_label
from components.i18n import _, _n, number
from components.incident_card import first_source_urls, render_incident
from components.map_view import position_of
from components.share_box import render_exports
from components.url_sync import current_state
from incidents.filtering import newest_rows
from incidents.schema import DATE_PRECISION_LABELS

ctx = current()
sel = ctx.selection

MAX_ROWS = 10_000  # a browser table of a million rows helps no one and costs seconds
TABLE_HEIGHT = 640  # with the header, fills a 1440x900 screen

# What an analyst scans first, left to right; identifiers and provenance last.
columns = ["date_start", "location", "admin1", "country", "event_type", "fatalities_best",
           "actor", "target", "date_precision", "geo_precision", "source_link", "dataset",
           "incident_id"]
# Only the newest rows are gathered, and only the columns the table needs.
newest = sel.take([c for c in columns if c != "source_link"] + ["sources"],
                  newest_rows(sel, MAX_ROWS))
table = newest.assign(source_link=first_source_urls(newest["sources"]))[columns]
table = table.reset_index(drop=True)
# Labels in the session's language; the codes stay in exports (an interface).
table["event_type"] = table["event_type"].astype("string").map(event_type_label,
                                                               na_action="ignore")
table["geo_precision"] = table["geo_precision"].astype("string").map(precision_label,
                                                                     na_action="ignore")
table["date_precision"] = table["date_precision"].astype("string").map(
    lambda p: _(DATE_PRECISION_LABELS[p]) if p in DATE_PRECISION_LABELS else p,
    na_action="ignore")

head, export = st.columns([5, 1], vertical_alignment="bottom")
head.markdown("#### " + _n("{n} incident", "{n} incidents", sel.count))
if sel.count > MAX_ROWS:
    head.caption(_("The table shows the {n} most recent; narrow the filters, or export them "
                   "all.", n=number(MAX_ROWS)))
with export:
    render_exports(lambda: sel.frame, current_state(ctx.filters), key=state.W_TABLE_EXPORT,
                   rows=sel.count)
event = st.dataframe(
    table,
    # A new selection of rows is a new table: a row picked before must not point at another.
    key=f"{state.W_TABLE}-{abs(hash((ctx.filters, ctx.data_version))) % 10**12}",
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    # The page's height for a long table; no empty grid under a short one.
    height=min(TABLE_HEIGHT, 35 * (len(table) + 1) + 3),
    column_config={
        "incident_id": st.column_config.TextColumn(_("ID")),
        "source_link": st.column_config.LinkColumn(
            _("Source"), display_text=r"https?://(?:www\.)?([^/]+)",
            help=_("The first source's web page, where it has one; empty: no link.")),
        "date_start": st.column_config.DateColumn(_("Date"), format=_("YYYY-MM-DD"), width=92),
        "date_precision": st.column_config.TextColumn(_("Date known to")),
        "country": st.column_config.TextColumn(_("Country"), width=64),
        "admin1": st.column_config.TextColumn(_("Region"), width=110),
        "location": st.column_config.TextColumn(_("Place (as reported)"), width=190),
        "geo_precision": st.column_config.TextColumn(_("Place known to")),
        "event_type": st.column_config.TextColumn(_("Event type"), width=150),
        "actor": st.column_config.TextColumn(_("Actor"), width=160),
        "target": st.column_config.TextColumn(_("Target"), width=150),
        "fatalities_best": st.column_config.NumberColumn(
            _("Fatalities"), format="%d", width=72,
            help=_("Best estimate; empty: no source states a number")),
        "dataset": st.column_config.TextColumn(_("Dataset")),
    },
)
rows = event.selection.rows if event is not None else []
if rows:
    incident_id = table.iloc[rows[0]]["incident_id"]
    st.session_state[state.SELECTED] = incident_id
    st.divider()
    render_incident(sel.df.iloc[position_of(sel, incident_id)])
else:
    st.caption(_("Select a row to see the incident's details. Click a column header to sort."))
