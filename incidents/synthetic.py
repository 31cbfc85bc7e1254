"""Synthetic incidents for demos and benchmarks: realistic in shape, never real events.

``synthetic_incidents(n, seed)`` spreads ``n`` incidents over the central Sahel (Mali,
Burkina Faso, Niger) and the ten years 2014-2023, with more events in later years, hot spots
around real towns, villages that recur, imprecise places and dates, and unknown fatalities, so
that maps, filters and timelines see the load they would see with ACLED-sized data. Every row
says it is synthetic: ids are ``synthetic:N``, the dataset is ``SYNTHETIC demo data``, actors
are fictitious ("Armed group A") and the description says the event did not happen.
Everything is vectorised: a million rows take about two seconds.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd

from incidents.paths import SYNTHETIC_HOTSPOTS_FILE
from incidents.schema import COUNTRIES, EVENT_TYPES, conform

__all__ = ["SYNTHETIC_DATASET", "SYNTHETIC_PREFIX", "synthetic_incidents"]

SYNTHETIC_DATASET = "SYNTHETIC demo data"
SYNTHETIC_PREFIX = "synthetic:"

# Hot spots (data/synthetic/hotspots.csv): town, admin1, country, lat, lon, weight, spread in
# degrees. Real places, weights loosely shaped like the conflict's geography; the events are
# invented.
_VILLAGES_PER_HOTSPOT = 250

# Event-type shares, in the schema's order (battle, attack, explosion, violence against
# civilians, abduction, protest/riot, strategic, other).
_TYPE_SHARES = (0.30, 0.12, 0.12, 0.27, 0.06, 0.05, 0.06, 0.02)
_GEO_SHARES = {"site": 0.08, "neighbourhood": 0.04, "town": 0.62, "admin2": 0.18,
               "admin1": 0.07, "country": 0.01}
_DATE_SHARES = {"day": 0.84, "week": 0.09, "month": 0.05, "year": 0.02}
_ACTORS = ("Armed group A", "Armed group B", "State forces", "Self-defence militia C",
           "Unidentified armed group", "Communal militia D", "Foreign forces",
           "Rioters", "Protesters")
_TARGETS = ("Civilians", "State forces", "Armed group A", "Armed group B", "Village",
            "Market", "Convoy", "Health centre", "School")
_DESCRIPTION = "SYNTHETIC incident generated for demos and benchmarks; it did not happen."
_SOURCES = json.dumps(
    [{"publisher": "Incident Atlas", "title": "Synthetic demo data (not real events)"}]
)
_START = np.datetime64("2014-01-01", "D")
_DAYS = int((np.datetime64("2024-01-01", "D") - _START).astype(np.int64))


def _pick(rng: np.random.Generator, shares, n: int) -> np.ndarray:
    p = np.asarray(shares, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _categorical(codes: np.ndarray, labels) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(labels))


def _by_spot(spot: np.ndarray, labels: pd.Series) -> pd.Categorical:
    """Return each row's label from a per-hot-spot column, without a per-row Python string."""
    codes, uniques = pd.factorize(labels)
    return pd.Categorical.from_codes(codes[spot], categories=list(uniques))


@functools.cache
def _hotspots() -> pd.DataFrame:
    return pd.read_csv(SYNTHETIC_HOTSPOTS_FILE, encoding="utf-8", keep_default_na=False)


