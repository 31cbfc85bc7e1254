"""The dashboard's state as a URL query string, and back.

The parameter names are a public interface (shared links depend on them): ``start``, ``end``,
``country``, ``admin1``, ``actor``, ``type``, ``min_fatalities``, ``precision``, ``q``, ``lat``,
``lon``, ``zoom``, ``incident``, ``layer``, ``basemap``, ``actor_role``. List values are
comma-separated; an item that holds a comma or a double quote is written in double quotes
as in CSV (``actor="GATIA, MSA",JNIM``), so any name round-trips and older links (no
quotes) read as before. Parsing never raises: a bad or hostile
value is dropped with a notice saying why, and the rest of the link still applies.
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
from incidents.schema import EVENT_TYPE_CODES, GEO_PRECISIONS

__all__ = [
    "BASEMAP_KEYS",
    "LAYERS",
    "PARAMS",
    "ParseResult",
    "ViewState",
    "encode_query",
    "encode_query_string",
    "parse_number",
    "parse_query",
    "parse_query_string",
]

PARAMS: tuple[str, ...] = (
    "start", "end", "country", "admin1", "actor", "type", "min_fatalities", "precision", "q",
    "lat", "lon", "zoom", "incident", "layer", "basemap", "actor_role",
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


def parse_query(
    params: Mapping[str, str | Iterable[str]],
    *,
    countries: Callable[[str], bool] | None = None,
    base: ViewState | None = None,
) -> ParseResult:
    """Return the view a query-parameter mapping asks for, on top of ``base``.

    ``countries`` tells whether an ISO alpha-2 code is known (default: any two letters).
    Unknown parameters are ignored silently (other tools add their own); known ones with bad
    values are ignored with a notice.
    """
    state = base or ViewState()
    f = state.filters
    notices: list[str] = []
    applied: list[str] = []
    values: dict[str, str] = {}
    for key, raw in params.items():
        if key not in PARAMS:
            continue
        # A repeated parameter (actor=a&actor=b) is one list: its values joined as CSV rows.
        value = raw if isinstance(raw, str) else ",".join(str(v) for v in raw)
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(f"'{key}' ignored: longer than {MAX_VALUE_LENGTH} characters.")
            continue
        values[key] = value.strip()

    def take(key: str) -> str | None:
        value = values.get(key)
        if value is None or value == "":
            return None
        applied.append(key)
        return value

    def bad(key: str, value: str, why: str) -> None:
        applied.remove(key)
        notices.append(f"'{key}' ignored: {_shown(value)} {why}.")

    def date_of(key: str) -> dt.date | None:
        value = take(key)
        if value is None:
            return None
        if not _ISO_DATE.match(value):
            bad(key, value, "is not a date written YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            bad(key, value, "is not a real date")
            return None

    start, end = date_of("start"), date_of("end")
    if start and end and start > end:
        notices.append(f"'start' and 'end' ignored: start {start} is after end {end}.")
        applied[:] = [a for a in applied if a not in ("start", "end")]
        start = end = None
    if start or end:
        f = replace(f, start=start or f.start, end=end or f.end)

    def listing(key: str, valid: Callable[[str], bool], what: str, upper: bool = False):
        value = take(key)
        if value is None:
            return None
        items = _split(value.upper() if upper else value)
        good = [i for i in items if valid(i)][:MAX_LIST_ITEMS]
        dropped = [i for i in items if not valid(i)]
        if dropped:
            notices.append(f"'{key}': unknown {what} ignored: "
                           + ", ".join(_shown(d, 20) for d in dropped[:5]) + ".")
        if not good:
            applied.remove(key)
            return None
        return tuple(dict.fromkeys(good))

    is_country = countries or (lambda c: bool(re.fullmatch(r"[A-Z]{2}", c)))
    plain = lambda s: 0 < len(s) <= 120 and not _CONTROL.search(s)  # noqa: E731
    if (v := listing("country", is_country, "country codes", upper=True)) is not None:
        f = replace(f, countries=v)
    if (v := listing("admin1", plain, "regions")) is not None:
        f = replace(f, admin1=v)
    if (v := listing("actor", plain, "actors")) is not None:
        f = replace(f, actors=v)
    if (value := take("actor_role")) is not None:
        if value in ACTOR_ROLES:
            f = replace(f, actor_role=value)
        else:
            bad("actor_role", value, f"is not one of {', '.join(ACTOR_ROLES)}")
    if (v := listing("type", lambda t: t in EVENT_TYPE_CODES, "event types")) is not None:
        f = replace(f, event_types=v)
    if (v := listing("precision", lambda p: p in GEO_PRECISIONS, "precision classes")) is not None:
        f = replace(f, precisions=v)

    if (value := take("min_fatalities")) is not None:
        if (n := parse_number(value, 0, 1_000_000, whole=True)) is not None:
            f = replace(f, min_fatalities=int(n) or None)
        else:
            bad("min_fatalities", value, "is not a whole number from 0 to 1,000,000")
    if (value := take("q")) is not None:
        if len(value) > MAX_TEXT_LENGTH or _CONTROL.search(value):
            bad("q", value, f"is longer than {MAX_TEXT_LENGTH} characters or has control "
                "characters")
        else:
            f = replace(f, text=value)

    def number(key: str, low: float, high: float) -> float | None:
        value = take(key)
        if value is None:
            return None
        x = parse_number(value, low, high)
        if x is None:
            bad(key, value, f"is not a number from {low:g} to {high:g}")
        return x

    lat, lon = number("lat", -90, 90), number("lon", -180, 180)
    if (lat is None) != (lon is None):
        notices.append("'lat' and 'lon' ignored: a map centre needs both.")
        applied[:] = [a for a in applied if a not in ("lat", "lon")]
        lat = lon = None
    if lat is not None:
        state = replace(state, lat=round(lat, 5), lon=round(lon, 5))
    zoom = number("zoom", 1, 18)
    if zoom is not None:
        state = replace(state, zoom=round(zoom))
    if (value := take("incident")) is not None:
        if _INCIDENT_ID.match(value):
            state = replace(state, incident=value)
        else:
            bad("incident", value, "is not an incident id")
    if (value := take("layer")) is not None:
        if value in LAYERS:
            state = replace(state, layer=value)
        else:
            bad("layer", value, f"is not one of {', '.join(LAYERS)}")
    if (value := take("basemap")) is not None:
        if value in BASEMAP_KEYS:
            state = replace(state, basemap=value)
        else:
            bad("basemap", value, f"is not one of {', '.join(BASEMAP_KEYS)}")
    return ParseResult(replace(state, filters=f), tuple(applied), tuple(notices))


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
        out["start"] = f.start.isoformat()
    if f.end and f.end != d.end:
        out["end"] = f.end.isoformat()
    for key, value in (("country", f.countries), ("admin1", f.admin1), ("actor", f.actors),
                       ("type", f.event_types), ("precision", f.precisions)):
        if value:
            out[key] = _join(value)
    if f.actors or f.actor_role != d.actor_role:
        out["actor_role"] = f.actor_role  # the link says how the actors were matched
    if f.min_fatalities:
        out["min_fatalities"] = str(f.min_fatalities)
    if f.text:
        out["q"] = f.text
    if state.lat is not None and state.lon is not None:
        out["lat"], out["lon"] = f"{state.lat:.5f}", f"{state.lon:.5f}"
    if state.zoom is not None:
        out["zoom"] = str(state.zoom)
    if state.incident:
        out["incident"] = state.incident
    if state.layer != default.layer:
        out["layer"] = state.layer
    if state.basemap != default.basemap:
        out["basemap"] = state.basemap
    return out


def encode_query_string(state: ViewState, **kwargs) -> str:
    """Return ``state`` as a query string without the leading ``?``."""
    return urlencode(encode_query(state, **kwargs))
