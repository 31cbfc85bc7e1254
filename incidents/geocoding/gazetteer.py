"""The offline gazetteer: places, their lookup keys, and a fast name index.

The shipped index is one gzip-compressed, tab-separated file built by ``tools/build_gazetteer.py``
from GeoNames (Mali, Burkina Faso, Niger and world cities), OurAirports, ``airportsdata`` and
Natural Earth; see ``data/gazetteer/README.md``. Places are held column by column and turned into
``Place`` objects only when a query needs them, so loading stays well under two seconds.
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from incidents.errors import GazetteerError
from incidents.geocoding.normalize import name_keys, normalize, skeleton
from incidents.paths import GAZETTEER_FILE

__all__ = [
    "DEFAULT_GAZETTEER",
    "FIELDS",
    "FUZZY_COUNTRIES",
    "USER_PLACE_TYPES",
    "Gazetteer",
    "Place",
    "load_gazetteer",
    "read_user_places",
    "write_gazetteer",
]

DEFAULT_GAZETTEER = GAZETTEER_FILE

#: Countries whose place names are also matched by spelling variants (the app's region and its
#: neighbours, where reports transliterate names in many ways).
FUZZY_COUNTRIES = frozenset({"ML", "BF", "NE", "SN", "MR", "DZ", "LY", "TD", "NG", "BJ", "TG",
                             "GH", "CI", "GN"})

#: Columns of the gazetteer file, in order. ``keys`` and ``served`` are "|"-joined.
FIELDS: tuple[str, ...] = (
    "pid", "name", "fclass", "code", "cc", "admin1", "admin2", "lat", "lon", "population",
    "n_alt", "city", "size", "keys", "served", "alt_admin1",
)

#: User place types (the ``type`` column of a user CSV) -> (feature class, feature code).
USER_PLACE_TYPES: dict[str, tuple[str, str]] = {
    "site": ("S", "SITE"),
    "facility": ("S", "SITE"),
    "base": ("S", "SITE"),
    "camp": ("S", "SITE"),
    "airport": ("S", "AIRP"),
    "neighbourhood": ("P", "PPLX"),
    "neighborhood": ("P", "PPLX"),
    "district": ("P", "PPLX"),
    "quartier": ("P", "PPLX"),
    "town": ("P", "PPL"),
    "village": ("P", "PPL"),
    "city": ("P", "PPL"),
    "admin2": ("A", "ADM2"),
    "cercle": ("A", "ADM2"),
    "province": ("A", "ADM2"),
    "department": ("A", "ADM2"),
    "admin1": ("A", "ADM1"),
    "region": ("A", "ADM1"),
    "country": ("A", "PCLI"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a GeoNames feature, an airport, a country or a user's place."""

    pid: str  # "gn:2457816", "ap:GABS", "user:3"
    name: str
    fclass: str  # GeoNames feature class: P populated, A admin, S site, H, T, L, V
    code: str  # GeoNames feature code: PPL, PPLX, ADM1, PCLI, AIRP ...
    cc: str  # ISO 3166-1 alpha-2
    admin1: str = ""
    admin2: str = ""
    lat: float = 0.0
    lon: float = 0.0
    population: int = 0
    n_alt: int = 0  # how many alternate names: a rough sign of how well known a place is
    city: str = ""  # pid of the city this place is a quarter of, if any
    size: int = 0  # airports: 3 large, 2 medium, 1 small, 0 heliport, -1 closed
    keys: tuple[str, ...] = ()  # normalised names, the primary name's keys first
    served: tuple[str, ...] = ()  # airports: normalised names of the places they serve
    # The admin1 a place also belonged to before a reform (Mali's 2016 regions: Ménaka was
    # Gao's, Taoudénit Tombouctou's), so that texts using either division find it.
    alt_admin1: str = ""

    @property
    def is_user(self) -> bool:
        """Whether this place comes from the user's own list."""
        return self.pid.startswith("user:")


