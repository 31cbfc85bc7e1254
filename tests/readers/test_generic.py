"""Generic reader: dialects, encodings, French and English headers, values as people type
them, hostile files; hypothesis fuzzing of the row accounting."""

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.errors import ReaderError
from incidents.readers.detect import detect_format, read_table
from incidents.readers.generic import (
    convert_generic,
    event_type_for,
    guess_mapping,
    header_key,
    parse_coordinate,
    parse_count,
    parse_date,
    parse_dates,
    read_generic,
)
from tests.conftest import FIXTURES

FR = FIXTURES / "generic_fr_semicolon_cp1252.csv"
D = dt.date


@pytest.mark.parametrize(("text", "want"), [
    ("2024-09-17", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("17/09/2024", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("17.09.24", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("17 septembre 2024", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("Mardi 17 sept. 2024", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("1er mars 2023", (D(2023, 3, 1), D(2023, 3, 1), "day")),
    ("17 September 2024", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("September 17, 2024", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("16-Feb-21", (D(2021, 2, 16), D(2021, 2, 16), "day")),
    ("2024-09-17T00:00:00", (D(2024, 9, 17), D(2024, 9, 17), "day")),
    ("septembre 2024", (D(2024, 9, 1), D(2024, 9, 30), "month")),
    ("02/2024", (D(2024, 2, 1), D(2024, 2, 29), "month")),
    ("2023", (D(2023, 1, 1), D(2023, 12, 31), "year")),
    ("31/02/2024", None),
    ("22/13/2024", None),
    ("hier", None),
    ("", None),
])
def test_parse_date(text, want):
    assert parse_date(text) == want


def test_day_first_is_detected_per_column():
    us = parse_dates(pd.Series(["09/17/2024", "01/02/2024"], dtype="string"))
    assert list(us["start"]) == [pd.Timestamp("2024-09-17"), pd.Timestamp("2024-01-02")]
    eu = parse_dates(pd.Series(["17/09/2024", "01/02/2024"], dtype="string"))
    assert list(eu["start"]) == [pd.Timestamp("2024-09-17"), pd.Timestamp("2024-02-01")]


@pytest.mark.parametrize(("text", "want"), [
    ("12", (None, 12, None, None)),
    ("3.0", (None, 3, None, None)),
    ("10-15", (10, None, 15, None)),
    ("10 à 15", (10, None, 15, None)),
    ("au moins 7", (7, None, None, None)),
    (">5", (5, None, None, None)),
    ("inconnu", (None, None, None, None)),
    ("?", (None, None, None, None)),
    ("aucun", (None, 0, None, None)),
    ("-3", (None, None, None, "negative count")),
    ("beaucoup", (None, None, None, "no count in the text")),
])
def test_parse_count(text, want):
    assert parse_count(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("12.65", 12.65), ("12,65", 12.65), ("-8", -8.0), ("12°39'N", 12.65), ("8°0'W", -8.0),
    ("8°O", -8.0), ("north", None),
])
def test_parse_coordinate(text, want):
    assert parse_coordinate(text) == pytest.approx(want) if want is not None \
        else parse_coordinate(text) is None


@pytest.mark.parametrize(("headers", "want"), [
    (["Date", "Lieu", "Pays", "Auteur", "Morts", "Résumé"],
     {"date": "Date", "location": "Lieu", "country": "Pays", "actor": "Auteur",
      "fatalities": "Morts", "description": "Résumé"}),
    (["Date of attack", "Location", "Country", "Killed", "Perpetrator", "Summary", "Lat", "Lon"],
     {"date": "Date of attack", "location": "Location", "country": "Country",
      "fatalities": "Killed", "actor": "Perpetrator", "description": "Summary",
      "latitude": "Lat", "longitude": "Lon"}),
    (["date_incident", "place", "deaths", "actor", "Nombre de blessés"],
     {"date": "date_incident", "location": "place", "fatalities": "deaths", "actor": "actor"}),
])
def test_guess_mapping(headers, want):
    assert guess_mapping(headers) == want


def test_header_key_ignores_order_case_and_accents():
    assert header_key(["Date", "Résumé"]) == header_key(["resume", "DATE"])
    assert header_key(["Date"]) != header_key(["Date", "Lieu"])


def test_event_type_words():
    assert [event_type_for(t) for t in ["Embuscade", "Enlèvement", "EEI", "Manifestation",
                                        "Affrontements", "Battle / armed clash", "", "Réunion"]
            ] == ["attack", "abduction", "explosion", "protest_riot", "battle", "battle",
                  "other", "other"]


def test_french_semicolon_cp1252_spreadsheet():
    result = read_generic(FR.read_bytes(), FR.name)
    assert result.total == 9
    assert len(result.incidents) + len(result.rejected) == 9
    reasons = {r.row: r.reason for r in result.rejected}
    assert reasons == {7: "date not understood: '22/13/2024'"}
    df = result.incidents
    assert list(df["location"][:2]) == ["Faladié, Bamako", "Sénou, Bamako"]
    assert df["latitude"].isna().all() and (df["geocoder"] == "none").all()
    assert list(df["country"][:4]) == ["ML", "ML", "ML", "BF"]
    menaka = df[df["location"] == "Ménaka"].iloc[0]
    assert (menaka["fatalities_low"], menaka["event_type"]) == (7, "battle")
    assert pd.isna(df.iloc[0]["fatalities_best"])  # "inconnu"
    assert df[df["location"] == "Tillabéri"].iloc[0]["date_precision"] == "month"
    assert df["incident_id"].str.startswith("import:").all()


def _csv(rows, delimiter=",", encoding="utf-8"):
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    return text.encode(encoding)


ROWS = [["date", "lieu", "latitude", "longitude", "morts"],
        ["17/09/2024", "Kati", "12,74", "-8,07", "2"],
        ["18/09/2024", "Kita", "13,04", "-9,49", ""]]


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (";", "cp1252"), (";", "utf-8-sig"), ("\t", "utf-16"), ("|", "utf-8"),
])
def test_dialects_and_decimal_commas(delimiter, encoding):
    result = read_generic(_csv(ROWS, delimiter, encoding), "x.csv")
    assert (result.total, len(result.incidents)) == (2, 2), result.rejected
    first = result.incidents.iloc[0]
    assert (first["latitude"], first["longitude"]) == (12.74, -8.07)
    # a typed point is taken as exact: a public view must never think it coarser than it is
    assert (first["geo_precision"], first["geocoder"]) == ("site", "source")


def test_comma_csv_with_quotes_bom_title_row_and_hxl_row():
    text = ('\ufeffIncidents relevés, 2024\r\n'
            'date,place,killed,notes\r\n'
            '#date,#loc,#affected+killed,#description\r\n'
            '2024-09-17,"Faladié, Bamako",3,"said ""many"""\r\n')
    table = read_table(text.encode("utf-8"), "x.csv")
    assert table.columns == ("date", "place", "killed", "notes")
    assert table.total == 1
    result = convert_generic(table)
    assert result.incidents.iloc[0]["location"] == "Faladié, Bamako"
    assert 'said "many"' in result.incidents.iloc[0]["description"]


def test_ragged_rows_are_rejected_or_padded_never_lost():
    data = _csv([["date", "lieu", "morts"], ["17/09/2024", "Kati", "1", "extra"],
                 ["17/09/2024", "Kita"], ["17/09/2024", "Kati", "1", ""], [""], [";;"]])
    result = read_generic(data, "x.csv")
    assert result.total == 4  # the blank line holds no data; ";;" is a one-cell row here
    assert {r.row for r in result.rejected} >= {1}
    assert "fields but the header has 3" in result.rejected[0].reason
    assert len(result.incidents) + len(result.rejected) == result.total


def test_unmapped_columns_and_worded_counts_stay_in_the_description():
    data = _csv([["date", "lieu", "morts", "blessés"], ["17/09/2024", "Kati", "beaucoup", "4"]])
    row = read_generic(data, "x.csv").incidents.iloc[0]
    assert "fatalities: beaucoup" in row["description"]
    assert "blessés: 4" in row["description"]
    assert pd.isna(row["fatalities_best"])


def test_ids_are_stable_and_column_order_free():
    a = read_generic(_csv([["date", "lieu"], ["17/09/2024", "Kati"]]), "a.csv")
    b = read_generic(_csv([["lieu", "date"], ["Kati", "17/09/2024"]]), "b.csv")
    assert a.incidents["incident_id"][0] == b.incidents["incident_id"][0]
    with_id = read_generic(_csv([["id", "date"], ["7", "2024-01-01"], ["7", "2024-01-02"]]),
                           "c.csv")
    assert len(with_id.incidents) == 1
    assert with_id.rejected[0].reason.startswith("duplicate of row 1")


def test_bad_values_get_reasons():
    data = _csv([["date", "lat", "lon", "morts"],
                 ["", "1", "1", "1"], ["2024-01-01", "95", "1", "1"],
                 ["2024-01-01", "1", "", "1"], ["2024-01-01", "nord", "1", "1"],
                 ["2024-01-01", "1", "1", "-2"], ["2024-01-01", "1", "1", "2"]])
    result = read_generic(data, "x.csv")
    reasons = [r.reason for r in result.rejected]
    assert reasons == ["no date", "latitude/longitude out of range",
                       "only one of latitude and longitude is given",
                       "latitude not understood: 'nord'", "fatalities is negative: '-2'"]
    assert len(result.incidents) == 1


def test_mapping_without_a_date_is_refused():
    with pytest.raises(ReaderError, match="no column is mapped to the date"):
        read_generic(_csv([["lieu", "morts"], ["Kati", "1"]]), "x.csv")
    with pytest.raises(ReaderError, match="does not have"):
        read_generic(_csv([["date"], ["2024-01-01"]]), "x.csv", {"date": "Datum"})


def _xlsx(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_with_date_cells_and_numbers():
    data = _xlsx([["Incidents 2024"], ["Date", "Lieu", "Latitude", "Longitude", "Tués"],
                  [dt.datetime(2024, 9, 17), "Kati", 12.74, -8.07, 3.0],
                  ["18/09/2024", "Kita", None, None, None]])
    table = read_table(data, "x.xlsx")
    assert table.kind == "xlsx" and table.columns[0] == "Date"
    result = convert_generic(table, dataset="x.xlsx")
    assert result.total == 2 and len(result.incidents) == 2
    first = result.incidents.iloc[0]
    assert first["date_start"] == pd.Timestamp("2024-09-17")
    assert (first["latitude"], first["fatalities_best"]) == (12.74, 3)
    assert detect_format(table.columns) == "generic"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"\x00\x01\x02junk\x00" * 50, "binary"),
    (b"%PDF-1.7 ...", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
    (b"PK\x03\x04 not really a zip", "damaged"),
])
def test_hostile_files_get_clear_errors(data, message):
    with pytest.raises(ReaderError, match=message):
        read_table(data, "upload.csv")


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024))
    with pytest.raises(ReaderError, match="zip bomb"):
        read_table(buf.getvalue(), "bomb.xlsx")


def test_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ReaderError, match="not an Excel"):
        read_table(buf.getvalue(), "x.xlsx")


