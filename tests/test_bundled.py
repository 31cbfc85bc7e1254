"""The bundled data: UCDP GED for the three countries and the founding Bamako incidents."""

import json
import math

import pytest

import incidents
from incidents.bundled import read_seed


def _km(lat1, lon1, lat2, lon2):
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def bundled(seeded_sqlite_url):
    return incidents.load_incidents(seeded_sqlite_url)


def test_load_incidents_has_ucdp_and_founding_incidents(bundled):
    ucdp = bundled[bundled["incident_id"].str.startswith("ucdp:")]
    assert len(ucdp) == 2120 + 1504 + 586
    assert set(ucdp["country"].dropna()) == {"ML", "BF", "NE"}
    assert bundled["incident_id"].is_unique


@pytest.mark.parametrize(
    ("needle", "lat", "lon", "km", "precision"),
    [("airport", 12.5335, -7.9499, 2.0, "site"),
     ("faladie", 12.5947, -7.9471, 1.5, "neighbourhood")],
)
def test_bamako_2024_09_17(bundled, needle, lat, lon, km, precision):
    row = bundled[bundled["incident_id"].str.contains(needle)].iloc[0]
    assert str(row["date_start"].date()) == "2024-09-17"
    assert _km(row["latitude"], row["longitude"], lat, lon) <= km
    assert row["geo_precision"] == precision
    assert row["actor"] == "JNIM"
    publishers = " ".join(s["publisher"] for s in json.loads(row["sources"]))
    assert "Fides" in publishers and "Medafrica" in publishers
    # No source states a number: the figures stay unknown, the claims are attributed.
    assert row[["fatalities_low", "fatalities_best", "fatalities_high"]].isna().all()
    claimants = {c["claimant"].split(" ")[0] for c in json.loads(row["claims"])}
    assert {"Malian", "JNIM", "Eyewitnesses"} <= claimants


def test_seed_claims_quote_the_authorities():
    seed = read_seed()
    claims = json.loads(seed.iloc[0]["claims"])
    assert any("a few casualties" in c["claim"].lower() for c in claims)
    assert any("six aircraft" in c["claim"] for c in claims)
