"""Importer: row accounting, duplicates, one transaction, geocoding seam, mappings, CLI."""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

import pandas as pd
import pytest
import sqlalchemy as sa

from incidents import cli, importer
from incidents.db import get_engine
from incidents.errors import ReaderError, StoreError
from incidents.importer import (
    ImportReport,
    import_file,
    preview_file,
    remember_mapping,
    remembered_mapping,
)
from incidents.store import data_version, ensure_schema, incidents_table, read_incidents
from tests.conftest import FIXTURES

NOW = dt.datetime(2024, 10, 1, 12, 0, 0)
FR = FIXTURES / "generic_fr_semicolon_cp1252.csv"


@dataclass(frozen=True)
class FakeResult:
    latitude: float | None
    longitude: float | None
    geo_precision: str | None
    geocoder: str = "gazetteer"
    confidence: float = 0.9
    country: str | None = None


PLACES = {
    "faladie": (12.59469, -7.94706, "neighbourhood"),
    "senou": (12.5207, -7.9293, "neighbourhood"),
    "hamdallaye": (12.64589, -8.03427, "neighbourhood"),
    "djibo": (14.0994, -1.62554, "town"),
    "menaka": (15.9182, 2.4022, "town"),
    "tillaberi": (14.20711, 1.45418, "town"),
    "kati": (12.74409, -8.07257, "town"),
}


class FakeGeocoder:
    """Knows a few places by their first word; records its queries."""

    def __init__(self):
        self.queries = []

    def __call__(self, query, country):
        from incidents.readers.generic import normalize_text

        self.queries.append((query, country))
        hit = PLACES.get(normalize_text(query).split(" ")[0])
        if hit is None:
            return FakeResult(None, None, None, "none", 0.0)
        return FakeResult(*hit)


@pytest.fixture
def engine(db_url):
    eng = get_engine(db_url)
    ensure_schema(eng)
    yield eng
    eng.dispose()


def run(engine, path=FR, **kw):
    kw.setdefault("geocoder", FakeGeocoder())
    kw.setdefault("clock", lambda: NOW)
    return import_file(path, engine, **kw)


def accounted(report: ImportReport) -> bool:
    return report.imported + report.duplicates + report.rejected == report.total


def test_french_spreadsheet_lands_at_the_right_places(engine):
    report = run(engine)
    assert (report.format, report.total, report.imported, report.duplicates, report.rejected) \
        == ("generic", 9, 7, 1, 1)
    assert report.errors[0].row == 7 and "22/13/2024" in report.errors[0].reason
    assert report.duplicate_rows[0].row == 9 and "row 4" in report.duplicate_rows[0].reason
    assert (report.geocoded, report.not_mapped) == (6, 1)
    stored = read_incidents(engine).set_index("location")
    assert len(stored) == 7
    for place, (lat, lon, precision) in {"Faladié, Bamako": PLACES["faladie"],
                                         "Djibo": PLACES["djibo"],
                                         "Tillabéri": PLACES["tillaberi"]}.items():
        row = stored.loc[place]
        assert (row["latitude"], row["longitude"], row["geo_precision"]) == (lat, lon, precision)
        assert row["geocoder"] == "gazetteer"
    unplaced = stored.loc["Hameau-Inconnu-Xyz"]
    assert pd.isna(unplaced["latitude"]) and unplaced["geocoder"] == "none"
    assert (stored["dataset"] == FR.name).all()
    assert (stored["imported_at"] == pd.Timestamp(NOW)).all()
    assert set(report.incident_ids) == set(read_incidents(engine)["incident_id"])


def test_reimport_changes_nothing(engine):
    first = run(engine)
    version = data_version(engine)
    again = run(engine)
    assert (again.imported, again.duplicates, again.rejected) == (0, 8, 1)
    assert accounted(first) and accounted(again)
    assert data_version(engine) == version
    assert len(read_incidents(engine)) == first.imported


def test_same_day_place_and_actor_as_a_stored_incident_is_a_duplicate(engine):
    run(engine)
    text = "date;lieu;auteur;résumé\n14/01/2024;DJIBO;jnim;autre récit du même fait\n"
    report = run(engine, text.encode("cp1252"), filename="autre.csv")
    assert (report.imported, report.duplicates) == (0, 1)
    assert "same day, place and actor" in report.duplicate_rows[0].reason


def test_dry_run_stores_nothing(engine):
    report = run(engine, dry_run=True)
    assert report.dry_run and report.imported == 7
    assert len(read_incidents(engine)) == 0


