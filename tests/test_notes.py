"""Notes the domain writes in English are shown translated, their data unchanged."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from incidents.geocoding.gazetteer import load_gazetteer
from incidents.geocoding.resolver import OfflineResolver
from incidents.notes import NOTE_TEMPLATES, translate_note


@pytest.mark.parametrize("template", NOTE_TEMPLATES)
def test_every_note_template_comes_back_in_french_with_its_data(template):
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    values = {name: f"«{name.upper()}-value»" for name in fields}
    note = template.format(**values)
    french = translate_note(note, "fr")
    assert french != note
    for value in values.values():
        assert value in french
    assert translate_note(note, "en") == note


def test_an_unknown_note_is_shown_as_written():
    assert translate_note("something new the geocoder says", "fr") == \
        "something new the geocoder says"


@pytest.mark.parametrize("query", [
    "Tombouctouu",  # a similar spelling
    "Bomako",  # a typo of a city
    "20 km au nord de Gao",  # an offset from another place
    "à 30 km de Gao",  # an offset in no direction
    "entre Gao et Xqzvw",  # between two places, one unknown
    "entre Gao et Bourem",  # the midpoint of two places
    "Xqzvw",  # nothing known
    "Gao, Kidal region",  # not known inside the area named
    "Sana",  # a namesake abroad set aside for the hinted country
    "Talataye",  # a commune's name read as its seat, spelled a little differently
])
def test_notes_the_resolver_writes_have_a_template(query):
    result = OfflineResolver(load_gazetteer()).resolve(query, "ML")
    assert result.notes, query
    for note in result.notes:
        assert translate_note(note, "fr") != note, note


def _generic_csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode("utf-8")


def test_reasons_the_readers_write_have_a_template():
    from incidents.readers.acled import read_acled
    from incidents.readers.generic import read_generic
    from incidents.readers.gtd import read_gtd
    from incidents.readers.ucdp import read_ucdp
    from tests.conftest import FIXTURES

    results = [
        read_acled((FIXTURES / "acled_hdx_31col.csv").read_bytes(), "acled_hdx_31col.csv"),
        read_gtd((FIXTURES / "gtd_sample_cp1252.csv").read_bytes(), "gtd_sample_cp1252.csv"),
        read_ucdp(FIXTURES / "ucdp_web.csv"),
        read_generic(_generic_csv([
            ["date", "lat", "lon", "morts", "fin"],
            ["", "1", "1", "1", ""], ["2024-01-01", "95", "1", "1", ""],
            ["2024-01-01", "1", "", "1", ""], ["2024-01-01", "nord", "1", "1", ""],
            ["2024-01-01", "1", "1", "-2", ""], ["2024-13-45", "1", "1", "2", ""],
            ["2024-01-01", "1", "1", "2", "x"], ["2024-01-01", "1", "1", "2", "x", "extra"],
        ]), "x.csv"),
    ]
    reasons = [r.reason for result in results for r in result.rejected]
    assert len(reasons) >= 12
    untranslated = [r for r in reasons if translate_note(r, "fr") == r]
    assert not untranslated, untranslated


@pytest.mark.parametrize("text", [
    "Teachers went on strike to demand unpaid salaries.",  # a protest told with no place
    "Traders protested at the Xqzvw roundabout over new taxes.",  # at a place nobody knows
    "On 3 May 2024, gunmen attacked herders between Douna and Mondoro.",  # a namesake near
    "On 3 May 2024, gunmen ambushed a truck on the Sevare-Bandiagara road.",  # a road's end
])
def test_notes_the_extractor_writes_have_a_template(text):
    from incidents.extraction import Report, extract
    from incidents.geocoding import Geocoder

    drafts = extract(Report(text, dt.date(2024, 5, 5), country="ML"), Geocoder())
    notes = [n for d in drafts for n in d.notes]
    assert notes, text
    for note in notes:
        assert translate_note(note, "fr") != note, note
