"""Place the imported rows that have no coordinates, from their place text, offline.

An import never goes online: a correction made on the Geocode page wins, then the offline
index. Each distinct (place text, country) is resolved once per import.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

import pandas as pd
from sqlalchemy.engine import Engine

from incidents.countries import is_iso2, name_for
from incidents.errors import IncidentsError
from incidents.i18n import gettext
from incidents.schema import GEO_PRECISIONS, GEOCODERS
from incidents.text import normalize_text

__all__ = ["Geocoder", "Progress", "default_geocoder", "place_rows"]

#: Called with (fraction done, what is happening).
Progress = Callable[[float, str], None]


class Geocoder(Protocol):
    """A place resolver: ``(query, country ISO2 or None) -> result or None``.

    The result has ``latitude``, ``longitude`` (None when not found), ``geo_precision``,
    ``geocoder`` and ``confidence``; ``country`` is used when present.
    """

    def __call__(self, query: str, country: str | None) -> Any: ...



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


def place_rows(
    df: pd.DataFrame, geocoder: Geocoder | None, progress: Progress,
    engine: Engine | None = None, lang: str = "en",
) -> tuple[pd.DataFrame, int]:
    """Return ``df`` with points for rows that had none and whose place resolves; and how many.

    ``geocoder`` None uses ``default_geocoder(engine)``; ``progress`` hears of every 20th place,
    in ``lang``. A geocoder failure leaves the row unmapped, not the import.
    """
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
