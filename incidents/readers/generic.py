"""Reader for the spreadsheets analysts keep themselves: any CSV or .xlsx, English or French.

Columns are mapped to incident fields by header synonyms (``guess_mapping``), which the user
confirms or corrects; the mapping is a plain ``{field: column}`` dict. Values are read the way
people type them: dates as ``17/09/2024``, ``2024-09-17``, ``17 septembre 2024``, ``sept. 2024``
or ``2024`` (day-first unless the column proves otherwise; a month or a year becomes a date
range with that precision), numbers with decimal commas, fatalities as ``12``, ``10-15``,
``au moins 5`` or ``inconnu``. Rows without coordinates keep their place text for the
geocoder. Columns that map to no field are kept in the description as ``header: value``.

Incident ids are ``import:<keyed hash>``: an HMAC, under a secret key the store keeps, of the
dataset name and the id column when one is mapped, else of the row's cells (header and value
pairs, so column order does not matter). The same row imported into the same store gets the
same id (re-importing changes nothing), but an id shown to a viewer cannot be brute-forced
back into the cells it was made from (coordinates, place text a public view hides).

Coordinates typed in a file are taken as exact (precision ``site``) unless a precision column
says otherwise: a public view must never assume a typed point is coarser than it is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets

import pandas as pd

from incidents.countries import iso2_for, name_for
from incidents.errors import ReaderError
from incidents.readers import ReadResult
from incidents.readers.base import Reader, Rejections, shown
from incidents.readers.dates import parse_date, parse_dates
from incidents.readers.detect import RawTable
from incidents.readers.fields import (
    FIELD_NAMES,
    GENERIC_FIELDS,
    GenericField,
    guess_mapping,
    header_key,
)
from incidents.readers.numbers import parse_coordinate, parse_count, parse_pair
from incidents.schema import EVENT_TYPES, GEO_PRECISIONS
from incidents.text import each, normalize_text

__all__ = [
    "GENERIC_FIELDS",
    "GenericField",
    "GenericReader",
    "convert_generic",
    "event_type_for",
    "guess_mapping",
    "header_key",
    "normalize_text",
    "parse_coordinate",
    "parse_count",
    "parse_date",
    "parse_dates",
    "read_generic",
]


# --- event types ---------------------------------------------------------------------------

_TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("abduction", ("enlev", "kidnap", "rapt", "otage", "hostage", "abduct", "sequestr",
                   "disparition", "hijack", "detournement")),
    ("explosion", ("explos", "ied", "eei", "engin", "mine", "bomb", "kamikaze", "suicide",
                   "drone", "frappe", "airstrike", "air strike", "obus", "shell", "mortier",
                   "mortar", "roquette", "rocket", "remote")),
    ("protest_riot", ("manifest", "protest", "emeute", "riot", "sit in", "greve", "strike")),
    ("violence_against_civilians", ("massacre", "civil", "execution", "tuerie", "exaction",
                                    "lynch")),
    ("battle", ("affrontement", "clash", "combat", "battle", "accrochage", "bataille",
                "fighting", "heurt")),
    ("attack", ("attaque", "attack", "assaut", "assault", "raid", "embuscade", "ambush",
                "assassin", "tir", "shooting", "incursion", "incendie", "arson")),
    ("strategic", ("pillage", "loot", "arrest", "arrestation", "saisie", "seizure", "accord",
                   "agreement", "vol de betail", "strategic")),
)
_TYPE_BY_NAME = {normalize_text(t.code): t.code for t in EVENT_TYPES} | {
    normalize_text(t.label): t.code for t in EVENT_TYPES}


def event_type_for(text: object) -> str:
    """Return the taxonomy code a free-text event type (English or French) belongs to."""
    s = normalize_text(text)
    if not s:
        return "other"
    if s in _TYPE_BY_NAME:
        return _TYPE_BY_NAME[s]
    for code, words in _TYPE_WORDS:
        if any(re.search(rf"\b{w}", s) for w in words):
            return code
    return "other"


_PRECISION_WORDS = {
    "site": "site", "exact": "site", "exacte": "site", "point": "site", "lieu exact": "site",
    "neighbourhood": "neighbourhood", "neighborhood": "neighbourhood", "quartier": "neighbourhood",
    "town": "town", "ville": "town", "village": "town", "localite": "town", "city": "town",
    "admin2": "admin2", "cercle": "admin2", "province": "admin2", "departement": "admin2",
    "admin1": "admin1", "region": "admin1", "country": "country", "pays": "country",
}


def _geo_precision(text: object) -> str | None:
    s = normalize_text(text)
    if s in GEO_PRECISIONS:
        return s
    return _PRECISION_WORDS.get(s)


# --- conversion ------------------------------------------------------------------------------


#: Key of ids made without a store's key (a reader used on its own): random per process, so
#: that such ids are stable within a run and still reveal nothing.
_PROCESS_ID_KEY = secrets.token_bytes(32)


def _keyed(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:16]


def _row_hash(row: pd.Series, key: bytes) -> str:
    pairs = sorted((normalize_text(k), str(v).strip()) for k, v in row.items() if pd.notna(v))
    return _keyed(key, json.dumps(pairs, ensure_ascii=False))


def _id_hash(dataset: str, value: str, key: bytes) -> str:
    return _keyed(key, f"{normalize_text(dataset)}\x1f{value.strip()}")


class GenericReader(Reader):
    """Reads a spreadsheet of any layout through a ``{field: column}`` mapping.

    ``mapping`` None guesses it from the headers. ``id_key`` is the secret the ids are keyed
    with (``store.id_key``); None uses a random key of this process. ``dayfirst`` None detects
    it from the date column.
    """

    format = "generic"
    what = "a spreadsheet"
    fold_headers = False  # the mapping names the columns as the file writes them
    maps_columns = True

    def __init__(self, mapping: dict[str, str] | None = None, *, dataset: str | None = None,
                 dayfirst: bool | None = None, id_key: bytes | None = None) -> None:
        super().__init__(dataset=dataset or "Import")
        self.mapping = mapping
        self.dayfirst = dayfirst
        self.id_key = id_key or _PROCESS_ID_KEY

    @classmethod
    def for_import(cls, *, dataset: str, mapping: dict[str, str] | None = None,
                   id_key: bytes | None = None) -> GenericReader:
        """Return the reader an import uses, with its mapping and the store's id key."""
        return cls(mapping, dataset=dataset, id_key=id_key)

    @classmethod
    def looks_like(cls, columns: set[str]) -> bool:
        """Any table can be read as a spreadsheet once its columns are mapped."""
        return True

    def convert(self, raw: pd.DataFrame, rows: Rejections) -> pd.DataFrame:
        """Return the incident columns of the rows whose date, coordinates and counts read."""
        mapping = _checked_mapping(raw, self.mapping)
        col = _Columns(raw, mapping)
        start, end, precision = _dates(col, rows, self.dayfirst)
        lat, lon = _coordinates(col, rows)
        low, best, high, notes = _counts(col, rows)
        ids = _ids(raw, col, rows, self.dataset, self.id_key)
        ok = rows.accepted
        kept = raw[ok]
        iso = each(col("country")[ok], iso2_for)
        actor = col("actor")[ok]
        has_point = lat[ok].notna()
        type_text = col("event_type")[ok]
        # Without a type column, the words of the description say what happened ("Embuscade").
        type_words = type_text if mapping.get("event_type") else col("description")[ok]
        return pd.DataFrame({
            "incident_id": ids[ok],
            "date_start": start[ok],
            "date_end": end[ok],
            "date_precision": precision[ok],
            "country": iso,
            "country_name": each(iso, name_for).fillna(col("country")[ok]),
            "admin1": col("admin1")[ok],
            "admin2": col("admin2")[ok],
            "location": col("location")[ok],
            "latitude": lat[ok],
            "longitude": lon[ok],
            # Coordinates a person typed without saying what they stand for are taken as
            # exact: a public view must not assume they are coarser than they are.
            "geo_precision": pd.Series(
                [(_geo_precision(g) or "site") if point else None
                 for g, point in zip(col("geo_precision")[ok], has_point, strict=True)],
                index=kept.index, dtype="object"),
            "geocoder": has_point.map({True: "source", False: "none"}),
            "event_type": each(type_words, event_type_for).fillna("other"),
            "source_event_type": type_text,
            "actor": actor,
            "target": col("target")[ok],
            "fatalities_low": pd.array(low[ok], dtype="Int64"),
            "fatalities_best": pd.array(best[ok], dtype="Int64"),
            "fatalities_high": pd.array(high[ok], dtype="Int64"),
            "claims": _claims(actor, col("claim")[ok], self.dataset),
            "description": _descriptions(kept, mapping, notes),
            "sources": each(col("source")[ok], _sources),
            "dataset": self.dataset,
        }, index=kept.index)


