"""AppTest of the import page: upload, mapping, import, report, new incidents everywhere."""

import re
import shutil

import pytest
import sqlalchemy as sa

from components import data
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


def test_the_import_report_in_french(app_test, own_store):
    from test_i18n import ENGLISH_ONLY, _texts

    at = app_test()
    at.context["locale"] = "fr-FR"
    at.run()
    at.switch_page("views/import.py").run()
    at.file_uploader(key=view.W_UPLOAD).upload("mine.csv", CSV, "text/csv").run()
    at.button(key=view.W_CHECK).click().run()
    assert not at.exception, at.exception
    shown = "\n".join(_texts(at))
    assert "Seraient importés" in shown and "Refusées" in shown
    assert "Vérifier (essai à blanc)" in shown
    # The mapping's field names and the report are French; file names and cells are data.
    english = {w for w in re.findall(r"[A-Za-z]{4,}", shown) if w in ENGLISH_ONLY}
    english -= {"Date", "Place", "Country", "Perpetrator", "Killed", "Summary", "Latitude",
                "Longitude", "mine", "English"}  # the file's own headers; the language switch
    assert not english, english
    assert metric(at, "Refusées") == 1
    reasons = next(d.value for d in at.dataframe if "raison" in d.value.columns)
    assert reasons["raison"].tolist() == ["date non comprise\u00a0: 'not a date'"]


# --- issue 11 ------------------------------------------------------------------------------------

HOSTILE_HEADER = (b"date,[click](https://evil.example/x),**bold**\n"
                  b"2023-05-20,Kati,x\n")


def test_headers_and_dataset_names_from_a_file_are_shown_literally(app_test, own_store):
    at = open_page(app_test)
    at.file_uploader(key=view.W_UPLOAD).upload("[x](https://evil.example/y).csv",
                                               HOSTILE_HEADER, "text/csv").run()
    assert not at.exception, at.exception
    at.button(key=view.W_CHECK).click().run()
    assert not at.exception, at.exception
    shown = [str(e.value) for kind in (at.markdown, at.caption, at.error, at.warning, at.info,
                                       at.success) for e in kind]
    assert any("evil" in s for s in shown)  # the dataset name is in the report's heading
    for text in shown:
        assert "](https://evil" not in text, text  # never a live Markdown link
        assert "**bold**" not in text


def test_a_header_naming_no_date_is_shown_literally_in_the_error(app_test, own_store):
    at = open_page(app_test)
    at.file_uploader(key=view.W_UPLOAD).upload(
        "x.csv", b"[click](https://evil.example/x),lieu\n1,Kati\n", "text/csv").run()
    at.button(key=view.W_CHECK).click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and all("](https://evil" not in e for e in errors)


def test_the_import_page_reads_the_file_once(app_test, own_store, monkeypatch):
    from incidents import importer

    calls = []
    real = importer.read_table
    monkeypatch.setattr(importer, "read_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    data.import_preview.clear()
    at = open_page(app_test)
    at.file_uploader(key=view.W_UPLOAD).upload("once.csv", CSV, "text/csv").run()
    at.button(key=view.W_CHECK).click().run()
    at.button(key=view.W_IMPORT).click().run()
    assert not at.exception, at.exception
    assert metric(at, "Imported") == 2
    assert len(calls) == 1


def test_a_mixed_encoding_file_is_reported_on_the_page(app_test, own_store):
    at = open_page(app_test)
    data = "Date,Place\n2023-05-20,Ségou\n".encode() + "2023-05-21,Kolokani é\n".encode("cp1252")
    at.file_uploader(key=view.W_UPLOAD).upload("mixed.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert any("mixes two encodings" in w.value for w in at.warning)


def _hostile_files() -> dict[str, tuple[bytes, int | None]]:
    """Hostile uploads and the rows they hold (None: refused whole, in one line)."""
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    return {
        "ragged.csv": (b"date;lieu\n17/09/2024;Kati\n18/09/2024;Gao;x;y\n19/09/2024\n", 3),
        "cp1252.csv": ("date;lieu\n17/09/2024;Ségou\n".encode("cp1252"), 1),
        "formulas.csv": (b"date,lieu\n=cmd|' /C calc'!A0,Kati\n2024-01-02,@SUM(1)\n", 2),
        "nul.csv": (b"date,lieu\n2024-01-01,Ka\x00ti\n2024-01-02,Gao\n", 2),
        "huge.csv": (b"date,lieu\n2024-01-01," + b"A" * 150_000 + b"\n2024-01-02,Gao\n", 2),
        "quote.csv": (b'date,lieu,n\n2024-01-01,"Kati,1\n2024-01-02,Gao,2\n', 2),
        "damaged.xlsx": (b"PK\x03\x04 not a zip at all", None),
        "bomb.xlsx": (bomb.getvalue(), None),
    }


@pytest.mark.parametrize("name", list(_hostile_files()))
def test_hostile_uploads_are_accounted_for_or_refused_in_one_line(app_test, own_store, name):
    data, rows = _hostile_files()[name]
    at = open_page(app_test)
    before = metric(at)
    at.file_uploader(key=view.W_UPLOAD).upload(name, data).run()
    assert not at.exception, at.exception
    if rows is None:
        (error,) = at.error
        assert "cannot be imported" in error.value and "\n" not in error.value
        assert metric(at) == before
        return
    at.button(key=view.W_IMPORT).click().run()
    assert not at.exception, at.exception
    counts = {m.label: int(m.value.replace(",", "")) for m in at.metric}
    assert counts["Rows in the file"] == rows
    assert counts["Imported"] + counts["Duplicates"] + counts["Rejected"] == rows
    assert metric(at) == before + counts["Imported"]
