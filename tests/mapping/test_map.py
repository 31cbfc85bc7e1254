"""Map building: render the HTML and assert on it, as folium's own tests do."""

import json
import re

import folium
import folium.plugins
import pytest

from incidents.mapping import (
    BASEMAPS,
    LAYER_MODES,
    OFFLINE_MESSAGE,
    MapView,
    build_base_map,
    build_incident_layer,
    build_map,
    incident_id_from_tooltip,
    incidents_at,
)
from incidents.mapping.assets import (
    APP_STATIC_BASE,
    STATIC_DIR,
    VENDOR_PACKAGES,
    AssetError,
    localise,
)
from incidents.mapping.elements import decode_points, encode_points, safe_json
from incidents.mapping.offline import area_labels, place_labels


def render(m: folium.Map) -> str:
    return m.get_root().render()


def test_markers_are_built_in_the_browser_not_one_folium_marker_each(small_frame):
    html = render(build_map(small_frame, assets=APP_STATIC_BASE))
    assert "L.markerClusterGroup" in html
    assert html.count("L.marker(") == 1  # one loop in the layer's script
    assert "leaflet.markercluster.js" in html
    payload = decode_points(encode_points(small_frame))
    assert payload["n"] == len(payload["lat"]) == 5  # t:5 has no coordinates
    assert payload["f"][payload["idn"].index(4)] == -1  # t:4: unknown fatalities


def test_data_text_cannot_break_out_of_the_script(small_frame):
    df = small_frame.copy()
    df.loc[0, "location"] = '</script><img src=x onerror="alert(1)">'
    html = render(build_map(df))
    assert "</script><img" not in html
    assert "\\u003c/script\\u003e\\u003cimg" in html
    assert safe_json("<&>") == '"\\u003c\\u0026\\u003e"'


@pytest.mark.parametrize("basemap", list(BASEMAPS))
@pytest.mark.parametrize("layer", list(LAYER_MODES))
def test_every_basemap_and_layer_mode_renders(small_frame, basemap, layer):
    html = render(build_map(small_frame, MapView(basemap=basemap, layer=layer),
                            assets=APP_STATIC_BASE))
    assert "maxZoom" in html or "max_zoom" in html
    if layer == "heat":
        assert "L.heatLayer" in html
    if basemap in ("none", "offline"):
        assert "L.tileLayer" not in html
    else:
        assert "L.tileLayer" in html


def test_selected_incident_shows_its_uncertainty_radius(small_frame):
    html = render(build_map(small_frame, MapView(selected="t:3")))  # town precision: 5 km
    assert re.search(r'"radius":\s*5000\.0', html)


def test_legend_and_fit_bounds(small_frame):
    html = render(build_map(small_frame))
    assert "Event type" in html and "Place known to" in html
    assert re.search(r"map_[0-9a-f]+\.fitBounds\(", html)  # not Leaflet's own, inlined


def test_base_map_and_layer_are_separate(small_frame):
    base = render(build_base_map(MapView(basemap="osm")))
    assert "L.markerClusterGroup" not in base
    assert "leaflet.markercluster.js" in base  # loaded with the map for later layers
    layer = build_incident_layer(small_frame, MapView())
    assert isinstance(layer, folium.FeatureGroup)


def test_click_resolution(small_frame):
    assert incident_id_from_tooltip("2024-09-17 · Armed attack · Faladié [t:1]") == "t:1"
    assert incident_id_from_tooltip("no id here") is None
    assert incident_id_from_tooltip(None) is None
    assert list(incidents_at(small_frame, 12.5335, -7.94994)["incident_id"]) == ["t:6"]


@pytest.mark.parametrize("layer", list(LAYER_MODES))
def test_an_empty_selection_renders_an_empty_layer(small_frame, layer):
    html = render(build_map(small_frame.iloc[0:0], MapView(layer=layer)))
    assert html.count("L.map(") == 1  # the map opens
    assert not re.search(r"map_[0-9a-f]+\.fitBounds\(", html)  # with nothing to frame
    if layer == "heat":
        assert "L.heatLayer(" not in html
    else:
        assert '{"n":0,' in html  # a layer of no points


def test_offline_outlines_give_the_map_its_bearings(small_frame):
    html = render(build_base_map(MapView(basemap="none")))
    assert "L.geoJson" in html and '"Mali"' in html and "interactive: false" in html
    assert "L.geoJson" not in render(build_base_map(MapView(basemap="none"), context=False))


def test_legend_starts_collapsed_in_a_corner_and_has_a_heat_scale():
    from incidents.mapping.elements import Legend

    assert 'position: "bottomleft"' in render(build_base_map(MapView()))
    html = json.loads(Legend().html_json)
    assert "<details open" not in html and "<details>" in html
    assert "ia-legend-heat" in html and "linear-gradient" in html and "more incidents" in html


def test_first_view_frames_the_three_countries_unless_a_view_is_asked_for():
    from incidents.mapping import SAHEL_BOUNDS

    html = render(build_base_map(MapView()))
    assert "fitBounds" in html and json.dumps(SAHEL_BOUNDS[0]).replace(" ", "") in \
        html.replace(" ", "")
    assert "fitBounds" not in render(build_base_map(MapView(center=(12.6, -8.0), zoom=9)))


