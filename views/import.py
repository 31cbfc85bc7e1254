"""Import page: upload an export or a spreadsheet, check it, import it, see what became of
every row. Editors only."""

from __future__ import annotations

import streamlit as st

from components import data
from components import import_view as view
from components.auth import require_editor
from components.context import current
from components.text import literal
from incidents.db import database_url
from incidents.errors import IncidentsError
from incidents.importer import import_file, remember_mapping, remembered_mapping
from incidents.readers.detect import FORMATS

ctx = current()
require_editor("import incidents")
st.markdown("### Import incidents")
st.caption(
    "ACLED, UCDP GED and GTD exports, or your own spreadsheet (CSV or .xlsx, English or "
    "French). Every row ends imported, duplicate or rejected with its reason; re-importing "
    "a file changes nothing."
)

report = st.session_state.get(view.REPORT)
if report is not None:
    view.render_report(report, ctx.incidents)
    st.divider()

limit = view.upload_limit_bytes()
upload = st.file_uploader(
    f"CSV or Excel file, up to {limit / 1024 / 1024:,.0f} MB",
    type=["csv", "tsv", "txt", "xlsx"], key=view.W_UPLOAD,
)
if upload is None:
    view.licence_notice()
    st.stop()

content = upload.getvalue()
if len(content) > limit:
    st.error(f"{literal(upload.name)} is {len(content) / 1e6:,.1f} MB; the limit is "
             f"{limit / 1e6:,.0f} MB. Split it, or import it with `python -m incidents import`.")
    st.stop()
try:
    preview = view.cached_preview(content, upload.name)
except IncidentsError as exc:
    st.error(f"{literal(upload.name)} cannot be imported: {literal(exc)}. Nothing was stored.")
    st.stop()

fmt = st.selectbox(
    "Format", FORMATS, index=FORMATS.index(preview.format), key=view.W_FORMAT,
    format_func=lambda f: {"acled": "ACLED", "ucdp": "UCDP GED", "gtd": "GTD",
                           "generic": "Spreadsheet (map the columns)"}[f],
    help=f"Detected: {preview.format}.",
)
view.licence_notice(fmt)
default_name = {"acled": "ACLED", "gtd": "GTD", "ucdp": "UCDP GED"}.get(fmt)
dataset = st.text_input(
    "Dataset name (kept with each incident)",
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
check = left.button("Check (dry run)", key=view.W_CHECK, icon=":material/fact_check:")
go = right.button("Import", key=view.W_IMPORT, type="primary", icon=":material/upload:")
if check or go:
    bar = st.progress(0.0, text="Starting")
    try:
        result = import_file(
            content, engine, filename=upload.name, format=fmt, mapping=mapping,
            dataset=dataset.strip() or None, dry_run=check,
            progress=lambda f, msg: bar.progress(min(1.0, max(0.0, f)), text=literal(msg)),
            max_bytes=limit, table=preview.table,  # read once, for the preview
        )
    except IncidentsError as exc:
        bar.empty()
        st.error(f"The import failed and nothing was stored: {literal(exc)}")
        st.stop()
    if mapping and not check:
        try:
            remember_mapping(engine, preview.columns, mapping)
        except IncidentsError as exc:
            st.warning(f"The column mapping could not be remembered: {literal(exc)}")
    st.session_state[view.REPORT] = result
    if not check and result.imported:
        data.clear()  # the map and every page read the new incidents on this rerun
    st.rerun()
