import json

import pandas as pd
import pytest

from incidents.errors import ReaderError
from incidents.readers.ucdp import looks_like_ucdp, read_ucdp
from tests.conftest import FIXTURES


def test_web_layout_maps_fields_and_rejects_bad_rows():
    result = read_ucdp(FIXTURES / "ucdp_web.csv")
    assert result.total == 5
    assert len(result.incidents) + len(result.rejected) == result.total
    df = result.incidents.set_index("incident_id")
    assert list(df.index) == ["ucdp:900001", "ucdp:900002", "ucdp:900003"]
    first = df.loc["ucdp:900001"]
    assert first["date_start"] == pd.Timestamp("2021-03-01")
    assert first["date_precision"] == "day"
    assert first["geo_precision"] == "town"  # where_prec 1: an exact populated place
    assert first["geocoder"] == "source"
    assert first["event_type"] == "battle"
    assert (first["actor"], first["target"]) == ("Government of Mali", "JNIM")
    assert (first["fatalities_low"], first["fatalities_best"], first["fatalities_high"]) == (3, 3, 5)
    assert first["admin1"] == "Mopti"  # " region" suffix dropped
    assert first["country"] == "ML"
    sources = json.loads(first["sources"])
    assert [s["publisher"] for s in sources[:2]] == ["Test Wire", "Other Paper"]
    assert sources[-1]["original"] == "army statement"
    second = df.loc["ucdp:900002"]
    assert second["event_type"] == "violence_against_civilians"
    assert second["date_precision"] == "month"
    assert second["geo_precision"] == "admin1"
    assert second["date_end"] == pd.Timestamp("2020-06-30")
    assert df.loc["ucdp:900003", "geo_precision"] == "country"
    assert df.loc["ucdp:900003", "fatalities_best"] == 0  # a stated zero stays zero
    reasons = {r.row: r.reason for r in result.rejected}
    assert "date_start" in reasons[4]
    assert "duplicate" in reasons[5]


def test_download_layout_with_iso_datetimes():
    result = read_ucdp(FIXTURES / "ucdp_download.csv")
    assert not result.rejected
    df = result.incidents.set_index("incident_id")
    assert df.loc["ucdp:800001", "fatalities_best"] == 10
    assert df.loc["ucdp:800001", "date_precision"] == "week"
    assert df.loc["ucdp:800001", "geo_precision"] == "admin2"
    assert df.loc["ucdp:800002", "date_precision"] == "year"
    assert df.loc["ucdp:800002", "date_end"] == pd.Timestamp("2022-12-31")


def test_not_ucdp_is_a_clear_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("date,place\n2024-01-01,Kati\n")
    assert not looks_like_ucdp(pd.read_csv(path).columns)
    with pytest.raises(ReaderError, match="missing columns"):
        read_ucdp(path)