class Gazetteer:
    """Places in columns plus a name index; ``place(i)`` returns row ``i`` as a ``Place``."""

    def __init__(self, places: Iterable[Place] = ()) -> None:
        self._columns: dict[str, list] = {f: [] for f in FIELDS}
        self._index: dict[str, list[int]] = {}
        self._served: dict[str, list[int]] = {}
        self._by_pid: dict[str, int] = {}
        self._city: list[int] = []
        self._skeletons: dict[str, list[str]] | None = None
        self._capitals: dict[str, str] | None = None
        self.max_key_words = 1
        for place in places:
            self._append(place)
        self._link_cities()

    @classmethod
    def from_columns(cls, columns: dict[str, list]) -> Gazetteer:
        """Return a gazetteer over ready-made columns (one list per field of ``FIELDS``)."""
        self = cls()
        self._columns = columns
        self._by_pid = {pid: row for row, pid in enumerate(columns["pid"])}
        index, served = self._index, self._served
        max_words = 1
        for row, keys in enumerate(columns["keys"]):
            for key in keys:
                rows = index.get(key)
                if rows is None:
                    index[key] = [row]
                    if key.count(" ") >= max_words:
                        max_words = key.count(" ") + 1
                elif rows[-1] != row:
                    rows.append(row)
        for row, keys in enumerate(columns["served"]):
            for key in keys:
                served.setdefault(key, []).append(row)
        self.max_key_words = max_words
        self._link_cities()
        return self

    # -- building -------------------------------------------------------------------------
    def _append(self, place: Place) -> None:
        row = len(self._columns["pid"])
        for field in FIELDS:
            self._columns[field].append(getattr(place, field))
        self._by_pid[place.pid] = row
        self._add_keys(row, place.keys, place.served)

    def _add_keys(self, row: int, keys: Sequence[str], served: Sequence[str]) -> None:
        for key in keys:
            rows = self._index.setdefault(key, [])
            if not rows or rows[-1] != row:
                rows.append(row)
            words = key.count(" ") + 1
            self.max_key_words = max(self.max_key_words, words)
        for key in served:
            rows = self._served.setdefault(key, [])
            if not rows or rows[-1] != row:
                rows.append(row)

    def _link_cities(self) -> None:
        by_pid = self._by_pid
        self._city = [by_pid.get(pid, -1) if pid else -1 for pid in self._columns["city"]]

    def copy(self) -> Gazetteer:
        """Return an independent gazetteer over copies of the columns (to extend safely)."""
        return Gazetteer.from_columns({f: list(col) for f, col in self._columns.items()})

    def extend(self, places: Iterable[Place]) -> None:
        """Add places (the user's own) to the index."""
        for place in places:
            self._append(place)
        self._link_cities()
        self._skeletons = None
        self._capitals = None

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._columns["pid"])

    def place(self, row: int) -> Place:
        """Return row ``row`` as a ``Place``."""
        cols = self._columns
        return Place(*(cols[f][row] for f in FIELDS))

    def field(self, name: str, row: int):
        """Return one field of one row without building a ``Place``."""
        return self._columns[name][row]

    def column(self, name: str) -> list:
        """Return one whole column (read-only by convention), for tight loops."""
        return self._columns[name]

    def lat_lon(self, row: int) -> tuple[float, float]:
        """Return the (latitude, longitude) of a row."""
        return self._columns["lat"][row], self._columns["lon"][row]

    def city_row(self, row: int) -> int:
        """Return the row of the city ``row`` is a quarter of, or -1."""
        return self._city[row]

    def row_of(self, pid: str) -> int:
        """Return the row of a place id, or -1."""
        return self._by_pid.get(pid, -1)

    def has_key(self, key: str) -> bool:
        """Whether any place or airport is known under the normalised name ``key``."""
        return key in self._index or key in self._served

    def lookup(self, key: str) -> list[int]:
        """Return the rows of the places whose names fold to ``key``."""
        return self._index.get(key, [])

    def similar_keys(self, key: str) -> list[str]:
        """Return keys of places in ``FUZZY_COUNTRIES`` spelled like ``key`` ("diabaly" ->
        "diabali"). The spelling index is built on first use (see ``warm``)."""
        if self._skeletons is None:
            self.warm()
        return self._skeletons.get(skeleton(key), [])

    def warm(self) -> None:
        """Build the lazily built spelling index now (the app does this once at start)."""
        if self._skeletons is not None:
            return
        index: dict[str, list[str]] = {}
        seen: set[str] = set()
        cols = self._columns
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            for cc, keys, served in zip(cols["cc"], cols["keys"], cols["served"], strict=True):
                if cc not in FUZZY_COUNTRIES:
                    continue
                for known in (*keys, *served):
                    if len(known) >= 4 and known not in seen:
                        seen.add(known)
                        index.setdefault(skeleton(known), []).append(known)
        finally:
            if was_enabled:
                gc.enable()
        self._skeletons = index

    def served_by(self, key: str) -> list[int]:
        """Return the rows of the airports that serve the place named ``key``."""
        return self._served.get(key, [])

    def is_primary(self, key: str, row: int) -> bool:
        """Whether ``key`` is the row's main name rather than an alternate name."""
        keys = self._columns["keys"][row]
        return bool(keys) and keys[0] == key

    def rows_with_code(self, code: str) -> list[int]:
        """Return every row with GeoNames feature code ``code``."""
        return [i for i, c in enumerate(self._columns["code"]) if c == code]

    def capital(self, cc: str | None) -> str | None:
        """Return the name of country ``cc``'s capital (its GeoNames ``PPLC``; the most
        populous when several), None when the gazetteer has none."""
        if self._capitals is None:
            best: dict[str, tuple[float, str]] = {}
            cols = self._columns
            for row in self.rows_with_code("PPLC"):
                pop = float(cols["population"][row] or 0)
                if pop >= best.get(cols["cc"][row], (-1.0, ""))[0]:
                    best[cols["cc"][row]] = (pop, cols["name"][row])
            self._capitals = {country: name for country, (_, name) in best.items()}
        return self._capitals.get(cc or "")


