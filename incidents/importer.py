"""Import a file of incidents into the store, accounting for every data row.

Each data row of the file ends as exactly one of:

- **imported**: it became an incident and was stored (or would be, in a dry run);
- **duplicate**: the store or an earlier row of the file already holds it: the same incident
  id (the source's own id: ``acled:``, ``gtd:``, ``ucdp:``; for spreadsheets a hash of the
  id column or of the row), or, for spreadsheet rows, the same day, place and actor
  (compared without case, accents or punctuation). Re-importing a file therefore changes
  nothing. Rows from ACLED, GTD and UCDP are told apart by their ids only: those datasets
  record distinct events on the same day, place and actor;
- **rejected**: it could not become an incident; the report gives its data-row number (the
  header is row 0) and why, and ``ImportReport.rejected_csv`` holds those rows as read.

Rows without coordinates are geocoded offline from their place text; those no place
resolves for are imported unmapped (``geocoder`` "none"). One import is one transaction:
its accepted rows all land or none do.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.countries import is_iso2, name_for
from incidents.csvsafe import csv_text
from incidents.db import metadata, store_error
from incidents.errors import IncidentsError, ReaderError, StoreError
from incidents.i18n import N_, gettext, ngettext
from incidents.readers import ReadResult, RowRejection
from incidents.readers.detect import RawTable, detect_format, read_table
from incidents.readers.generic import _each, guess_mapping, header_key, normalize_text
from incidents.schema import (
    FORMAT_BY_CODE,
    FORMATS,
    GEO_PRECISIONS,
    GEOCODERS,
    POINT_PRECISIONS,
    RESTRICTED_FORMATS,
    conform,
)

__all__ = [
    "LICENCE_NOTICE",
    "RESTRICTED_FORMATS",
    "Geocoder",
    "ImportPreview",
    "ImportReport",
    "default_geocoder",
    "import_file",
    "import_mappings_table",
    "max_import_bytes",
    "preview_file",
    "remember_mapping",
    "remembered_mapping",
    "run_import_cli",
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

_CHUNK = 500

Progress = Callable[[float, str], None]


class Geocoder(Protocol):
    """A place resolver: ``(query, country ISO2 or None) -> result or None``.

    The result has ``latitude``, ``longitude`` (None when not found), ``geo_precision``,
    ``geocoder`` and ``confidence``; ``country`` is used when present.
    """

    def __call__(self, query: str, country: str | None) -> Any: ...


import_mappings_table = sa.Table(
    "import_mappings",
    metadata,
    sa.Column("header_key", sa.String(64), primary_key=True),
    sa.Column("headers", sa.Text, nullable=False),  # JSON list, for people reading the table
    sa.Column("mapping", sa.Text, nullable=False),  # JSON {field: column}
    sa.Column("updated_at", sa.DateTime, nullable=False),
)


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, in a dry run, would do) with every data row of a file."""

    format: str
    dataset: str
    total: int
    imported: int
    duplicates: int
    rejected: int
    errors: tuple[RowRejection, ...] = ()
    duplicate_rows: tuple[RowRejection, ...] = ()
    geocoded: int = 0
    not_mapped: int = 0
    incident_ids: tuple[str, ...] = ()
    imported_at: dt.datetime | None = None
    dry_run: bool = False
    rejected_csv: str = field(default="", repr=False)
    notices: tuple[str, ...] = ()  # how the file was read, when the user must check it

    def to_dict(self) -> dict:
        """Return the report as the CLI prints it with ``--json``."""
        return {
            "format": self.format,
            "total": self.total,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": [{"row": e.row, "reason": e.reason} for e in self.errors],
            "notices": list(self.notices),
        }


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


# --- geocoder ------------------------------------------------------------------------------


@functools.cache
def _gazetteer():
    """The offline index (and $INCIDENTS_USER_PLACES), loaded once per process."""
    from incidents.geocoding import GeocoderConfig, load_gazetteer

    return load_gazetteer(user_places=GeocoderConfig.from_env().user_places)


