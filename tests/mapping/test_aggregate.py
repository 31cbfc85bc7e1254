"""Server-side aggregation: viewports, points or bins, grid bins, and the layer they build."""

import json
import re

import folium
import numpy as np
import pandas as pd
import pytest

from incidents.mapping import (
    POINT_LIMITS,
    Bounds,
    MapView,
    Viewport,
    build_incident_layer,
    build_map,
    choose_kind,
    grid_bins,
    layer_payload,
)
from incidents.mapping.aggregate import in_view
from incidents.mapping.assets import APP_STATIC_BASE
from incidents.mapping.elements import decode_points, unpack_ints
from incidents.schema import EVENT_TYPE_CODES
from incidents.synthetic import synthetic_incidents

LEAFLET_BOUNDS = {"_southWest": {"lat": 13.0, "lng": -3.0}, "_northEast": {"lat": 15.0, "lng": 0.5}}


@pytest.fixture(scope="module")
def many() -> pd.DataFrame:
    return synthetic_incidents(30_000, seed=2)


def render(m: folium.Map) -> str:
    return m.get_root().render()


def test_viewport_from_st_folium_answer():
    vp = Viewport.from_leaflet({"bounds": LEAFLET_BOUNDS, "zoom": 8, "center": {}})
    assert vp == Viewport(Bounds(13.0, -3.0, 15.0, 0.5), 8)
    assert hash(vp)  # a cache key
    assert Viewport.from_leaflet(None) is None
    assert Viewport.from_leaflet({"bounds": {"_southWest": None}, "zoom": 3}) is None
    assert Viewport.from_leaflet({"bounds": LEAFLET_BOUNDS, "zoom": None}) is None


def test_viewport_around_a_center():
    vp = Viewport.around((15.0, -2.0), 5, width_px=1000, height_px=620)
    b = vp.bounds
    assert b.south < 15 < b.north and b.west < -2 < b.east
    assert b.east - b.west == pytest.approx(1000 * 360 / (256 * 2**5), abs=0.01)


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        (None, 3),
        (Bounds(10, -10, 20, 10), 2),
        (Bounds(10, 170, 20, 190), 1),  # across the antimeridian: 179.5 is in
        (Bounds(-80, -400, 80, 400), 3),  # zoomed far out
    ],
)
def test_in_view(bounds, expected):
    df = pd.DataFrame({"latitude": pd.array([15, 12, 14.5, None], dtype="Float64"),
                       "longitude": pd.array([0, 5, 179.5, None], dtype="Float64")})
    assert int(in_view(df, bounds).sum()) == expected


def test_choose_kind_by_limit():
    limit = POINT_LIMITS["clusters"]
    assert choose_kind(limit, "clusters") == "points"
    assert choose_kind(limit + 1, "clusters") == "bins"
    assert choose_kind(POINT_LIMITS["markers"] + 1, "markers") == "bins"


def test_grid_bins_count_every_incident_in_view(many):
    bounds = Bounds(10, -12, 20, 15)
    bins = grid_bins(many, bounds, 6)
    assert list(bins.columns[:4]) == ["lat", "lon", "incidents", "fatalities"]
    assert list(bins.columns[4:]) == list(EVENT_TYPE_CODES)
    assert bins["incidents"].sum() == int(in_view(many, bounds).sum())
    assert (bins[list(EVENT_TYPE_CODES)].sum(axis=1) == bins["incidents"]).all()
    inside = many[in_view(many, bounds)]
    assert bins["fatalities"].sum() == int(inside["fatalities_best"].sum())
    # A bin sits at its incidents' centroid, inside the view.
    assert bins["lat"].between(10, 20).all() and bins["lon"].between(-12, 15).all()
    # Finer bins when zoomed in; the same grid whatever the view (bins do not move on a pan).
    assert len(grid_bins(many, bounds, 8)) > len(bins)
    half = grid_bins(many, Bounds(10, -12, 20, 1.5), 6)
    assert len(half) < len(bins)


def test_grid_bins_empty():
    empty = synthetic_incidents(0)
    assert grid_bins(empty, None, 5).empty


