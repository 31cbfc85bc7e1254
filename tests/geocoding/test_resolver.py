"""Offline geocoding: normalisation, the shipped gazetteer, the resolver, corrections, the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.cli import main as cli_main
from incidents.db import get_engine
from incidents.errors import GazetteerError, GeocodingError
from incidents.geocoding import (
    DEFAULT_GAZETTEER,
    Gazetteer,
    Geocoder,
    GeocoderConfig,
    OfflineResolver,
    Place,
    geocode_batch,
    haversine_km,
    load_gazetteer,
    normalize,
    parse_query,
    precision_of,
    read_user_places,
)
from incidents.geocoding.gazetteer import write_gazetteer
from incidents.geocoding.normalize import name_keys, skeleton
from incidents.schema import GEO_PRECISIONS
from incidents.store import ensure_schema

ROOT = Path(__file__).resolve().parents[2]


# -- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> Gazetteer:
    """The gazetteer shipped under data/gazetteer (loaded once for the module)."""
    return load_gazetteer()


@pytest.fixture(scope="module")
def resolver(shipped) -> OfflineResolver:
    return OfflineResolver(shipped)


def _place(pid, name, fclass, code, cc, lat, lon, admin1="01", population=0, city="", **kw):
    return Place(pid=pid, name=name, fclass=fclass, code=code, cc=cc, admin1=admin1, lat=lat,
                 lon=lon, population=population, city=city, keys=name_keys(name, code), **kw)


@pytest.fixture()
def tiny() -> Gazetteer:
    """A hand-made gazetteer: a capital with a quarter, a namesake village, a region, a port."""
    return Gazetteer([
        _place("gn:1", "Capitalia", "P", "PPLC", "ML", 12.65, -8.0, population=1_000_000),
        _place("gn:2", "Quartierville", "P", "PPL", "ML", 12.60, -7.95, city="gn:1"),
        _place("gn:3", "Quartierville", "P", "PPL", "ML", 13.10, -8.40, admin1="07"),
        _place("gn:4", "Nordland Region", "A", "ADM1", "ML", 18.0, 1.0, admin1="10"),
        _place("gn:5", "Nordland", "P", "PPLA", "ML", 18.4, 1.4, admin1="10", population=20000),
        _place("gn:6", "Republic of Mali", "A", "PCLI", "ML", 18.0, -2.0, admin1="00"),
        Place(pid="ap:XXXX", name="Capitalia International Airport", fclass="S", code="AIRP",
              cc="ML", lat=12.53, lon=-7.95, size=3,
              keys=name_keys("Capitalia International Airport", "AIRP"),
              served=("capitalia",)),
    ])


@pytest.fixture()
def engine(tmp_path):
    eng = get_engine("sqlite:///" + str(tmp_path / "geo.sqlite"))
    ensure_schema(eng)
    yield eng
    eng.dispose()


# -- normalisation --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ségou", "segou"),
        ("SEGOU", "segou"),
        ("Tillabéri region", "tillaberi region"),
        ("l'aéroport de Gao", "l aeroport de gao"),
        ("N'Guigmi", "nguigmi"),
        ("Bamako–Sénou", "bamako senou"),
        ("Niamey's airport", "niamey airport"),
        ("  Faladié,\tBamako ", "faladie bamako"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@given(st.text(max_size=40))
def test_normalize_is_idempotent_ascii(text):
    folded = normalize(text)
    assert folded == normalize(folded)
    assert folded.isascii()
    assert "  " not in folded


def test_name_keys_drop_kind_words():
    assert name_keys("Province du Soum", "ADM2") == ("province du soum", "soum")
    assert name_keys("Kati Cercle", "ADM2")[1] == "kati"
    assert "bamako senou" in name_keys("Bamako–Sénou International Airport", "AIRP")


def test_skeleton_folds_spelling_variants():
    assert skeleton("diabaly") == skeleton("diabali")
    assert skeleton("banibangou") == skeleton("bani bangou")
    assert skeleton("ouagadougou") == skeleton("wagadugu")


# -- the shipped gazetteer -----------------------------------------------------------------------

def test_shipped_gazetteer_is_small_and_complete(shipped):
    assert DEFAULT_GAZETTEER.stat().st_size < 8_000_000
    assert len(shipped) > 100_000
    for key in ("tombouctou", "timbuktu", "faladie", "ouagadougou", "niamey", "paris"):
        assert shipped.lookup(key), key
    # Tombouctou = Timbuktu: the alternate name leads to the same place.
    assert set(shipped.lookup("tombouctou")) & set(shipped.lookup("timbuktu"))
    assert (ROOT / "data" / "gazetteer" / "README.md").exists()


def test_gazetteer_round_trip(tmp_path, tiny):
    path = tmp_path / "g.tsv.gz"
    write_gazetteer((tiny.place(i) for i in range(len(tiny))), path)
    again = load_gazetteer(path)
    assert len(again) == len(tiny)
    assert again.place(1) == tiny.place(1)
    assert again.city_row(1) == 0


def test_bad_gazetteer_file_raises(tmp_path):
    path = tmp_path / "bad.tsv.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(GazetteerError):
        load_gazetteer(path)


# -- the acceptance queries -------------------------------------------------------------

def test_seed_event_gendarmerie_school_in_faladie(resolver):
    result = resolver.resolve("gendarmerie school in the Faladié district of Bamako", "ML")
    assert result.geo_precision == "neighbourhood"
    assert haversine_km(result.latitude, result.longitude, 12.5947, -7.9471) <= 1.5
    assert result.geocoder == "gazetteer"
    assert result.candidates  # the other Faladiés are reported as runner-ups


@pytest.mark.parametrize(
    "query", ["Bamako-Sénou airport", "the airport military zone at Bamako-Sénou",
              "Bamako airport", "aéroport de Bamako-Sénou"],
)
def test_seed_event_airport(resolver, query):
    result = resolver.resolve(query, "ML")
    assert result.geo_precision == "site"
    assert result.geocoder == "airport"
    assert haversine_km(result.latitude, result.longitude, 12.5335, -7.9499) <= 2.0


@pytest.mark.parametrize(
    ("query", "country", "lat", "lon", "precision"),
    [
        ("Kati", "ML", 12.744, -8.073, "town"),
        ("Tombouctou", "ML", 16.773, -3.007, "town"),
        ("Kidal region", "ML", 19.4, 1.2, "admin1"),
        ("Tillabéri region", "NE", 14.33, 2.08, "admin1"),
        ("région de l'Est", "BF", 12.06, 0.36, "admin1"),
        ("Soum province", "BF", 14.33, -1.25, "admin2"),
        ("Faladié, Bamako", "ML", 12.5947, -7.9471, "neighbourhood"),
        ("Boni, Mali", None, 15.0766, -2.2198, "town"),
        ("Boni, Burkina Faso", None, 11.5667, -3.4, "town"),
        ("Abala, Tillabéri region", "NE", 14.9369, 3.4336, "town"),
        ("Aguelhok", "ML", 19.4614, 0.8589, "town"),  # the town, not the well
        ("Niamey airport", "NE", 13.4815, 2.1836, "site"),
        ("Burkina Faso", None, 12.5, -1.667, "country"),
        ("Diabaly", "ML", 14.69, -6.02, "town"),  # spelling variant of Diabali
    ],
)
def test_resolver_reads_context(resolver, query, country, lat, lon, precision):
    result = resolver.resolve(query, country)
    assert result.geo_precision == precision, result
    assert haversine_km(result.latitude, result.longitude, lat, lon) < 5, result


def test_unknown_place_is_a_miss_not_zero_zero(resolver):
    result = resolver.resolve("Qwxzvb Plonk", "ML")
    assert not result.found
    assert result.latitude is None and result.longitude is None
    assert result.geocoder == "none" and result.confidence == 0


def test_unknown_child_falls_back_to_parent_area_honestly(resolver):
    result = resolver.resolve("Qwxzvbou, Mopti region", "ML")
    assert result.found and result.geo_precision == "admin1"
    assert result.confidence < 0.6 and result.notes


def test_relative_position_is_coarsened(resolver):
    result = resolver.resolve("20 km north of Gao", "ML")
    assert result.geo_precision == "admin2"


# -- rules on a hand-made gazetteer ----------------------------------------------------------------

def test_parent_picks_the_quarter_inside_the_city(tiny):
    result = OfflineResolver(tiny).resolve("Quartierville, Capitalia")
    assert result.place_id == "gn:2"
    assert result.geo_precision == "neighbourhood"


def test_region_word_prefers_the_admin_area(tiny):
    resolver = OfflineResolver(tiny)
    assert resolver.resolve("Nordland").place_id == "gn:5"
    region = resolver.resolve("Nordland region")
    assert region.place_id == "gn:4" and region.geo_precision == "admin1"


def test_airport_word_finds_the_airport_serving_a_town(tiny):
    result = OfflineResolver(tiny).resolve("Capitalia airport")
    assert result.place_id == "ap:XXXX" and result.geo_precision == "site"
    assert OfflineResolver(tiny).resolve("Capitalia").place_id == "gn:1"


def test_parse_query_attaches_kind_words(tiny):
    parsed = parse_query("the Quartierville district of Capitalia", tiny)
    keys = [(m.key, set(m.kinds)) for m in parsed.mentions]
    assert keys == [("quartierville", {"neighbourhood"}), ("capitalia", set())]


@pytest.mark.parametrize(
    ("fclass", "code", "in_city", "expected"),
    [("S", "AIRP", False, "site"), ("P", "PPLX", False, "neighbourhood"),
     ("P", "PPL", True, "neighbourhood"), ("P", "PPL", False, "town"),
     ("P", "PPLA", True, "town"), ("A", "ADM2", False, "admin2"),
     ("A", "ADM3", False, "admin2"), ("A", "ADM1", False, "admin1"),
     ("A", "PCLI", False, "country")],
)
def test_precision_of(fclass, code, in_city, expected):
    assert precision_of(fclass, code, in_city) == expected
    assert expected in GEO_PRECISIONS


def test_user_places_take_precedence(tmp_path, tiny):
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text(
        "name,latitude,longitude,type,country\nQuartierville,12.0,-9.0,neighbourhood,ML\n",
        encoding="utf-8",
    )
    tiny.extend(read_user_places(csv_path))
    result = OfflineResolver(tiny).resolve("Quartierville", "ML")
    assert (result.latitude, result.longitude) == (12.0, -9.0)
    assert result.place_id.startswith("user:") and result.geo_precision == "neighbourhood"


def test_user_places_reject_bad_rows(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,latitude,longitude,type,country\nX,abc,1,town,ML\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad\.csv:2"):
        read_user_places(bad)


# -- the Geocoder: corrections and batches ---------------------------------------------------------

def test_manual_correction_wins_from_then_on(engine, tiny):
    geocoder = Geocoder(tiny, engine=engine)
    assert geocoder.resolve("Quartierville, Capitalia").geocoder == "gazetteer"
    geocoder.correct("Quartierville, Capitalia", None, 12.61, -7.96, "site", "Gendarmerie")
    again = Geocoder(tiny, engine=engine).resolve("quartierville,  CAPITALIA", "ML")
    assert again.geocoder == "manual"
    assert (again.latitude, again.longitude, again.geo_precision) == (12.61, -7.96, "site")
    assert geocoder.corrections()[0]["matched_name"] == "Gendarmerie"
    assert geocoder.forget_correction("Quartierville, Capitalia", None)
    assert geocoder.resolve("Quartierville, Capitalia").geocoder == "gazetteer"


def test_correction_validates_precision(engine, tiny):
    with pytest.raises(GeocodingError):
        Geocoder(tiny, engine=engine).correct("x", None, 1.0, 1.0, "street")


def test_geocode_batch_reports_progress_and_keeps_order(tiny):
    seen = []
    results = geocode_batch(
        Geocoder(tiny, config=GeocoderConfig()),
        [("Capitalia", "ML"), ("Nowhere At All", None), ("Capitalia", "ML")],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [r.found for r in results] == [True, False, True]
    assert seen == [(1, 3), (2, 3), (3, 3)]


# -- the command line --------------------------------------------------------------------------

def test_cli_geocode_json(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("INCIDENTS_GEOCODER", raising=False)
    url = "sqlite:///" + str(tmp_path / "cli.sqlite")
    code = cli_main(["--database-url", url, "geocode", "Bamako-Sénou airport", "--country",
                     "ML", "--offline", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    for field in ("latitude", "longitude", "geo_precision", "matched_name", "geocoder",
                  "confidence", "candidates"):
        assert field in out
    assert out["geo_precision"] == "site" and out["geocoder"] == "airport"


def test_cli_batch(tmp_path, monkeypatch):
    monkeypatch.delenv("INCIDENTS_GEOCODER", raising=False)
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("query,country,note\nKati,ML,a\nQwxzvb Plonk,,b\nKidal region,ML,c\n",
                   encoding="utf-8")
    url = "sqlite:///" + str(tmp_path / "cli.sqlite")
    code = cli_main(["--database-url", url, "geocode", "--batch", str(src), "--out", str(dst),
                     "--offline"])
    assert code == 0
    with open(dst, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["note"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["geo_precision"] == "town" and float(rows[0]["latitude"]) > 12
    assert rows[1]["latitude"] == "" and rows[1]["longitude"] == ""  # never 0,0
    assert rows[1]["geocoder"] == "none"
    assert rows[2]["geo_precision"] == "admin1"


def test_cli_requires_query_or_batch(tmp_path, capsys):
    url = "sqlite:///" + str(tmp_path / "cli.sqlite")
    assert cli_main(["--database-url", url, "geocode"]) == 2


@pytest.mark.parametrize("query,hint", [("Paris", "ML"), ("Dallas", "NE")])
def test_a_match_outside_the_hinted_country_is_not_an_answer(query, hint):
    from incidents.geocoding import OfflineResolver, load_gazetteer

    result = OfflineResolver(load_gazetteer()).resolve(query, hint)
    assert not result.found and result.latitude is None
    assert result.candidates and result.candidates[0].country != hint
    assert "not in" in result.notes[0]


def test_a_country_named_in_the_text_overrides_the_hint():
    from incidents.geocoding import OfflineResolver, load_gazetteer

    result = OfflineResolver(load_gazetteer()).resolve("Abidjan, Côte d'Ivoire", "ML")
    assert result.found and result.country == "CI"
