"""Offline-first geocoding: place text -> point with an honest precision.

Public API (what the app's Geocode page and the CLI use)::

    gc = Geocoder.from_env(engine)             # offline unless $INCIDENTS_GEOCODER is set
    result = gc.resolve("Faladié, Bamako", country="ML")
    results = geocode_batch(gc, [("Kati", "ML"), ...], progress=callback)
    gc.correct("Faladié, Bamako", "ML", 12.5947, -7.9471, "neighbourhood")

The modules behind it: ``normalize`` (text folding), ``gazetteer`` (the shipped index),
``resolver`` (offline reading of the text, with ``query``, ``scoring``, ``typos``, ``areas``,
``airports`` and ``relative``), ``spatial`` (offsets and between-places), ``known`` (places
your data already knows), ``online`` (geopy fallback, with ``transport``), ``cache`` (database
tables), ``service`` (the ``Geocoder``), ``cli``.
"""

from incidents.geocoding.gazetteer import (
    DEFAULT_GAZETTEER,
    Gazetteer,
    Place,
    load_gazetteer,
    read_user_places,
)
from incidents.geocoding.known import KNOWN_PLACES_ENV, known_places
from incidents.geocoding.model import TOLERANCE_KM, Candidate, GeoResult, haversine_km
from incidents.geocoding.normalize import normalize
from incidents.geocoding.online import GeocoderConfig, OnlineGeocoder, nominatim_precision
from incidents.geocoding.query import parse_query, precision_of
from incidents.geocoding.resolver import OfflineResolver
from incidents.geocoding.service import RESULT_COLUMNS, Geocoder, geocode_batch
from incidents.geocoding.spatial import Between, Offset, read_spatial

__all__ = [
    "DEFAULT_GAZETTEER",
    "KNOWN_PLACES_ENV",
    "RESULT_COLUMNS",
    "TOLERANCE_KM",
    "Between",
    "Candidate",
    "Gazetteer",
    "GeoResult",
    "Geocoder",
    "GeocoderConfig",
    "OfflineResolver",
    "Offset",
    "OnlineGeocoder",
    "Place",
    "geocode_batch",
    "haversine_km",
    "known_places",
    "load_gazetteer",
    "nominatim_precision",
    "normalize",
    "parse_query",
    "precision_of",
    "read_spatial",
    "read_user_places",
]
