"""incidents.review_map without Streamlit: where the review map opens, and what it draws."""

from __future__ import annotations

import re

import folium
import pandas as pd
import pytest

from incidents.geocoding import Candidate, GeoResult
from incidents.mapping import DEFAULT_CENTER, DEFAULT_ZOOM
from incidents.review_map import (
    CHOSEN_COLOUR,
    CURRENT_COLOUR,
    REVIEW_ZOOM,
    NumberedMarker,
    in_country,
    place_hint,
    place_rows,
    review_map,
)
from incidents.schema import GEO_PRECISIONS, conform
from tests.conftest import make_incident

SAHEL = (DEFAULT_CENTER[0], DEFAULT_CENTER[1], DEFAULT_ZOOM)


def result(lat=None, lon=None, precision=None, country=None, candidates=(), name=None
           ) -> GeoResult:
    return GeoResult(query="q", country_hint=None, latitude=lat, longitude=lon,
                     geo_precision=precision, matched_name=name, place_id=None,
                     confidence=0.5 if lat is not None else 0.0, geocoder="gazetteer",
                     country=country, candidates=tuple(candidates))


def candidate(name, lat, lon, country, precision="town") -> Candidate:
    return Candidate(place_id=name, name=name, latitude=lat, longitude=lon,
                     geo_precision=precision, country=country, feature_code="PPL", score=0.5)


class FakeGeocoder:
    """Answers offline lookups from a table of names, and records them."""

    def __init__(self, places: dict[str, GeoResult] | None = None) -> None:
        self.places = places or {}
        self.asked: list[tuple[str, str | None, bool]] = []

    def resolve(self, query, country=None, *, offline=False) -> GeoResult:
        self.asked.append((query, country, offline))
        return self.places.get(query, result())


@pytest.fixture()
def geocoder() -> FakeGeocoder:
    return FakeGeocoder({"Kati": result(12.74, -8.07, "admin2", "ML"),
                         "Koulikoro": result(13.0, -7.5, "admin1", "ML"),
                         "Ouahigouya": result(13.58, -2.42, "town", "BF")})


@pytest.fixture()
def rows() -> pd.DataFrame:
    return conform(pd.DataFrame([
        make_incident(incident_id="r:1", location=" near Boni ", admin2="Kati",
                      admin1="Koulikoro", country="ML"),
        make_incident(incident_id="r:2", location="near Boni", admin2=None, admin1="Mopti",
                      country="BF"),
        make_incident(incident_id="r:3", location="Boni", country="ML"),
    ]))


def test_the_review_zoom_covers_every_precision_and_closes_in_on_finer_places():
    assert set(REVIEW_ZOOM) == set(GEO_PRECISIONS)
    zooms = [REVIEW_ZOOM[p] for p in GEO_PRECISIONS]  # finest first
    assert zooms == sorted(zooms, reverse=True)


@pytest.mark.parametrize(("place", "country", "inside"), [
    ("ML", "ML", True), ("BF", "ML", False), (None, "ML", True), ("BF", None, True)])
def test_in_country(place, country, inside):
    assert in_country(place, country) is inside


@pytest.mark.parametrize(("country", "ids"), [(None, ["r:1", "r:2"]), ("ML", ["r:1"]),
                                              ("NE", [])])
def test_place_rows_match_the_trimmed_place_text(rows, country, ids):
    assert place_rows(rows, "near Boni", country)["incident_id"].tolist() == ids


def test_the_match_in_the_incidents_country_opens_the_map(rows, geocoder):
    found = result(14.9, -1.9, "town", "ML", [candidate("Boni", 1.0, 1.0, "ML")])
    assert place_hint(found, "ML", rows, geocoder) == (14.9, -1.9, REVIEW_ZOOM["town"])
    assert geocoder.asked == []


def test_a_point_of_unknown_precision_opens_at_a_middle_zoom(rows, geocoder):
    assert place_hint(result(14.9, -1.9, None, "ML"), "ML", rows, geocoder)[2] == 9