def test_points_carry_their_day_range_and_the_window_filters_them_in_the_browser(small_frame):
    import datetime as dt

    from incidents.mapping.elements import decode_points, encode_points
    from incidents.timeline import effective_days

    data = decode_points(encode_points(small_frame))
    first, last = effective_days(small_frame[small_frame["latitude"].notna()])
    assert [data["d0"] + x for x in data["lo"]] == first.tolist()
    assert [data["d0"] + x for x in data["hi"]] == last.tolist()
    layer = build_incident_layer(small_frame, MapView(),
                                 window=(dt.date(2023, 3, 1), dt.date(2023, 3, 31)))
    html = folium.Map().add_child(layer).get_root().render()
    start = (dt.date(2023, 3, 1) - dt.date(1970, 1, 1)).days
    # The layer's call gets the window (then clustering) after its data and tables.
    assert f"[{start},{start + 30}], true);" in html and "window.iaTime" in html


def test_zoom_to_results_frames_the_incidents(small_frame):
    from incidents.mapping import results_bounds

    bounds = results_bounds(small_frame)
    located = small_frame.dropna(subset=["latitude"])
    assert bounds == [[located["latitude"].min(), located["longitude"].min()],
                      [located["latitude"].max(), located["longitude"].max()]]
    html = folium.Map().add_child(build_incident_layer(small_frame, MapView(), fit=3)) \
        .get_root().render()
    assert "fitBounds" in html and "request 3" in html
    assert results_bounds(small_frame.iloc[0:0]) is None


def test_offline_basemap_labels_towns_and_is_the_fallback_of_tiles():
    offline = render(build_base_map(MapView(basemap="offline")))
    assert '"always"' in offline and "L.tileLayer" not in offline
    for town in ("Bamako", "Ouagadougou", "Niamey", "Gao", "Djibo", "Ménaka"):
        assert f'"{town}"' in offline
    light = render(build_base_map(MapView(basemap="light")))
    assert '"fallback"' in light and "L.tileLayer" in light
    assert OFFLINE_MESSAGE == "Basemap tiles need internet; showing offline outlines"
    assert OFFLINE_MESSAGE in light
    assert '"never"' in render(build_base_map(MapView(basemap="none")))


def test_place_labels_rank_capitals_first_and_thin_out_by_zoom():
    places = place_labels()
    rank = dict(zip(places["name"], places["rank"], strict=False))
    assert {rank["Bamako"], rank["Ouagadougou"], rank["Niamey"], rank["Dakar"]} == {0}
    assert rank["Gao"] == rank["Dori"] == rank["Agadez"] == 1  # regional capitals
    assert rank["Djibo"] <= 2  # a province capital
    assert places["priority"] == sorted(places["priority"])
    assert places["minzoom"] == sorted(places["minzoom"])  # more places as the map zooms in
    areas = {a["name"]: a for a in area_labels()}
    assert areas["Mali"]["kind"] == "country" and areas["Mali"]["maxzoom"] <= 7
    assert 15 < areas["Mali"]["lat"] < 20 and -6 < areas["Mali"]["lon"] < 0  # inside Mali
    assert areas["Soum"]["kind"] == "region"  # Burkina Faso's province, without "(Sahel)"


def test_app_maps_link_only_the_vendored_files(small_frame):
    base = render(build_base_map())
    layer = build_incident_layer(small_frame, MapView(layer="heat"))
    links = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', base)
    links += [url for el in [layer, *layer._children.values()]
              for _, url in getattr(el, "default_js", []) + getattr(el, "default_css", [])]
    assert links and all(url.startswith(APP_STATIC_BASE + "vendor/") for url in links), links
    assert all((STATIC_DIR / url.removeprefix(APP_STATIC_BASE)).is_file() for url in links)
    assert "cdn" not in base and "bootstrap" not in base and "font-awesome" not in base


def test_a_standalone_map_needs_no_network(small_frame):
    html = render(build_map(small_frame))
    assert not re.search(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=", html)
    assert "L.markerClusterGroup" in html and "data:image/png;base64," in html
    assert "url(images/" not in html


def test_a_plugin_without_a_vendored_copy_is_refused():
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(AssetError, match="no vendored copy"):
        localise(m)


def test_every_vendored_file_is_committed():
    for package in VENDOR_PACKAGES:
        for _, dest in package.files:
            assert (STATIC_DIR / package.path(dest)).is_file(), package.path(dest)


def test_the_offline_basemap_names_countries_in_the_map_language(small_frame):
    from incidents.mapping.offline import OfflineBasemap

    french = OfflineBasemap(lang="fr").data_json
    english = OfflineBasemap(lang="en").data_json
    assert "Mauritanie" in french and "Mauritania" not in french
    assert "Mauritania" in english
    html = render(build_base_map(MapView(basemap="offline", lang="fr")))
    assert "Mauritanie" in html and "Légende" in html