def default_geocoder(engine: Engine | None = None) -> Geocoder | None:
    """Return the offline geocoder, with the manual corrections stored in ``engine``.

    Imports never go online: a correction made on the Geocode page wins, then the index.
    """
    try:
        from incidents.geocoding import Geocoder as PlaceGeocoder
        from incidents.geocoding import GeocoderConfig

        geocoder = PlaceGeocoder(_gazetteer(), config=GeocoderConfig(), engine=engine)
    except (ImportError, IncidentsError, OSError):
        return None
    loaded: list = []

    def resolve(query: str, country: str | None) -> Any:
        # The corrections are read once per import, not once per place.
        if not loaded:
            loaded.append(geocoder.load_corrections())
        return geocoder.resolve(query, country, corrections=loaded[0])

    return resolve


def _query(row: pd.Series) -> str:
    parts: list[str] = []
    for key in ("location", "admin2", "admin1"):
        value = row.get(key)
        if isinstance(value, str) and value.strip() and normalize_text(value) not in {
            normalize_text(p) for p in parts
        }:
            parts.append(value.strip())
    return ", ".join(parts)


def _geocode(
    df: pd.DataFrame, geocoder: Geocoder | None, progress: Progress,
    engine: Engine | None = None, lang: str = "en",
) -> tuple[pd.DataFrame, int]:
    """Return ``df`` with points for rows that had none and whose place resolves; and how many."""
    need = df.index[df["latitude"].isna()]
    if not len(need):
        return df, 0
    geocoder = geocoder or default_geocoder(engine)
    if geocoder is None:
        return df, 0
    # Plain text columns while points are filled in: a categorical refuses a value it has not
    # seen (a country the geocoder found, for a file without a country column).
    out = df.astype({c: "string" for c in ("country", "geo_precision", "geocoder")})
    queries = {i: (_query(out.loc[i]), out.at[i, "country"]) for i in need}
    answers: dict[tuple[str, str | None], Any] = {}
    unique = {(q, None if pd.isna(c) else str(c)) for q, c in queries.values() if q}
    for n, key in enumerate(sorted(unique, key=lambda k: (k[0], k[1] or ""))):
        try:
            answers[key] = geocoder(*key)
        except IncidentsError:  # a geocoder failure leaves the row unmapped, not the import
            answers[key] = None
        if n % 20 == 0:
            progress(0.35 + 0.4 * n / max(1, len(unique)),
                     gettext("Geocoding places ({done}/{total})", lang, done=n,
                             total=len(unique)))
    done = 0
    for i, (q, c) in queries.items():
        res = answers.get((q, None if pd.isna(c) else str(c))) if q else None
        lat, lon = getattr(res, "latitude", None), getattr(res, "longitude", None)
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        precision = getattr(res, "geo_precision", None)
        source = getattr(res, "geocoder", None)
        out.at[i, "latitude"], out.at[i, "longitude"] = float(lat), float(lon)
        out.at[i, "geo_precision"] = precision if precision in GEO_PRECISIONS else pd.NA
        out.at[i, "geocoder"] = source if source in GEOCODERS else "gazetteer"
        for level in ("admin1", "admin2"):  # so that the Region filter finds the row
            name = getattr(res, level, None)
            if level in out.columns and isinstance(name, str) and pd.isna(out.at[i, level]):
                out.at[i, level] = name
        country = getattr(res, "country", None)
        if pd.isna(out.at[i, "country"]) and isinstance(country, str) and is_iso2(country):
            out.at[i, "country"] = country
            if pd.isna(out.at[i, "country_name"]):
                out.at[i, "country_name"] = name_for(country)
        done += 1
    return out, done


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


