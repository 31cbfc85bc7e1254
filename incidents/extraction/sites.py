"""Facilities the store already places: a report that names "the gendarmerie school" of
a town without its district takes the store's point for it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from incidents.extraction.facilities import facility_kind
from incidents.extraction.places import PlaceMention
from incidents.extraction.reading import RANK
from incidents.geocoding.model import GeoResult, haversine_km


@dataclass(frozen=True)
class KnownSite:
    """A facility the store already places (from an incident's location)."""

    kind: str
    location: str
    latitude: float
    longitude: float
    geo_precision: str
    geocoder: str
    incident_id: str


@dataclass
class KnownSites:
    """Facilities named in stored incidents ("Gendarmerie school, Faladié district, Bamako"):
    when a report names the facility but not its district, the store's point is used."""

    sites: list[KnownSite] = field(default_factory=list)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> KnownSites:
        """Return the sites of the stored incidents whose location names a facility."""
        if frame is None or frame.empty:
            return cls()
        fine = frame[
            frame["geo_precision"].isin(["site", "neighbourhood"])
            & frame["latitude"].notna()
            & frame["location"].notna()
        ]
        out = []
        for row in fine.itertuples(index=False):
            kind = facility_kind(str(row.location).split(",")[0])
            if kind and kind != "site":
                out.append(
                    KnownSite(
                        kind,
                        str(row.location),
                        float(row.latitude),
                        float(row.longitude),
                        str(row.geo_precision),
                        str(row.geocoder) if isinstance(row.geocoder, str) else "gazetteer",
                        str(row.incident_id),
                    )
                )
        return cls(out)

    def find(self, kind: str | None, lat: float, lon: float, km: float = 25.0) -> KnownSite | None:
        """Return the one known site of ``kind`` within ``km`` of a point (None if 0 or many)."""
        if not kind or kind == "site":
            return None
        near = [
            s
            for s in self.sites
            if s.kind == kind and haversine_km(s.latitude, s.longitude, lat, lon) <= km
        ]
        distinct = {(round(s.latitude, 2), round(s.longitude, 2)) for s in near}
        return near[0] if len(distinct) == 1 else None


def upgrade(m: PlaceMention, sites: KnownSites) -> PlaceMention:
    """A facility placed only at town level takes the store's point for that facility."""
    r = m.result
    if not m.facility or RANK[r.geo_precision] < RANK["town"]:
        return m
    site = sites.find(m.facility, r.latitude, r.longitude)
    if site is None:
        return m
    better = GeoResult(
        m.query,
        r.country_hint,
        site.latitude,
        site.longitude,
        site.geo_precision,
        site.location,
        site.incident_id,
        r.confidence,
        site.geocoder,
        r.country,
        candidates=r.candidates,
        notes=(
            *r.notes,
            f"placed at the {m.facility} site already in the store "
            f"({site.location}, {site.incident_id}); the report names no finer place",
        ),
    )
    return PlaceMention(m.start, m.end, m.text, m.query, m.facility, better)
