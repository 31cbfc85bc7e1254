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

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass

import pandas as pd

from incidents.countries import iso2_for, name_for
from incidents.errors import ReaderError
from incidents.readers import ReadResult, row_rejections
from incidents.readers.detect import RawTable, read_table
from incidents.schema import EVENT_TYPES, GEO_PRECISIONS, conform

__all__ = [
    "GENERIC_FIELDS",
    "GenericField",
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


@dataclass(frozen=True)
class GenericField:
    """An incident field a spreadsheet column can map to, and header words that name it."""

    name: str
    label: str
    synonyms: tuple[str, ...]


#: Fields in the order a person fills the mapping in; synonyms are compared normalised
#: (lower case, no accents, ``_``/``-`` as spaces).
GENERIC_FIELDS: tuple[GenericField, ...] = (
    GenericField("date", "Date", (
        "date", "date of attack", "date of incident", "date of event", "event date", "date start",
        "start date", "date debut", "date de debut", "date de l attaque", "date de l incident",
        "date de l evenement", "date incident", "jour", "day", "when", "quand")),
    GenericField("date_end", "End date", (
        "date end", "end date", "date fin", "date de fin", "fin", "until", "jusqu au")),
    GenericField("location", "Place", (
        "place", "lieu", "location", "localite", "locality", "ville", "town", "city", "village",
        "site", "endroit", "where", "emplacement", "place name", "nom du lieu", "lieu de l attaque",
        "commune", "quartier", "neighbourhood", "neighborhood")),
    GenericField("admin2", "Admin 2 (cercle, province, department)", (
        "admin2", "admin 2", "cercle", "province", "departement", "department", "prefecture",
        "district")),
    GenericField("admin1", "Admin 1 (region)", (
        "admin1", "admin 1", "region", "state", "etat", "wilaya")),
    GenericField("country", "Country", ("country", "pays", "nation", "country name", "iso",
                                        "iso2", "iso3", "country code", "code pays")),
    GenericField("latitude", "Latitude", ("latitude", "lat", "y")),
    GenericField("longitude", "Longitude", ("longitude", "lon", "long", "lng", "x")),
    GenericField("coordinates", "Coordinates (lat, lon in one column)", (
        "coordinates", "coordonnees", "coords", "gps", "lat lon", "latlon", "lat long",
        "position", "point")),
    GenericField("geo_precision", "Place precision", (
        "geo precision", "precision", "precision geographique", "location precision",
        "precision du lieu")),
    GenericField("fatalities", "Fatalities", (
        "fatalities", "killed", "deaths", "dead", "morts", "tues", "deces", "nombre de morts",
        "nb morts", "nbre de morts", "bilan", "victimes", "nkill", "death toll", "fatalities best",
        "morts best", "best")),
    GenericField("fatalities_low", "Fatalities (low)", (
        "fatalities low", "low", "deaths low", "morts min", "minimum morts", "min killed")),
    GenericField("fatalities_high", "Fatalities (high)", (
        "fatalities high", "high", "deaths high", "morts max", "maximum morts", "max killed")),
    GenericField("actor", "Perpetrator", (
        "actor", "actor1", "acteur", "auteur", "auteurs", "perpetrator", "perpetrators",
        "perpetrator group", "group", "groupe", "groupe arme", "responsable", "assaillants",
        "attackers", "gname", "side a")),
    GenericField("target", "Target", ("target", "cible", "cibles", "targets", "actor2",
                                      "side b", "vise", "victim", "victime")),
    GenericField("event_type", "Event type", (
        "event type", "type", "type d evenement", "type d incident", "type of event",
        "type of attack", "type d attaque", "nature", "categorie", "category", "incident type")),
    GenericField("description", "Description", (
        "description", "resume", "summary", "notes", "note", "details", "commentaire",
        "commentaires", "comments", "comment", "observations", "narrative", "recit", "faits")),
    GenericField("source", "Source", ("source", "sources", "lien", "link", "url", "reference",
                                      "references", "media", "origine")),
    GenericField("claim", "Claim of responsibility", (
        "claim", "claims", "claimed by", "revendication", "revendique par", "revendications")),
    GenericField("id", "Identifier", (
        "id", "identifiant", "identifier", "event id", "incident id", "ref", "numero", "no",
        "n", "code", "uid")),
)

_FIELD_NAMES = tuple(f.name for f in GENERIC_FIELDS)
_NA_WORDS = frozenset({"", "?", "-", "--", "na", "n/a", "n a", "nd", "n d", "nc", "inconnu",
                       "inconnue", "unknown", "non connu", "none", "null", "nan", "x", "aucune info"})
_ZERO_WORDS = frozenset({"aucun", "aucune", "zero", "zéro", "nul", "no deaths", "pas de morts"})


def normalize_text(text: object) -> str:
    """Return ``text`` lower-cased, without accents or punctuation, spaces collapsed."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded.lower()).split())


def _each(values: pd.Series, func) -> pd.Series:
    """Return ``func`` of each non-missing value as an object Series (None where missing).

    ``Series.map`` would let pandas infer an Arrow list type from tuples.
    """
    return pd.Series([None if pd.isna(v) else func(v) for v in values], index=values.index,
                     dtype="object")


def _shown(values: pd.Series, limit: int = 60) -> pd.Series:
    """Return values quoted for a rejection reason, long ones cut (a reason is not a dump)."""
    return _each(values, lambda v: repr(v if len(v) <= limit else v[:limit] + "…")).fillna("''")


def header_key(columns) -> str:
    """Return a stable key of a header set, to remember its mapping."""
    names = sorted(normalize_text(c) for c in columns)
    return hashlib.sha1("\x1f".join(names).encode()).hexdigest()


def guess_mapping(columns) -> dict[str, str]:
    """Return ``{field: column}`` for the columns whose header names a field.

    Exact synonyms win, then headers that contain a synonym as whole words ("Nombre de
    morts confirmés" -> fatalities). A column maps to one field, a field to one column.
    """
    # A header is a few words: anything longer is data in the header row, not a name.
    norm = {c: normalize_text(str(c)[:200]) for c in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for exact in (True, False):
        for fld in GENERIC_FIELDS:
            if fld.name in mapping:
                continue
            for syn in fld.synonyms:
                if not exact and len(syn) < 3:
                    continue  # "x", "no", "n" only count as whole headers
                hit = next((c for c in columns if c not in used and (
                    norm[c] == syn if exact else re.search(rf"\b{re.escape(syn)}\b", norm[c])
                )), None)
                if hit is not None:
                    mapping[fld.name] = hit
                    used.add(hit)
                    break
    return mapping


# --- dates -------------------------------------------------------------------------------------

_MONTH_WORDS = {
    1: "janvier january janv jan", 2: "fevrier february fevr fev feb", 3: "mars march mar",
    4: "avril april avr apr", 5: "mai may", 6: "juin june jun", 7: "juillet july juil jul",
    8: "aout august aug", 9: "septembre september sept sep", 10: "octobre october oct",
    11: "novembre november nov", 12: "decembre december dec",
}
_MONTHS = {w: m for m, words in _MONTH_WORDS.items() for w in words.split()}
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?")
_WEEKDAY_RE = re.compile(
    r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b\.?"
)
_TIME_RE = re.compile(r"(?:[ t]\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)$")
_AMBIGUOUS = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2}) m(\d{1,2}) (\d{4}|\d{2})"), "dmy"),
    (re.compile(r"m(\d{1,2}) (\d{1,2}) (\d{4})"), "mdy"),
    (re.compile(r"m(\d{1,2}) (\d{4}|\d{2})"), "my"),
    (re.compile(r"(\d{1,2})[/.\-](\d{4})"), "my"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "ym"),
    (re.compile(r"(\d{4})"), "y"),
)


def _normalize_date(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^0-9a-z/.\-:+ ]+", " ", folded)
    s = _TIME_RE.sub("", " ".join(s.split())).strip()
    s = _WEEKDAY_RE.sub(" ", s)
    s = re.sub(r"\b(le|the|of|du|de)\b", " ", s)
    s = re.sub(r"\b(\d{1,2})\s*(?:er|st|nd|rd|th)\b", r"\1", s)
    s, named = _MONTH_RE.subn(lambda m: f" m{_MONTHS[m.group(1)]} ", s)
    if named:  # "16-Feb-21", "17/sept./2024": separators around a month name are spaces
        s = re.sub(r"[-/.]", " ", s)
    return " ".join(s.split())


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        pivot = (dt.date.today().year % 100) + 1
        y += 2000 if y <= pivot else 1900
    return y


def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    first = dt.date(y, m, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def parse_date(text: object, dayfirst: bool = True) -> tuple[dt.date, dt.date, str] | None:
    """Return (first day, last day, precision) of a date as people write it, else None."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return None
    s = _normalize_date(str(text).strip())
    if not s:
        return None
    try:
        m = _AMBIGUOUS.fullmatch(s)
        if m:
            a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
            d, mo = (a, b) if dayfirst else (b, a)
            day = dt.date(y, mo, d)
            return day, day, "day"
        for pattern, kind in _PATTERNS:
            m = pattern.fullmatch(s)
            if not m:
                continue
            g = m.groups()
            if kind == "ymd":
                day = dt.date(int(g[0]), int(g[1]), int(g[2]))
            elif kind == "dmy":
                day = dt.date(_year(g[2]), int(g[1]), int(g[0]))
            elif kind == "mdy":
                day = dt.date(int(g[2]), int(g[0]), int(g[1]))
            elif kind in ("my", "ym"):
                y, mo = (_year(g[1]), int(g[0])) if kind == "my" else (int(g[0]), int(g[1]))
                return (*_month_range(y, mo), "month")
            else:
                y = int(g[0])
                if not 1800 <= y <= 2200:
                    return None
                return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
            return day, day, "day"
    except ValueError:  # 31/02, month 13 ...
        return None
    return None


def detect_dayfirst(values: pd.Series) -> bool:
    """Return whether ambiguous n/n/yyyy dates in ``values`` are day-first (the default)."""
    firsts, seconds = [], []
    for text in values.dropna().astype(str).unique()[:5000]:
        m = _AMBIGUOUS.fullmatch(_normalize_date(text))
        if m:
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(2)))
    # A first number over 12 proves day-first; a second one over 12 proves month-first.
    return any(a > 12 for a in firsts) or not any(b > 12 for b in seconds)


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> pd.DataFrame:
    """Return ``start``, ``end`` (datetime64[s]) and ``precision`` for each value; NaT if not
    a date. ``dayfirst`` None detects it from the column."""
    if dayfirst is None:
        dayfirst = detect_dayfirst(values)
    parsed = {v: parse_date(v, dayfirst) for v in values.dropna().unique()}
    out = pd.DataFrame(index=values.index)
    got = _each(values, lambda v: parsed.get(v))
    first = _each(got, lambda p: p[0])
    last = _each(got, lambda p: p[1])
    out["start"] = pd.to_datetime(first, errors="coerce").astype("datetime64[s]")
    out["end"] = pd.to_datetime(last, errors="coerce").astype("datetime64[s]")
    out["precision"] = _each(got, lambda p: p[2]).astype("string")
    return out


