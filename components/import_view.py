"""Streamlit pieces of the import page: upload limit, preview, column mapping, the report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import literal
from incidents.importer import (
    LICENCE_NOTICE,
    RESTRICTED_FORMATS,
    ImportPreview,
    ImportReport,
    max_import_bytes,
    preview_file,
)
from incidents.readers.generic import GENERIC_FIELDS, header_key

# Session-state and widget keys of the import page (to move to components/state.py).
W_UPLOAD = "imp_upload"
W_FORMAT = "imp_format"
W_DATASET = "imp_dataset"
W_MAP_PREFIX = "imp_map_"
W_CHECK = "imp_check"
W_IMPORT = "imp_import"
W_DOWNLOAD = "imp_rejected_csv"
REPORT = "imp_report"

_NONE = "— not in this file —"
_MB = 1024 * 1024


def upload_limit_bytes() -> int:
    """Return the largest upload: the smaller of Streamlit's and the importer's limits."""
    server = int(st.get_option("server.maxUploadSize") or 200) * _MB
    return min(server, max_import_bytes())


# cache_resource, not cache_data: the preview holds the file as read (``ImportPreview.table``),
# which the import then uses instead of reading the file a second time; cache_data would copy
# it on every rerun. Nothing changes a preview once made.
@st.cache_resource(max_entries=2, ttl=3600, show_spinner="Reading the file…")
def cached_preview(content: bytes, name: str) -> ImportPreview:
    """Return the file's preview; cached so that widget changes do not re-read it."""
    return preview_file(content, filename=name)


def licence_notice(fmt: str | None = None) -> None:
    """Show the licence terms of ACLED and GTD: as a warning when the file is one of them,
    as a note before any file is chosen, and not at all for other files."""
    if fmt in RESTRICTED_FORMATS:
        st.warning(f"**{fmt.upper()} file.** {LICENCE_NOTICE}", icon=":material/gavel:")
    elif fmt is None:
        st.info(LICENCE_NOTICE, icon=":material/gavel:")


def describe_file(preview: ImportPreview) -> str:
    """Return one line saying what was detected in the file."""
    how = {"csv": f"CSV, {preview.encoding}, delimiter {preview.delimiter!r}",
           "xlsx": "Excel workbook (first sheet)"}[preview.kind]
    return literal(f"{preview.total:,} data rows · {len(preview.columns)} columns · {how}")


def mapping_editor(columns: tuple[str, ...], initial: dict[str, str], source: str
                   ) -> dict[str, str]:
    """Let the user confirm or correct which column holds each field; return the mapping."""
    st.markdown("#### Columns")
    st.caption(
        ("These are the columns you confirmed last time for files with these headers."
         if source == "remembered" else
         "Guessed from the headers (English or French). Check them: the date is required; "
         "the place is geocoded when there are no coordinates.")
        + " Columns left unmapped are kept in the description."
    )
    suffix = header_key(columns)[:10]
    options = [_NONE, *columns]
    mapping: dict[str, str] = {}
    grid = st.columns(3)
    for n, fld in enumerate(GENERIC_FIELDS):
        current = initial.get(fld.name)
        choice = grid[n % 3].selectbox(
            fld.label, options, index=options.index(current) if current in options else 0,
            key=f"{W_MAP_PREFIX}{fld.name}_{suffix}",
        )
        if choice != _NONE:
            mapping[fld.name] = choice
    taken = [c for c in mapping.values()]
    if len(taken) != len(set(taken)):
        st.warning("One column is mapped to several fields; each will read it.")
    return mapping


def render_report(report: ImportReport, incidents: pd.DataFrame) -> None:
    """Show what became of every row, the rejected rows to download, and the new incidents."""
    head = "Checked (nothing stored)" if report.dry_run else "Imported"
    st.markdown(f"#### {head}: {literal(report.dataset)}")
    cols = st.columns(5)
    cols[0].metric("Rows in the file", f"{report.total:,}")
    cols[1].metric("Would import" if report.dry_run else "Imported", f"{report.imported:,}")
    cols[2].metric("Duplicates", f"{report.duplicates:,}")
    cols[3].metric("Rejected", f"{report.rejected:,}")
    cols[4].metric("Not mapped", f"{report.not_mapped:,}",
                   help="Imported without a point: no place in the row resolved. "
                        "They are listed, but not drawn on the map.")
    for notice in report.notices:
        st.warning(literal(notice), icon=":material/warning:")
    if report.rejected:
        rows = "1 row was" if report.rejected == 1 else f"{report.rejected:,} rows were"
        st.warning(f"{rows} rejected; each has its row number "
                   "(the header is row 0) and the reason.")
        st.dataframe(pd.DataFrame([{"row": e.row, "reason": e.reason} for e in report.errors]),
                     hide_index=True, height=min(300, 40 + 35 * report.rejected))
        st.download_button(
            "Download the rejected rows (CSV)", report.rejected_csv.encode("utf-8-sig"),
            file_name="rejected_rows.csv", mime="text/csv", key=W_DOWNLOAD,
        )
    if report.duplicates:
        with st.expander(f"{report.duplicates:,} duplicate rows (already in the store or "
                         "repeated in the file)"):
            st.dataframe(pd.DataFrame([{"row": d.row, "why": d.reason}
                                       for d in report.duplicate_rows]), hide_index=True)
    if report.dry_run or not report.imported:
        return
    new = incidents[incidents["incident_id"].isin(report.incident_ids)]
    st.success(f"{len(new):,} new incidents are on the map, as dataset “{literal(report.dataset)}”, "
               f"imported at {report.imported_at:%Y-%m-%d %H:%M} UTC.")
    points = new.dropna(subset=["latitude", "longitude"])
    if len(points):
        st.map(points[["latitude", "longitude"]].astype(float), size=20)
    st.page_link("views/map.py", label="Open them on the map", icon=":material/map:")
