"""Which draft comes first when a report names several places: the rules of
``incidents.extraction.clusters`` that order the drafts, on a small invented gazetteer."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.extraction import Report, extract
from incidents.geocoding import Gazetteer, Geocoder, GeocoderConfig, Place
from incidents.geocoding.normalize import name_keys

# invented villages, each over 100 km from the others (but Kourani, 40 km north of Birgou)
_PLACES = {"Kelbo": (15.3, -1.3), "Birgou": (12.5, -7.5), "Sanibou": (13.5, -4.0),
           "Dorgala": (14.4, -2.6), "Tamaro": (11.6, -5.6), "Kourani": (12.86, -7.5)}


# a village in another region than the others, far from them all
_ELSEWHERE = {"Mandiro": (17.0, 1.0)}


def _place(pid, name, lat, lon, admin1, code="PPL", fclass="P"):
    return Place(pid=pid, name=name, fclass=fclass, code=code, cc="ML", admin1=admin1,
                 admin2="", lat=lat, lon=lon, population=1000, keys=name_keys(name, code))


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder(Gazetteer([
        _place("gn:r1", "Westland Region", 13.0, -5.0, "01", "ADM1", "A"),
        _place("gn:r2", "Northland Region", 17.5, 1.5, "02", "ADM1", "A"),
        *(_place(f"gn:{i}", name, lat, lon, "01")
          for i, (name, (lat, lon)) in enumerate(_PLACES.items())),
        *(_place(f"gn:e{i}", name, lat, lon, "02")
          for i, (name, (lat, lon)) in enumerate(_ELSEWHERE.items())),
    ]), config=GeocoderConfig())


def _first_place(text: str, geocoder: Geocoder) -> str:
    drafts = extract(Report(text, dt.date(2024, 5, 5), country="ML"), geocoder)
    assert drafts, text
    at = (drafts[0].latitude, drafts[0].longitude)
    return next(name for name, point in {**_PLACES, **_ELSEWHERE}.items() if point == at)


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen ambushed traders 40 km north of Kelbo (coded at approximate "
    "location as Birgou at geoprecision 2).",
    "On 3 May 2024, gunmen robbed traders travelling toward Birgou in the Kelbo area "
    "(coded as Birgou at geoprecision 2).",
    "On 3 May 2024, gunmen attacked a camp in Kelbo [unfound location, coded: Birgou].",
    "On 3 May 2024, soldiers fought militants 30 km south of Kelbo, coded as approximate "
    "location in the vicinity of Birgou.",
])
def test_the_place_the_report_says_it_is_coded_at_comes_first(geocoder, text):
    assert _first_place(text, geocoder) == "Birgou"


def test_a_stated_place_with_a_distance_is_not_the_place_itself(geocoder):
    # "coded as Birgou 40km N": the point is 40 km away from Birgou, where Kourani is
    text = ("On 3 May 2024, a patrol was attacked in the area of Kourani, 40km north of Birgou "
            "(coded at approximate location as Birgou 40km N).")
    assert _first_place(text, geocoder) == "Kourani"


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen attacked the village of Mandiro in the Kelbo area.",
    "On 3 May 2024, gunmen stole cattle in the hamlet of Mandiro (near Kelbo).",
    "On 3 May 2024, a policeman was killed at Mandiro in Kelbo.",
])
def test_a_place_told_inside_another_but_read_in_another_region_gives_way(geocoder, text):
    # the only Mandiro the gazetteer knows is in another region: not the report's
    drafts = extract(Report(text, dt.date(2024, 5, 5), country="ML"), geocoder)
    assert _first_place(text, geocoder) == "Kelbo"
    assert any("'Mandiro' is not known near Kelbo" in n for n in drafts[0].notes)


def test_a_place_told_inside_another_keeps_its_reading_in_the_same_region(geocoder):
    # Sanibou lies far from Kelbo but in its region (a town may name a wide area)
    text = "On 3 May 2024, gunmen attacked the village of Sanibou in the Kelbo area."
    assert _first_place(text, geocoder) == "Sanibou"


def test_where_the_wounded_were_taken_for_care_comes_after_where_it_happened(geocoder):
    text = ("On 3 May 2024, gunmen from Kelbo attacked miners at work; two wounded were taken "
            "to the health centre in Birgou.")
    assert _first_place(text, geocoder) == "Kelbo"
