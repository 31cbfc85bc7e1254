"""Synthetic demo data: conformed to the schema, clearly synthetic, realistic in spread."""

import pandas as pd
import pytest

from incidents.schema import COLUMNS, DTYPES, EVENT_TYPE_CODES, GEO_PRECISIONS, conform
from incidents.synthetic import SYNTHETIC_DATASET, synthetic_incidents


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return synthetic_incidents(5_000, seed=1)


def test_conformed_to_the_schema(demo):
    assert list(demo.columns) == list(COLUMNS)
    assert {c: str(demo[c].dtype) for c in COLUMNS} == {
        c: str(conform(demo)[c].dtype) for c in COLUMNS}
    assert len(demo) == 5_000
    assert demo["incident_id"].is_unique
    assert str(demo["date_start"].dtype) == DTYPES["date_start"]


def test_every_row_says_it_is_synthetic(demo):
    assert (demo["dataset"] == SYNTHETIC_DATASET).all()
    assert demo["incident_id"].str.fullmatch(r"synthetic:\d+").all()
    assert demo["description"].str.contains("SYNTHETIC").all()
    assert not demo["actor"].str.contains("JNIM|Wagner|ISWAP|Islamic State", regex=True).any()


def test_spread_over_the_sahel_and_ten_years(demo):
    lat, lon = demo["latitude"].dropna(), demo["longitude"].dropna()
    assert lat.min() > 9 and lat.max() < 22 and lon.min() > -13 and lon.max() < 16
    assert set(demo["country"].dropna()) == {"ML", "BF", "NE"}
    years = demo["date_start"].dt.year
    assert years.min() == 2014 and years.max() == 2023
    assert (years >= 2019).mean() > 0.5  # more events in later years
    assert set(demo["event_type"].dropna()) == set(EVENT_TYPE_CODES)
    assert set(demo["geo_precision"].dropna()) == set(GEO_PRECISIONS)
    assert 0.05 < demo["fatalities_best"].isna().mean() < 0.3  # unknown stays unknown
    assert 0 < demo["latitude"].isna().sum() < 100  # a few unmapped incidents
    assert (demo["date_precision"] != "day").any()


def test_deterministic_for_a_seed():
    a, b = synthetic_incidents(300, seed=7), synthetic_incidents(300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not synthetic_incidents(300, seed=8)["latitude"].equals(a["latitude"])


def test_zero_and_negative():
    assert synthetic_incidents(0).empty
    with pytest.raises(ValueError):
        synthetic_incidents(-1)
