"""Intake page: paste or upload news reports, review the draft incidents read from them
(highlighted text, map, claims), merge them with stored incidents and save. Editors only."""

from __future__ import annotations

import streamlit as st

from components import data
from components import intake_view as view
from components.auth import require_editor
from components.context import current
from components.geocode_view import geocoder_for
from components.i18n import N_, _, _n, formatter, localize_file_uploader
from components.text import literal
from incidents.db import database_url
from incidents.errors import IncidentsError
from incidents.extraction.merge import save_drafts
from incidents.schema import COUNTRIES

ctx = current()
require_editor(_("read reports into incidents"))
st.markdown("### " + _("Intake: from reports to incidents"))
st.caption(_("Paste a report or upload .txt, .html or .pdf files (English or French). Each "
             "attack becomes a draft to check; nothing is stored until you save."))
flash = st.session_state.pop(view.FLASH, None)
if flash:
    st.success(flash)

with st.form(view.W_FORM):
    st.text_area(_("Report text"), key=view.W_TEXT, height=180,
                 placeholder=_("Paste the text of a news report here"))
    report_types = ["txt", "html", "htm", "pdf"]
    localize_file_uploader(view.W_FILES, report_types)
    uploads = st.file_uploader(_("…or report files"), type=report_types,
                               accept_multiple_files=True, key=view.W_FILES)
    a, b = st.columns(2)
    published = a.date_input(_("Published on (optional)"), value=None, key=view.W_PUBLISHED,
                             format=_("YYYY/MM/DD"),
                             help=_("Relative dates (\"yesterday\", \"mardi dernier\") are "
                                    "read from the day the report was written: the date of its "
                                    "dateline (\"Mopti, 3 March 2025 —\") when it has one, "
                                    "else this day; left empty, today."))
    country = b.selectbox(_("Country"), ["", *COUNTRIES], key=view.W_COUNTRY,
                          format_func=formatter({"": N_("Detect from the text"), **COUNTRIES},
                                                view.W_COUNTRY))
    a, b, c = st.columns(3)
    a.text_input(_("Title (optional)"), key=view.W_TITLE)
    b.text_input(_("Publisher (optional)"), key=view.W_PUBLISHER)
    c.text_input(_("URL (optional)"), key=view.W_URL)
    read = st.form_submit_button(_("Read reports"), type="primary", icon=":material/article:")

url = database_url()
if read:
    sources = []
    pasted = (st.session_state.get(view.W_TEXT) or "").strip()
    if pasted:
        sources.append((_("pasted text"), pasted, None))
    for upload in uploads or []:
        try:
            sources.append(view.decode_upload(upload))
        except IncidentsError as exc:
            st.error(_("{name} cannot be read: {error}", name=literal(upload.name),
                       error=literal(exc)))
    if not sources:
        st.warning(_("Paste a report or upload a file first."))
        st.stop()
    meta = {k: st.session_state.get(w) for k, w in
            (("title", view.W_TITLE), ("publisher", view.W_PUBLISHER), ("url", view.W_URL))}
    try:
        with st.spinner(_("Reading the reports…")):
            drafts = view.read_reports(sources, published, country or None, meta,
                                       geocoder_for(url), ctx.incidents)
    except IncidentsError as exc:
        st.error(_("The reports could not be read: {error}", error=literal(exc)))
        st.stop()
    view.forget_draft_widgets()
    st.session_state[view.DRAFTS] = drafts
    st.session_state[view.REPORTS] = sources

drafts = st.session_state.get(view.DRAFTS)
if drafts is None:
    st.stop()
if not drafts:
    st.info(_("No attack was found in these reports: no sentence tells of an event at a "
              "place."))
    st.stop()

st.markdown("#### " + _n("{n} draft incident to review", "{n} draft incidents to review",
                         len(drafts)))
reports = st.session_state.get(view.REPORTS, [])
for i, draft in enumerate(drafts):
    drafts[i] = view.render_draft(i, draft, reports)
st.session_state[view.DRAFTS] = drafts

if st.button(_("Save reviewed drafts"), type="primary", key=view.W_SAVE, icon=":material/save:"):
    chosen = [view.updated_draft(i, d) for i, d in enumerate(drafts)
              if st.session_state.get(view.W_KEEP + str(i), True)]
    if not chosen:
        st.warning(_("No draft is ticked for saving."))
        st.stop()
    try:
        report = save_drafts(data.engine_for(url), chosen)
    except IncidentsError as exc:
        st.error(_("Nothing was saved: {error}", error=literal(exc)))
        st.stop()
    data.clear()
    st.session_state.pop(view.DRAFTS, None)
    st.session_state[view.FLASH] = " ".join((
        _("Saved:"),
        _n("{n} new incident,", "{n} new incidents,", len(report.inserted)),
        _n("{n} stored incident given this report's sources and claims,",
           "{n} stored incidents given this report's sources and claims,", len(report.merged)),
        _n("{n} already up to date.", "{n} already up to date.", len(report.unchanged)),
        _("They are on the map.")))
    st.rerun()
