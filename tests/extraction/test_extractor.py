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

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"


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
    ("On Wednesday morning, gunmen", dt.date(2024, 9, 18)),  # the paper's own day
    ("last Wednesday, gunmen", dt.date(2024, 9, 11)),
    ("On Monday, gunmen", dt.date(2024, 9, 16)),
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
    ("Islamic State (West Africa)", "ISWAP"),
    ("Islamic State (West Africa) - Greater Sahara Faction", "Islamic State Sahel"),
    ("Islamic State", "Islamic State"),
    ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Boko Haram"),
    ("Police Forces of Niger (2011-)", "Military Forces of Niger"),
    ("Katiba Serma", "Katiba Serma"),
    ("Malian armed forces", "Military Forces of Mali"),
    # a community's armed men, as the coding projects name them
    ("Fulani Ethnic Militia (Mali)", "Fulani militia"),
    ("Kounta Ethnic Militia (Mali)", "Ethnic militia"),
    ("Kaya Communal Militia (Burkina Faso)", "Communal militia"),
    ("Dozo Communal Militia (Mali)", "Dozo militia"),
    ("Tuareg rebels", "MNLA"),
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


def test_founding_style_reports_merge_into_the_bundled_incidents(geocoder):
    """Two reports of the 17 September 2024 Bamako attacks (own texts, written for the
    test), read against the bundled store: each attack is found once, placed at the
    stored site, with both reports as sources and every claimant attributed."""
    from incidents.bundled import read_seed
    from incidents.extraction import KnownSites
    from incidents.extraction.merge import find_in_store

    store = read_seed()
    sites = KnownSites.from_frame(store)
    drafts = [extract(Report(REPORTS.joinpath(n).read_text(encoding="utf-8"),
                             dt.date.fromisoformat(day), publisher=pub), geocoder,
                      known_actors=store["actor"], known_sites=sites)
              for n, day, pub in (("bamako_wire_en.txt", "2024-09-18", "Wire A"),
                                  ("bamako_daily_en.txt", "2024-09-17", "Daily B"))]
    drafts = drafts[0] + drafts[1]
    assert len(drafts) == 4
    assert all(d.date_start == d.date_end == dt.date(2024, 9, 17) for d in drafts)
    assert all(d.actor == "JNIM" and d.fatalities_best is None for d in drafts)
    merged = merge_drafts(drafts)
    assert len(merged) == 2
    ids = {find_in_store(d, store) for d in merged}
    assert ids == set(store["incident_id"])
    for d in merged:
        assert {s.publisher for s in d.sources} == {"Wire A", "Daily B"}
        assert {"Malian authorities", "JNIM", "Eyewitnesses"} <= {c.claimant for c in d.claims}
    airport = next(d for d in merged if d.geo_precision == "site")
    assert airport.latitude == pytest.approx(12.5335, abs=0.02)
    school = next(d for d in merged if d.geo_precision == "neighbourhood")
    assert school.latitude == pytest.approx(12.5947, abs=0.015)


@pytest.mark.parametrize(("text", "actor"), [
    ("On 3 May 2024, two Malian soldiers were killed when their vehicle struck an IED near "
     "Boni.", "Unidentified armed group"),
    ("On 3 May 2024, a MINUSMA convoy was ambushed by JNIM militants near Boni.", "JNIM"),
    ("On 3 May 2024, the Malian army killed two militants near Boni.",
     "Military Forces of Mali"),
    ("On 3 May 2024, residents of Boni protested peacefully against insecurity.", "Protesters"),
    ("On 3 May 2024, angry residents of Boni burned tyres and blocked the main road.",
     "Rioters"),
    ("On 3 May 2024, unknown gunmen opened fire on the police station in Boni; the attack "
     "was repelled by the police.", "Unidentified armed group"),
    ("On 3 May 2024, a bus struck an IED near Boni. The device was likely planted by JNIM "
     "militants.", "JNIM"),
    ("On 3 May 2024, a JNIM suicide bomber detonated a car bomb against an army convoy near "
     "Boni.", "JNIM"),
    ("On 3 May 2024, armed Peul men attacked the village of Boni.", "Fulani militia"),
    ("On 3 May 2024, teachers in Boni went on strike to demand their salaries.", "Protesters"),
    ("On 3 May 2024, suspected JNIM militants looted shops in Boni.", "JNIM"),  # no attack word
    ("On 3 May 2024, clashes were reported between the Malian army and unknown gunmen near "
     "Boni.", "Military Forces of Mali"),
    ("On 3 May 2024, fighting broke out between gunmen and the Malian army near Boni.",
     "Unidentified armed group"),
])
def test_perpetrator(geocoder, text, actor):
    (d,) = extract(Report(text, dt.date(2024, 5, 5), country="ML"), geocoder)
    assert d.actor == actor


