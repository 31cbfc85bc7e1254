"""Rules that must not reach too far: what a place, event or actor rule leaves alone (cases
found in review, written with well-known towns)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.extraction import Report, extract
from incidents.extraction.events import find_triggers
from incidents.geocoding import Geocoder


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder()


def _drafts(text, geocoder, cc="ML"):
    return extract(Report(text, dt.date(2025, 3, 5), country=cc), geocoder)


def test_two_places_after_a_comma_are_two_events(geocoder):
    drafts = _drafts("On 3 March 2025, gunmen killed two civilians in Mopti, in Kidal three "
                     "soldiers were wounded.", geocoder)
    assert [d.location for d in drafts] == ["Mopti", "Kidal"]


@pytest.mark.parametrize("text", [
    "On 3 March 2025, the mayor of Sevare was killed by gunmen who then fled toward Konna.",
    "Le 3 mars 2025, le maire de Sévaré a été tué par des hommes armés qui ont fui vers Konna.",
])
def test_an_office_place_stays_when_the_other_is_where_the_attackers_fled(geocoder, text):
    assert "Sévaré" in _drafts(text, geocoder)[0].location


@pytest.mark.parametrize("text", [
    "On 3 March 2025, gunmen attacked a convoy, killing two soldiers. The wounded were "
    "evacuated to Mopti.",
    "Le 3 mars 2025, des hommes armés ont attaqué un convoi. Les blessés ont été évacués "
    "vers Mopti.",
    "On 3 March 2025, gunmen attacked a convoy, killing two soldiers. Soldiers from Gao were "
    "sent as reinforcements.",
])
def test_an_event_with_no_place_is_not_put_where_people_were_taken(geocoder, text):
    assert _drafts(text, geocoder)[0].latitude is None


def test_a_spelling_match_is_not_moved_to_a_place_another_sentence_names(geocoder):
    drafts = _drafts("On 3 March 2025, gunmen attacked the village of Hommbori, killing 3 "
                     "civilians. The government in Bamako condemned the attack.", geocoder)
    assert drafts[0].latitude == pytest.approx(15.28, abs=0.05)  # Hombori, not Bamako


@pytest.mark.parametrize(("text", "kinds"), [
    ("the new mayor assumed control of the town hall", []),
    ("the military takeover in Ouagadougou was announced", []),
    ("the minister lashed out at the opposition", []),
    ("residents gathered to pay tribute to the late imam", []),
    ("they had seized control of the military airport", ["battle"]),
    ("the woman was given 40 lashes", ["violence_against_civilians"]),
])
def test_event_words_in_other_senses(text, kinds):
    assert [t.kind for t in find_triggers(text, 0)] == kinds


@pytest.mark.parametrize(("text", "actor"), [
    ("Le 3 mars 2025, des affrontements intercommunautaires ont fait trois morts à Sévaré.",
     "Communal militia"),
    ("Le 3 mars 2025, des violences ethniques ont fait trois morts à Sévaré.",
     "Ethnic militia"),
])
def test_french_fights_between_unnamed_communities(geocoder, text, actor):
    assert _drafts(text, geocoder)[0].actor == actor


_GEOCODER: list[Geocoder] = []


def _shared_geocoder() -> Geocoder:
    if not _GEOCODER:
        _GEOCODER.append(Geocoder())
    return _GEOCODER[0]


@pytest.mark.parametrize("text", [
    "", "   ", "\n\n", "—", "Mopti, 3 March 2025 —", "Tamaro [", "coded as", "the mayor of",
    "on the Mopti- road", "between Mopti and", "(Koro, Mopti)", "Mopti, , , Gao and and",
    "On 31 February 2025, gunmen attacked Gao.",
])
def test_odd_reports_give_drafts_or_none_never_an_error(text):
    drafts = extract(Report(text, dt.date(2025, 3, 5)), _shared_geocoder())
    assert isinstance(drafts, list)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
               max_size=200),
       st.sampled_from(["", "Mopti, 3 March 2025 — ", "Bamako, 12 mars 2025 -- "]))
@settings(max_examples=60, deadline=None)
def test_any_text_reads_without_error(text, dateline):
    from incidents.extraction import dateline_date

    report = dateline + text
    dateline_date(report)
    assert isinstance(extract(Report(report, dt.date(2025, 3, 5)), _shared_geocoder()), list)
