"""Incident Atlas: entry point. Page config, data, the shared sidebar, navigation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from components import auth, data
from components.context import Context, follow_deep_link, set_current
from components.filters import data_span, keep_window_in_data, render_sidebar
from components.text import literal
from components.timeline_panel import apply_pending_window
from components.url_sync import apply_link_once, current_state, share_url, show_notices, write_link
from incidents.db import describe_database
from incidents.errors import IncidentsError

st.set_page_config(
    page_title="Incident Atlas",
    # A shipped image: a Material icon name would make the browser fetch the favicon from Google.
    page_icon=str(Path(__file__).with_name("static") / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/incidents.py", title="Incidents", icon=":material/table_rows:"),
    st.Page("pages/about.py", title="About", icon=":material/info:"),
    st.Page("pages/import.py", title="Import", icon=":material/upload_file:"),
    st.Page("pages/intake.py", title="Intake", icon=":material/article:"),
    st.Page("pages/geocode.py", title="Geocode", icon=":material/travel_explore:"),
]
# Tables never offer their own CSV download (unsafe for spreadsheets): the Export button does
# it right. Set here too, for a server started without this folder's .streamlit/config.toml.
if not st.get_option("client.disableDataExport"):
    st.set_option("client.disableDataExport", True)

page = st.navigation(pages)
follow_deep_link()
auth.viewer_gate()  # after st.navigation, so Streamlit leaves its legacy pages/ mode

try:
    incidents, version = data.load()
except IncidentsError as exc:
    where = describe_database()
    fix = (f"remove {where.removeprefix('the SQLite file ')} to rebuild it from the bundled data"
           if where.startswith("the SQLite file") else "check that the server is reachable")
    st.error(f"The incident database ({literal(where)}) cannot be opened: {literal(exc)}. "
             f"Check INCIDENTS_DATABASE_URL, or {literal(fix)}.")
    st.stop()

# Viewers see the public view (coarsened points, hidden fields) before any filter, so that
# neither the search box nor a link can probe what is hidden.
policy = auth.view_policy()
incidents = data.public(incidents, version, policy)
first, last = data_span(incidents)
apply_link_once(incidents, first, last)
keep_window_in_data(first, last)
apply_pending_window(first, last)
index = data.index(incidents, version, policy)  # built once per dataset and policy
filters = render_sidebar(incidents, index)
selection = index.select(filters)  # one mask per run, shared by every view of the page
set_current(Context(incidents, filters, selection, version, policy))

head, m1, m2 = st.columns([4, 1, 1], vertical_alignment="bottom")
head.markdown("## Incident Atlas")
head.caption("Attacks and armed incidents in Mali, Burkina Faso and Niger · UCDP GED and "
             "the founding reports of 17 September 2024")
m1.metric("Incidents", f"{selection.count:,}")
best = selection.values(index.fatalities)
unknown = int(np.isnan(best).sum())
m2.metric("Fatalities (best est.)", f"{int(np.nansum(best)):,}" if unknown < len(best) else "unknown",
          delta=f"{unknown:,} unknown" if 0 < unknown < len(best) else None, delta_color="off", delta_arrow="off",
          help="Sum of best estimates; incidents whose fatalities no source states are counted "
               "apart, never as 0.")
if filters.start and filters.end:
    head.caption(f"Window: {filters.start:%d %b %Y} – {filters.end:%d %b %Y}")

auth.render_public_notice(policy)
show_notices()
page.run()

view = current_state(filters)
write_link(view, first, last)
with st.sidebar.expander("Share this view", icon=":material/share:"):
    st.caption("This link opens the same filters, window, map view and selected incident.")
    st.code(share_url(view, first, last), language=None, wrap_lines=True)
auth.sign_out()
