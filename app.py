"""Incident Atlas: entry point. Page config, data, the shared sidebar, navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import auth, data
from components.context import Context, follow_deep_link, set_current
from components.filters import data_span, keep_filter_state, keep_window_in_data, render_sidebar
from components.header import render_header
from components.i18n import _, language, recode_widgets, render_language_switch
from components.text import literal
from components.timeline_panel import apply_pending_window
from components.url_sync import apply_link_once, current_state, share_url, show_notices, write_link
from incidents.db import describe_database
from incidents.errors import IncidentsError
from incidents.filtering import Filters
from incidents.notes import translate_note

st.set_page_config(
    page_title="Incident Atlas",
    # A shipped image: a Material icon name would make the browser fetch the favicon from Google.
    page_icon=str(Path(__file__).with_name("static") / "favicon.png"),
    layout="wide",
    initial_sidebar_state="auto",  # open on a wide screen, closed on a phone
)

language()  # chosen once per session: the link's ``lang``, else the browser's language
FILTERED = [
    st.Page("views/map.py", title=_("Map"), icon=":material/map:", default=True),
    st.Page("views/incidents.py", title=_("Incidents"), icon=":material/table_rows:"),
]
pages = [
    *FILTERED,
    st.Page("views/about.py", title=_("About"), icon=":material/info:"),
    st.Page("views/import.py", title=_("Import"), icon=":material/upload_file:"),
    st.Page("views/intake.py", title=_("Intake"), icon=":material/article:"),
    st.Page("views/geocode.py", title=_("Geocode"), icon=":material/travel_explore:"),
]
# Tables never offer their own CSV download (unsafe for spreadsheets): the Export button does
# it right. Set here too, for a server started without this folder's .streamlit/config.toml.
if not st.get_option("client.disableDataExport"):
    st.set_option("client.disableDataExport", True)

page = st.navigation(pages)
# Before any widget: a label the browser sent in the language it still showed is a code again.
recode_widgets()
follow_deep_link()
render_language_switch()
auth.viewer_gate()  # after st.navigation

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
index = data.index(incidents, version, policy)  # built once per dataset and policy
# Filters apply to the Map and Incidents pages only: elsewhere (About, Import, Geocode) the
# sidebar holds no filters and the header counts everything, while the filters are kept.
with_filters = page.url_path in {p.url_path for p in FILTERED}
if with_filters:
    filters = render_sidebar(incidents, index)
else:
    keep_filter_state()
    filters = Filters()
selection = index.select(filters)  # one mask per run, shared by every view of the page
set_current(Context(incidents, filters, selection, version, policy))
# The Map page's player says the window under the map: the header says it elsewhere.
render_header(selection.count, selection.values(index.fatalities),
              filters if with_filters else None,
              show_window=page.url_path != FILTERED[0].url_path)

auth.render_public_notice(policy)
show_notices()
page.run()

if with_filters:
    view = current_state(filters)
    write_link(view, first, last)
    with st.sidebar.expander(_("Share this view"), icon=":material/share:"):
        st.caption(_("This link opens the same filters (and how actors were matched), window, "
                     "map view, selected incident and language."))
        st.code(share_url(view, first, last), language=None, wrap_lines=True)
auth.sign_out()