def _encode(place: Place) -> list[str]:
    out = []
    for field in FIELDS:
        value = getattr(place, field)
        if field in ("keys", "served"):
            value = "|".join(value)
        elif field in ("lat", "lon"):
            value = f"{value:.5f}"
        out.append(str(value).replace("\t", " ").replace("\n", " "))
    return out


def write_gazetteer(places: Iterable[Place], path: Path | str) -> int:
    """Write places to a gzip TSV gazetteer file; return how many."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    with open(path, "wb") as raw, gzip.GzipFile(
        fileobj=raw, mode="wb", compresslevel=9, mtime=0
    ) as gz:
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n")
        text.write("\t".join(FIELDS) + "\n")
        for place in places:
            text.write("\t".join(_encode(place)) + "\n")
            count += 1
        text.flush()
        text.detach()
    return count


def _read_columns(path: Path) -> dict[str, list]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read the gazetteer {path}: {exc}") from exc
    if not lines or lines[0].split("\t") != list(FIELDS):
        raise GazetteerError(f"{path} is not a gazetteer file (unexpected header)")
    rows = [line.split("\t") for line in lines[1:] if line]
    if any(len(row) != len(FIELDS) for row in rows):
        raise GazetteerError(f"{path}: a row does not have {len(FIELDS)} fields")
    # Transposing in C (zip) and converting whole columns with map() is what keeps the load
    # of ~120,000 places well under a second.
    columns = dict(zip(FIELDS, (list(col) for col in zip(*rows, strict=True)), strict=True)) if rows else {
        f: [] for f in FIELDS
    }
    try:
        for field in ("lat", "lon"):
            columns[field] = list(map(float, columns[field]))
        for field in ("population", "n_alt", "size"):
            columns[field] = list(map(int, columns[field]))
    except ValueError as exc:
        raise GazetteerError(f"{path}: malformed number: {exc}") from exc
    for field in ("keys", "served"):
        columns[field] = [tuple(v.split("|")) if v else () for v in columns[field]]
    return columns


def read_user_places(path: Path | str) -> list[Place]:
    """Read a user CSV of places (``name,latitude,longitude,type,country``).

    ``type`` is a precision class or a kind word (see ``USER_PLACE_TYPES``); rows that cannot
    be read raise ``GazetteerError`` naming the line, so a typo does not pass silently.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise GazetteerError(f"cannot read user places {path}: {exc}") from exc
    places = []
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name = row.get("name", "")
        kind = normalize(row.get("type", "") or "town")
        if kind not in USER_PLACE_TYPES:
            raise GazetteerError(
                f"{path}:{line}: unknown type {row.get('type')!r}; use one of "
                f"{', '.join(sorted(USER_PLACE_TYPES))}"
            )
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, ValueError) as exc:
            raise GazetteerError(f"{path}:{line}: latitude/longitude must be numbers") from exc
        if not name or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"{path}:{line}: a name and a valid point are required")
        fclass, code = USER_PLACE_TYPES[kind]
        places.append(
            Place(
                pid=f"user:{line - 1}", name=name, fclass=fclass, code=code,
                cc=row.get("country", "").upper(), lat=lat, lon=lon,
                keys=name_keys(name, code),
            )
        )
    return places


def load_gazetteer(
    path: Path | str | None = None, user_places: Path | str | None = None
) -> Gazetteer:
    """Load the gazetteer file (default: the shipped one) and, optionally, the user's places."""
    path = Path(path) if path else DEFAULT_GAZETTEER
    # Hundreds of thousands of small containers are created and none is garbage: pausing the
    # cyclic collector halves the load time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gazetteer = Gazetteer.from_columns(_read_columns(path))
    finally:
        if was_enabled:
            gc.enable()
    if user_places:
        gazetteer.extend(read_user_places(user_places))
    return gazetteer
