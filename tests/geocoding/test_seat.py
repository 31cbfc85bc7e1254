"""A name the gazetteer knows only as a commune: the village spelled like it nearby is the
commune's seat (invented places)."""

from __future__ import annotations

import pytest

from incidents.geocoding import Gazetteer, Geocoder, GeocoderConfig, Place
from incidents.geocoding.normalize import name_keys


def _p(pid, name, code, lat, lon, fclass="P"):
    return Place(pid=pid, name=name, fclass=fclass, code=code, cc="ML", admin1="01",
                 admin2="11", lat=lat, lon=lon, keys=name_keys(name, code))


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder(Gazetteer([
        _p("gn:1", "Westland Region", "ADM1", 14.0, -6.0, fclass="A"),
        _p("gn:2", "Talmora", "ADM3", 15.0, 0.0, fclass="A"),
        _p("gn:3", "Telmora", "PPL", 15.2, 0.1),  # about 25 km from the commune's point
        _p("gn:4", "Kossoubane", "ADM3", 16.0, 1.0, fclass="A"),
        _p("gn:5", "Kosoubanie", "PPL", 16.6, 1.0),  # spelled alike, but 67 km away
        _p("gn:6", "Commune I", "ADM3", 12.6, -8.0, fclass="A"),
        _p("gn:7", "Kommun", "PPL", 12.61, -8.0),
    ]), config=GeocoderConfig())


def test_a_commune_name_is_read_as_the_village_spelled_like_it_nearby(geocoder):
    r = geocoder.resolve("Talmora", "ML")
    assert (r.matched_name, r.geo_precision) == ("Telmora", "town")
    assert any("taken for its seat" in n for n in r.notes)
    assert any(c.name == "Talmora" for c in r.candidates)  # the area stays a candidate


@pytest.mark.parametrize("query", ["Kossoubane", "Commune I"])
def test_no_seat_too_far_away_nor_for_a_numbered_district(geocoder, query):
    r = geocoder.resolve(query, "ML")
    assert r.geo_precision == "admin2" and r.matched_name == query
    assert not any("seat" in n for n in r.notes)