class _Columns:
    """The mapped columns of a spreadsheet as text, all NA for a field mapped to none."""

    def __init__(self, raw: pd.DataFrame, mapping: dict[str, str]) -> None:
        self.raw, self.mapping = raw, mapping

    def __call__(self, name: str) -> pd.Series:
        column = self.mapping.get(name)
        if column and column in self.raw.columns:
            return self.raw[column].astype("string")
        return pd.Series(pd.NA, index=self.raw.index, dtype="string")


def _checked_mapping(raw: pd.DataFrame, mapping: dict[str, str] | None) -> dict[str, str]:
    """Return the mapping to read ``raw`` with; raise ``ReaderError`` for one that cannot be.

    A mapping without a date column raises: no row could be placed in time, and the user
    should map one rather than see every row rejected.
    """
    mapping = dict(guess_mapping(raw.columns) if mapping is None else mapping)
    unknown = {f for f in mapping if f not in FIELD_NAMES}
    if unknown:
        raise ReaderError(f"unknown fields in the column mapping: {sorted(unknown)}")
    missing = {c for c in mapping.values() if c and c not in raw.columns}
    if missing:
        raise ReaderError(f"the mapping names columns the file does not have: {sorted(missing)}")
    if not mapping.get("date"):
        raise ReaderError(
            "no column is mapped to the date, so no row can be placed in time; columns are: "
            + ", ".join(map(str, raw.columns))
        )
    return mapping


