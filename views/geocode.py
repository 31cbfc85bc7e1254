"""Geocode page: place the incidents that lack coordinates, then review doubtful places and
correct them by choosing a candidate or clicking the map. Editors only."""

from __future__ import annotations

import streamlit as st

from components import data
from components import geocode_view as view
from components.auth import require_editor
from components.context import current
from components.text import literal
from incidents.db import database_url
from incidents.errors import IncidentsError

require_editor("geocode review")
ctx = current()
st.markdown("### Geocode")
if data.demo_events() is not None:
    st.info("The synthetic demo data is not stored in a database, so there is nothing to "
            f"geocode. Unset {data.DEMO_ENV} to review the real incidents.",
            icon=":material/science:")
    st.stop()

url = database_url()
try:
    engine = data.engine_for(url)
    geocoder = view.geocoder_for(url)
except IncidentsError as exc:
    st.error(f"The geocoder cannot start: {literal(exc)}. Check INCIDENTS_GEOCODER* settings and the "
             "database, then reload.")
    st.stop()

view.show_status(geocoder)
view.show_flash()
try:
    view.run_section(engine, ctx.incidents, geocoder)
    st.divider()
    view.review_section(engine, ctx.incidents, geocoder, url, ctx.data_version[1])
except IncidentsError as exc:
    st.error(f"The geocoder could not answer: {literal(exc)}. Reload the page to try again.")
