"""Intake page: paste or upload news reports, review the draft incidents read from them
(highlighted text, map, claims), merge them with stored incidents and save. Editors only."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import data
from components import intake_view as view
from components.auth import require_editor
from components.context import current
from components.geocode_view import geocoder_for
from components.text import literal
from incidents.db import database_url
from incidents.errors import IncidentsError
from incidents.extraction.merge import save_drafts
from incidents.schema import COUNTRIES

ctx = current()
require_editor("report intake")
st.markdown("### Intake: from reports to incidents")
st.caption("Paste a report or upload .txt, .html or .pdf files (English or French). Each "
           "attack becomes a draft to check; nothing is stored until you save.")
flash = st.session_state.pop(view.FLASH, None)
if flash:
    st.success(flash)

with st.form("intake_form"):
    st.text_area("Report text", key=view.W_TEXT, height=180,
                 placeholder="Paste the text of a news report here")
    uploads = st.file_uploader("…or report files", type=["txt", "html", "htm", "pdf"],
                               accept_multiple_files=True, key=view.W_FILES)
    a, b = st.columns(2)
    published = a.date_input("Published on", value=dt.date.today(), key=view.W_PUBLISHED,
                             help="Relative dates (\"yesterday\", \"mardi dernier\") are read "
                             "from this day.")
    country = b.selectbox("Country", ["", *COUNTRIES], key=view.W_COUNTRY,
                          format_func=lambda c: COUNTRIES.get(c, "Detect from the text"))
    a, b, c = st.columns(3)
    a.text_input("Title (optional)", key=view.W_TITLE)
    b.text_input("Publisher (optional)", key=view.W_PUBLISHER)
    c.text_input("URL (optional)", key=view.W_URL)
    read = st.form_submit_button("Read reports", type="primary", icon=":material/article:")

url = database_url()
if read:
    sources = []
    pasted = (st.session_state.get(view.W_TEXT) or "").strip()
    if pasted:
        sources.append(("pasted text", pasted, None))
    for upload in uploads or []:
        try:
            sources.append(view.decode_upload(upload))
        except IncidentsError as exc:
            st.error(f"{literal(upload.name)} cannot be read: {literal(exc)}")
    if not sources:
        st.warning("Paste a report or upload a file first.")
        st.stop()
    meta = {k: st.session_state.get(w) for k, w in
            (("title", view.W_TITLE), ("publisher", view.W_PUBLISHER), ("url", view.W_URL))}
    try:
        with st.spinner("Reading the reports…"):
            drafts = view.read_reports(sources, published, country or None, meta,
                                       geocoder_for(url), ctx.incidents)
    except IncidentsError as exc:
        st.error(f"The reports could not be read: {literal(exc)}")
        st.stop()
    for key in [k for k in st.session_state if str(k).startswith("intake_") and
                str(k)[len("intake_"):].split("_")[0] in (
                    "keep", "separate", "date", "location", "actor", "target", "type", "fatal",
                    "precision", "claims", "map", "last")]:
        del st.session_state[key]
    st.session_state[view.DRAFTS] = drafts
    st.session_state[view.REPORTS] = sources

drafts = st.session_state.get(view.DRAFTS)
if drafts is None:
    st.stop()
if not drafts:
    st.info("No attack was found in these reports: no sentence tells of an event at a place.")
    st.stop()

st.markdown(f"#### {len(drafts)} draft incident{'s' if len(drafts) != 1 else ''} to review")
reports = st.session_state.get(view.REPORTS, [])
for i, draft in enumerate(drafts):
    drafts[i] = view.render_draft(i, draft, reports)
st.session_state[view.DRAFTS] = drafts

if st.button("Save reviewed drafts", type="primary", key=view.W_SAVE, icon=":material/save:"):
    chosen = [view.updated_draft(i, d) for i, d in enumerate(drafts)
              if st.session_state.get(view.W_KEEP + str(i), True)]
    if not chosen:
        st.warning("No draft is ticked for saving.")
        st.stop()
    try:
        report = save_drafts(data.engine_for(url), chosen)
    except IncidentsError as exc:
        st.error(f"Nothing was saved: {literal(exc)}")
        st.stop()
    data.clear()
    st.session_state.pop(view.DRAFTS, None)
    st.session_state[view.FLASH] = (
        f"Saved: {len(report.inserted)} new incident(s), {len(report.merged)} stored "
        f"incident(s) given this report's sources and claims, {len(report.unchanged)} "
        "already up to date. They are on the map.")
    st.rerun()