def _dates(col: _Columns, rows: Rejections, dayfirst: bool | None
           ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return the first day, last day and date precision of each row."""
    date_text = col("date")
    dates = parse_dates(date_text, dayfirst)
    rows.reject(date_text.isna(), "no date")
    rows.reject(dates["start"].isna(), "date not understood: " + date_text.pipe(shown))
    start, end, precision = dates["start"], dates["end"], dates["precision"]
    if col.mapping.get("date_end"):
        end_text = col("date_end")
        ends = parse_dates(end_text, dayfirst)
        rows.reject(end_text.notna() & ends["end"].isna(),
                    "end date not understood: " + end_text.pipe(shown))
        has_end = ends["end"].notna()
        end = end.where(~has_end, ends["end"])
        # A range of days is known to no better than the days it spans.
        precision = precision.where(~has_end | (end == start), "week")
        precision = precision.where(~has_end | ((end - start).dt.days <= 7), "month")
        precision = precision.where(~has_end | ((end - start).dt.days <= 31), "year")
    rows.reject(end < start, "end date is before the date")
    return start, end, precision


def _coordinates(col: _Columns, rows: Rejections) -> tuple[pd.Series, pd.Series]:
    """Return the latitude and longitude of each row (NA when the row has no point)."""
    lat = each(col("latitude"), parse_coordinate)
    lon = each(col("longitude"), parse_coordinate)
    if col.mapping.get("coordinates"):
        pairs = each(col("coordinates"), parse_pair)
        lat = lat.where(lat.notna(), each(pairs, lambda p: p[0]))
        lon = lon.where(lon.notna(), each(pairs, lambda p: p[1]))
        coord_text = col("coordinates")
        rows.reject(coord_text.notna() & pairs.isna(),
                    "coordinates not understood: " + coord_text.pipe(shown))
    lat = pd.to_numeric(lat, errors="coerce").astype("Float64")
    lon = pd.to_numeric(lon, errors="coerce").astype("Float64")
    for name, values in (("latitude", lat), ("longitude", lon)):
        text = col(name)
        rows.reject(text.notna() & values.isna(), f"{name} not understood: " + text.pipe(shown))
    rows.reject(lat.notna() != lon.notna(), "only one of latitude and longitude is given")
    rows.reject((lat.abs() > 90) | (lon.abs() > 180), "latitude/longitude out of range")
    return lat, lon


def _counts(col: _Columns, rows: Rejections
            ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Return the low, best and high death counts of each row, and the counts written in
    words (kept for the description)."""
    counts = {name: each(col(name), parse_count)
              for name in ("fatalities", "fatalities_low", "fatalities_high")}
    notes = pd.Series("", index=col.raw.index, dtype="string")
    for name, parsed in counts.items():
        problem = each(parsed, lambda p: p[3])
        text = col(name)
        rows.reject(problem == "negative count", f"{name} is negative: " + text.pipe(shown))
        # A count in words ("beaucoup") is no number but is not lost: it goes in the text.
        worded = problem == "no count in the text"
        notes = notes.where(~worded.fillna(False), notes + f"{name}: " + text.fillna("") + ". ")

    def part(name: str, i: int) -> pd.Series:
        return each(counts[name], lambda p: p[i])

    low = part("fatalities", 0).where(part("fatalities", 0).notna(), part("fatalities_low", 1))
    high = part("fatalities", 2).where(part("fatalities", 2).notna(), part("fatalities_high", 1))
    return low, part("fatalities", 1), high, notes


def _ids(raw: pd.DataFrame, col: _Columns, rows: Rejections, dataset: str, key: bytes
         ) -> pd.Series:
    """Return each row's keyed id, refusing rows that repeat an earlier row's."""
    row_ids = (raw.apply(_row_hash, axis=1, key=key) if len(raw)
               else pd.Series(dtype="string"))
    by_id = bool(col.mapping.get("id"))
    if by_id:
        ids = each(col("id"), lambda v: _id_hash(dataset, v, key))
        ids = ids.where(ids.notna(), row_ids)
    else:
        ids = row_ids
    ids = ("import:" + ids.astype("string")).astype("string")
    repeated, first_of = rows.repeats(ids)
    rows.reject(repeated, "duplicate of row " + first_of.astype(str) + " in the file (same "
                + ("identifier)" if by_id else "content)"))
    return ids


def _descriptions(kept: pd.DataFrame, mapping: dict[str, str], notes: pd.Series) -> pd.Series:
    """Return each row's description, its counts in words, then its unmapped cells."""
    used = {c for c in mapping.values() if c}
    extra_cols = [c for c in kept.columns if c not in used]

    def describe(i) -> str | None:
        parts = []
        desc = kept.at[i, mapping["description"]] if mapping.get("description") else None
        if isinstance(desc, str) and desc.strip():
            parts.append(desc.strip())
        if notes[i]:
            parts.append(notes[i].strip())
        for c in extra_cols:
            value = kept.at[i, c]
            if isinstance(value, str) and value.strip():
                parts.append(f"{c}: {value.strip()}")
        return "\n".join(parts) or None

    return pd.Series([describe(i) for i in kept.index], index=kept.index, dtype="object")


def _sources(value) -> str | None:
    """Return the sources a cell lists (";" or new lines between them) as JSON."""
    if not isinstance(value, str) or not value.strip():
        return None
    items = []
    for piece in re.split(r"\s*[;\n]\s*", value.strip()):
        if piece:
            url = piece if re.match(r"https?://", piece) else ""
            items.append({"publisher": "" if url else piece, "date": "", "title": "",
                          "url": url})
    return json.dumps(items, ensure_ascii=False)


def _claims(actor: pd.Series, claim_text: pd.Series, dataset: str) -> pd.Series:
    """Return each row's claim of responsibility, made by its actor, as JSON."""
    return pd.Series(
        [json.dumps([{"claimant": a if isinstance(a, str) else "", "claim": c,
                      "source": dataset}], ensure_ascii=False) if isinstance(c, str) else None
         for a, c in zip(actor, claim_text, strict=True)],
        index=claim_text.index, dtype="object",
    )


def convert_generic(
    table: RawTable | pd.DataFrame,
    mapping: dict[str, str] | None = None,
    *,
    dataset: str = "Import",
    dayfirst: bool | None = None,
    id_key: bytes | None = None,
) -> ReadResult:
    """Return the incidents and rejected rows of a spreadsheet read as text (``GenericReader``).

    A mapping without a date column raises ``ReaderError``: no row could be placed in time,
    and the user should map one rather than see every row rejected.
    """
    return GenericReader(mapping, dataset=dataset, dayfirst=dayfirst, id_key=id_key).read(table)


def read_generic(
    data: bytes, filename: str = "", mapping: dict[str, str] | None = None, *,
    dataset: str | None = None, id_key: bytes | None = None,
) -> ReadResult:
    """Read a spreadsheet given as bytes (CSV in any common dialect, or .xlsx) into incidents."""
    return GenericReader(mapping, dataset=dataset or filename or "Import",
                         id_key=id_key).read_bytes(data, filename)
