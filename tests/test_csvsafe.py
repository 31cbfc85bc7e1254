"""The one CSV writer: every CSV the project writes is formula-safe (issue 11, item 5)."""

from __future__ import annotations

import csv
import io
import tomllib

import pandas as pd
import pytest

from incidents.csvsafe import csv_text, frame_csv_bytes, neutralise_cell
from incidents.importer import import_file
from tests.conftest import OWASP_FORMULA_PREFIXES, PROJECT

HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(1)", "=2+2", "+1+1", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("prefix", OWASP_FORMULA_PREFIXES)
def test_every_owasp_prefix_is_neutralised(prefix):
    value = prefix + "HYPERLINK(\"https://evil.example\")"
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", HOSTILE)
def test_formulas_are_quoted_and_numbers_are_not(value):
    assert neutralise_cell(value) == "'" + value
    for number in ("-7.94706", "+3", "12", "-1e5"):
        assert neutralise_cell(number) == number
    rows = list(csv.reader(io.StringIO(csv_text([["a", "b"], [value, -8.5]]))))
    assert rows[1] == ["'" + value, "-8.5"]
    frame = pd.read_csv(io.BytesIO(frame_csv_bytes(pd.DataFrame({"a": [value]}))),
                        encoding="utf-8-sig", dtype=str)
    assert frame.at[0, "a"] == "'" + value


def test_the_rejected_rows_csv_is_formula_safe(tmp_path):
    from incidents.db import get_engine
    from incidents.store import ensure_schema

    engine = get_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    ensure_schema(engine)
    body = "date,lieu,note\n" + "".join(f'"{v}","{v}","{v}"\n'.replace('""', '"') for v in
                                         ("=cmd|' /C calc'!A0", "@SUM(1)", "=2+2"))
    report = import_file(body.encode(), engine, filename="r.csv", dry_run=True,
                         geocoder=lambda q, c: None)
    assert report.rejected == 3
    rows = list(csv.DictReader(io.StringIO(report.rejected_csv)))
    for row in rows:
        for cell in (row["date"], row["lieu"], row["note"], row["reason"]):
            assert not cell.startswith(OWASP_FORMULA_PREFIXES), cell
    assert [r["date"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'=2+2"]
    engine.dispose()


def test_the_geocode_batch_output_is_formula_safe(tmp_path):
    from incidents.geocoding.cli import geocode_csv
    from incidents.geocoding.model import GeoResult

    class Nothing:
        def resolve(self, query, country=None, **kw):
            return GeoResult.miss(query, country)

        def load_corrections(self):  # no database: no manual corrections
            return None

    source = tmp_path / "in.csv"
    source.write_text('query,country,note\n"=2+2",ML,"@SUM(1)"\n', encoding="utf-8")
    geocode_csv(Nothing(), source, tmp_path / "out.csv", offline=True)
    row = next(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert (row["query"], row["note"]) == ("'=2+2", "'@SUM(1)")


def test_tables_offer_no_download_of_their_own():
    """The grid's "Download as CSV" writes formulas raw: it is switched off."""
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    assert 'st.set_option("client.disableDataExport", True)' in (PROJECT / "app.py").read_text()
