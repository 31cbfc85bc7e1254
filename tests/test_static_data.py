"""Map data published once as static scripts, instead of inside every map message."""

import streamlit_folium as sf

from incidents.mapping import (
    APP_STATIC_BASE,
    DEFAULT_CENTER,
    MapView,
    Viewport,
    build_base_map,
    build_incident_layer,
    layer_payload,
    static_data,
)
from incidents.synthetic import synthetic_incidents


def test_publish_writes_one_content_addressed_script(tmp_path, monkeypatch):
    monkeypatch.setattr(static_data, "STATIC_DIR", tmp_path)
    monkeypatch.setattr(static_data, "ATLAS_DIR", tmp_path / "atlas")
    path = static_data.publish("outlines", '{"a":1}')
    assert path.startswith("atlas/outlines-") and path.endswith(".js")
    text = (tmp_path / path).read_text()
    assert "window.iaStatic['outlines'] = {\"a\":1};" in text
    assert static_data.publish("outlines", '{"a":1}') == path  # same data, same file
    newer = static_data.publish("outlines", '{"a":2}')
    assert newer != path  # new data, new name
    assert not (tmp_path / path).exists() and (tmp_path / newer).is_file()  # old one gone


def test_publish_gives_up_quietly_when_static_is_read_only(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(static_data, "STATIC_DIR", tmp_path)
    monkeypatch.setattr(static_data, "ATLAS_DIR", blocked / "atlas")
    assert static_data.publish("outlines", "{}") is None


def _message_parts(link_data):
    df = synthetic_incidents(30_000, seed=1)
    base = build_base_map(MapView(), link_data=link_data)
    viewport = Viewport.around(DEFAULT_CENTER, 5)
    layer = build_incident_layer(df.iloc[0:0], MapView(), viewport=viewport,
                                 link_data=link_data,
                                 payload=layer_payload(df, "clusters", viewport))
    base.get_root().render()
    base.render()
    return sf._get_map_string(base), sf._get_feature_group_string(layer, map=base)


def test_the_app_map_links_its_outlines_and_bin_code_instead_of_sending_them():
    inline_script, inline_layer = _message_parts(False)
    script, layer = _message_parts(True)
    assert "window.iaStatic" in script and "FeatureCollection" not in script
    assert "Event type" in inline_script and "Event type" not in script  # the legend
    assert "FeatureCollection" in inline_script
    assert "function iaBinLayer" in inline_layer and "function iaBinLayer" not in layer
    assert "iaBinLayer(" in layer
    assert len(script) < len(inline_script) / 5 and len(layer) < len(inline_layer)
    assert "iaOfflineBasemap(" in script and "ia-labels" not in script
    assert len(script) < 4_000  # map, tiles and calls only: what every message carries
    base = build_base_map(MapView(), link_data=True)
    links = [src for child in base._children.values()
             for _, src in getattr(child, "default_js", [])
             if src.startswith(APP_STATIC_BASE + "atlas/")]
    # one script, not seven: streamlit-folium loads a map's scripts one after another
    assert len(links) == 1 and "/atlas/atlas_en-" in links[0]
    bundle = (static_data.STATIC_DIR / links[0][len(APP_STATIC_BASE):]).read_text()
    # the outlines, the labels, the legend, the layers' tables, the bin and incident layers'
    # and the offline basemap's code, in the order the map's script needs them
    needs = ["window.iaStatic['outlines'] =", "window.iaStatic['labels_en'] =",
             "window.iaStatic['legend_en'] =", "function iaBinLayer", "function iaIncidentLayer",
             "window.iaStatic['tables_en'] =", "function iaKeepScroll"]
    at = [bundle.find(text) for text in needs]
    assert -1 not in at and at == sorted(at), dict(zip(needs, at, strict=True))


def test_every_linked_script_can_be_published_ahead_of_time():
    from incidents.mapping import publish_static_scripts

    paths = publish_static_scripts()
    # one script per language: outlines, labels, legend, the layers' tables and code
    assert len(paths) == 2
    assert sum("atlas/atlas_fr-" in p for p in paths) == 1
    assert all((static_data.STATIC_DIR / p).is_file() for p in paths)
    french = next(p for p in paths if "atlas_fr-" in p)
    assert "window.iaStatic['legend_fr'] =" in (static_data.STATIC_DIR / french).read_text()


def test_the_app_map_sends_its_script_and_header_without_indentation():
    """What every rerun sends again: the same statements and options, one line each."""
    script, layer = _message_parts(True)
    inline_script, _ = _message_parts(False)
    base = build_base_map(MapView(), link_data=True)
    base.get_root().render()
    header = sf._get_header(base)
    lines = [line for line in (script + layer).splitlines() if line.strip()]
    assert lines and not [line for line in lines if line.startswith("  ")]
    assert len(header) < 800  # folium's: 1,100 bytes
    for text in ('L.map("map_div", {center: [', "crs: L.CRS.EPSG3857", '"zoomControl": true',
                 '"preferCanvas": true', '"maxZoom": 18', "L.control.scale().addTo(map_div);",
                 "L.tileLayer(", '"maxNativeZoom":', "tile_layer_div_0.addTo(map_div);",
                 "iaKeepScroll(map_div.getContainer());", "map.fitBounds(", "iaLegend(map_div"):
        assert text in script, text
        assert text.replace(" ", "") in inline_script.replace(" ", "").replace("\n", ""), text
    assert "L.featureGroup({});" in layer and "feature_group_0.addTo(map_div);" in layer
    # constant code and styles come with the linked map code, once
    assert "iaOutlines(map_div, window.iaStatic['outlines'], iaOutlineStyles);" in script
    assert "preventScroll" not in script and '"dashArray"' not in script
    assert "function iaKeepScroll" in inline_script and '"dashArray"' in inline_script
    linked = [src for child in base._children.values()
              for _, src in getattr(child, "default_js", []) if "/atlas/atlas_en-" in src]
    code = (static_data.STATIC_DIR / linked[0][len(APP_STATIC_BASE):]).read_text()
    assert "function iaKeepScroll" in code and "var iaOutlineStyles = {" in code
    assert "#map_div{position:relative;width:100.0%;height:100.0%" in header
    # the tile layer's options but those Leaflet has by default
    assert '"maxNativeZoom": 16,"attribution": ' in script and '"tms"' not in script
    assert '"tms": false' in inline_script
    # the export's map (not linked) keeps folium's templates
    assert '\n                    crs: L.CRS.EPSG3857,' in inline_script


def test_a_bundle_that_could_not_be_read_is_tried_again(tmp_path, monkeypatch):
    """A failed read (a script deleted under a running server) is not remembered."""
    from incidents.mapping import linking

    monkeypatch.setattr(linking, "STATIC_DIR", tmp_path)
    monkeypatch.setattr(linking, "_JOINED", {})
    paths = ("atlas/a-1.js", "atlas/b-2.js")
    assert linking._joined(paths) is None
    (tmp_path / "atlas").mkdir()
    (tmp_path / "atlas" / "a-1.js").write_text("var a = 1;")
    (tmp_path / "atlas" / "b-2.js").write_text("var b = 2;")
    assert linking._joined(paths) == "var a = 1;\n;\nvar b = 2;"