def test_between_and_near_are_placed_at_the_first_place(geocoder):
    (d,) = extract(Report("On 3 May 2024, gunmen ambushed a bus between Boni and Douentza "
                          "(Douentza, Mopti).", dt.date(2024, 5, 5), country="ML"), geocoder)
    assert d.latitude == pytest.approx(15.08, abs=0.1)  # Boni, not the midpoint or Douentza
    assert any("between" in n for n in d.notes)


@pytest.mark.parametrize(("text", "lat"), [
    ("Des manifestants ont brûlé des pneus dans la capitale.", 12.65),  # Bamako
    ("Tuareg rebels raided Tessalit and seized two vehicles.", 20.2),  # no cue word
])
def test_places_without_a_cue(geocoder, text, lat):
    (d,) = extract(Report(text, dt.date(2024, 5, 5), country="ML"), geocoder)
    assert d.latitude == pytest.approx(lat, abs=0.2)


@pytest.mark.parametrize(("text", "lat"), [
    # the report says which place stands for the event
    ("On 3 May 2024, gunmen attacked the villages of Hombori and Boni (coded as Boni).", 15.08),
    # a calendar word after a place, a person and an organisation are no places
    ("On 3 May 2024, protesters marched in Bamako Friday over the death of Amadou Coulibaly.",
     12.65),
    ("On 3 May 2024, staff of the Institute of Geography held a sit-in in Kati.", 12.74),
    # "a" is the English article here, not the French "à"
    ("On 3 May 2024, gunmen killed a Boni councilman in the village of Hombori.", 15.28),
])
def test_which_name_is_the_place(geocoder, text, lat):
    d = extract(Report(text, dt.date(2024, 5, 5), country="ML"), geocoder)[0]
    assert d.latitude == pytest.approx(lat, abs=0.1)


@pytest.mark.parametrize(
    ("text", "country", "claimant"),
    [
        # the state whose forces the claim names, whatever the report's country
        ("On 2 March 2025 JNIM militants attacked a post near Ayorou. The Nigerien army said "
         "four soldiers were killed.", "ML", "Nigerien authorities"),
        # no state named: the report's country, from the one table of country forms
        ("On 2 March 2025 gunmen attacked a market in Abeche. Officials said three people "
         "were killed.", "TD", "Chadian authorities"),
        # a country the forms table does not know: no adjective is made up
        ("On 2 March 2025 gunmen attacked a market in Lilongwe. Officials said three people "
         "were killed.", "MW", "Authorities"),
    ],
)
def test_authorities_named_by_their_country(geocoder, text, country, claimant):
    drafts = extract(Report(text, dt.date(2025, 3, 4), country=country), geocoder)
    assert claimant in {c.claimant for d in drafts for c in d.claims}


DATELINED = ("Mali : attaque près de Kati\n\n"
             "Bamako, 12 mars 2025 — Des hommes armés ont attaqué hier le camp militaire de "
             "Kati, a indiqué l'armée.")


def test_relative_dates_count_from_the_dateline_not_from_a_later_publication(geocoder):
    from incidents.extraction import dateline_date

    assert dateline_date(DATELINED) == dt.date(2025, 3, 12)
    # one paragraph (an HTML page's body) has its dateline too, with an ASCII dash as well
    assert dateline_date(DATELINED.split("\n")[-1]) == dt.date(2025, 3, 12)
    assert dateline_date("Mopti, 3 March 2025 -- Gunmen attacked the camp.") == dt.date(2025, 3, 3)
    # a date in the story is no dateline
    assert dateline_date("Attack near Kati\n\nGunmen attacked the camp on 3 May 2024.") is None
    assert dateline_date("On 3 May 2024, gunmen attacked the camp of Kati.") is None
    drafts = extract(Report(DATELINED, dt.date(2026, 11, 30)), geocoder)
    assert (drafts[0].date_start, drafts[0].date_end) == (dt.date(2025, 3, 11),) * 2
    assert drafts[0].sources[0].date == "2026-11-30"  # the source keeps the day given
    # a dateline after the publication day given is not trusted over it
    drafts = extract(Report(DATELINED, dt.date(2025, 3, 5)), geocoder)
    assert drafts[0].date_start == dt.date(2025, 3, 4)


def test_cli_without_published_dates_the_report_by_its_dateline(tmp_path, capsys, monkeypatch):
    from incidents.cli import main

    monkeypatch.setenv("INCIDENTS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    report = tmp_path / "kati.txt"
    report.write_text(DATELINED, encoding="utf-8")
    assert main(["extract", str(report)]) == 0
    captured = capsys.readouterr()
    assert "dateline (2025-03-12)" in captured.err
    assert "2025-03-11" in captured.out
    assert main(["extract", str(report), "--json"]) == 0
    drafts = json.loads(capsys.readouterr().out)
    assert drafts[0]["date_start"] == "2025-03-11"
    assert drafts[0]["sources"][0]["date"] == "2025-03-12"


def test_a_dateline_without_its_year_dates_nothing():
    from incidents.extraction import dateline_date

    assert dateline_date(DATELINED.replace(" 2025", "")) is None
