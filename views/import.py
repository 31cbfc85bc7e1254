"""Import page: upload an export or a spreadsheet, check it, import it, see what became of
every row. Editors only."""

from __future__ import annotations

import streamlit as st

from components import data
from components import import_view as view
from components.auth import require_editor
from components.context import current
from components.i18n import _, formatter, language, localize_file_uploader, number
from components.text import literal
from incidents.db import database_url
from incidents.errors import IncidentsError
from incidents.importer import import_file, remember_mapping, remembered_mapping
from incidents.schema import FORMAT_BY_CODE, FORMATS

ctx = current()
require_editor(_("import incidents"))
st.markdown("### " + _("Import incidents"))
st.caption(_(
    "ACLED, UCDP GED and GTD exports, or your own spreadsheet (CSV or .xlsx, English or "
    "French). Every row ends imported, duplicate or rejected with its reason; re-importing "
    "a file changes nothing."
))

report = st.session_state.get(view.REPORT)
if report is not None:
    view.render_report(report, ctx.incidents)
    st.divider()

limit = view.upload_limit_bytes()
upload_types = ["csv", "tsv", "txt", "xlsx"]
localize_file_uploader(view.W_UPLOAD, upload_types, limit / 1024 / 1024)
upload = st.file_uploader(
    _("CSV or Excel file, up to {mb} MB", mb=number(limit / 1024 / 1024)),
    type=upload_types, key=view.W_UPLOAD,
)
if upload is None:
    view.licence_notice()
    st.stop()

content = upload.getvalue()
if len(content) > limit:
    st.error(_("{name} is {size} MB; the limit is {limit} MB. Split it, or import it with "
               "`python -m incidents import`.", name=literal(upload.name),
               size=number(len(content) / 1e6, 1), limit=number(limit / 1e6)))
    st.stop()
try:
    with st.spinner(_("Reading the file…")):
        preview = data.import_preview(content, upload.name)
except IncidentsError as exc:
    st.error(_("{name} cannot be imported: {error}. Nothing was stored.",
               name=literal(upload.name), error=literal(exc)))
    st.stop()

fmt = st.selectbox(
    _("Format"), FORMATS, index=FORMATS.index(preview.format), key=view.W_FORMAT,
    format_func=formatter(view.FORMAT_LABELS, view.W_FORMAT),
    help=_("Detected: {format}.", format=view.format_label(preview.format)),
)
view.licence_notice(fmt)
default_name = FORMAT_BY_CODE[fmt].dataset
dataset = st.text_input(
    _("Dataset name (kept with each incident)"),
    value=f"{default_name} ({upload.name})" if default_name else upload.name,
    key=view.W_DATASET,
)
st.caption(view.describe_file(preview))
for notice in preview.notices:
    st.warning(literal(notice), icon=":material/warning:")
st.dataframe(preview.head, hide_index=True, height=250)

engine = data.engine_for(database_url())
mapping = None
if fmt == "generic":
    try:
        remembered = remembered_mapping(engine, preview.columns)
    except IncidentsError:
        remembered = None
    initial, source = ((remembered, "remembered") if remembered
                       else (preview.mapping, preview.mapping_source))
    mapping = view.mapping_editor(preview.columns, initial, source)

left, right = st.columns(2)
check = left.button(_("Check (dry run)"), key=view.W_CHECK, icon=":material/fact_check:")
go = right.button(_("Import"), key=view.W_IMPORT, type="primary", icon=":material/upload:")
if check or go:
    bar = st.progress(0.0, text=_("Starting"))
    try:
        result = import_file(
            content, engine, filename=upload.name, format=fmt, mapping=mapping,
            dataset=dataset.strip() or None, dry_run=check,
            progress=lambda f, msg: bar.progress(min(1.0, max(0.0, f)), text=literal(msg)),
            max_bytes=limit, table=preview.table,  # read once, for the preview
            lang=language(),
        )
    except IncidentsError as exc:
        bar.empty()
        st.error(_("The import failed and nothing was stored: {error}", error=literal(exc)))
        st.stop()
    if mapping and not check:
        try:
            remember_mapping(engine, preview.columns, mapping)
        except IncidentsError as exc:
            st.warning(_("The column mapping could not be remembered: {error}",
                         error=literal(exc)))
    st.session_state[view.REPORT] = result
    if not check and result.imported:
        data.clear()  # the map and every page read the new incidents on this rerun
    st.rerun()