# --- fuzzing -----------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _accounted(data: bytes) -> None:
    """The generic reader either refuses the file with a ReaderError, or accounts for every
    data row: incidents + rejected == total, each rejection with a row in range."""
    try:
        result = read_generic(data, "fuzz.csv")
    except ReaderError as exc:
        assert str(exc)
        return
    assert len(result.incidents) + len(result.rejected) == result.total
    rows = [r.row for r in result.rejected]
    assert len(rows) == len(set(rows))
    assert all(1 <= r <= result.total for r in rows)
    assert result.incidents["incident_id"].is_unique


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(data):
    _accounted(data)


@FUZZ
@given(st.binary(max_size=600))
def test_fuzz_random_bytes_after_a_good_header(data):
    _accounted(b"date;lieu;morts\r\n17/09/2024;Kati;1\r\n" + data)


_cell = st.one_of(
    st.sampled_from(["17/09/2024", "2024-09-17", "sept. 2024", "Kati", "Faladié, Bamako",
                     "12", "10-15", "inconnu", "", " ", '"', '""', "a\"b", ";", ",", "\t",
                     "\n", "\r\n", "é", "\x00", "🙂"]),
    st.text(max_size=12),
    st.integers(90_000, 130_000).map(lambda n: "x" * n),  # huge fields, over the limit too
)
_row = st.lists(_cell, min_size=0, max_size=6)  # ragged on purpose


