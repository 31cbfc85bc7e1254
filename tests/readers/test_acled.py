"""ACLED reader: the HDX 31-column layout with its HXL row, and the current layout."""

import json

import pandas as pd
import pytest

from incidents.errors import ReaderError
from incidents.readers.acled import read_acled
from incidents.readers.detect import detect_format, read_table
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def hdx():
    return read_acled((FIXTURES / "acled_hdx_31col.csv").read_bytes(), "acled_hdx_31col.csv")


def test_hdx_layout_skips_the_hxl_row_and_accounts_for_every_row(hdx):
    assert hdx.format == "acled"
    assert hdx.total == 7  # the HXL hashtag row is not a data row
    assert len(hdx.incidents) + len(hdx.rejected) == hdx.total
    reasons = {r.row: r.reason for r in hdx.rejected}
    assert set(reasons) == {4, 5, 7}
    assert "event_date" in reasons[4] and "not a date" in reasons[4]
    assert reasons[5].startswith("duplicate") and "row 1" in reasons[5]
    assert "Alien invasion" in reasons[7]


def test_hdx_layout_maps_precisions_and_types(hdx):
    df = hdx.incidents.set_index("incident_id")
    first = df.loc["acled:MLI90001"]
    assert (first["date_start"], first["date_precision"]) == (pd.Timestamp("2020-07-31"), "day")
    assert (first["geo_precision"], first["geocoder"], first["country"]) == ("town", "source", "ML")
    assert (first["event_type"], first["source_event_type"]) == ("battle", "Battles: Armed clash")
    assert (first["actor"], first["target"]) == ("Test Militia A", "Military Forces of Testland")
    assert first["fatalities_best"] == 3
    assert [s["publisher"] for s in json.loads(first["sources"])] == ["Test Wire", "Other Paper"]
    week = df.loc["acled:MLI90002"]  # time_precision 2: the middle of a week
    assert week["date_precision"] == "week"
    assert (week["date_start"], week["date_end"]) == (pd.Timestamp("2020-07-12"),
                                                      pd.Timestamp("2020-07-18"))
    assert week["event_type"] == "abduction"
    assert week["geo_precision"] == "admin2"
    assert week["fatalities_best"] == 0  # ACLED's zero is its estimate
    assert "Farmers (Mali)" in week["description"]
    month = df.loc["acled:MLI90003"]
    assert (month["date_start"], month["date_end"]) == (pd.Timestamp("2020-06-01"),
                                                        pd.Timestamp("2020-06-30"))
    assert (month["geo_precision"], month["event_type"]) == ("admin1", "explosion")
    unplaced = df.loc["acled:MLI90006"]  # no coordinates: left for the geocoder
    assert pd.isna(unplaced["latitude"]) and unplaced["geocoder"] == "none"
    assert pd.isna(unplaced["fatalities_best"])
    assert unplaced["event_type"] == "protest_riot"


def test_current_layout_reads_text_dates_and_keeps_new_fields():
    result = read_acled((FIXTURES / "acled_current.csv").read_bytes())
    assert (result.total, len(result.incidents), len(result.rejected)) == (3, 2, 1)
    first = result.incidents.set_index("incident_id").loc["acled:BFO90001"]
    assert first["date_start"] == pd.Timestamp("2024-09-17")
    assert first["country"] == "BF"
    assert "Civilian targeting: Civilian targeting" in first["description"]
    assert "Tags: crowd size=no report" in first["description"]
    assert "Disorder type: Political violence" in first["description"]
    assert result.rejected[0].row == 3


@pytest.mark.parametrize("name", ["acled_hdx_31col.csv", "acled_current.csv"])
def test_detected_as_acled(name):
    table = read_table((FIXTURES / name).read_bytes(), name)
    assert detect_format(table.columns) == "acled"


def test_not_acled_is_a_clear_error():
    with pytest.raises(ReaderError, match="not an ACLED export"):
        read_acled(b"date,place\n2024-01-01,Kati\n")