def _convert(fmt: str, table: RawTable, mapping: dict[str, str] | None, dataset: str,
             id_key: bytes | None = None) -> ReadResult:
    if fmt == "acled":
        from incidents.readers.acled import convert_acled

        return convert_acled(table, dataset=dataset)
    if fmt == "gtd":
        from incidents.readers.gtd import convert_gtd

        return convert_gtd(table, dataset=dataset)
    if fmt == "ucdp":
        from incidents.readers.ucdp import convert_ucdp

        raw = table.frame.rename(columns=lambda c: str(c).strip().lower())
        result = convert_ucdp(raw, dataset=dataset)
        rejected = sorted([*table.rejected, *result.rejected], key=lambda r: r.row)
        return ReadResult("ucdp", result.incidents, rejected, total=table.total)
    from incidents.readers.generic import convert_generic

    return convert_generic(table, mapping, dataset=dataset, id_key=id_key)


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
    if fmt == "generic":
        remembered = remembered_mapping(engine, table.columns) if engine is not None else None
        mapping, how = (remembered, "remembered") if remembered else (
            guess_mapping(table.columns), "guessed")
    return ImportPreview(fmt, table.columns, table.frame.head(rows).copy(), table.total,
                         table.kind, table.encoding, table.delimiter, mapping, how, table,
                         table.notices)


# --- mappings ----------------------------------------------------------------------------------


def remembered_mapping(engine: Engine, columns) -> dict[str, str] | None:
    """Return the mapping last confirmed for this header set, keeping columns that exist."""
    try:
        with engine.connect() as conn:
            text = conn.execute(
                sa.select(import_mappings_table.c.mapping)
                .where(import_mappings_table.c.header_key == header_key(columns))
            ).scalar_one_or_none()
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read remembered column mappings", exc) from exc
    if not text:
        return None
    # The header set matched loosely (case, accents); name the columns as this file does.
    names = {normalize_text(c): c for c in columns}
    mapping = {f: names[normalize_text(c)] for f, c in json.loads(text).items()
               if normalize_text(c) in names}
    return mapping or None


def remember_mapping(engine: Engine, columns, mapping: dict[str, str],
                     clock: Callable[[], dt.datetime] | None = None) -> None:
    """Remember ``mapping`` for files with this header set."""
    now = (clock or _utcnow)()
    key = header_key(columns)
    values = {"headers": json.dumps(list(columns), ensure_ascii=False),
              "mapping": json.dumps(mapping, ensure_ascii=False), "updated_at": now}
    table = import_mappings_table
    try:
        with engine.begin() as conn:
            done = conn.execute(table.update().where(table.c.header_key == key)
                                .values(**values)).rowcount
            if not done:
                conn.execute(table.insert().values(header_key=key, **values))
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot remember the column mapping", exc) from exc


# --- dedup ---------------------------------------------------------------------------------------


def _place_key(date: pd.Series, location: pd.Series, actor: pd.Series) -> pd.Series:
    """Return "day|place|actor" keys (NA when any is unknown), compared loosely."""
    loc = _each(location, normalize_text).astype("string")
    act = _each(actor, normalize_text).astype("string")
    day = pd.to_datetime(date).dt.strftime("%Y-%m-%d")
    key = day + "|" + loc.astype("string") + "|" + act.astype("string")
    return key.where((loc.fillna("") != "") & (act.fillna("") != "") & day.notna())


def _actor_day(date: pd.Series, actor: pd.Series) -> pd.Series:
    act = _each(actor, normalize_text).astype("string")
    day = pd.to_datetime(date).dt.strftime("%Y-%m-%d")
    return (day + "|" + act.astype("string")).where(act.fillna("") != "")