def test_small_data_travels_as_the_same_points_wherever_the_map_is(small_frame):
    a = layer_payload(small_frame, "clusters", None)
    b = layer_payload(small_frame, "clusters", Viewport(Bounds(0, 0, 1, 1), 9))
    assert a.kind == "points" and a.sent == 5
    assert a.data == b.data  # same string: streamlit-folium does not redraw on a pan


def test_many_in_view_become_bins_and_zooming_in_gives_points(many, monkeypatch):
    monkeypatch.setitem(POINT_LIMITS, "clusters", 5_000)
    wide = layer_payload(many, "clusters", Viewport(Bounds(5, -20, 25, 20), 5))
    assert wide.kind == "bins" and wide.in_view > 5_000
    bins = json.loads(wide.data)
    assert sum(unpack_ints(bins["n"])) == wide.in_view  # the padded view holds the whole view
    close = layer_payload(many, "clusters", Viewport.around((14.10, -1.63), 11))
    assert close.kind == "points" and 0 < close.sent <= 5_000


def test_bins_layer_says_zoom_in_and_never_names_an_incident(many, monkeypatch):
    monkeypatch.setitem(POINT_LIMITS, "clusters", 1_000)
    # Scripts linked, not inlined: the page then holds only the map's own code.
    html = render(build_map(many, MapView(center=(15.0, -2.0), zoom=5), assets=APP_STATIC_BASE))
    assert "zoom in" in html and "ia-bin" in html and "setView" in html
    assert "synthetic:" not in html  # bins carry counts, not incidents
    assert "L.markerClusterGroup" not in html.split("leaflet.markercluster.js")[-1]


def test_heat_layer_bins_when_many(many, monkeypatch):
    monkeypatch.setitem(POINT_LIMITS, "heat", 1_000)
    payload = layer_payload(many, "heat", None)
    assert payload.kind == "heat" and payload.sent < 1_000
    w = json.loads(payload.data)["w"]
    assert max(w) == 1.0 and min(w) > 0
    html = render(build_map(many, MapView(layer="heat"), assets=APP_STATIC_BASE))
    assert "L.heatLayer" in html


def test_payload_is_compact_and_round_trips(small_frame):
    payload = decode_points(layer_payload(small_frame).data)
    n = payload["n"]
    lat = np.array(payload["lat"]) / 1e5
    assert sorted(lat.round(5)) == sorted(small_frame["latitude"].dropna().round(5))
    ids = [payload["idp"][payload["idi"][i]] + str(payload["idn"][i]) for i in range(n)]
    assert sorted(ids) == sorted(small_frame.loc[small_frame["latitude"].notna(), "incident_id"])
    assert len(payload["tp"]) == n and len(payload["dp"]) == n


def test_cached_payload_builds_the_same_layer(small_frame):
    view = MapView(selected="t:3")
    payload = layer_payload(small_frame, view.layer)
    a = render_layer(build_incident_layer(small_frame, view, payload=payload))
    b = render_layer(build_incident_layer(small_frame, view))
    assert re.sub(r"_[0-9a-f]{32}", "", a) == re.sub(r"_[0-9a-f]{32}", "", b)


def render_layer(group: folium.FeatureGroup) -> str:
    m = folium.Map()
    group.add_to(m)
    return render(m)


@pytest.mark.parametrize("values", [
    [0, 1, -1, 63, -64, 64, 8191, -8192, 10**12, -10**12],
    list(range(-300, 300, 7)),
    [],
])
@pytest.mark.parametrize("delta", [False, True])
def test_packed_integers_round_trip(values, delta):
    from incidents.mapping.elements import pack_ints, unpack_ints

    assert unpack_ints(pack_ints(np.array(values, dtype=np.int64), delta=delta),
                       delta=delta) == values


def test_grid_bins_agree_on_the_dense_and_the_sorted_path(many, monkeypatch):
    import incidents.mapping.aggregate as aggregate

    dense = grid_bins(many, None, 7)
    monkeypatch.setattr(aggregate, "_DENSE_CELLS", 0)
    pd.testing.assert_frame_equal(dense, grid_bins(many, None, 7))
