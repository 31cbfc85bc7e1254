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


@pytest.mark.parametrize("text, kind", [
    ("A man accused of theft was given 40 lashes by the militants.", "violence_against_civilians"),
    ("Militants whipped two women in Tamaro.", "violence_against_civilians"),
    ("Members of the group amputated the hand of a suspected thief.",
     "violence_against_civilians"),
    ("A couple was stoned to death in front of the villagers.", "violence_against_civilians"),
    ("Soldiers beat up a trader at the market.", "violence_against_civilians"),
    ("Three soldiers beat to death a driver.", "violence_against_civilians"),
    ("Soldiers allegedly carried out torture on prisoners.", "violence_against_civilians"),
    ("They were the targets of summary executions.", "violence_against_civilians"),
    ("Des miliciens ont fouetté deux femmes.", "violence_against_civilians"),
    ("Un commerçant a été passé à tabac par des soldats.", "violence_against_civilians"),
    ("Three strong detonations were heard in the outskirts of Tamaro.", "explosion"),
])
def test_punishments_beatings_and_detonations_are_events(text, kind):
    triggers = find_triggers(text)
    assert is_event_sentence(text, triggers), text
    assert kind in {t.kind for t in triggers}, text


def test_a_report_of_a_punishment_with_no_place_gets_an_unplaced_draft():
    geocoder = Geocoder(Gazetteer([_p("gn:1", "Tamaro", "PPL", 15.2, -1.2, population=8000)]),
                        config=GeocoderConfig())
    drafts = extract(Report("On 3 May 2024, militants whipped two women for not wearing veils.",
                            dt.date(2024, 5, 5), country="ML"), geocoder)
    assert drafts and drafts[0].latitude is None
    assert drafts[0].date_start == dt.date(2024, 5, 3)


@pytest.mark.parametrize("text", [
    "Hundreds of people went to the street to support the new charter.",
    "Workers walk down to the street to ask for higher salaries.",
    "Nurses held a sit in to denounce the appointments.",
    "Traders decided to march to city hall to demand a new market.",
])
def test_ways_of_saying_a_crowd_protested_are_protests(text):
    triggers = find_triggers(text)
    assert is_event_sentence(text, triggers), text
    assert "protest_riot" in {t.kind for t in triggers}, text


def test_a_walk_down_a_street_is_no_protest():
    assert not find_triggers("The patrol went down the street to the market.")
