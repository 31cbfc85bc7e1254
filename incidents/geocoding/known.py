"""Places your data already knows: the points of incidents in the store, as gazetteer entries.

A team that imported its own geocoded data (ACLED, UCDP or a spreadsheet with coordinates) has
located many villages the shipped index does not know. This opt-in source turns the distinct
(place name, country, point) of stored incidents whose point came with the data (geocoder
``source``) into candidates, each remembering the data set it came from, so that an answer
says "point from: <dataset>". Off by default, and never used by the accuracy benchmark.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.errors import StoreError
from incidents.geocoding.gazetteer import USER_PLACE_TYPES, Place
from incidents.geocoding.normalize import name_keys, normalize

__all__ = ["KNOWN_PLACES_ENV", "known_places"]

#: Environment variable that turns the source on ("1", "true", "yes").
KNOWN_PLACES_ENV = "INCIDENTS_GEOCODER_KNOWN_PLACES"

# Only points that stand for a place; a region's centroid says nothing about a village.
_PRECISIONS = ("site", "neighbourhood", "town")


def known_places(engine: Engine) -> tuple[list[Place], dict[str, str]]:
    """Return the places stored incidents locate, and the data set of each (by place id).

    One entry per folded first part of the location text ("Kouakourou" of "Kouakourou,
    Djenné"), country and point rounded to about 100 m; the most frequent data set names it.
    """
    from incidents.store import incidents_table

    t = incidents_table
    query = (
        sa.select(t.c.location, t.c.country, t.c.latitude, t.c.longitude, t.c.geo_precision,
                  t.c.dataset, t.c.admin1, t.c.admin2)
        .where(t.c.geocoder == "source", t.c.latitude.is_not(None),
               t.c.longitude.is_not(None), t.c.location.is_not(None),
               t.c.geo_precision.in_(_PRECISIONS))
    )
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot read the places of stored incidents: {exc}") from exc
    groups: dict[tuple[str, str, float, float], list] = defaultdict(list)
    for row in rows:
        name = (row.location or "").split(",")[0].strip()
        key = normalize(name)
        if len(key) < 2 or not (-90 <= row.latitude <= 90 and -180 <= row.longitude <= 180):
            continue
        groups[(key, (row.country or "").upper(), round(row.latitude, 3),
                round(row.longitude, 3))].append((name, row))
    places: list[Place] = []
    sources: dict[str, str] = {}
    for n, ((_key, cc, lat, lon), members) in enumerate(sorted(groups.items()), start=1):
        name = Counter(m[0] for m in members).most_common(1)[0][0]
        precision = Counter(m[1].geo_precision for m in members).most_common(1)[0][0]
        dataset = Counter(m[1].dataset or "stored incidents" for m in members).most_common(1)
        fclass, code = USER_PLACE_TYPES[precision]
        pid = f"data:{n}"
        places.append(Place(pid=pid, name=name, fclass=fclass, code=code, cc=cc, lat=lat,
                            lon=lon, n_alt=min(len(members), 16), keys=name_keys(name, code)))
        sources[pid] = dataset[0][0]
    return places, sources