def synthetic_incidents(n: int, seed: int = 0) -> pd.DataFrame:
    """Return ``n`` synthetic incidents conformed to the schema (deterministic for a seed)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = np.random.default_rng(seed)
    spots = _hotspots()
    n_spots = len(spots)

    # Villages recur: each hot spot has a fixed set of places, and most incidents happen at
    # one of them (town precision, like UCDP's populated places).
    v_spot = np.repeat(np.arange(n_spots), _VILLAGES_PER_HOTSPOT)
    v_lat = spots["lat"].to_numpy()[v_spot] + rng.normal(0, 1, v_spot.size) * spots[
        "spread"].to_numpy()[v_spot]
    v_lon = spots["lon"].to_numpy()[v_spot] + rng.normal(0, 1, v_spot.size) * spots[
        "spread"].to_numpy()[v_spot]
    v_name = (
        "Village " + pd.Series(np.arange(v_spot.size) % _VILLAGES_PER_HOTSPOT + 1).astype(str)
        + " near " + spots["town"].to_numpy()[v_spot]
    ).to_numpy()
    # Villages are not equally exposed: a Zipf-like weight inside each hot spot.
    rank = np.arange(v_spot.size) % _VILLAGES_PER_HOTSPOT + 1
    v_weight = 1.0 / rank**0.8

    spot = _pick(rng, spots["weight"].to_numpy(), n)
    village_pick = np.empty(n, dtype=np.int64)
    cum = np.cumsum(v_weight[:_VILLAGES_PER_HOTSPOT])
    village_pick[:] = np.searchsorted(cum, rng.random(n) * cum[-1])
    village = spot * _VILLAGES_PER_HOTSPOT + village_pick

    geo = _pick(rng, list(_GEO_SHARES.values()), n)
    geo_names = list(_GEO_SHARES)
    lat = v_lat[village].copy()
    lon = v_lon[village].copy()
    jitter = np.array([0.01, 0.02, 0.0, 0.0, 0.0, 0.0])[geo]  # sites and neighbourhoods
    lat += rng.normal(0, 1, n) * jitter
    lon += rng.normal(0, 1, n) * jitter
    centre = np.isin(geo, [geo_names.index("admin2"), geo_names.index("admin1")])
    lat[centre] = spots["lat"].to_numpy()[spot[centre]]
    lon[centre] = spots["lon"].to_numpy()[spot[centre]]
    country_codes = spots["country"].to_numpy()[spot]
    country_only = geo == geo_names.index("country")
    country_centre = {"ML": (17.35, -3.53), "BF": (12.24, -1.56), "NE": (17.61, 8.08)}
    for code, (clat, clon) in country_centre.items():
        sel = country_only & (country_codes == code)
        lat[sel], lon[sel] = clat, clon
    unmapped = rng.random(n) < 0.005  # a few incidents have no coordinates at all
    lat, lon = np.round(lat, 5), np.round(lon, 5)

    # More events in later years, as in the Sahel since 2015.
    day = np.floor(_DAYS * rng.random(n) ** 0.55).astype("int64")
    start = (_START + day.astype("timedelta64[D]")).astype("datetime64[s]")
    dprec = _pick(rng, list(_DATE_SHARES.values()), n)
    span = np.where((dprec == 0) & (rng.random(n) < 0.03), rng.integers(1, 4, n), 0)
    end = start + (span * 86400).astype("timedelta64[s]")

    fat = rng.negative_binomial(0.6, 0.1, n).astype("float64")
    unknown = rng.random(n) < 0.15
    fat[unknown] = np.nan
    best = pd.array(fat, dtype="Float64").astype("Int64")
    low = pd.array(np.floor(fat * 0.7), dtype="Float64").astype("Int64")
    high = pd.array(np.ceil(fat * 1.5), dtype="Float64").astype("Int64")

    etype = _pick(rng, _TYPE_SHARES, n)
    actor = _pick(rng, [5, 4, 4, 2, 3, 1, 1, 0.5, 0.5], n)
    actor = np.where(etype == 5, 7 + (rng.random(n) < 0.5), actor)  # protests and riots
    ids = SYNTHETIC_PREFIX + pd.Series(np.arange(1, n + 1), dtype="int64").astype("string")
    admin2 = pd.Series(_by_spot(spot, spots["town"]))
    location = pd.Series(_categorical(village, v_name)).astype("string")
    location = location.mask(centre | country_only, admin2.astype("string") + " area")
    frame = pd.DataFrame(
        {
            "incident_id": ids,
            "date_start": start,
            "date_end": end,
            "date_precision": _categorical(dprec, _DATE_SHARES),
            "country": _by_spot(spot, spots["country"]),
            "admin1": _by_spot(spot, spots["admin1"]),
            "admin2": admin2,
            "location": location,
            "latitude": pd.array(np.where(unmapped, np.nan, lat), dtype="Float64"),
            "longitude": pd.array(np.where(unmapped, np.nan, lon), dtype="Float64"),
            "geo_precision": _categorical(np.where(unmapped, 5, geo), geo_names),
            "geocoder": pd.Categorical(np.where(unmapped, "none", "source")),
            "event_type": _categorical(etype, [t.code for t in EVENT_TYPES]),
            "source_event_type": _categorical(etype, [t.label for t in EVENT_TYPES]),
            "actor": _categorical(actor, _ACTORS),
            "target": _categorical(_pick(rng, [4, 3, 1, 1, 2, 1, 1, 0.5, 0.5], n), _TARGETS),
            "fatalities_low": low,
            "fatalities_best": best,
            "fatalities_high": high,
            "description": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [_DESCRIPTION]),
            "sources": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [_SOURCES]),
            "dataset": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [SYNTHETIC_DATASET]),
        }
    )
    frame["country_name"] = frame["country"].map(COUNTRIES)
    return conform(frame)
