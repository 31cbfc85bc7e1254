import pandas as pd
import pytest

from incidents.errors import DataError
from incidents.schema import (
    COLUMN_DOCS,
    COLUMNS,
    EVENT_TYPES,
    GEO_PRECISION_RADIUS_KM,
    GEO_PRECISIONS,
    conform,
    empty_frame,
)
from tests.conftest import make_incident


def test_every_column_is_documented():
    assert set(COLUMN_DOCS) == set(COLUMNS)
    required = {"incident_id", "date_start", "date_end", "date_precision", "country",
                "country_name", "admin1", "admin2", "location", "latitude", "longitude",
                "geo_precision", "geocoder", "event_type", "actor", "target", "fatalities_low",
                "fatalities_best", "fatalities_high", "claims", "description", "sources",
                "dataset"}
    assert required <= set(COLUMNS)


def test_empty_frame_has_schema():
    df = empty_frame()
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 0
    assert str(df["fatalities_best"].dtype) == "Int64"


def test_unknown_fatalities_stay_na_not_zero():
    df = conform(pd.DataFrame([make_incident(fatalities_best=None)]))
    assert df["fatalities_best"].isna().all()
    assert df["fatalities_low"].isna().all()


def test_precision_classes_have_radii_and_event_types_are_unique():
    assert set(GEO_PRECISION_RADIUS_KM) == set(GEO_PRECISIONS)
    codes = [t.code for t in EVENT_TYPES]
    assert len(codes) == len(set(codes))
    assert all(t.color.startswith("#") for t in EVENT_TYPES)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"geo_precision": "street"}, "geo_precision"),
        ({"event_type": "picnic"}, "event_type"),
        ({"latitude": 95.0}, "out of range"),
        ({"latitude": pd.NA}, "both set"),
        ({"incident_id": None}, "incident_id"),
        ({"date_start": "not a date"}, "date_start"),
    ],
)
def test_conform_rejects_values_outside_the_schema(override, message):
    with pytest.raises(DataError, match=message):
        conform(pd.DataFrame([make_incident(**override)]))


def test_conform_rejects_duplicate_ids():
    rows = [make_incident(incident_id="x:1"), make_incident(incident_id="x:1")]
    with pytest.raises(DataError, match="duplicate"):
        conform(pd.DataFrame(rows))