def test_one_import_is_one_transaction(engine, monkeypatch):
    from incidents import store

    def half_then_fail(conn, df, **_):
        conn.execute(incidents_table.insert(), store._records(store.conform(df).iloc[:2]))
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(store, "insert_incidents", half_then_fail)
    with pytest.raises(StoreError, match="nothing was stored"):
        run(engine)
    assert len(read_incidents(engine)) == 0


def test_acled_gtd_and_ucdp_fixtures_account_for_every_row(engine):
    geocoder = FakeGeocoder()
    acled = run(engine, FIXTURES / "acled_hdx_31col.csv", geocoder=geocoder)
    assert (acled.format, acled.total, acled.imported, acled.duplicates, acled.rejected) == (
        "acled", 7, 4, 1, 2)
    assert ("Kati, Koulikoro", "ML") in geocoder.queries  # the row without coordinates
    kati = read_incidents(engine).set_index("incident_id").loc["acled:MLI90006"]
    assert (kati["latitude"], kati["geocoder"]) == (PLACES["kati"][0], "gazetteer")
    gtd = run(engine, FIXTURES / "gtd_sample_cp1252.csv")
    assert (gtd.format, gtd.total, gtd.imported, gtd.duplicates, gtd.rejected) == (
        "gtd", 7, 4, 1, 2)
    ucdp = run(engine, FIXTURES / "ucdp_web.csv")
    assert (ucdp.format, ucdp.total, ucdp.imported, ucdp.duplicates, ucdp.rejected) == (
        "ucdp", 5, 3, 1, 1)
    assert all(accounted(r) for r in (acled, gtd, ucdp))
    assert read_incidents(engine)["dataset"].str.startswith(("ACLED (", "GTD (", "UCDP GED (")
                                                          ).all()


def test_rejected_rows_csv_holds_row_reason_and_cells(engine):
    report = run(engine, FIXTURES / "acled_hdx_31col.csv")
    rows = list(csv.DictReader(io.StringIO(report.rejected_csv)))
    assert [r["row"] for r in rows] == ["4", "7"]
    assert rows[0]["event_date"] == "not a date" and "not a date" in rows[0]["reason"]
    assert rows[1]["event_type"] == "Alien invasion"


def test_ragged_rows_reach_the_rejected_csv(engine):
    data = b"date,lieu\n2024-01-01,Kati\n2024-01-02,Kati,oops\n"
    report = run(engine, data, filename="r.csv")
    assert (report.total, report.imported, report.rejected) == (2, 1, 1)
    rows = list(csv.DictReader(io.StringIO(report.rejected_csv)))
    assert rows[0]["row"] == "2" and rows[0]["extra fields"] == "oops"


@pytest.mark.parametrize(("data", "kw", "message"), [
    (b"x" * 2000, {"max_bytes": 1000}, "at most"),
    (b"\x00\xff" * 100, {}, "binary"),
    (b"lieu;morts\nKati;1\n", {}, "no column is mapped to the date"),
    (b"date,lieu\n2024-01-01,Kati\n", {"format": "acled"}, "not an ACLED export"),
    (b"date\n2024-01-01\n", {"format": "csv"}, "unknown format"),
])
def test_bad_files_store_nothing(engine, data, kw, message):
    with pytest.raises(ReaderError, match=message):
        run(engine, data, filename="bad.csv", **kw)
    assert len(read_incidents(engine)) == 0


def test_mapping_is_remembered_per_header_set(engine):
    data = b"T0;Zone;Qui\n17/09/2024;Kati;JNIM\n"
    assert preview_file(data, filename="a.csv").mapping == {}
    with pytest.raises(ReaderError):
        run(engine, data, filename="a.csv")
    mapping = {"date": "T0", "location": "Zone", "actor": "Qui"}
    remember_mapping(engine, ("T0", "Zone", "Qui"), mapping)
    assert remembered_mapping(engine, ["T0", "Zone"]) is None  # another header set
    assert remembered_mapping(engine, ["Qui", "T0", "Zone"]) == mapping  # any order
    preview = preview_file(data, filename="a.csv", engine=engine)
    assert (preview.mapping, preview.mapping_source) == (mapping, "remembered")
    report = run(engine, data, filename="a.csv")  # no mapping given: the remembered one
    assert report.imported == 1
    assert read_incidents(engine).iloc[0]["location"] == "Kati"


def test_preview_describes_the_file():
    preview = preview_file(FR)
    assert (preview.format, preview.total, preview.kind) == ("generic", 9, "csv")
    assert (preview.encoding, preview.delimiter) == ("cp1252", ";")
    assert preview.mapping["location"] == "Lieu" and preview.mapping_source == "guessed"
    assert len(preview.head) == 9


