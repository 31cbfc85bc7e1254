"""Value objects of geocoding: a candidate place and the answer to one query."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from incidents.distance import great_circle_km

__all__ = ["TOLERANCE_KM", "Candidate", "GeoResult", "haversine_km"]

#: How far a point of each precision class may be from the truth and still be right
#: (the scoring rule of the accuracy set; also used to tell distinct candidates apart).
TOLERANCE_KM: dict[str, float] = {
    "site": 3.0,
    "neighbourhood": 3.0,
    "town": 5.0,
    "admin2": 60.0,
    "admin1": 250.0,
    "country": 500.0,
}


#: The project's one great-circle distance (``incidents.distance``), by its older name.
haversine_km = great_circle_km


@dataclass(frozen=True)
class Candidate:
    """One place a query may mean, with the score the resolver gave it."""

    place_id: str
    name: str
    latitude: float
    longitude: float
    geo_precision: str
    country: str
    feature_code: str
    score: float

    def to_dict(self) -> dict:
        """Return the candidate as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class GeoResult:
    """The answer to one geocoding query.

    ``latitude``/``longitude``/``geo_precision`` are None when nothing was found: a miss is
    never reported as a point at 0,0. ``geocoder`` is one of ``schema.GEOCODERS``;
    ``candidates`` are the runner-up places, best first; ``notes`` say what the user should
    know (the online service was down, the "airport" in the text matched no airport ...).
    ``admin1``/``admin2`` name the region and cercle/province/department of the point;
    ``source`` names the data set a point came from when it is not the gazetteer's own.
    """

    query: str
    country_hint: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str | None
    matched_name: str | None
    place_id: str | None
    confidence: float
    geocoder: str
    country: str | None = None
    candidates: tuple[Candidate, ...] = ()
    notes: tuple[str, ...] = field(default=())
    admin1: str | None = None  # region (first-order unit) the point lies in, when known
    admin2: str | None = None  # cercle, province or department, when known
    source: str | None = None  # where the point comes from, for people ("point from: ...")

    @property
    def found(self) -> bool:
        """Whether the query resolved to a point."""
        return self.latitude is not None and self.longitude is not None

    def with_notes(self, *notes: str) -> GeoResult:
        """Return a copy with ``notes`` appended."""
        return replace(self, notes=self.notes + tuple(n for n in notes if n not in self.notes))

    def to_dict(self) -> dict:
        """Return the result as a JSON-ready dict (candidates as a list of dicts)."""
        out = asdict(self)
        out["candidates"] = [c.to_dict() for c in self.candidates]
        out["notes"] = list(self.notes)
        out["found"] = self.found
        return out

    @classmethod
    def miss(cls, query: str, country_hint: str | None = None, *notes: str) -> GeoResult:
        """Return the result of a query that matched nothing."""
        return cls(query, country_hint, None, None, None, None, None, 0.0, "none", notes=notes)