class _Seen:
    """Incidents already known by day, place and actor: as place text, and as precise points
    (two ways of writing one place, "Faladié" and "Gendarmerie school, Faladié district",
    geocode to one point)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.points: dict[str, list[tuple[float, float, str]]] = {}

    def add_frame(self, frame: pd.DataFrame, label: pd.Series) -> None:
        keys = _place_key(frame["date_start"], frame["location"], frame["actor"])
        days = _actor_day(frame["date_start"], frame["actor"])
        precise = frame["geo_precision"].isin(_PRECISE) & frame["latitude"].notna()
        for args in zip(keys, days, frame["latitude"], frame["longitude"], precise, label,
                        strict=True):
            self.add(*args)

    def add(self, key, day, lat, lon, precise: bool, name: str) -> None:
        if isinstance(key, str):
            self.texts.setdefault(key, name)
        if isinstance(day, str) and precise:
            self.points.setdefault(day, []).append((float(lat), float(lon), name))

    def match(self, key, day, lat, lon, precise: bool) -> str | None:
        if isinstance(key, str) and key in self.texts:
            return self.texts[key]
        if precise and isinstance(day, str):
            for plat, plon, name in self.points.get(day, ()):
                if haversine_km(plat, plon, lat, lon) <= _SAME_PLACE_KM:
                    return name
        return None


_PRECISE = POINT_PRECISIONS
_SAME_PLACE_KM = 1.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def _existing_ids(conn, ids: list[str]) -> set[str]:
    from incidents.store import incidents_table

    found: set[str] = set()
    col = incidents_table.c.incident_id
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update(conn.execute(sa.select(col).where(col.in_(chunk))).scalars())
    return found


def _stored_on(conn, days: list[dt.datetime]) -> pd.DataFrame:
    from incidents.store import incidents_table as t

    cols = [t.c.incident_id, t.c.date_start, t.c.location, t.c.actor, t.c.latitude,
            t.c.longitude, t.c.geo_precision]
    rows = []
    for start in range(0, len(days), _CHUNK):
        chunk = days[start : start + _CHUNK]
        rows += conn.execute(sa.select(*cols).where(t.c.date_start.in_(chunk))).all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


def _split_duplicates(conn, df: pd.DataFrame, rows: list[int], by_place: bool
                      ) -> tuple[pd.DataFrame, list[RowRejection]]:
    """Return the incidents the store lacks, and the rows that duplicate stored ones."""
    ids = df["incident_id"].astype(str).tolist()
    stored = _existing_ids(conn, ids)
    dup: dict[int, str] = {i: f"already in the store as {v}" for i, v in enumerate(ids)
                           if v in stored}
    if by_place and len(df):
        days = sorted({d.to_pydatetime() for d in df["date_start"].dropna().dt.normalize()})
        known = _stored_on(conn, days)
        in_store, in_file = _Seen(), _Seen()
        in_store.add_frame(known, known["incident_id"] + " in the store")
        keys = _place_key(df["date_start"], df["location"], df["actor"])
        actor_days = _actor_day(df["date_start"], df["actor"])
        precise = (df["geo_precision"].isin(_PRECISE) & df["latitude"].notna()).tolist()
        for pos in range(len(df)):
            if pos in dup:
                continue
            args = (keys.iloc[pos], actor_days.iloc[pos], df["latitude"].iloc[pos],
                    df["longitude"].iloc[pos], precise[pos])
            hit = in_store.match(*args) or in_file.match(*args)
            if hit:
                dup[pos] = f"same day, place and actor as {hit}"
            else:
                in_file.add(*args, f"row {rows[pos]} in the file")
    keep = [pos for pos in range(len(df)) if pos not in dup]
    duplicates = [RowRejection(rows[pos], reason) for pos, reason in sorted(dup.items())]
    return df.iloc[keep].reset_index(drop=True), duplicates


# --- report helpers --------------------------------------------------------------------------


def _rejected_csv(table: RawTable, errors: list[RowRejection]) -> str:
    """Return the rejected rows as CSV: their row number, the reason, then the row as read.

    Written by the project's one formula-safe CSV writer (``incidents.csvsafe``): a rejected
    row is hostile more often than any other.
    """
    columns = list(table.columns)
    extra = any(len(table.raw_rows.get(e.row - 1, ())) > len(columns) for e in errors)
    lines: list[list[object]] = [["row", "reason", *columns,
                                  *(["extra fields"] if extra else [])]]
    for e in errors:
        i = e.row - 1
        if i in table.raw_rows:
            cells = list(table.raw_rows[i])
            line = cells[: len(columns)] + [""] * (len(columns) - len(cells))
            if extra:
                line.append(" | ".join(cells[len(columns):]))
        elif i in table.frame.index:
            line = ["" if pd.isna(v) else str(v) for v in table.frame.loc[i].tolist()]
        else:
            line = [""] * len(columns)
        lines.append([e.row, e.reason, *line])
    return csv_text(lines)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


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
    if dataset is None:
        label = FORMAT_BY_CODE[fmt].dataset
        dataset = f"{label} ({name})" if label and name else (label or name or "Import")
    if fmt == "generic" and mapping is None:
        mapping = remembered_mapping(engine, table.columns)
    progress(0.15, ngettext("Reading {n} row as {format}", "Reading {n} rows as {format}",
                            table.total, lang, format=fmt))
    result = _convert(fmt, table, mapping, dataset, _id_key(engine, dry_run))
    rows = _accepted_rows(table, result)
    errors = [r for r in result.rejected if not r.reason.startswith("duplicate")]
    in_file = [r for r in result.rejected if r.reason.startswith("duplicate")]

    progress(0.35, gettext("Geocoding places without coordinates", lang))
    incidents, _ = _geocode(result.incidents, geocoder, progress, engine, lang)
    now = (clock or _utcnow)()
    incidents = incidents.assign(imported_at=pd.Timestamp(now), dataset=dataset)
    incidents = conform(incidents)

    progress(0.8, gettext("Checking for incidents already in the store", lang))
    from incidents.store import insert_incidents, lock_for_write

    try:
        if dry_run:
            with engine.connect() as conn:
                fresh, stored = _split_duplicates(conn, incidents, rows, fmt == "generic")
        else:
            with engine.begin() as conn:
                # Lock first: another import's duplicate check waits until these rows are in.
                lock_for_write(conn)
                fresh, stored = _split_duplicates(conn, incidents, rows, fmt == "generic")
                progress(0.9, ngettext("Storing {n} incident", "Storing {n} incidents",
                                       len(fresh), lang))
                insert_incidents(conn, fresh)
    except sa.exc.IntegrityError as exc:
        raise StoreError(
            "another import stored some of these incidents at the same moment; nothing was "
            "stored: import the file again"
        ) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("the database refused the import, nothing was stored", exc) from exc
    progress(1.0, gettext("Done", lang))

    duplicates = sorted([*in_file, *stored], key=lambda r: r.row)
    fresh_ids = set(fresh["incident_id"])
    placed = fresh[fresh["latitude"].notna()]
    was_missing = set(result.incidents.loc[result.incidents["latitude"].isna(), "incident_id"])
    report = ImportReport(
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
        rejected_csv=_rejected_csv(table, errors),
        notices=table.notices,
    )
    if report.imported + report.duplicates + report.rejected != report.total:
        raise ReaderError(  # never report a count that does not add up
            f"row accounting failed: {report.imported} + {report.duplicates} + "
            f"{report.rejected} != {report.total}"
        )
    return report


# --- command line ------------------------------------------------------------------------------


def run_import_cli(args) -> int:
    """Run ``python -m incidents import``: print the report (JSON with --json); return 0."""
    from incidents.db import get_engine
    from incidents.store import ensure_store

    engine = get_engine(args.database_url)
    try:
        ensure_store(engine)
        report = import_file(Path(args.file), engine, format=args.format, dry_run=args.dry_run)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return 0
    verb = "would import" if report.dry_run else "imported"
    print(f"{Path(args.file).name}: {report.format}, {report.total:,} rows: {verb} "
          f"{report.imported:,} ({report.not_mapped:,} not mapped), "
          f"{report.duplicates:,} duplicates, {report.rejected:,} rejected")
    for notice in report.notices:
        print(f"  note: {notice}")
    for e in report.errors[:20]:
        print(f"  row {e.row}: {e.reason}")
    if len(report.errors) > 20:
        print(f"  … and {len(report.errors) - 20:,} more (use --json for all)")
    if report.format in RESTRICTED_FORMATS:
        print(f"note: {LICENCE_NOTICE}", file=sys.stderr)
    return 0