def test_progress_is_reported(engine):
    seen = []
    run(engine, progress=lambda f, msg: seen.append((f, msg)))
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "Done")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_report_json_shape():
    report = ImportReport("generic", "d", 3, 1, 1, 1, errors=(importer.RowRejection(2, "x"),))
    assert report.to_dict() == {"format": "generic", "total": 3, "imported": 1, "duplicates": 1,
                                "rejected": 1, "errors": [{"row": 2, "reason": "x"}],
                                "notices": []}


def test_cli_json(seeded_sqlite_url, capsys):
    code = cli.main(["--database-url", seeded_sqlite_url, "import",
                     str(FIXTURES / "ucdp_web.csv"), "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert list(out) == ["format", "total", "imported", "duplicates", "rejected", "errors",
                         "notices"]
    assert out["format"] == "ucdp" and out["total"] == 5
    assert out["imported"] + out["duplicates"] + out["rejected"] == out["total"]
    assert out["errors"][0] == {"row": 4, "reason": "date_start is not a date"}


def test_cli_reports_unreadable_files(seeded_sqlite_url, capsys, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"%PDF-1.4 junk")
    code = cli.main(["--database-url", seeded_sqlite_url, "import", str(junk), "--dry-run"])
    assert code == 2 and "PDF" in capsys.readouterr().err
    code = cli.main(["--database-url", seeded_sqlite_url, "import", str(tmp_path / "no.csv")])
    assert code == 2 and "cannot read" in capsys.readouterr().err


def test_imports_use_manual_corrections_before_the_index(tmp_path):
    """A point a person placed on the Geocode page wins for the same place string."""
    from incidents.db import get_engine
    from incidents.geocoding import Geocoder, GeocoderConfig
    from incidents.importer import import_file
    from incidents.store import ensure_schema, read_incidents

    engine = get_engine(f"sqlite:///{tmp_path / 'corr.sqlite'}")
    ensure_schema(engine)
    Geocoder(config=GeocoderConfig(), engine=engine).correct(
        "Kouara Debe, Niger", "NE", 14.1, 1.9, "town", matched_name="Kouara Debe (checked)")
    data = ("date;lieu;pays;auteur;morts\n17/09/2024;Kouara Debe, Niger;NE;JNIM;3\n"
            "18/09/2024;Djibo;BF;JNIM;2\n").encode("cp1252")
    report = import_file(data, engine, filename="fr.csv")
    assert (report.total, report.imported) == (2, 2)
    got = read_incidents(engine).set_index("location")
    assert got.loc["Kouara Debe, Niger", "geocoder"] == "manual"
    assert (got.loc["Kouara Debe, Niger", "latitude"], got.loc["Kouara Debe, Niger", "longitude"]) == (14.1, 1.9)
    assert got.loc["Djibo", "geocoder"] == "gazetteer"
    engine.dispose()


# --- issue 11: ids, geocoding without a country, concurrent imports ----------------------------


def test_geocoding_a_file_without_a_country_column_does_not_crash(engine, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("date,lieu\n2024-01-01,Kati\n2024-01-02,Djibo\n", encoding="utf-8")

    def geocoder(query, country):  # finds the country, which the file did not give
        hit = FakeGeocoder()(query, country)
        return FakeResult(hit.latitude, hit.longitude, hit.geo_precision,
                          country="BF" if "Djibo" in query else "ML")

    report = run(engine, path, geocoder=geocoder)
    assert (report.imported, report.geocoded, report.rejected) == (2, 2, 0)
    stored = read_incidents(engine).set_index("location")
    assert stored.at["Kati", "country"] == "ML" and stored.at["Djibo", "country"] == "BF"


def test_ids_of_spreadsheet_rows_are_keyed_and_cannot_be_brute_forced(engine, tmp_path):
    """An id shown to viewers is no plain hash of the row: knowing every other cell and the
    coarse cell, the exact point cannot be found by hashing candidates."""
    import hashlib

    from incidents.readers.generic import normalize_text

    header = ["date", "lieu", "latitude", "longitude", "auteur", "morts"]
    cells = ["2024-03-02", "Secret site ALPHA-7", "12.6393", "-8.0028", "JNIM", "4"]
    path = tmp_path / "s.csv"
    path.write_text(",".join(header) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    report = run(engine, path)
    (incident_id,) = report.incident_ids
    pairs = sorted((normalize_text(k), v) for k, v in zip(header, cells, strict=True))
    plain = hashlib.sha1(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()[:16]
    assert incident_id != f"import:{plain}"  # what the attack recovered the point from
    # the same row in another store gets another id; in this store, the same one
    other = get_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    ensure_schema(other)
    assert run(other, path).incident_ids != report.incident_ids
    other.dispose()
    again = run(engine, path)
    assert (again.imported, again.duplicates) == (0, 1)
    assert "already in the store as " + incident_id in again.duplicate_rows[0].reason


def test_two_imports_of_the_same_rows_at_once_land_once(engine, tmp_path):
    """The second import's duplicate check waits for the first one's rows (issue 11, item 10)."""
    import threading
    import time as _time

    rows = "date,lieu,latitude,longitude,auteur\n2024-03-02,Kati,12.74,-8.07,JNIM\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(rows, encoding="utf-8")
    second.write_text(rows.replace("auteur\n", "auteur,note\n").rstrip() + ",other\n",
                      encoding="utf-8")  # other cells: another id, same day/place/actor
    inside, results = threading.Event(), {}
    b_started = threading.Event()

    def hold(fraction, _message):
        if fraction == 0.9:  # inside A's transaction, after its duplicate check
            inside.set()
            b_started.wait(10)
            deadline = _time.monotonic() + 3  # let B reach the lock (or, unlocked, finish)
            while _time.monotonic() < deadline and "b" not in results:
                _time.sleep(0.02)

    def import_b():
        inside.wait(10)
        b_started.set()
        results["b"] = run(engine, second)

    thread = threading.Thread(target=import_b)
    thread.start()
    results["a"] = run(engine, first, progress=hold)
    thread.join(30)
    assert results["a"].imported == 1
    assert (results["b"].imported, results["b"].duplicates) == (0, 1)
    assert len(read_incidents(engine)) == 1


def test_database_errors_are_short_and_logged(engine, caplog, monkeypatch):
    from incidents import store

    def refuse(conn, df, **kw):
        conn.execute(sa.text("SELECT * FROM no_such_table WHERE secret = :s"), {"s": "ALPHA-7"})

    monkeypatch.setattr(store, "insert_incidents", refuse)
    with caplog.at_level("ERROR", logger="incidents.db"), pytest.raises(StoreError) as err:
        run(engine)
    message = str(err.value)
    assert "SELECT" not in message and "ALPHA-7" not in message and "[SQL" not in message
    assert "nothing was stored" in message and "server log" in message and len(message) < 300
    assert "ALPHA-7" in caplog.text  # the detail is on the server


def test_a_nul_byte_rejects_its_row_not_the_import(engine, tmp_path):
    """PostgreSQL refuses NUL in text: the row is rejected with a reason, the rest lands."""
    path = tmp_path / "nul.csv"
    path.write_bytes(b"date,lieu,latitude,longitude\n2024-01-01,Ka\x00ti,12.7,-8.0\n"
                     b"2024-01-02,Gao,16.27,-0.04\n")
    report = run(engine, path)
    assert (report.total, report.imported, report.rejected) == (2, 1, 1)
    assert "NUL" in report.errors[0].reason and "\x00" not in report.rejected_csv
    assert read_incidents(engine)["location"].tolist() == ["Gao"]


def test_rows_geocoded_from_place_names_get_admin_names_the_region_filter_finds(tmp_path):
    """Rows without coordinates or regions are geocoded with the shipped index, get admin1 and
    admin2 from its hierarchy, and the Region filter (admin1) selects them."""
    from incidents.filtering import Filters, apply_filters, filter_options

    engine = get_engine(f"sqlite:///{tmp_path / 'admin.sqlite'}")
    ensure_schema(engine)
    data = ("date;lieu;pays;auteur;morts\n17/09/2024;Djibo;BF;JNIM;3\n"
            "18/09/2024;Tessit, Gao;ML;EIGS;2\n19/09/2024;Abala, Tillabéri;NE;EIGS;1\n"
            ).encode("cp1252")
    report = import_file(data, engine, filename="fr.csv")
    assert (report.imported, report.geocoded) == (3, 3)
    got = read_incidents(engine).set_index("location")
    assert got.loc["Djibo", "admin1"] == "Sahel" and got.loc["Djibo", "admin2"] == "Soum"
    assert got.loc["Tessit, Gao", "admin1"] == "Gao"
    assert "Sahel" in filter_options(got.reset_index())["admin1"]
    picked = apply_filters(got.reset_index(), Filters(admin1=("Sahel",)))
    assert picked["location"].tolist() == ["Djibo"]
    engine.dispose()
