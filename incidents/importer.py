"""Import a file of incidents into the store, accounting for every data row.

Each data row of the file ends as exactly one of:

- **imported**: it became an incident and was stored (or would be, in a dry run);
- **duplicate**: the store or an earlier row of the file already holds it
  (``incidents.duplicates``). Re-importing a file therefore changes nothing;
- **rejected**: it could not become an incident; the report gives its data-row number (the
  header is row 0) and why, and ``ImportReport.rejected_csv`` holds those rows as read
  (``incidents.import_report``).

The file's format picks its reader (``incidents.readers.registry``); spreadsheets are read
through a column mapping, remembered per header set (``incidents.column_mappings``). Rows
without coordinates are geocoded offline from their place text; those no place resolves for
are imported unmapped (``geocoder`` "none"). One import is one transaction: its accepted rows
all land or none do.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.column_mappings import remember_mapping, remembered_mapping
from incidents.db import store_error, utc_now
from incidents.duplicates import split_duplicates
from incidents.errors import ReaderError, StoreError
from incidents.i18n import N_, gettext, ngettext
from incidents.import_places import Geocoder, Progress, default_geocoder, place_rows
from incidents.import_report import ImportReport, rejected_csv
from incidents.readers import ReadResult, RowRejection
from incidents.readers.detect import RawTable, read_table
from incidents.readers.fields import guess_mapping
from incidents.readers.registry import detect_format, reader_class
from incidents.schema import (
    FORMAT_BY_CODE,
    FORMATS,
    RESTRICTED_FORMATS,
    conform,
)
from incidents.tables import import_mappings_table

__all__ = [
    "LICENCE_NOTICE",
    "RESTRICTED_FORMATS",
    "Geocoder",
    "ImportPreview",
    "ImportReport",
    "RowRejection",
    "default_geocoder",
    "import_file",
    "import_mappings_table",
    "max_import_bytes",
    "preview_file",
    "remember_mapping",
    "remembered_mapping",
]

#: Environment variable: the largest file an import accepts, in megabytes.
MAX_MB_ENV = "INCIDENTS_IMPORT_MAX_MB"
DEFAULT_MAX_MB = 50

#: What users must be told about the formats whose data may not be redistributed.
LICENCE_NOTICE = N_(
    "ACLED and GTD data may not be redistributed under their terms of use: you may analyse "
    "them here, but a public dashboard must not publish them raw (no public deployment with "
    "these incidents, no export of them to others). Attribute ACLED (acleddata.com) and the "
    "GTD (START, University of Maryland) in any work that uses them."
)


@dataclass(frozen=True, eq=False)
class ImportPreview:
    """What a file looks like before import: its format, columns, first rows and mapping."""

    format: str
    columns: tuple[str, ...]
    head: pd.DataFrame
    total: int
    kind: str
    encoding: str | None
    delimiter: str | None
    mapping: dict[str, str]
    mapping_source: str  # "remembered", "guessed" or "" for dataset exports
    table: RawTable | None = None  # the file as read: ``import_file(table=...)`` reads it once
    notices: tuple[str, ...] = ()  # what the reader wants the user to know (mixed encodings)


def max_import_bytes() -> int:
    """Return the largest file an import accepts ($INCIDENTS_IMPORT_MAX_MB, default 50 MB)."""
    try:
        mb = float(os.environ.get(MAX_MB_ENV) or DEFAULT_MAX_MB)
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * 1024 * 1024)


# --- reading -------------------------------------------------------------------------------


def _load(source: bytes | str | PathLike, filename: str | None, max_bytes: int
          ) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), filename or ""
    else:
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ReaderError(_too_big(size, max_bytes))
            data = path.read_bytes()
        except OSError as exc:
            raise ReaderError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ReaderError(_too_big(len(data), max_bytes))
    return data, name


def _too_big(size: int, limit: int) -> str:
    return (f"the file is {size / 1e6:,.1f} MB; imports take at most {limit / 1e6:,.0f} MB "
            f"(${MAX_MB_ENV}): split it, or import it with the command line")


def _id_key(engine: Engine, dry_run: bool) -> bytes | None:
    """Return the store's key for the ids of spreadsheet rows (``store.id_key``).

    A dry run on a store that cannot be written (read-only) uses a key of this process: its
    ids are shown nowhere.
    """
    from incidents.store import id_key

    for _ in range(2):  # a concurrent first import may create the key: read it then
        try:
            with engine.begin() as conn:
                return id_key(conn)
        except sa.exc.IntegrityError:
            continue
        except sa.exc.SQLAlchemyError as exc:
            if dry_run:
                return None
            raise store_error("the database refused the import, nothing was stored", exc) from exc
    raise StoreError("cannot create the store's id key, nothing was stored: import the file again")


def _accepted_rows(table: RawTable, result: ReadResult) -> list[int]:
    """Return the data-row number of each incident (readers keep the file's order)."""
    refused = {r.row for r in result.rejected}
    rows = [int(i) + 1 for i in table.frame.index if int(i) + 1 not in refused]
    if len(rows) != len(result.incidents) or result.total != table.total:
        raise ReaderError(  # a reader broke its contract: say so rather than miscount
            f"the {result.format} reader accounted for {len(result.incidents)} incidents and "
            f"{len(result.rejected)} rejections out of {table.total} rows"
        )
    return rows


def preview_file(
    source: bytes | str | PathLike,
    *,
    filename: str | None = None,
    engine: Engine | None = None,
    rows: int = 20,
    max_bytes: int | None = None,
) -> ImportPreview:
    """Return the detected format, columns, first rows and column mapping of a file."""
    data, name = _load(source, filename, max_bytes or max_import_bytes())
    table = read_table(data, name)
    fmt = detect_format(table.columns)
    mapping, how = {}, ""
    if reader_class(fmt).maps_columns:
        remembered = remembered_mapping(engine, table.columns) if engine is not None else None
        mapping, how = (remembered, "remembered") if remembered else (
            guess_mapping(table.columns), "guessed")
    return ImportPreview(fmt, table.columns, table.frame.head(rows).copy(), table.total,
                         table.kind, table.encoding, table.delimiter, mapping, how, table,
                         table.notices)


def _noop(_fraction: float, _message: str) -> None:
    return None


def import_file(
    source: bytes | str | PathLike,
    engine: Engine,
    *,
    filename: str | None = None,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    dataset: str | None = None,
    dry_run: bool = False,
    geocoder: Geocoder | None = None,
    progress: Progress | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    max_bytes: int | None = None,
    table: RawTable | None = None,
    lang: str = "en",
) -> ImportReport:
    """Import a file into the store in one transaction and return what became of every row.

    Parameters
    ----------
    source
        The file: a path, or its bytes (then ``filename`` names it, e.g. an upload's name).
    engine
        The store; its schema must exist (``store.ensure_store``).
    format
        ``auto`` (detected from the header), ``acled``, ``ucdp``, ``gtd`` or ``generic``.
    mapping
        ``{field: column}`` for generic files; None uses the mapping remembered for the header
        set, else one guessed from the headers.
    dataset
        Name stored with each incident; default: the format and the file name.
    dry_run
        Read, geocode and check duplicates, but store nothing.
    geocoder
        Resolves place text for rows without coordinates; None: the offline geocoder.
    progress
        Called with (fraction done, what is happening).
    clock
        Returns the import time (UTC, naive); injectable for tests.
    max_bytes
        Largest accepted file; default ``max_import_bytes()``.
    table
        The file as ``read_table`` read it already (``ImportPreview.table``): then ``source``
        is not read again and only names the file.
    lang
        The language of the progress messages (``incidents.i18n.LANGUAGES``).

    Raises ``ReaderError`` when the file cannot be read as a table of the format (nothing is
    stored), ``StoreError`` when the database refuses the write (nothing is stored).
    """
    progress = progress or _noop
    if format not in ("auto", *FORMATS):
        raise ReaderError(f"unknown format {format!r}; use auto, {', '.join(FORMATS)}")
    progress(0.0, gettext("Reading the file", lang))
    if table is None:
        data, name = _load(source, filename, max_bytes or max_import_bytes())
        table = read_table(data, name)
    else:  # read already (the Import page's preview): not read again
        name = filename or (Path(source).name if isinstance(source, str | PathLike) else "")
    fmt = detect_format(table.columns) if format == "auto" else format
    reader = reader_class(fmt)
    if dataset is None:
        label = FORMAT_BY_CODE[fmt].dataset
        dataset = f"{label} ({name})" if label and name else (label or name or "Import")
    if reader.maps_columns and mapping is None:
        mapping = remembered_mapping(engine, table.columns)
    progress(0.15, ngettext("Reading {n} row as {format}", "Reading {n} rows as {format}",
                            table.total, lang, format=fmt))
    result = reader.for_import(dataset=dataset, mapping=mapping,
                               id_key=_id_key(engine, dry_run)).read(table)
    rows = _accepted_rows(table, result)
    errors = [r for r in result.rejected if not r.reason.startswith("duplicate")]
    in_file = [r for r in result.rejected if r.reason.startswith("duplicate")]

    progress(0.35, gettext("Geocoding places without coordinates", lang))
    incidents, _ = place_rows(result.incidents, geocoder, progress, engine, lang)
    now = (clock or utc_now)()
    incidents = conform(incidents.assign(imported_at=pd.Timestamp(now), dataset=dataset))

    progress(0.8, gettext("Checking for incidents already in the store", lang))
    fresh, stored = _store(engine, incidents, rows, reader.maps_columns, dry_run,
                           progress, lang)
    progress(1.0, gettext("Done", lang))

    duplicates = sorted([*in_file, *stored], key=lambda r: r.row)
    fresh_ids = set(fresh["incident_id"])
    placed = fresh[fresh["latitude"].notna()]
    was_missing = set(result.incidents.loc[result.incidents["latitude"].isna(), "incident_id"])
    return ImportReport(
        format=fmt,
        dataset=dataset,
        total=table.total,
        imported=len(fresh),
        duplicates=len(duplicates),
        rejected=len(errors),
        errors=tuple(errors),
        duplicate_rows=tuple(duplicates),
        geocoded=int(placed["incident_id"].isin(was_missing).sum()),
        not_mapped=int(fresh["latitude"].isna().sum()),
        incident_ids=tuple(i for i in incidents["incident_id"] if i in fresh_ids),
        imported_at=now,
        dry_run=dry_run,
        rejected_csv=rejected_csv(table, errors),
        notices=table.notices,
    ).check()


def _store(engine: Engine, incidents: pd.DataFrame, rows: list[int], by_place: bool,
           dry_run: bool, progress: Progress, lang: str
           ) -> tuple[pd.DataFrame, list[RowRejection]]:
    """Store the incidents the store lacks in one transaction (none in a dry run); return
    them and the rows that duplicate stored incidents."""
    from incidents.store import insert_incidents, lock_for_write

    try:
        if dry_run:
            with engine.connect() as conn:
                return split_duplicates(conn, incidents, rows, by_place)
        with engine.begin() as conn:
            # Lock first: another import's duplicate check waits until these rows are in.
            lock_for_write(conn)
            fresh, stored = split_duplicates(conn, incidents, rows, by_place)
            progress(0.9, ngettext("Storing {n} incident", "Storing {n} incidents",
                                   len(fresh), lang))
            insert_incidents(conn, fresh)
            return fresh, stored
    except sa.exc.IntegrityError as exc:
        raise StoreError(
            "another import stored some of these incidents at the same moment; nothing was "
            "stored: import the file again"
        ) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("the database refused the import, nothing was stored", exc) from exc
