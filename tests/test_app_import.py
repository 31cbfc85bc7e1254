"""AppTest of the import page: upload, mapping, import, report, new incidents everywhere."""

import shutil

import pytest
import sqlalchemy as sa

from components import import_view as view

CSV = (b"Date,Place,Country,Perpetrator,Killed,Summary,Latitude,Longitude\n"
       b"2023-05-20,Kati,Mali,Test group,2,Invented attack,12.744,-8.073\n"
       b"2023-05-21,Kita,Mali,Test group,,Invented ambush,13.04,-9.49\n"
       b"not a date,Kita,Mali,Test group,1,Bad row,13.04,-9.49\n")


def metric(at, label="Incidents") -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


@pytest.fixture
def own_store(app_test, monkeypatch, seeded_sqlite_url, tmp_path):
    """The app on a copy of the seeded store: an import must not change other tests' data."""
    src = sa.engine.make_url(seeded_sqlite_url).database
    dst = tmp_path / "incidents.sqlite"
    shutil.copy(src, dst)
    url = f"sqlite:///{dst}"
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", url)
    return url


def open_page(app_test):
    at = app_test().run()
    at.switch_page("views/import.py").run()
    assert not at.exception, at.exception
    return at


def test_import_page_shows_the_licence_notice(app_test, own_store):
    at = open_page(app_test)
    notice = " ".join(i.value for i in at.info)
    assert "ACLED and GTD" in notice and "redistributed" in notice
    assert at.file_uploader(key=view.W_UPLOAD)


def test_upload_map_import_and_see_the_report(app_test, own_store):
    at = open_page(app_test)
    before = metric(at)
    at.file_uploader(key=view.W_UPLOAD).upload("mine.csv", CSV, "text/csv").run()
    assert not at.exception, at.exception
    assert at.selectbox(key=view.W_FORMAT).value == "generic"
    date_box = next(s for s in at.selectbox if s.key.startswith(view.W_MAP_PREFIX + "date_"))
    assert date_box.value == "Date"
    at.button(key=view.W_CHECK).click().run()
    assert not at.exception, at.exception
    assert metric(at) == before  # a dry run stores nothing
    assert metric(at, "Would import") == 2
    at.button(key=view.W_IMPORT).click().run()
    assert not at.exception, at.exception
    assert metric(at, "Imported") == 2
    assert metric(at, "Rejected") == 1
    assert metric(at) == before + 2  # the new incidents are in the app without a restart
    assert at.get("download_button")
    assert any("new incidents are on the map" in s.value for s in at.success)


def test_binary_upload_gets_a_clear_error_and_stores_nothing(app_test, own_store):
    at = open_page(app_test)
    before = metric(at)
    at.file_uploader(key=view.W_UPLOAD).upload("junk.csv", b"\x00\x01" * 500).run()
    assert not at.exception, at.exception
    assert any("cannot be imported" in e.value for e in at.error)
    assert metric(at) == before


def test_acled_file_gets_the_licence_warning(app_test, own_store):
    from tests.conftest import FIXTURES

    at = open_page(app_test)
    data = (FIXTURES / "acled_current.csv").read_bytes()
    at.file_uploader(key=view.W_UPLOAD).upload("acled.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert at.selectbox(key=view.W_FORMAT).value == "acled"
    assert any("ACLED file" in w.value for w in at.warning)
