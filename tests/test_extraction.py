"""Report extraction on fixture reports written for the tests (English and French)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from incidents.extraction import Report, extract, read_report_file
from incidents.extraction.actors import canonical_group
from incidents.extraction.claims import toll_of
from incidents.extraction.dates import find_dates
from incidents.extraction.merge import merge_drafts, save_drafts
from incidents.extraction.model import DRAFT_JSON_KEYS
from incidents.geocoding import Geocoder

REPORTS = Path(__file__).parent / "fixtures" / "reports"


@pytest.fixture(scope="module")
def geocoder():
    return Geocoder()


def _read(name: str, published: str, geocoder, **kw):
    text = (REPORTS / name).read_text(encoding="utf-8")
    return extract(Report(text, dt.date.fromisoformat(published), **kw), geocoder)


def test_english_report(geocoder):
    drafts = _read("sevare_en.txt", "2025-03-03", geocoder)
    assert len(drafts) == 1
    d = drafts[0]
    assert d.date_start == d.date_end == dt.date(2025, 3, 2)  # not the dateline's day
    assert "Sévaré" in d.location and d.latitude == pytest.approx(14.53, abs=0.1)
    assert d.actor == "JNIM" and d.event_type == "attack"
    claimants = {c.claimant: c for c in d.claims}
    assert claimants["Malian authorities"].killed_low == 5
    assert claimants["JNIM"].killed_low is None  # "dozens" is no number
    assert d.fatalities_best == 5
    assert set(d.to_json()) == set(DRAFT_JSON_KEYS)


def test_french_report_two_attacks(geocoder):
    drafts = _read("kati_fr.txt", "2025-03-12", geocoder)
    assert len(drafts) == 2
    kati, segou = drafts
    assert kati.date_start == dt.date(2025, 3, 11)  # "mardi dernier"
    assert kati.actor == "JNIM"  # "revendiquée par le GSIM"
    assert kati.fatalities_best == 3
    assert any(c.claimant == "Malian authorities" for c in kati.claims)
    assert segou.geo_precision == "site" and "Ségou" in segou.location
    assert segou.fatalities_best == 0  # "pas eu de victimes" is a stated zero
    assert any(c.claimant == "Eyewitnesses" for c in segou.claims)


def test_disagreeing_sources_leave_fatalities_unknown(geocoder):
    text = ("On 4 May 2024, gunmen attacked the market of Kati. The army said two people "
            "were killed, while residents said seven people were killed.")
    (d,) = extract(Report(text, dt.date(2024, 5, 6), country="ML"), geocoder)
    assert d.fatalities_best is None
    assert {c.killed_low for c in d.claims} == {2, 7}


def test_no_event_no_draft(geocoder):
    text = "The minister visited Bamako on 3 May 2024 to open a new school."
    assert extract(Report(text, dt.date(2024, 5, 6)), geocoder) == []


def test_merge_two_reports_and_save(geocoder, tmp_path):
    a = _read("sevare_en.txt", "2025-03-03", geocoder, publisher="Paper A")
    text = ("Attaque à Sévaré\n\nSévaré, 4 mars 2025 — Le camp militaire de Sévaré a été attaqué dimanche par le "
            "GSIM, selon des témoins qui parlent de nombreux morts.")
    b = extract(Report(text, dt.date(2025, 3, 4), publisher="Journal B"), geocoder)
    merged = merge_drafts(a + b)
    assert len(merged) == 1
    assert {s.publisher for s in merged[0].sources} == {"Paper A", "Journal B"}
    assert {"Eyewitnesses", "Malian authorities", "JNIM"} <= {c.claimant for c in merged[0].claims}
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    first = save_drafts(engine, a)
    assert len(first.inserted) == 1
    again = save_drafts(engine, b)  # the same attack: completes the stored incident
    assert again.merged == first.inserted and not again.inserted
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT sources, claims FROM incidents WHERE incident_id = "
                                   ":i"), {"i": first.inserted[0]}).one()
    assert len(json.loads(row.sources)) == 2
    assert save_drafts(engine, b).unchanged == first.inserted  # nothing new the second time


@pytest.mark.parametrize(("text", "low", "high"), [
    ("killed one customs officer and wounded five others", 1, 1),
    ("at least 12 civilians were killed", 12, None),
    ("12 morts et 5 blessés", 12, 12),
    ("claimed to have killed dozens of soldiers", None, None),
    ("No casualties were reported.", 0, 0),
    ("3 soldiers were wounded", None, None),
])
def test_toll(text, low, high):
    toll = toll_of(text)
    assert (toll.low, toll.high) == (low, high)


@pytest.mark.parametrize(("text", "day"), [
    ("the attack carried out yesterday in Gao", dt.date(2024, 9, 17)),
    ("mardi dernier à Gao", dt.date(2024, 9, 17)),
    ("On 30 December, gunmen", dt.date(2023, 12, 30)),
    ("le 17 septembre 2024", dt.date(2024, 9, 17)),
])
def test_dates(text, day):
    (found,) = find_dates(text, dt.date(2024, 9, 18))
    assert found.date_start == day


@pytest.mark.parametrize(("name", "group"), [
    ("JNIM: Group for Support of Islam and Muslims", "JNIM"),
    ("Jama'at Nusrat al-Islam wal-Muslimin", "JNIM"),
    ("GSIM", "JNIM"),
    ("EIGS", "Islamic State Sahel"),
    ("Islamic State (Greater Sahara)", "Islamic State Sahel"),
    ("FAMa", "Military Forces of Mali"),
    ("Malian armed forces", "Military Forces of Mali"),
])
def test_aliases(name, group):
    assert canonical_group(name) == group


def test_html_report_is_read_as_text():
    raw = b"<html><head><title>T</title><script>x()</script></head><body><p>A &amp; B</p></body>"
    text, title = read_report_file(raw, "r.html")
    assert text == "A & B" and title == "T"


def test_cli_json_and_batch(tmp_path, capsys, monkeypatch):
    from incidents.cli import main

    monkeypatch.setenv("INCIDENTS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    assert main(["extract", str(REPORTS / "sevare_en.txt"), "--published", "2025-03-03",
                 "--json"]) == 0
    drafts = json.loads(capsys.readouterr().out)
    assert list(drafts[0]) == list(DRAFT_JSON_KEYS)
    batch = tmp_path / "b.csv"
    batch.write_text('text,published\n"Gunmen attacked the market of Kati on 4 May 2024.",'
                     "2024-05-06\n,2024-05-06\n", encoding="utf-8")
    main(["extract", "--batch", str(batch)])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["row"] for x in lines] == [1, 2]
    assert lines[0]["drafts"] and lines[1]["drafts"] == []
