"""Streamlit pieces of the import page: upload limit, preview, column mapping, the report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.i18n import _, _n, date, formatter, language, number
from components.text import literal
from incidents.importer import (
    LICENCE_NOTICE,
    ImportPreview,
    ImportReport,
    max_import_bytes,
)
from incidents.notes import translate_note
from incidents.readers.generic import GENERIC_FIELDS, header_key
from incidents.schema import DATASET_FORMATS, RESTRICTED_FORMATS

# Session-state and widget keys of the import page (defined in components/state.py).
W_UPLOAD = state.W_IMP_UPLOAD
W_FORMAT = state.W_IMP_FORMAT
W_DATASET = state.W_IMP_DATASET
W_MAP_PREFIX = state.W_IMP_MAP
W_CHECK = state.W_IMP_CHECK
W_IMPORT = state.W_IMP_IMPORT
W_DOWNLOAD = state.W_IMP_DOWNLOAD
REPORT = state.IMP_REPORT

_NONE = "—"  # the option "not in this file" (its label is translated where it is shown)
FORMAT_LABELS = {f.code: f.label for f in DATASET_FORMATS}
_MB = 1024 * 1024


def upload_limit_bytes() -> int:
    """Return the largest upload: the smaller of Streamlit's and the importer's limits."""
    server = int(st.get_option("server.maxUploadSize") or 200) * _MB
    return min(server, max_import_bytes())


def format_label(fmt: str) -> str:
    """Return the name of an import format in this session's language."""
    return formatter(FORMAT_LABELS)(fmt)


def licence_notice(fmt: str | None = None) -> None:
    """Show the licence terms of ACLED and GTD: as a warning when the file is one of them,
    as a note before any file is chosen, and not at all for other files."""
    if fmt in RESTRICTED_FORMATS:
        st.warning(_("**{format} file.**", format=fmt.upper()) + " " + _(LICENCE_NOTICE),
                   icon=":material/gavel:")
    elif fmt is None:
        st.info(_(LICENCE_NOTICE), icon=":material/gavel:")


def describe_file(preview: ImportPreview) -> str:
    """Return one line saying what was detected in the file."""
    how = (_("CSV, {encoding}, delimiter {delimiter}", encoding=preview.encoding,
             delimiter=repr(preview.delimiter))
           if preview.kind == "csv" else _("Excel workbook (first sheet)"))
    return literal(" · ".join((_n("{n} data row", "{n} data rows", preview.total),
                               _n("{n} column", "{n} columns", len(preview.columns)), how)))


def mapping_editor(columns: tuple[str, ...], initial: dict[str, str], source: str
                   ) -> dict[str, str]:
    """Let the user confirm or correct which column holds each field; return the mapping."""
    st.markdown("#### " + _("Columns"))
    st.caption(
        (_("These are the columns you confirmed last time for files with these headers.")
         if source == "remembered" else
         _("Guessed from the headers (English or French). Check them: the date is required; "
           "the place is geocoded when there are no coordinates."))
        + " " + _("Columns left unmapped are kept in the description.")
    )
    suffix = header_key(columns)[:10]
    options = [_NONE, *columns]
    mapping: dict[str, str] = {}
    absent = _("— not in this file —")
    grid = st.columns(3)
    for n, fld in enumerate(GENERIC_FIELDS):
        current = initial.get(fld.name)
        choice = grid[n % 3].selectbox(
            _(fld.label), options, index=options.index(current) if current in options else 0,
            key=f"{W_MAP_PREFIX}{fld.name}_{suffix}",
            format_func=lambda c: absent if c == _NONE else c,
        )
        if choice != _NONE:
            mapping[fld.name] = choice
    taken = [c for c in mapping.values()]
    if len(taken) != len(set(taken)):
        st.warning(_("One column is mapped to several fields; each will read it."))
    return mapping


def render_report(report: ImportReport, incidents: pd.DataFrame) -> None:
    """Show what became of every row, the rejected rows to download, and the new incidents."""
    lang = language()
    head = _("Checked (nothing stored)") if report.dry_run else _("Imported")
    st.markdown(f"#### {head}: {literal(report.dataset)}")
    cols = st.columns(5)
    cols[0].metric(_("Rows in the file"), number(report.total))
    cols[1].metric(_("Would import") if report.dry_run else _("Imported"), number(report.imported))
    cols[2].metric(_("Duplicates"), number(report.duplicates))
    cols[3].metric(_("Rejected"), number(report.rejected))
    cols[4].metric(_("Not mapped"), number(report.not_mapped),
                   help=_("Imported without a point: no place in the row resolved. "
                          "They are listed, but not drawn on the map."))
    for notice in report.notices:
        st.warning(literal(translate_note(notice, lang)), icon=":material/warning:")
    if report.rejected:
        st.warning(_n("{n} row was rejected; it has its row number (the header is row 0) and "
                      "the reason.",
                      "{n} rows were rejected; each has its row number (the header is row 0) "
                      "and the reason.", report.rejected))
        st.dataframe(pd.DataFrame({_("row"): [e.row for e in report.errors],
                                   _("reason"): [translate_note(e.reason, lang)
                                                 for e in report.errors]}),
                     hide_index=True, height=min(300, 40 + 35 * report.rejected))
        st.download_button(
            _("Download the rejected rows (CSV)"), report.rejected_csv.encode("utf-8-sig"),
            file_name="rejected_rows.csv", mime="text/csv", key=W_DOWNLOAD,
        )
    if report.duplicates:
        with st.expander(_n("{n} duplicate row (already in the store or repeated in the file)",
                            "{n} duplicate rows (already in the store or repeated in the file)",
                            report.duplicates)):
            st.dataframe(pd.DataFrame({_("row"): [d.row for d in report.duplicate_rows],
                                       _("why"): [translate_note(d.reason, lang)
                                                  for d in report.duplicate_rows]}),
                         hide_index=True)
    if report.dry_run or not report.imported:
        return
    new = incidents[incidents["incident_id"].isin(report.incident_ids)]
    st.success(_n("{n} new incident is on the map, as dataset “{dataset}”, imported at "
                  "{time} UTC.",
                  "{n} new incidents are on the map, as dataset “{dataset}”, imported at "
                  "{time} UTC.", len(new), dataset=literal(report.dataset),
                  time=date(report.imported_at, "medium") + " "
                  + report.imported_at.strftime("%H:%M")))
    points = new.dropna(subset=["latitude", "longitude"])
    if len(points):
        st.map(points[["latitude", "longitude"]].astype(float), size=20)
    st.page_link("views/map.py", label=_("Open them on the map"), icon=":material/map:")