def test_a_match_abroad_gives_way_to_a_candidate_at_home(rows, geocoder):
    abroad = result(40.0, 2.0, "town", "FR", [candidate("Boni BF", 13.0, -1.0, "BF"),
                                              candidate("Boni", 15.0, -1.9, "ML", "site")])
    assert place_hint(abroad, "ML", rows, geocoder) == (15.0, -1.9, REVIEW_ZOOM["site"])


@pytest.mark.parametrize(("table", "country", "expected", "asked"), [
    # the district of the incidents first, then their region
    ("ml", "ML", (12.74, -8.07, 8), [("Kati", "ML", True)]),
    ("no_district", "ML", (13.0, -7.5, 7), [("Koulikoro", "ML", True)]),
    # a district found in another country is no hint: the region is tried next
    ("ml", "BF", SAHEL, [("Kati", "BF", True), ("Koulikoro", "BF", True)]),
    ("none", "ML", SAHEL, []),
])
def test_nothing_found_opens_on_the_incidents_district_or_region(geocoder, table, country,
                                                                  expected, asked):
    frames = {
        "ml": [make_incident(location="x", admin2="Kati", admin1="Koulikoro")],
        "no_district": [make_incident(location="x", admin2=None, admin1="Koulikoro")],
        "none": [make_incident(location="x", admin2=None, admin1=None)],
    }
    rows = conform(pd.DataFrame(frames[table]))
    assert place_hint(result(), country, rows, geocoder) == expected
    assert geocoder.asked == asked


def _html(m) -> str:
    return m.get_root().render()


def _layer_html(layer) -> str:
    """Render the chosen-point layer the way st_folium adds it: onto a map."""
    return _html(layer.add_to(folium.Map()))


def test_the_review_map_draws_the_match_and_numbered_candidates():
    found = result(14.9, -1.9, "town", "ML", name="Boni <b>",
                   candidates=[candidate("Boni", 15.0, -1.8, "ML"),
                               candidate("Boni <script>", 13.0, -1.0, "BF", "admin2")])
    m, layer = review_map(found, None, (14.9, -1.9, 11), "ML",
                          precision_label=lambda p: f"<{p}>")
    page = _html(m)
    assert page.count('className: "geo-candidate"') == 2
    assert '"1. Boni (ML, \\u003ctown\\u003e)"' in page  # plain text, JSON-escaped
    assert "document.createTextNode" in page
    assert "Current match: Boni &lt;b&gt;" in page and "Boni <b>" not in page
    assert CURRENT_COLOUR in page
    # The match and the candidate in Mali are fitted; the one in Burkina Faso is not.
    fit = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    assert fit and [float(v) for v in re.findall(r"-?\d+\.?\d*", fit.group(1))] == [
        14.9, -1.9, 15.0, -1.8]
    assert CHOSEN_COLOUR not in _layer_html(layer)


def test_one_point_in_the_country_opens_on_the_view_without_fitting():
    m, _layer = review_map(result(14.9, -1.9, "town", "ML"), None, (14.9, -1.9, 11), "ML")
    page = _html(m)
    assert "fitBounds" not in page
    assert "geo-candidate" not in page


@pytest.mark.parametrize(("clicked", "circles"), [(False, 1), (True, 2)])
def test_the_chosen_point_is_a_separate_layer(clicked, circles):
    m, layer = review_map(result(), (12.5, -8.0), (12.5, -8.0, 11), clicked=clicked)
    drawn = _layer_html(layer)
    assert drawn.count("L.circleMarker(") == circles
    assert CHOSEN_COLOUR in drawn
    assert "[12.5, -8.0]" in drawn
    assert CHOSEN_COLOUR not in _html(m)


def test_the_review_map_speaks_the_language_it_is_given():
    found = result(14.9, -1.9, "town", "ML", name="Boni")
    french = _html(review_map(found, None, (14.9, -1.9, 11), lang="fr")[0])
    english = _html(review_map(found, None, (14.9, -1.9, 11), lang="en")[0])
    assert "Correspondance actuelle\xa0: Boni" in french and "Current match" not in french
    assert "Current match: Boni" in english


def test_the_numbered_marker_carries_its_number_and_tooltip():
    marker = NumberedMarker((12.0, -8.0), 7, "7. Kati")
    assert marker.location == [12.0, -8.0]
    assert ">7</div>" in marker.html and marker.tooltip == "7. Kati"
