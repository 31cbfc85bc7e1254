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

import json

import numpy as np
import pandas as pd

from incidents.schema import EVENT_TYPES, conform

__all__ = ["SYNTHETIC_DATASET", "SYNTHETIC_PREFIX", "synthetic_incidents"]

SYNTHETIC_DATASET = "SYNTHETIC demo data"
SYNTHETIC_PREFIX = "synthetic:"

# Hot spots: (town, admin1, country, lat, lon, weight, spread in degrees). Real places,
# weights loosely shaped like the conflict's geography; the events are invented.
_HOTSPOTS: tuple[tuple[str, str, str, float, float, float, float], ...] = (
    ("Bamako", "Bamako", "ML", 12.6393, -8.0029, 2, 0.10),
    ("Ségou", "Ségou", "ML", 13.4317, -6.2157, 3, 0.45),
    ("Niono", "Ségou", "ML", 14.2526, -5.9931, 4, 0.35),
    ("Mopti", "Mopti", "ML", 14.4843, -4.1827, 6, 0.40),
    ("Djenné", "Mopti", "ML", 13.9061, -4.5533, 3, 0.30),
    ("Bandiagara", "Mopti", "ML", 14.3500, -3.6100, 6, 0.40),
    ("Douentza", "Mopti", "ML", 15.0019, -2.9497, 4, 0.45),
    ("Tombouctou", "Tombouctou", "ML", 16.7735, -3.0074, 3, 0.60),
    ("Gao", "Gao", "ML", 16.2717, -0.0447, 4, 0.50),
    ("Ansongo", "Gao", "ML", 15.6597, 0.5022, 3, 0.40),
    ("Ménaka", "Ménaka", "ML", 15.9182, 2.4022, 5, 0.50),
    ("Kidal", "Kidal", "ML", 18.4411, 1.4078, 2, 0.60),
    ("Koutiala", "Sikasso", "ML", 12.3917, -5.4642, 1, 0.35),
    ("Sikasso", "Sikasso", "ML", 11.3176, -5.6665, 1, 0.35),
    ("Nioro du Sahel", "Kayes", "ML", 15.2300, -9.5900, 1, 0.40),
    ("Ouagadougou", "Centre", "BF", 12.3714, -1.5197, 1, 0.12),
    ("Djibo", "Sahel", "BF", 14.1022, -1.6306, 7, 0.35),
    ("Arbinda", "Sahel", "BF", 14.2300, -0.8700, 4, 0.30),
    ("Dori", "Sahel", "BF", 14.0354, -0.0345, 4, 0.35),
    ("Gorom-Gorom", "Sahel", "BF", 14.4428, -0.2361, 2, 0.30),
    ("Sebba", "Sahel", "BF", 13.4364, 0.5300, 3, 0.30),
    ("Kaya", "Centre-Nord", "BF", 13.0917, -1.0844, 4, 0.35),
    ("Ouahigouya", "Nord", "BF", 13.5828, -2.4216, 3, 0.35),
    ("Titao", "Nord", "BF", 13.7700, -2.0700, 2, 0.25),
    ("Fada N'Gourma", "Est", "BF", 12.0616, 0.3584, 4, 0.50),
    ("Diapaga", "Est", "BF", 12.0708, 1.7883, 2, 0.40),
    ("Bobo-Dioulasso", "Hauts-Bassins", "BF", 11.1771, -4.2979, 1, 0.35),
    ("Niamey", "Niamey", "NE", 13.5116, 2.1254, 1, 0.10),
    ("Tillabéri", "Tillabéri", "NE", 14.2117, 1.4531, 4, 0.40),
    ("Ouallam", "Tillabéri", "NE", 14.3189, 2.0866, 3, 0.35),
    ("Téra", "Tillabéri", "NE", 14.0078, 0.7531, 3, 0.35),
    ("Ayorou", "Tillabéri", "NE", 14.7308, 0.9194, 2, 0.30),
    ("Banibangou", "Tillabéri", "NE", 15.0400, 2.7000, 2, 0.35),
    ("Tillia", "Tahoua", "NE", 16.1300, 4.7900, 1, 0.45),
    ("Tahoua", "Tahoua", "NE", 14.8888, 5.2692, 1, 0.45),
    ("Maradi", "Maradi", "NE", 13.5000, 7.1017, 1, 0.45),
    ("Diffa", "Diffa", "NE", 13.3154, 12.6113, 3, 0.40),
    ("Bosso", "Diffa", "NE", 13.7000, 13.3100, 2, 0.30),
)
_COUNTRY_NAMES = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}
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


def synthetic_incidents(n: int, seed: int = 0) -> pd.DataFrame:
    """Return ``n`` synthetic incidents conformed to the schema (deterministic for a seed)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = np.random.default_rng(seed)
    spots = pd.DataFrame(
        _HOTSPOTS, columns=["town", "admin1", "country", "lat", "lon", "weight", "spread"]
    )
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
    frame["country_name"] = frame["country"].map(_COUNTRY_NAMES)
    return conform(frame)
