"""Incident Atlas: entry point. Page config, data, the shared sidebar, navigation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from components import auth, data
from components.context import Context, follow_deep_link, set_current
from components.filters import data_span, keep_window_in_data, render_sidebar
from components.i18n import _, _n, date, language, number, render_language_switch
from components.text import literal
from components.timeline_panel import apply_pending_window
from components.url_sync import apply_link_once, current_state, share_url, show_notices, write_link
from incidents.db import describe_database
from incidents.errors import IncidentsError
from incidents.notes import translate_note

st.set_page_config(
    page_title="Incident Atlas",
    # A shipped image: a Material icon name would make the browser fetch the favicon from Google.
    page_icon=str(Path(__file__).with_name("static") / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

language()  # chosen once per session: the link's ``lang``, else the browser's language
pages = [
    st.Page("pages/map.py", title=_("Map"), icon=":material/map:", default=True),
    st.Page("pages/incidents.py", title=_("Incidents"), icon=":material/table_rows:"),
    st.Page("pages/about.py", title=_("About"), icon=":material/info:"),
    st.Page("pages/import.py", title=_("Import"), icon=":material/upload_file:"),
    st.Page("pages/intake.py", title=_("Intake"), icon=":material/article:"),
    st.Page("pages/geocode.py", title=_("Geocode"), icon=":material/travel_explore:"),
]
# Tables never offer their own CSV download (unsafe for spreadsheets): the Export button does
# it right. Set here too, for a server started without this folder's .streamlit/config.toml.
if not st.get_option("client.disableDataExport"):
    st.set_option("client.disableDataExport", True)

page = st.navigation(pages)
follow_deep_link()
render_language_switch()
auth.viewer_gate()  # after st.navigation, so Streamlit leaves its legacy pages/ mode

try:
    incidents, version = data.load()
except IncidentsError as exc:
    where = describe_database()
    sqlite = where.startswith("the SQLite file ")
    fix = (_("remove {file} to rebuild it from the bundled data",
             file=literal(where.removeprefix("the SQLite file ")))
           if sqlite else _("check that the server is reachable"))
    st.error(_("The incident database ({database}) cannot be opened: {error}. Check "
               "INCIDENTS_DATABASE_URL, or {fix}.",
               database=literal(translate_note(where, language())), error=literal(exc),
               fix=fix))
    st.stop()

# Viewers see the public view (coarsened points, hidden fields) before any filter, so that
# neither the search box nor a link can probe what is hidden.
policy = auth.view_policy()
incidents = data.public(incidents, version, policy)
first, last = data_span(incidents)
apply_link_once(incidents, first, last)
keep_window_in_data(first, last)
apply_pending_window(first, last)
filters = render_sidebar(incidents)
filtered = data.filtered(incidents, version, policy, filters)  # cached by filter state
set_current(Context(incidents, filters, filtered, version, policy))

head, m1, m2 = st.columns([4, 1, 1], vertical_alignment="bottom")
head.markdown("## Incident Atlas")
head.caption(_("Attacks and armed incidents in Mali, Burkina Faso and Niger · UCDP GED and "
               "the founding reports of {day}", day=date(dt.date(2024, 9, 17))))
m1.metric("Incidents", number(len(filtered)))  # the label is an interface (same in French)
best = filtered["fatalities_best"]
unknown = int(best.isna().sum())
m2.metric(_("Fatalities (best est.)"),
          number(int(best.sum())) if unknown < len(best) else _("unknown"),
          delta=_n("{n} unknown", "{n} unknown", unknown) if 0 < unknown < len(best) else None,
          delta_color="off", delta_arrow="off",
          help=_("Sum of best estimates; incidents whose fatalities no source states are "
                 "counted apart, never as 0."))
if filters.start and filters.end:
    head.caption(_("Window: {start} – {end}", start=date(filters.start, "medium"),
                   end=date(filters.end, "medium")))

auth.render_public_notice(policy)
show_notices()
page.run()

view = current_state(filters)
write_link(view, first, last)
with st.sidebar.expander(_("Share this view"), icon=":material/share:"):
    st.caption(_("This link opens the same filters, window, map view, selected incident and "
                 "language."))
    st.code(share_url(view, first, last), language=None, wrap_lines=True)
auth.sign_out()
