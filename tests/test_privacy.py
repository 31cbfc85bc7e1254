"""The public view: no point finer than the policy, hidden fields gone, and exports respect it."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from conftest import make_incident
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.export import to_csv_bytes, to_geojson, to_standalone_html
from incidents.geocoding.model import haversine_km
from incidents.privacy import (
    COARSEN_LEVELS,
    GRID_DEGREES,
    PolicyError,
    PublicPolicy,
    apply_public_view,
    describe_policy,
    policy_from_settings,
)
from incidents.schema import GEO_PRECISION_RADIUS_KM, GEO_PRECISIONS, conform
from incidents.urlstate import ViewState

RANK = {p: i for i, p in enumerate(GEO_PRECISIONS)}


def exact_points(df: pd.DataFrame) -> set[tuple[float, float]]:
    fine = df[df["geo_precision"].isin(["site", "neighbourhood"]) & df["latitude"].notna()]
    return {(float(a), float(b)) for a, b in zip(fine["latitude"], fine["longitude"], strict=True)}


@pytest.mark.parametrize("level", COARSEN_LEVELS)
def test_no_point_is_finer_than_the_policy(small_frame, level):
    out = apply_public_view(small_frame, PublicPolicy(coarsen_to=level))
    located = out[out["latitude"].notna()]
    assert all(RANK[p] >= RANK[level] for p in located["geo_precision"])
    # every point that was finer moved, and none of the exact points is left anywhere
    for point in exact_points(small_frame):
        assert point not in set(zip(out["latitude"], out["longitude"], strict=True))
    # every point, whatever its label, sits on a cell centre of the policy's grid or coarser
    for lat, lon, shown in zip(located["latitude"], located["longitude"],
                               located["geo_precision"], strict=True):
        cell = GRID_DEGREES[shown if shown in GRID_DEGREES else "admin1"]
        assert cell >= GRID_DEGREES[level]
        for value in (lat, lon):
            assert abs(value / cell - 0.5 - round(value / cell - 0.5)) < 1e-3
    assert out["incident_id"].tolist() == small_frame["incident_id"].tolist()
    assert len(out) == len(small_frame)


@pytest.mark.parametrize("level", COARSEN_LEVELS)
def test_the_drawn_radius_still_holds_the_true_place(small_frame, level):
    out = apply_public_view(small_frame, PublicPolicy(coarsen_to=level))
    moved = small_frame["latitude"].notna() & (out["latitude"] != small_frame["latitude"])
    assert moved.any()
    for (_, before), (_, after) in zip(small_frame[moved].iterrows(), out[moved].iterrows(),
                                       strict=True):
        distance = haversine_km(before["latitude"], before["longitude"],
                                after["latitude"], after["longitude"])
        assert distance <= GEO_PRECISION_RADIUS_KM[after["geo_precision"]]
        assert RANK[after["geo_precision"]] >= RANK[level]


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(-89.9, 89.9), lon=st.floats(-179.9, 179.9),
       level=st.sampled_from(COARSEN_LEVELS))
def test_snapping_is_to_cell_centres(lat, lon, level):
    frame = conform(pd.DataFrame([make_incident(incident_id="h:1", latitude=lat, longitude=lon,
                                                geo_precision="site")]))
    out = apply_public_view(frame, PublicPolicy(coarsen_to=level)).iloc[0]
    cell = GRID_DEGREES[level]
    for before, after in ((lat, out["latitude"]), (lon, out["longitude"])):
        assert abs(after - before) <= cell / 2 + 1e-4
        assert abs((after / cell - 0.5) - round(after / cell - 0.5)) < 1e-3 or abs(after) >= 89.9


def test_nearby_sites_become_indistinguishable(small_frame):
    out = apply_public_view(small_frame, PublicPolicy(coarsen_to="admin2"))
    bamako = out[out["incident_id"].isin(["t:1", "t:6"])]  # Faladié and the airport, 7 km apart
    assert bamako["latitude"].nunique() == 1 and bamako["longitude"].nunique() == 1


def test_place_text_and_geocoder_of_moved_incidents_are_coarsened(small_frame):
    out = apply_public_view(small_frame, PublicPolicy(coarsen_to="admin1")).set_index(
        "incident_id")
    assert out.at["t:6", "location"] == "Bamako, Mali"  # not "Bamako-Sénou airport"
    assert pd.isna(out.at["t:6", "admin2"]) and pd.isna(out.at["t:6", "geocoder"])
    # a label is not trusted: text labelled admin1 is replaced by the area's name too
    assert out.at["t:4", "location"] == "Tillabéri, Niger"
    town = apply_public_view(small_frame, PublicPolicy(coarsen_to="town")).set_index(
        "incident_id")
    assert town.at["t:1", "location"] == "Commune VI, Bamako"
    assert town.at["t:3", "location"] == "Commune VI, Sahel"  # its admin 2, not "Djibo"


@pytest.mark.parametrize("level", COARSEN_LEVELS)
@pytest.mark.parametrize("label", GEO_PRECISIONS)
def test_a_point_labelled_coarse_is_still_moved(level, label):
    """A spreadsheet's typed site labelled "town" (or anything) never reaches a viewer."""
    frame = conform(pd.DataFrame([make_incident(
        incident_id="s:1", latitude=12.6393, longitude=-8.0028, geo_precision=label,
        location="Exact secret site ALPHA-7", geocoder="source")]))
    out = apply_public_view(frame, PublicPolicy(coarsen_to=level)).iloc[0]
    assert (out["latitude"], out["longitude"]) != (12.6393, -8.0028)
    cell = GRID_DEGREES.get(out["geo_precision"], GRID_DEGREES["admin1"])
    assert abs(out["latitude"] / cell - 0.5 - round(out["latitude"] / cell - 0.5)) < 1e-3
    assert RANK[out["geo_precision"]] >= max(RANK[level], RANK[label])
    assert "ALPHA" not in str(out["location"]) and pd.isna(out["geocoder"])
    csv = to_csv_bytes(apply_public_view(frame, PublicPolicy(coarsen_to=level))).decode()
    assert "12.6393" not in csv and "-8.0028" not in csv and "ALPHA" not in csv


