"""GTD reader: cp1252 text, unknown month/day, -99 counts, claims, damaged event ids."""

import json

import pandas as pd
import pytest

from incidents.readers.detect import detect_format, read_table
from incidents.readers.gtd import read_gtd
from tests.conftest import FIXTURES

NAME = "gtd_sample_cp1252.csv"


@pytest.fixture(scope="module")
def gtd():
    return read_gtd((FIXTURES / NAME).read_bytes(), NAME)


def by_city(df, city):
    return df[df["location"] == city].reset_index(drop=True)


def test_accounts_for_every_row(gtd):
    assert gtd.total == 7
    assert len(gtd.incidents) + len(gtd.rejected) == gtd.total
    reasons = {r.row: r.reason for r in gtd.rejected}
    assert set(reasons) == {5, 6, 7}
    assert reasons[5].startswith("duplicate") and "eventid" in reasons[5]
    assert "does not exist" in reasons[6]
    assert "imonth is unknown" in reasons[7]


def test_cp1252_and_detection():
    table = read_table((FIXTURES / NAME).read_bytes(), NAME)
    assert table.encoding == "cp1252"
    assert detect_format(table.columns) == "gtd"


def test_dates_counts_claims_and_precision(gtd):
    df = gtd.incidents
    intact = df.set_index("incident_id").loc["gtd:201909170001"]
    assert (intact["date_precision"], intact["geo_precision"]) == ("day", "town")
    assert (intact["event_type"], intact["actor"], intact["target"]) == (
        "attack", "Test Group", "Checkpoint")
    assert intact["fatalities_best"] == 4 and "Wounded: 2." in intact["description"]
    segou = by_city(df, "Ségou")  # accents read from cp1252
    assert len(segou) == 2
    first = segou.iloc[0]
    assert first["date_precision"] == "month"  # iday 0
    assert (first["date_start"], first["date_end"]) == (pd.Timestamp("2019-09-01"),
                                                        pd.Timestamp("2019-09-30"))
    assert "Approximate date: mid-September 2019." in first["description"]
    assert pd.isna(first["fatalities_best"])  # nkill -99 is unknown, never 0
    assert "Wounded" not in first["description"]  # nwound -99 as well
    claims = json.loads(first["claims"])
    assert claims[0]["claimant"] == "Test Group" and "website" in claims[0]["claim"]
    assert any("competing" in c["claim"] for c in claims)
    year = by_city(df, "Tillabéri").iloc[0]
    assert year["date_precision"] == "year"  # imonth 0
    assert (year["date_start"], year["date_end"]) == (pd.Timestamp("2019-01-01"),
                                                      pd.Timestamp("2019-12-31"))
    assert (year["country"], year["event_type"]) == ("NE", "abduction")
    assert pd.isna(year["latitude"]) and pd.isna(year["geo_precision"])


def test_damaged_event_ids_get_stable_distinct_ids(gtd):
    again = read_gtd((FIXTURES / NAME).read_bytes(), NAME)
    ids = list(gtd.incidents["incident_id"])
    assert ids == list(again.incidents["incident_id"])  # stable across reads
    damaged = [i for i in ids if i.startswith("gtd:x")]
    assert len(damaged) == 3 and len(set(damaged)) == 3
    segou = sorted(by_city(gtd.incidents, "Ségou")["incident_id"])
    # identical rows are two GTD events: the second copy is told apart by its order
    assert segou[1] == segou[0] + "-2"
    assert segou[0].startswith("gtd:x20190900-")