# --- numbers -------------------------------------------------------------------------------

_DMS = re.compile(
    r"(-?\d{1,3})\s*[°º:d]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′m]?\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|″|''|s)?\s*)?([nsewo])?"
)


def parse_coordinate(text: object) -> float | None:
    """Return a coordinate in decimal degrees: ``12.65``, ``12,65``, ``12°39'N``; else None."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return None
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    m = _DMS.fullmatch(s.lower())
    if not m:
        return None
    deg, minutes, seconds, hemi = m.groups()
    value = abs(float(deg)) + float((minutes or "0").replace(",", ".")) / 60 \
        + float((seconds or "0").replace(",", ".")) / 3600
    negative = deg.startswith("-") or hemi in ("s", "w", "o")
    return -value if negative else value


def _parse_pair(text: object) -> tuple[float, float] | None:
    if not isinstance(text, str):
        return None
    parts = re.split(r"\s*[;,/ ]\s*(?=[-+]?\d)", text.strip().strip("()[]"))
    if len(parts) != 2:
        return None
    lat, lon = parse_coordinate(parts[0]), parse_coordinate(parts[1])
    return (lat, lon) if lat is not None and lon is not None else None


def parse_count(text: object) -> tuple[int | None, int | None, int | None, str | None]:
    """Return (low, best, high, problem) of a death count as people write it.

    ``12`` -> best; ``10-15`` / ``10 à 15`` -> low and high; ``au moins 5`` / ``>5`` -> low;
    ``inconnu``, ``?`` -> all unknown. ``problem`` is set for text that holds no count, and
    for negative numbers.
    """
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return None, None, None, None
    raw = str(text).strip()
    s = normalize_text(raw) if not re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", raw) else raw
    if s in _NA_WORDS or raw in _NA_WORDS:
        return None, None, None, None
    if s in _ZERO_WORDS:
        return None, 0, None, None
    m = re.fullmatch(r"([+-]?\d+)(?:[.,]0+)?", raw.replace("\u00a0", "").replace(" ", ""))
    if m:
        n = int(m.group(1))
        return (None, None, None, "negative count") if n < 0 else (None, n, None, None)
    m = re.fullmatch(r"(\d+)\s*(?:-|–|a|to|ou|or)\s*(\d+)", s.replace("–", "-")) or \
        re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", raw)
    if m:
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        return lo, None, hi, None
    m = re.fullmatch(r"(?:au moins|at least|plus de|more than|over|min|minimum)\s*(\d+)", s) \
        or re.fullmatch(r"[>≥]\s*(\d+)\+?|(\d+)\s*\+", raw)
    if m:
        return int(next(g for g in m.groups() if g)), None, None, None
    numbers = re.findall(r"\d+", s)
    if len(numbers) == 1 and not raw.lstrip().startswith("-"):
        return None, int(numbers[0]), None, None
    return None, None, None, "no count in the text"


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


def _col(raw: pd.DataFrame, mapping: dict[str, str], name: str) -> pd.Series:
    column = mapping.get(name)
    if column and column in raw.columns:
        return raw[column].astype("string")
    return pd.Series(pd.NA, index=raw.index, dtype="string")


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


def convert_generic(
    table: RawTable | pd.DataFrame,
    mapping: dict[str, str] | None = None,
    *,
    dataset: str = "Import",
    dayfirst: bool | None = None,
    id_key: bytes | None = None,
) -> ReadResult:
    """Return the incidents and rejected rows of a spreadsheet read as text.

    ``mapping`` is ``{field: column}`` (see ``GENERIC_FIELDS``); None guesses it from the
    headers. ``id_key`` is the secret the ids are keyed with (``store.id_key``); None uses a
    random key of this process. A mapping without a date column raises ``ReaderError``: no row could be placed
    in time, and the user should map one rather than see every row rejected.
    """
    raw = table.frame if isinstance(table, RawTable) else table
    total = table.total if isinstance(table, RawTable) else len(raw)
    pre_rejected = list(table.rejected) if isinstance(table, RawTable) else []
    mapping = dict(guess_mapping(raw.columns) if mapping is None else mapping)
    unknown = {f for f in mapping if f not in _FIELD_NAMES}
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

    reasons = pd.Series(pd.NA, index=raw.index, dtype="string")

    def reject(mask: pd.Series, reason: str | pd.Series) -> None:
        mask = mask.fillna(False).astype(bool) & reasons.isna()
        reasons[mask] = reason[mask] if isinstance(reason, pd.Series) else reason

    date_text = _col(raw, mapping, "date")
    dates = parse_dates(date_text, dayfirst)
    reject(date_text.isna(), "no date")
    reject(dates["start"].isna(), "date not understood: " + date_text.pipe(_shown))
    start, end, precision = dates["start"], dates["end"], dates["precision"]
    if mapping.get("date_end"):
        end_text = _col(raw, mapping, "date_end")
        ends = parse_dates(end_text, dayfirst)
        reject(end_text.notna() & ends["end"].isna(),
               "end date not understood: " + end_text.pipe(_shown))
        has_end = ends["end"].notna()
        end = end.where(~has_end, ends["end"])
        # A range of days is known to no better than the days it spans.
        precision = precision.where(~has_end | (end == start), "week")
        precision = precision.where(~has_end | ((end - start).dt.days <= 7), "month")
        precision = precision.where(~has_end | ((end - start).dt.days <= 31), "year")
    reject(end < start, "end date is before the date")

    lat = _each(_col(raw, mapping, "latitude"), parse_coordinate)
    lon = _each(_col(raw, mapping, "longitude"), parse_coordinate)
    if mapping.get("coordinates"):
        pairs = _each(_col(raw, mapping, "coordinates"), _parse_pair)
        lat = lat.where(lat.notna(), _each(pairs, lambda p: p[0]))
        lon = lon.where(lon.notna(), _each(pairs, lambda p: p[1]))
        coord_text = _col(raw, mapping, "coordinates")
        reject(coord_text.notna() & pairs.isna(),
               "coordinates not understood: " + coord_text.pipe(_shown))
    lat = pd.to_numeric(lat, errors="coerce").astype("Float64")
    lon = pd.to_numeric(lon, errors="coerce").astype("Float64")
    for name, values in (("latitude", lat), ("longitude", lon)):
        text = _col(raw, mapping, name)
        reject(text.notna() & values.isna(), f"{name} not understood: " + text.pipe(_shown))
    reject(lat.notna() != lon.notna(), "only one of latitude and longitude is given")
    reject((lat.abs() > 90) | (lon.abs() > 180), "latitude/longitude out of range")

    counts = {name: _each(_col(raw, mapping, name), parse_count)
              for name in ("fatalities", "fatalities_low", "fatalities_high")}
    notes = pd.Series("", index=raw.index, dtype="string")
    for name, parsed in counts.items():
        problem = _each(parsed, lambda p: p[3])
        text = _col(raw, mapping, name)
        reject(problem == "negative count", f"{name} is negative: " + text.pipe(_shown))
        # A count in words ("beaucoup") is no number but is not lost: it goes in the text.
        worded = problem == "no count in the text"
        notes = notes.where(~worded.fillna(False), notes + f"{name}: " + text.fillna("") + ". ")

    def part(name: str, i: int) -> pd.Series:
        return _each(counts[name], lambda p: p[i])

    low = part("fatalities", 0).where(part("fatalities", 0).notna(), part("fatalities_low", 1))
    best = part("fatalities", 1)
    high = part("fatalities", 2).where(part("fatalities", 2).notna(), part("fatalities_high", 1))

    ids_text = _col(raw, mapping, "id")
    key = id_key or _PROCESS_ID_KEY
    row_ids = (raw.apply(_row_hash, axis=1, key=key) if len(raw)
               else pd.Series(dtype="string"))
    if mapping.get("id"):
        ids = _each(ids_text, lambda v: _id_hash(dataset, v, key))
        ids = ids.where(ids.notna(), row_ids)
    else:
        ids = row_ids
    ids = ("import:" + ids.astype("string")).astype("string")
    # Rows already rejected do not shadow a later copy of themselves.
    alive = reasons.isna()
    first_row = pd.Series(raw.index + 1, index=raw.index).where(alive)
    first_of = first_row.groupby(ids.values).transform("min").astype("Int64")
    reject(ids.where(alive).duplicated(keep="first") & alive & ids.notna(),
           "duplicate of row " + first_of.astype(str) + " in the file (same "
           + ("identifier)" if mapping.get("id") else "content)"))

    ok = reasons.isna()
    rows = raw[ok]
    country_text = _col(raw, mapping, "country")[ok]
    iso = _each(country_text, iso2_for)
    used = {c for c in mapping.values() if c}
    extra_cols = [c for c in raw.columns if c not in used]

    def describe(i) -> str | None:
        parts = []
        desc = rows.at[i, mapping["description"]] if mapping.get("description") else None
        if isinstance(desc, str) and desc.strip():
            parts.append(desc.strip())
        if notes[i]:
            parts.append(notes[i].strip())
        for c in extra_cols:
            value = rows.at[i, c]
            if isinstance(value, str) and value.strip():
                parts.append(f"{c}: {value.strip()}")
        return "\n".join(parts) or None

    def sources(value) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        items = []
        for piece in re.split(r"\s*[;\n]\s*", value.strip()):
            if piece:
                url = piece if re.match(r"https?://", piece) else ""
                items.append({"publisher": "" if url else piece, "date": "", "title": "",
                              "url": url})
        return json.dumps(items, ensure_ascii=False)

    actor = _col(raw, mapping, "actor")[ok]
    claim_text = _col(raw, mapping, "claim")[ok]
    claims = pd.Series(
        [json.dumps([{"claimant": a if isinstance(a, str) else "", "claim": c,
                      "source": dataset}], ensure_ascii=False) if isinstance(c, str) else None
         for a, c in zip(actor, claim_text, strict=True)],
        index=rows.index, dtype="object",
    )
    has_point = lat[ok].notna()
    # Coordinates a person typed without saying what they stand for are taken as exact: a
    # public view must not assume they are coarser than they are.
    geo_precision = pd.Series(
        [(_geo_precision(g) or "site") if point else None
         for g, point in zip(_col(raw, mapping, "geo_precision")[ok], has_point, strict=True)],
        index=rows.index, dtype="object",
    )
    type_text = _col(raw, mapping, "event_type")[ok]
    # Without a type column, the words of the description say what happened ("Embuscade").
    type_words = type_text if mapping.get("event_type") else _col(raw, mapping, "description")[ok]
    frame = pd.DataFrame({
        "incident_id": ids[ok],
        "date_start": start[ok],
        "date_end": end[ok],
        "date_precision": precision[ok],
        "country": iso,
        "country_name": _each(iso, name_for).fillna(country_text),
        "admin1": _col(raw, mapping, "admin1")[ok],
        "admin2": _col(raw, mapping, "admin2")[ok],
        "location": _col(raw, mapping, "location")[ok],
        "latitude": lat[ok],
        "longitude": lon[ok],
        "geo_precision": geo_precision,
        "geocoder": has_point.map({True: "source", False: "none"}),
        "event_type": _each(type_words, event_type_for).fillna("other"),
        "source_event_type": type_text,
        "actor": actor,
        "target": _col(raw, mapping, "target")[ok],
        "fatalities_low": pd.array(low[ok], dtype="Int64"),
        "fatalities_best": pd.array(best[ok], dtype="Int64"),
        "fatalities_high": pd.array(high[ok], dtype="Int64"),
        "claims": claims,
        "description": pd.Series([describe(i) for i in rows.index], index=rows.index,
                                 dtype="object"),
        "sources": _each(_col(raw, mapping, "source")[ok], sources),
        "dataset": dataset,
    }, index=rows.index)
    rejected = row_rejections(pre_rejected, reasons[~ok])
    return ReadResult("generic", conform(frame), rejected, total=total)


def read_generic(
    data: bytes, filename: str = "", mapping: dict[str, str] | None = None, *,
    dataset: str | None = None, id_key: bytes | None = None,
) -> ReadResult:
    """Read a spreadsheet given as bytes (CSV in any common dialect, or .xlsx) into incidents."""
    return convert_generic(read_table(data, filename), mapping,
                           dataset=dataset or filename or "Import", id_key=id_key)