def test_hidden_fields_are_gone(small_frame):
    policy = PublicPolicy(hidden_fields=("sources", "description", "claims", "date_precision"))
    out = apply_public_view(small_frame, policy)
    for column in policy.hidden_fields:
        assert out[column].isna().all()
    assert out["date_precision"].dtype == small_frame["date_precision"].dtype
    pd.testing.assert_frame_equal(out.drop(columns=list(policy.hidden_fields)),
                                  small_frame.drop(columns=list(policy.hidden_fields)))
    assert small_frame["sources"].notna().all()  # the input is not changed


def test_no_policy_changes_nothing(small_frame):
    assert apply_public_view(small_frame, PublicPolicy()) is small_frame
    assert describe_policy(PublicPolicy()) == ""


def test_exports_respect_the_public_view(small_frame):
    policy = PublicPolicy(coarsen_to="admin2", hidden_fields=("sources", "description"))
    public = apply_public_view(small_frame, policy)
    secret_texts = ["Bamako-Sénou airport", "Faladié", "<script>alert(1)</script> raid",
                    '"publisher"', "test incident"]
    csv = to_csv_bytes(public).decode("utf-8-sig")
    geojson = json.dumps(to_geojson(public), ensure_ascii=False)
    page = to_standalone_html(public, ViewState(), notice=describe_policy(policy))
    for text in secret_texts:
        assert text not in csv and text not in geojson and text not in page, text
    for lat, lon in exact_points(small_frame):  # 12.59469, -7.94706 and 12.5335, -7.94994
        for document in (csv, geojson, page):
            assert f"{lat:.3f}"[:-1] not in document and f"{lon:.3f}"[:-1] not in document
    assert "Public view" in page
    exported = pd.read_csv(io.BytesIO(csv.encode()), dtype=str)
    assert set(exported["geo_precision"].dropna()) <= {"admin2", "admin1", "country"}


@pytest.mark.parametrize(
    ("settings_", "environ", "expected"),
    [
        ({}, {}, PublicPolicy()),
        ({}, {"INCIDENTS_PUBLIC_PRECISION": "Admin2", "INCIDENTS_PUBLIC_HIDE": "sources, description"},
         PublicPolicy("admin2", ("sources", "description"))),
        ({"precision": "town", "hide": ["sources"]}, {"INCIDENTS_PUBLIC_PRECISION": "admin1"},
         PublicPolicy("town", ("sources",))),
        ({"precision": "off"}, {"INCIDENTS_PUBLIC_PRECISION": "admin1"}, PublicPolicy()),
    ],
)
def test_policy_from_settings(settings_, environ, expected):
    assert policy_from_settings(settings_, environ) == expected


@pytest.mark.parametrize(
    ("settings_", "message"),
    [
        ({"precision": "admin3"}, "not one of"),
        ({"hide": "sauces"}, "unknown fields"),
        ({"hide": "latitude"}, "cannot hide latitude"),
        ({"hide": "incident_id"}, "cannot hide incident_id"),
    ],
)
def test_a_wrong_setting_fails_closed(settings_, message):
    with pytest.raises(PolicyError, match=message):
        policy_from_settings(settings_, {})
