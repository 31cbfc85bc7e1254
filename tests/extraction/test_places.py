"""Where a report's event is: rules of ``incidents.extraction.places`` on a small invented
gazetteer (names that exist nowhere), so that each rule is what decides the answer."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.extraction import Report, extract
from incidents.extraction.places import _far_fetched
from incidents.geocoding import Gazetteer, Geocoder, GeocoderConfig, GeoResult, Place
from incidents.geocoding.normalize import name_keys


def _p(pid, name, code, lat, lon, admin1="01", admin2="", fclass="P", population=0, cc="ML"):
    return Place(pid=pid, name=name, fclass=fclass, code=code, cc=cc, admin1=admin1,
                 admin2=admin2, lat=lat, lon=lon, population=population,
                 keys=name_keys(name, code))


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    """Two regions far apart; "Tamaro" and "Sanibou" are villages in both, the western ones
    better known (they win when nothing else is said)."""
    return Geocoder(Gazetteer([
        _p("gn:1", "Westland Region", "ADM1", 12.0, -7.0, admin1="01", fclass="A"),
        _p("gn:2", "Eastland Region", "ADM1", 15.0, -1.0, admin1="02", fclass="A"),
        _p("gn:3", "Westland Cercle", "ADM2", 12.1, -7.1, admin1="01", admin2="11", fclass="A"),
        _p("gn:4", "Eastland Cercle", "ADM2", 15.1, -1.1, admin1="02", admin2="21", fclass="A"),
        _p("gn:5", "Tamaro", "PPL", 12.2, -7.2, admin1="01", admin2="11", population=8000),
        _p("gn:6", "Tamaro", "PPL", 15.2, -1.2, admin1="02", admin2="21"),
        _p("gn:7", "Kelbo", "PPL", 15.3, -1.3, admin1="02", admin2="21", population=3000),
        _p("gn:8", "Sanibou", "PPL", 12.3, -7.3, admin1="01", admin2="11", population=9000),
        _p("gn:9", "Sanibou", "PPL", 15.4, -1.4, admin1="02", admin2="21"),
        _p("gn:10", "Sorkende", "PPL", 12.4, -7.4, admin1="01", admin2="11", population=500),
        _p("gn:11", "Birgou", "PPL", 12.5, -7.5, admin1="01", admin2="11", population=2000),
        _p("gn:12", "Bamako", "PPLC", 12.65, -8.0, admin1="01", admin2="11", population=10**6),
        _p("gn:13", "Macina Cercle", "ADM2", 16.0, -2.0, admin1="02", admin2="22", fclass="A"),
        _p("gn:14", "Sanibou", "PPL", 16.1, -2.1, admin1="02", admin2="22"),
        _p("gn:15", "Kelbo Airport", "AIRP", 15.31, -1.33, admin1="02", admin2="21", fclass="S"),
        _p("gn:16", "Tamaro Airport", "AIRP", 12.21, -7.21, admin1="01", admin2="11", fclass="S"),
        _p("gn:17", "Some", "PPL", 13.0, -6.0, admin1="01", admin2="11"),
        _p("gn:18", "Fula", "PPL", 13.5, -5.0, admin1="01", admin2="11"),
    ]), config=GeocoderConfig())


def _first(text: str, geocoder: Geocoder):
    drafts = extract(Report(text, dt.date(2024, 5, 5), country="ML"), geocoder)
    assert drafts, text
    return drafts[0]


def test_plain_namesake_is_the_better_known_one(geocoder):
    # the premise of the tests below: with nothing else said, the western Tamaro wins
    assert _first("On 3 May 2024, gunmen attacked Tamaro.", geocoder).latitude == 12.2


def test_between_takes_the_namesake_near_the_other_end(geocoder):
    d = _first("On 3 May 2024, gunmen killed a herder between Tamaro and Kelbo.", geocoder)
    assert (d.latitude, d.longitude) == (15.2, -1.2)
    assert any("namesake near Kelbo" in n for n in d.notes)


def test_near_takes_the_namesake_near_the_other_place(geocoder):
    d = _first("On 3 May 2024, gunmen attacked the village of Tamaro, near Kelbo.", geocoder)
    assert (d.latitude, d.longitude) == (15.2, -1.2)


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen attacked the market in Sanibou, Eastland Cercle.",
    "On 3 May 2024, gunmen attacked the market in Sanibou, cercle of Eastland, killing two.",
    "On 3 May 2024, gunmen attacked the market in Sanibou, Kelbo.",
])
def test_a_place_put_in_an_area_after_a_comma_is_read_in_it(geocoder, text):
    assert _first(text, geocoder).latitude == 15.4


def test_a_list_of_places_is_no_area(geocoder):
    drafts = extract(Report("On 3 May 2024, protests were held in Sanibou, Kelbo and Birgou.",
                            dt.date(2024, 5, 5), country="ML"), geocoder)
    assert [d.latitude for d in drafts][:1] == [12.3]  # Sanibou read alone, not "in Kelbo"
    assert len(drafts) == 3


def _typo(query: str, confidence: float) -> GeoResult:
    return GeoResult(query, "ML", 12.0, -7.0, "town", "Sorkende", "gn:10", confidence,
                     "offline", "ML", notes=("'sorkonde' matched 'Sorkende' by similar spelling "
                                             "(82%) in ML",))


def test_a_weak_spelling_match_counts_less_without_an_area():
    # inside a named area ("X, Cercle") a match at 0.35 is kept; anywhere in the country not
    assert not _far_fetched(_typo("Sorkonde, Westland Cercle", 0.35))
    assert _far_fetched(_typo("Sorkonde", 0.35))
    assert not _far_fetched(_typo("Sorkonde", 0.5))
    assert not _far_fetched(GeoResult("Sorkonde", "ML", 12.0, -7.0, "town", "Sorkonde",
                                      "gn:10", 0.35, "offline", "ML"))


def test_a_weak_country_wide_spelling_match_gives_way_to_a_named_place(geocoder):
    # "Sorkondi" is only 80% like "Sorkende", anywhere in the country: Birgou is the place
    d = _first("On 3 May 2024, gunmen attacked a bus in Sorkondi and the passengers fled to "
               "Birgou.", geocoder)
    assert d.latitude == 12.5


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen attacked a bus in Sorkondi.",
    # no attack word: the weak match still stands for the place the report names
    "On 3 May 2024, militants closed the school in Sorkondi.",
])
def test_a_weak_spelling_match_stands_when_the_report_names_no_other_place(geocoder, text):
    assert _first(text, geocoder).latitude == 12.4


def test_a_protest_told_without_a_place_is_at_the_capital_with_country_precision(geocoder):
    d = _first("Teachers went on strike to demand the payment of their allowances.", geocoder)
    assert (d.latitude, d.longitude, d.geo_precision) == (12.65, -8.0, "country")
    assert any("names no place" in n and "capital" in n for n in d.notes)
    assert d.location == "Bamako"


def test_a_protest_at_a_place_nobody_knows_is_at_the_capital_and_says_which(geocoder):
    d = _first("Hundreds of women marched in Quxtlaba to protest water shortages.", geocoder)
    assert (d.latitude, d.geo_precision) == (12.65, "country")
    assert any("'Quxtlaba' is no place the geocoder knows" in n for n in d.notes)


@pytest.mark.parametrize("text", [
    "Two soldiers were killed in an ambush.",  # not a protest: nowhere rather than invented
    "Gunmen attacked the village of Quxtlaba.",  # not a protest, at a place nobody knows
])
def test_other_events_without_a_known_place_stay_unplaced(geocoder, text):
    d = _first(text, geocoder)
    assert d.latitude is None and d.geo_precision is None


def test_a_group_named_in_brackets_is_no_area_of_the_report(geocoder):
    # "JNIM (Katiba Macina)" names a unit, not the area the report's places lie in: the
    # Sanibou meant is the better-known one, not the one in the Macina cercle
    d = _first("On 3 May 2024, JNIM (Katiba Macina) militants killed two farmers in Sanibou.",
               geocoder)
    assert d.latitude == 12.3


@pytest.mark.parametrize("text", [
    "On 3 May 2024, a bus coming from Kelbo was ambushed near Birgou.",
    "On 3 May 2024, wounded soldiers were evacuated to Kelbo after an ambush in Birgou.",
    # a distance is no origin, and a route is placed at its first end
    "On 3 May 2024, an IED exploded 5 km from Birgou and the wounded were taken to Kelbo.",
    "On 3 May 2024, gunmen ambushed a truck on the road from Birgou to Kelbo.",
])
def test_where_people_came_from_or_went_to_is_not_where_it_happened(geocoder, text):
    assert _first(text, geocoder).latitude == 12.5


def test_a_place_stated_for_the_event_keeps_the_reading_the_report_gave_it_before(geocoder):
    # the bare "Tamaro" of the bracket is the western one; the report told it first as the
    # end of a stretch of road near Kelbo
    d = _first("On 3 May 2024, gunmen burned a truck between Tamaro and Kelbo (coded as "
               "Tamaro).", geocoder)
    assert (d.latitude, d.longitude) == (15.2, -1.2)


def test_a_protest_with_no_place_is_at_the_capital_of_any_country_the_gazetteer_knows():
    """The capital comes from the gazetteer (GeoNames PPLC), not from a list of three."""
    chad = Geocoder(Gazetteer([
        _p("gn:20", "Abéché", "PPLA", 13.83, 20.83, cc="TD", population=70000),
        _p("gn:21", "N'Djamena", "PPLC", 12.11, 15.04, cc="TD", population=721000),
    ]), config=GeocoderConfig())
    drafts = extract(Report("Teachers went on strike to demand unpaid salaries.",
                            dt.date(2024, 5, 5), country="TD"), chad)
    assert (drafts[0].latitude, drafts[0].geo_precision) == (12.11, "country")
    # a country whose capital the gazetteer lacks: no point is made up
    drafts = extract(Report("Teachers went on strike to demand unpaid salaries.",
                            dt.date(2024, 5, 5), country="MW"), chad)
    assert drafts and drafts[0].latitude is None


def test_drafts_follow_the_order_the_sentence_tells_them():
    # a district is finer than a town, but the town told first is the first event
    gaz = Gazetteer([
        _p("gn:1", "Kelbo", "PPL", 15.3, -1.3, population=3000),
        _p("gn:2", "Bamako", "PPLC", 12.65, -8.0, population=10**6),
        Place(pid="gn:3", name="Sogoniko", fclass="P", code="PPLX", cc="ML", admin1="01",
              lat=12.62, lon=-7.98, city="gn:2", keys=name_keys("Sogoniko", "PPLX")),
    ])
    geocoder = Geocoder(gaz, config=GeocoderConfig())
    drafts = extract(Report("On 3 May 2024, gunmen attacked a bus in Kelbo and a shop in the "
                            "Sogoniko district of Bamako.", dt.date(2024, 5, 5), country="ML"), geocoder)
    assert [d.latitude for d in drafts] == [15.3, 12.62]


def test_a_name_before_community_or_militiamen_is_a_people_not_a_place(geocoder):
    d = _first("On 3 May 2024, gunmen abducted two members of the Kelbo community in Tamaro.",
               geocoder)
    assert d.latitude == 12.2
    d = _first("On 3 May 2024, members of Kelbo and Sorkende communities clashed in Birgou.",
               geocoder)
    assert d.latitude == 12.5
    # a place named before other words still is one
    d = _first("On 3 May 2024, farmers in Kelbo and Fulani herders clashed.", geocoder)
    assert d.latitude == 15.3


def test_the_shipped_gazetteer_knows_capitals_written_with_accents():
    """The country table writes "Lome", the city table "Lomé": the builder folds both."""
    geocoder = Geocoder()
    assert {cc: geocoder.capital(cc) for cc in ("TG", "CM", "ML", "NE", "BF")} == {
        "TG": "Lomé", "CM": "Yaoundé", "ML": "Bamako", "NE": "Niamey", "BF": "Ouagadougou"}
    drafts = extract(Report("Teachers went on strike to demand unpaid salaries.",
                            dt.date(2024, 5, 5), country="TG"), geocoder)
    assert drafts[0].location == "Lomé" and drafts[0].geo_precision == "country"


@pytest.fixture(scope="module")
def far_spellings() -> Geocoder:
    """A well-known western village, Sorkondey, spelled like a small eastern one near
    Kelbo, Sorkendo; Tamaro and Sanibou only in the east."""
    return Geocoder(Gazetteer([
        _p("gn:1", "Westland Region", "ADM1", 12.0, -7.0, admin1="01", fclass="A"),
        _p("gn:2", "Eastland Region", "ADM1", 15.0, -1.0, admin1="02", fclass="A"),
        _p("gn:3", "Westland Cercle", "ADM2", 12.1, -7.1, admin1="01", admin2="11", fclass="A"),
        _p("gn:4", "Eastland Cercle", "ADM2", 15.1, -1.1, admin1="02", admin2="21", fclass="A"),
        _p("gn:5", "Sorkondey", "PPL", 12.4, -7.4, admin1="01", admin2="11", population=20000),
        _p("gn:6", "Kelbo", "PPL", 15.3, -1.3, admin1="02", admin2="21", population=3000),
        _p("gn:7", "Sorkendo", "PPL", 15.35, -1.35, admin1="02", admin2="21"),
        _p("gn:8", "Sanibou", "PPL", 15.4, -1.4, admin1="02", admin2="21"),
        _p("gn:9", "Tamaro", "PPL", 15.2, -1.2, admin1="02", admin2="21"),
        _p("gn:10", "Birgou", "PPL", 12.5, -7.5, admin1="01", admin2="11", population=2000),
    ]), config=GeocoderConfig())


def test_a_spelling_match_far_from_the_other_named_place_gives_way_to_one_near_it(
        far_spellings):
    d = _first("On 3 May 2024, gunmen attacked the village of Sorkonde and the villagers fled "
               "to Kelbo.", far_spellings)
    assert (d.latitude, d.longitude) == (15.35, -1.35)
    assert any("namesake near Kelbo" in n for n in d.notes)


def test_a_spelling_match_far_from_the_other_named_place_gives_way_to_that_place(
        far_spellings):
    # nothing spelled like "Birgoua" near Kelbo: Kelbo is the best reading of where
    d = _first("On 3 May 2024, gunmen attacked the village of Birgoua and the villagers fled "
               "to Kelbo.", far_spellings)
    assert (d.latitude, d.longitude) == (15.3, -1.3)
    assert any("is not known near Kelbo" in n for n in d.notes)


def test_a_spelling_match_near_the_other_named_place_stands(far_spellings):
    d = _first("On 3 May 2024, gunmen attacked the village of Sorkonde and the villagers fled "
               "to Birgou.", far_spellings)
    assert (d.latitude, d.longitude) == (12.4, -7.4)


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen attacked the village of Tamarou [Sanibou] (Eastland Cercle).",
    "On 3 May 2024, gunmen attacked the village of Sanibou [Sanibouu] (Eastland Cercle).",
])
def test_the_editors_spelling_in_square_brackets_is_read_first(far_spellings, text):
    d = _first(text, far_spellings)
    assert (d.latitude, d.longitude) == (15.4, -1.4)


@pytest.mark.parametrize("text, lat", [
    ("On 3 May 2024, an IED hit a truck on the Sorkende-Kelbo road.", 12.4),
    ("On 3 May 2024, gunmen ambushed a patrol along the axis Kelbo-Sorkende.", 15.3),
    ("Le 3 mai 2024, des hommes armés ont attaqué un bus sur l'axe Sorkende–Kelbo.", 12.4),
    # an end the geocoder does not know: the other end
    ("On 3 May 2024, an IED hit a truck on the Quxtlaba-Kelbo axis.", 15.3),
])
def test_an_event_on_a_road_named_by_its_ends_is_at_its_first_known_end(geocoder, text, lat):
    d = _first(text, geocoder)
    assert d.latitude == lat
    assert any("on the road between" in n for n in d.notes)


def test_a_spot_named_on_a_road_is_read_instead_of_the_road(geocoder):
    d = _first("On 3 May 2024, an IED hit a truck on the Kelbo-Sorkende axis, near Birgou.",
               geocoder)
    assert d.latitude == 12.5


@pytest.mark.parametrize("text", [
    "On 3 May 2024, two soldiers were killed. Their bodies were found in Kelbo.",
    "Gunmen ambushed a boat on the river. The wounded were rescued in Kelbo.",
])
def test_an_event_told_with_no_place_is_at_the_place_a_sentence_beside_it_names(geocoder,
                                                                                  text):
    d = _first(text, geocoder)
    assert (d.latitude, d.longitude) == (15.3, -1.3)


def test_a_region_named_beside_an_event_with_no_place_is_not_its_place(geocoder):
    d = _first("Two soldiers were killed in an ambush. Troops were sent to the Eastland "
               "Region.", geocoder)
    assert d.latitude is None


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen killed the mayor of Kelbo in Birgou.",
    "On 3 May 2024, gunmen attacked the Governorate of Kelbo in Birgou.",
    "On 3 May 2024, gunmen abducted the Kelbo village chief in Birgou.",
    "On 3 May 2024, gunmen seized a car of the Office for Water of Kelbo (OWK) in Birgou.",
    "On 3 May 2024, Kelbo residents marched to Birgou to protest against a land sale.",
])
def test_a_place_in_an_office_title_gives_way_to_the_place_of_the_event(geocoder, text):
    assert _first(text, geocoder).latitude == 12.5  # Birgou, not Kelbo


@pytest.mark.parametrize("text", [
    "On 3 May 2024, gunmen killed the mayor of Kelbo.",
    "On 3 May 2024, gunmen abducted the mayor of Kelbo as he came back from Birgou.",
])
def test_a_place_in_an_office_title_stands_when_no_other_place_is_the_event(geocoder, text):
    assert _first(text, geocoder).latitude == 15.3  # Kelbo


def test_a_name_ending_in_a_facility_word_is_a_place(geocoder):
    # "the Kelbo Airport" after "against": no preposition puts it where places go, the word
    # "Airport" does (and the airport is not looked for in the town the jets came from)
    d = _first("On 3 May 2024, gunmen attacked the Kelbo Airport. Jets came from Tamaro.",
               geocoder)
    assert (d.latitude, d.longitude) == (15.31, -1.33)


def test_a_facility_named_after_a_far_place_is_placed_in_the_town_it_is_in(geocoder):
    d = _first("On 3 May 2024, workers staged a sit-in at the Kelbo hospital in Birgou.",
               geocoder)
    assert (d.latitude, d.longitude) == (12.5, -7.5)
    assert any("not known near Birgou" in n for n in d.notes)


def test_the_town_a_facility_is_in_is_the_namesake_near_the_place_it_is_named_after(geocoder):
    d = _first("On 3 May 2024, gunmen attacked the Kelbo market in Tamaro.", geocoder)
    assert (d.latitude, d.longitude) == (15.2, -1.2)  # the eastern Tamaro, near Kelbo


def test_a_facility_named_after_a_nearby_village_is_placed_in_the_town_it_is_in(geocoder):
    d = _first("On 3 May 2024, gunmen attacked the Sorkende market in Birgou.", geocoder)
    assert (d.latitude, d.longitude) == (12.5, -7.5)
    assert any("names a site in Birgou" in n for n in d.notes)


@pytest.mark.parametrize("text", [
    # a route's first end gives way to the place on it where the event was
    "On 3 May 2024, a convoy coming from Sorkende and heading toward Sanibou was struck by an "
    "IED near Birgou.",
    # every place of a list of destinations is a destination
    "On 3 May 2024, buses en route to Sorkende and Sanibou were attacked near Birgou.",
])
def test_where_people_came_from_or_went_to_gives_way_to_where_the_event_was(geocoder, text):
    assert _first(text, geocoder).latitude == 12.5  # Birgou


@pytest.mark.parametrize("text", [
    "Some traders protested against new taxes.",  # a sentence's first word
    "Former workers of Kelbo Gold staged a sit-in.",  # a company
])
def test_words_that_are_no_place_leave_a_protest_at_the_capital(geocoder, text):
    d = _first(text, geocoder)
    assert (d.latitude, d.longitude, d.geo_precision) == (12.65, -8.0, "country")


def test_a_unit_named_with_an_acronym_and_a_place_is_no_place(geocoder):
    d = _first("On 3 May 2024, the army (GFSN-Kelbo) executed two men in Birgou.", geocoder)
    assert d.latitude == 12.5  # Birgou


def test_such_as_puts_a_place_where_places_go(geocoder):
    d = _first("On 3 May 2024, teachers went on strike in towns such as Birgou, Kelbo and "
               "Sanibou.", geocoder)
    assert d.latitude == 12.5  # Birgou, the first named


def test_a_people_named_before_the_place_is_no_place(geocoder):
    d = _first("On 3 May 2024, Fula farmers and herders clashed in Birgou.", geocoder)
    assert d.latitude == 12.5  # Birgou, not a village called like the people


@pytest.mark.parametrize("text", [
    "On 3 May 2024, rebels claimed control over Birgou; the army fell back from Kelbo.",
    "On 3 May 2024, jets carried out air strikes over Birgou, flying in from Kelbo.",
])
def test_control_or_strikes_over_a_place_put_it_where_places_go(geocoder, text):
    assert _first(text, geocoder).latitude == 12.5  # Birgou