@FUZZ
@given(st.lists(_row, max_size=12), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]), st.booleans())
def test_fuzz_ragged_rows_broken_quotes_huge_fields(rows, delimiter, encoding, quote):
    lines = ["date" + delimiter + "lieu" + delimiter + "morts"]
    for row in rows:
        cells = [f'"{c}"' if quote and c and c[0] != '"' else c for c in row]
        lines.append(delimiter.join(cells))
    text = "\r\n".join(lines)
    data = text.encode(encoding, errors="replace")
    _accounted(data)


# --- issue 11: hostile workbooks and text ------------------------------------------------------


def _raw_xlsx(sheet_rows: str, strings: tuple[str, ...] = ("date", "lieu")) -> bytes:
    """Return a minimal .xlsx written by hand (no <dimension>, as many generators do)."""
    ns = "http://schemas.openxmlformats.org/"
    rel = ns + "officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings'
            '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{ns}package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{rel}/officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{rel}">'
                            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
                            '</workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/sharedStrings.xml": (f'<sst xmlns="{ns}spreadsheetml/2006/main">'
                                 + "".join(f"<si><t>{t}</t></si>" for t in strings) + "</sst>"),
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{ns}spreadsheetml/2006/main">'
                                     f"<sheetData>{sheet_rows}</sheetData></worksheet>"),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return buf.getvalue()


_HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def test_a_handmade_xlsx_is_read():
    data = _raw_xlsx(_HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-01-02</t></is>'
                     '</c><c r="B2" t="inlineStr"><is><t>Kati</t></is></c></row>')
    table = read_table(data, "x.xlsx")
    assert table.columns == ("date", "lieu") and table.frame.iloc[0].tolist() == [
        "2024-01-02", "Kati"]


def test_a_cell_pointing_at_a_missing_shared_string_is_refused_in_one_line():
    data = _raw_xlsx(_HEADER + '<row r="2"><c r="A2" t="s"><v>999</v></c></row>')
    with pytest.raises(ReaderError, match="damaged") as err:
        read_table(data, "x.xlsx")
    assert "\n" not in str(err.value)


def test_a_workbook_is_streamed_within_a_cell_budget(monkeypatch):
    """The sheet is never measured by parsing it whole, and reading stops at the budget."""
    from openpyxl.worksheet._reader import WorkSheetParser

    from incidents.readers import xlsx

    def no_full_scan(self):
        raise AssertionError("the whole sheet was parsed to measure it")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", no_full_scan)
    monkeypatch.setattr(xlsx, "MAX_XLSX_CELLS", 1_000)
    row = "".join(f'<c t="n"><v>{c}</v></c>' for c in range(2))
    small = _raw_xlsx(_HEADER + "".join(f'<row r="{r}">{row}</row>' for r in range(2, 400)))
    assert read_table(small, "x.xlsx").total == 398
    big = _raw_xlsx(_HEADER + "".join(f'<row r="{r}">{row}</row>' for r in range(2, 3000)))
    with pytest.raises(ReaderError, match="more than 1,000 cells"):
        read_table(big, "x.xlsx")
    # a row index far down the sheet, or a cell far right, costs nothing
    far = _raw_xlsx(_HEADER + '<row r="1048576"><c r="B1048576" t="n"><v>1</v></c></row>')
    assert read_table(far, "x.xlsx").total == 1
    wide = _raw_xlsx(_HEADER + '<row r="2"><c r="XFD2" t="n"><v>1</v></c></row>')
    with pytest.raises(ReaderError, match="16,384 cells wide"):
        read_table(wide, "x.xlsx")


def test_a_nul_in_a_cell_rejects_its_row_only():
    data = b"date,lieu\n2024-01-01,Ka\x00ti\n2024-01-02,Gao\n"
    table = read_table(data, "x.csv")
    assert table.total == 2 and len(table.frame) == 1
    assert [r.row for r in table.rejected] == [1] and "NUL" in table.rejected[0].reason
    assert "\x00" not in "".join(table.raw_rows[0])


def test_an_unclosed_quote_rejects_its_row_and_keeps_the_next_ones():
    data = b'date,lieu,morts\n2024-01-01,"Kati,3\n2024-01-02,Gao,5\n2024-01-03,Mopti,1\n'
    table = read_table(data, "x.csv")
    assert table.total == 3 and [r.row for r in table.rejected] == [1]
    assert "unclosed quote" in table.rejected[0].reason
    assert table.frame["lieu"].tolist() == ["Gao", "Mopti"]
    # a quoted description over two lines is no unclosed quote
    ok = b'date,lieu,morts,note\n2024-01-01,Kati,3,"one\ntwo, three"\n2024-01-02,Gao,5,x\n'
    table = read_table(ok, "x.csv")
    assert (table.total, table.rejected) == (2, ())
    assert table.frame["note"].iloc[0] == "one\ntwo, three"


def test_a_file_mixing_utf8_and_cp1252_is_read_line_by_line_and_reported():
    data = "date,lieu\n2024-01-01,Ségou\n".encode() + "2024-01-02,Kolokani é\n".encode("cp1252")
    table = read_table(data, "x.csv")
    assert table.frame["lieu"].tolist() == ["Ségou", "Kolokani é"]  # not "SÃ©gou"
    assert table.encoding == "utf-8 + cp1252"
    assert len(table.notices) == 1 and "line 3" in table.notices[0]
    plain = "date,lieu\n2024-01-01,Ségou\n".encode("cp1252")
    assert read_table(plain, "x.csv").notices == ()
