"""The dashboard's state as a URL query string, and back.

The parameter names are a public interface (shared links depend on them): ``start``, ``end``,
``country``, ``admin1``, ``actor``, ``type``, ``min_fatalities``, ``precision``, ``q``, ``lat``,
``lon``, ``zoom``, ``incident``, ``layer``, ``basemap``, ``actor_role``, ``lang``. List values
are comma-separated; an item that holds a comma or a double quote is written in double quotes
as in CSV (``actor="GATIA, MSA",JNIM``), so any name round-trips and older links (no
quotes) read as before. Parsing never raises: a bad or hostile value is dropped with a notice
saying why (in the language asked for), and the rest of the link still applies.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from incidents.filtering import ACTOR_ROLES, Filters
from incidents.i18n import LANGUAGES, N_, format_number, gettext
from incidents.schema import EVENT_TYPE_CODES, GEO_PRECISIONS

__all__ = [
    "BASEMAP_KEYS",
    "LAYERS",
    "PARAMS",
    "QP_ACTOR",
    "QP_ACTOR_ROLE",
    "QP_ADMIN1",
    "QP_BASEMAP",
    "QP_COUNTRY",
    "QP_END",
    "QP_INCIDENT",
    "QP_LANG",
    "QP_LAT",
    "QP_LAYER",
    "QP_LON",
    "QP_MIN_FATALITIES",
    "QP_PRECISION",
    "QP_START",
    "QP_TEXT",
    "QP_TYPE",
    "QP_ZOOM",
    "ParseResult",
    "ViewState",
    "encode_query",
    "encode_query_string",
    "parse_number",
    "parse_query",
    "parse_query_string",
]

# The link parameters, each named once (a public interface: shared links depend on them).
QP_START = "start"
QP_END = "end"
QP_COUNTRY = "country"
QP_ADMIN1 = "admin1"
QP_ACTOR = "actor"
QP_TYPE = "type"
QP_MIN_FATALITIES = "min_fatalities"
QP_PRECISION = "precision"
QP_TEXT = "q"
QP_LAT = "lat"
QP_LON = "lon"
QP_ZOOM = "zoom"
QP_INCIDENT = "incident"
QP_LAYER = "layer"
QP_BASEMAP = "basemap"
QP_ACTOR_ROLE = "actor_role"
QP_LANG = "lang"  # the language a link opens in ("en", "fr")
PARAMS: tuple[str, ...] = (
    QP_START, QP_END, QP_COUNTRY, QP_ADMIN1, QP_ACTOR, QP_TYPE, QP_MIN_FATALITIES, QP_PRECISION,
    QP_TEXT, QP_LAT, QP_LON, QP_ZOOM, QP_INCIDENT, QP_LAYER, QP_BASEMAP, QP_ACTOR_ROLE, QP_LANG,
)
LAYERS: tuple[str, ...] = ("clusters", "markers", "heat")
BASEMAP_KEYS: tuple[str, ...] = ("light", "osm", "satellite", "offline", "none")

MAX_VALUE_LENGTH = 300  # longer values are refused whole
MAX_LIST_ITEMS = 50
MAX_TEXT_LENGTH = 200
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INCIDENT_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,120}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# ASCII only: str.isdigit() takes "²" and "١", float() takes "١٢", "1_000", "nan" and "inf".
_WHOLE = re.compile(r"[0-9]{1,15}", re.ASCII)
_DECIMAL = re.compile(r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?", re.ASCII)


def parse_number(text: str, low: float, high: float, *, whole: bool = False
                 ) -> int | float | None:
    """Return the number ``text`` writes in plain ASCII digits when it is in [low, high].

    The one parser of numbers in links: ``12``, ``-8.0028``; ``whole`` takes digits only.
    Anything else (superscripts, other scripts' digits, exponents, ``nan``, ``1_000``, spaces)
    is None, never an exception.
    """
    if not (_WHOLE if whole else _DECIMAL).fullmatch(text):
        return None
    value = int(text) if whole else float(text)
    return value if low <= value <= high else None


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link reproduces: filters, map view, layer, basemap, selection."""

    filters: Filters = field(default_factory=Filters)
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    incident: str | None = None
    layer: str = "clusters"
    basemap: str = "light"
    lang: str | None = None  # the language the link opens in (None: the browser's)


@dataclass(frozen=True)
class ParseResult:
    """A parsed link: the state it sets and a notice for every value it had to ignore."""

    state: ViewState
    applied: tuple[str, ...]
    notices: tuple[str, ...]


def _shown(value: str, limit: int = 40) -> str:
    """Return a short, printable rendering of a hostile value for a notice."""
    text = _CONTROL.sub("?", value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _split(value: str) -> list[str]:
    """Return the items of a list value: comma-separated, CSV-quoted where needed."""
    try:
        rows = list(csv.reader(io.StringIO(value, newline=""), skipinitialspace=True))
        parts = [part for row in rows for part in row]
    except csv.Error:  # e.g. a NUL byte: read it the way links were read before quoting
        parts = value.split(",")
    return [part.strip() for part in parts if part.strip()]


def _join(items: Iterable[str]) -> str:
    """Return ``items`` as one list value that ``_split`` reads back unchanged."""
    out = io.StringIO()
    csv.writer(out, lineterminator="", quoting=csv.QUOTE_MINIMAL).writerow(list(items))
    return out.getvalue()


class _LinkReader:
    """The known values of one link, read one key at a time.

    Records which keys applied and, for every value it had to drop, a notice in ``lang``.
    """

    def __init__(self, params: Mapping[str, str | Iterable[str]], lang: str) -> None:
        self.lang = lang
        self.notices: list[str] = []
        self.applied: list[str] = []
        self.values: dict[str, str] = {}
        for key, raw in params.items():
            if key not in PARAMS:
                continue
            # A repeated parameter (actor=a&actor=b) is one list: its values joined as CSV rows.
            value = raw if isinstance(raw, str) else ",".join(str(v) for v in raw)
            if len(value) > MAX_VALUE_LENGTH:
                self.notices.append(gettext("'{key}' ignored: longer than {n} characters.", lang,
                                            key=key, n=MAX_VALUE_LENGTH))
                continue
            self.values[key] = value.strip()

    def take(self, key: str) -> str | None:
        """Return the value of ``key`` (None when absent or empty), counting it as applied."""
        value = self.values.get(key)
        if value is None or value == "":
            return None
        self.applied.append(key)
        return value

    def bad(self, key: str, value: str, why: str) -> None:
        """Drop ``key`` after all, saying why."""
        self.applied.remove(key)
        self.notices.append(gettext("'{key}' ignored: {value} {why}.", self.lang, key=key,
                                    value=_shown(value), why=why))

    def drop_pair(self, first: str, second: str, notice: str) -> None:
        """Drop two keys that only apply together."""
        self.notices.append(notice)
        self.applied[:] = [a for a in self.applied if a not in (first, second)]

    def date(self, key: str) -> dt.date | None:
        value = self.take(key)
        if value is None:
            return None
        if not _ISO_DATE.match(value):
            self.bad(key, value, gettext("is not a date written YYYY-MM-DD", self.lang))
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.bad(key, value, gettext("is not a real date", self.lang))
            return None

    def listing(self, key: str, valid: Callable[[str], bool], what: str,
                upper: bool = False) -> tuple[str, ...] | None:
        """Return the valid items of a list value (None when none is); notices name the rest."""
        value = self.take(key)
        if value is None:
            return None
        items = _split(value.upper() if upper else value)
        good = [i for i in items if valid(i)][:MAX_LIST_ITEMS]
        dropped = [i for i in items if not valid(i)]
        if dropped:
            self.notices.append(gettext(
                "'{key}': unknown {what} ignored: {values}.", self.lang, key=key,
                what=gettext(what, self.lang),
                values=", ".join(_shown(d, 20) for d in dropped[:5])))
        if not good:
            self.applied.remove(key)
            return None
        return tuple(dict.fromkeys(good))

    def number(self, key: str, low: float, high: float) -> float | None:
        value = self.take(key)
        if value is None:
            return None
        x = parse_number(value, low, high)
        if x is None:
            self.bad(key, value, gettext(
                "is not a number from {low} to {high}", self.lang,
                low=format_number(low, self.lang), high=format_number(high, self.lang)))
        return x

    def choice(self, key: str, allowed: Iterable[str]) -> str | None:
        """Return the value of ``key`` when it is one of ``allowed``."""
        value = self.take(key)
        if value is None or value in allowed:
            return value
        self.bad(key, value, gettext("is not one of {values}", self.lang,
                                     values=", ".join(allowed)))
        return None


def _plain(text: str) -> bool:
    return 0 < len(text) <= 120 and not _CONTROL.search(text)


def _two_letters(code: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2}", code))


def _read_dates(link: _LinkReader, f: Filters) -> Filters:
    start, end = link.date(QP_START), link.date(QP_END)
    if start and end and start > end:
        link.drop_pair(QP_START, QP_END, gettext(
            "'start' and 'end' ignored: start {start} is after end {end}.", link.lang,
            start=start, end=end))
        return f
    if start or end:
        return replace(f, start=start or f.start, end=end or f.end)
    return f


def _read_filters(link: _LinkReader, f: Filters,
                  countries: Callable[[str], bool] | None) -> Filters:
    f = _read_dates(link, f)
    lists = (
        ("countries", link.listing(QP_COUNTRY, countries or _two_letters, N_("country codes"),
                                   upper=True)),
        ("admin1", link.listing(QP_ADMIN1, _plain, N_("regions"))),
        ("actors", link.listing(QP_ACTOR, _plain, N_("actors"))),
        ("actor_role", link.choice(QP_ACTOR_ROLE, ACTOR_ROLES)),
        ("event_types", link.listing(QP_TYPE, lambda t: t in EVENT_TYPE_CODES,
                                     N_("event types"))),
        ("precisions", link.listing(QP_PRECISION, lambda p: p in GEO_PRECISIONS,
                                    N_("precision classes"))),
    )
    f = replace(f, **{name: value for name, value in lists if value is not None})
    if (value := link.take(QP_MIN_FATALITIES)) is not None:
        if (n := parse_number(value, 0, 1_000_000, whole=True)) is not None:
            f = replace(f, min_fatalities=int(n) or None)
        else:
            link.bad(QP_MIN_FATALITIES, value, gettext(
                "is not a whole number from 0 to {max}", link.lang,
                max=format_number(1_000_000, link.lang)))
    if (value := link.take(QP_TEXT)) is not None:
        if len(value) > MAX_TEXT_LENGTH or _CONTROL.search(value):
            link.bad(QP_TEXT, value, gettext(
                "is longer than {n} characters or has control characters", link.lang,
                n=MAX_TEXT_LENGTH))
        else:
            f = replace(f, text=value)
    return f


def _read_view(link: _LinkReader, state: ViewState) -> ViewState:
    lat, lon = link.number(QP_LAT, -90, 90), link.number(QP_LON, -180, 180)
    if (lat is None) != (lon is None):
        link.drop_pair(QP_LAT, QP_LON, gettext(
            "'lat' and 'lon' ignored: a map centre needs both.", link.lang))
    elif lat is not None:
        state = replace(state, lat=round(lat, 5), lon=round(lon, 5))
    if (zoom := link.number(QP_ZOOM, 1, 18)) is not None:
        state = replace(state, zoom=round(zoom))
    if (value := link.take(QP_INCIDENT)) is not None:
        if _INCIDENT_ID.match(value):
            state = replace(state, incident=value)
        else:
            link.bad(QP_INCIDENT, value, gettext("is not an incident id", link.lang))
    chosen = {key: link.choice(key, allowed) for key, allowed in
              ((QP_LAYER, LAYERS), (QP_BASEMAP, BASEMAP_KEYS), (QP_LANG, LANGUAGES))}
    return replace(state, **{key: value for key, value in chosen.items() if value is not None})


def parse_query(
    params: Mapping[str, str | Iterable[str]],
    *,
    countries: Callable[[str], bool] | None = None,
    base: ViewState | None = None,
    lang: str = "en",
) -> ParseResult:
    """Return the view a query-parameter mapping asks for, on top of ``base``.

    ``countries`` tells whether an ISO alpha-2 code is known (default: any two letters).
    Unknown parameters are ignored silently (other tools add their own); known ones with bad
    values are ignored with a notice, written in ``lang``.
    """
    state = base or ViewState()
    link = _LinkReader(params, lang)
    filters = _read_filters(link, state.filters, countries)
    state = _read_view(link, state)
    return ParseResult(replace(state, filters=filters), tuple(link.applied), tuple(link.notices))


def parse_query_string(query: str, **kwargs) -> ParseResult:
    """Parse ``"start=2024-01-01&country=ML"`` (a leading ``?`` is allowed)."""
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    merged: dict[str, list[str]] = {}
    for key, value in pairs:
        merged.setdefault(key, []).append(value)
    return parse_query(merged, **kwargs)


def encode_query(state: ViewState, *, default: ViewState | None = None) -> dict[str, str]:
    """Return the query parameters of ``state`` (values equal to ``default``'s are left out)."""
    default = default or ViewState()
    f, d = state.filters, default.filters
    out: dict[str, str] = {}
    if f.start and f.start != d.start:
        out[QP_START] = f.start.isoformat()
    if f.end and f.end != d.end:
        out[QP_END] = f.end.isoformat()
    for key, value in ((QP_COUNTRY, f.countries), (QP_ADMIN1, f.admin1), (QP_ACTOR, f.actors),
                       (QP_TYPE, f.event_types), (QP_PRECISION, f.precisions)):
        if value:
            out[key] = _join(value)
    if f.actors or f.actor_role != d.actor_role:
        out[QP_ACTOR_ROLE] = f.actor_role  # the link says how the actors were matched
    if f.min_fatalities:
        out[QP_MIN_FATALITIES] = str(f.min_fatalities)
    if f.text:
        out[QP_TEXT] = f.text
    if state.lat is not None and state.lon is not None:
        out[QP_LAT], out[QP_LON] = f"{state.lat:.5f}", f"{state.lon:.5f}"
    if state.zoom is not None:
        out[QP_ZOOM] = str(state.zoom)
    if state.incident:
        out[QP_INCIDENT] = state.incident
    if state.layer != default.layer:
        out[QP_LAYER] = state.layer
    if state.basemap != default.basemap:
        out[QP_BASEMAP] = state.basemap
    if state.lang and state.lang != default.lang:
        out[QP_LANG] = state.lang
    return out


def encode_query_string(state: ViewState, **kwargs) -> str:
    """Return ``state`` as a query string without the leading ``?``."""
    return urlencode(encode_query(state, **kwargs))
