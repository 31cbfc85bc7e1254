"""Event words of ``incidents.extraction.events``: which words tell an event, of what type."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.extraction import Report, extract
from incidents.extraction.events import find_triggers, is_event_sentence
from incidents.geocoding import Gazetteer, Geocoder, GeocoderConfig
from tests.extraction.test_places import _p


@pytest.mark.parametrize("text", [
    "Rebel forces overtake Tamaro.",
    "Rebels overtook the town of Tamaro.",
    "Government troops recapture Tamaro.",
    "The army retook Tamaro from the militants.",
    "Soldiers launched an offensive to retake Tamaro.",
    "The militia seized control of Tamaro.",
    "Rebel fighters gain control of another northern town.",
    "Militants left Tamaro after a takeover by the rebels.",
    "L'armée a repris Tamaro aux rebelles.",
    "Les rebelles ont pris le contrôle de Tamaro.",
    "Les jihadistes se sont emparés de Tamaro.",
])
def test_a_place_taken_or_taken_back_is_a_battle(text):
    triggers = find_triggers(text)
    assert is_event_sentence(text, triggers), text
    assert "battle" in {t.kind for t in triggers}, text


@pytest.mark.parametrize("text", [
    "The president regains confidence in his minister.",  # no place taken
    "Traders took their goods to the market.",
    "Les enseignants ont repris les cours lundi.",  # resumed, not retook
])
def test_words_near_a_taking_tell_no_event(text):
    assert not is_event_sentence(text, find_triggers(text))


def test_a_report_of_a_town_taken_gets_a_draft_there():
    geocoder = Geocoder(Gazetteer([_p("gn:1", "Tamaro", "PPL", 15.2, -1.2, population=8000)]),
                        config=GeocoderConfig())
    drafts = extract(Report("Rebel forces overtake Tamaro.", dt.date(2024, 5, 5),
                            country="ML"), geocoder)
    assert drafts and (drafts[0].latitude, drafts[0].event_type) == (15.2, "battle")
