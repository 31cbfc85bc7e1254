"""The maps in a field office with no internet: every request but loopback is aborted.

The Map page, the Geocode review map and the exported file must show their data with the
shipped outlines and town labels, and try nothing outside the machine but basemap tiles (when
an online basemap is chosen). With the network "on" (tile servers answered by the harness),
the online basemaps still load their tiles.
"""

from __future__ import annotations

import pytest

from incidents.mapping import OFFLINE_MESSAGE

from .helpers import (
    app_exceptions,
    close_sidebar,
    map_frame,
    metric_number,
    open_app,
    screenshot,
    wait_for_app,
    wait_for_markers,
    wait_in_view,
)

# Layers of the shipped outlines on a map (drawn on canvas, so counted in Leaflet, not the DOM).
_OUTLINES_JS = """() => { const map = window.map || Object.values(window).find(
    (v) => v && v._container && v.getCenter);
  let n = 0; map.eachLayer((l) => { if (l.feature && l.feature.properties
    && l.feature.properties.kind === 'country') n++; }); return n; }"""
_LABELS_JS = "() => Array.from(document.querySelectorAll('.ia-label')).map((e) => e.textContent)"
_LOADED_TILES_JS = """() => Array.from(document.querySelectorAll('img.leaflet-tile'))
  .filter((i) => i.complete && i.naturalWidth === 256).length"""


def _labels(frame) -> list[str]:
    frame.wait_for_function("() => document.querySelectorAll('.ia-label').length > 0",
                            timeout=30_000, polling=250)
    return frame.evaluate(_LABELS_JS)


def test_map_page_without_internet_falls_back_to_outlines_and_labels(app_page, network,
                                                                      page_events):
    """The default basemap (tiles) cannot load: the map says so once and draws the labels;
    clusters, points and details work; nothing but tiles was asked of the internet."""
    assert app_exceptions(app_page) == []
    frame = map_frame(app_page)
    counts = wait_for_markers(frame)
    assert counts.clusters > 0 and counts.points == metric_number(app_page), counts
    note = frame.locator(".ia-offline-note")
    note.wait_for(timeout=30_000)
    assert note.inner_text() == OFFLINE_MESSAGE and note.count() == 1
    assert frame.evaluate(_OUTLINES_JS) >= 3
    labels = _labels(frame)
    assert {"Bamako", "Ouagadougou", "Niamey"} <= set(labels), labels
    assert frame.locator("img.leaflet-tile").count() == 0  # the failed tile layer is gone

    # A single point: its details open in the panel.
    frame.evaluate("() => { window.map.setView([12.58, -7.95], 12); }")
    wait_for_app(app_page)
    frame = map_frame(app_page)
    marker = frame.locator(".leaflet-marker-icon.ia-p-neighbourhood").first
    marker.click()
    wait_for_app(app_page)
    app_page.get_by_text("Gendarmerie school, Faladié district, Bamako").wait_for()
    assert "Bamako" in _labels(frame)

    assert network.tiles, "the online basemap did not even ask for its tiles"
    network.assert_offline(allow_tiles=True)
    page_events.assert_no_page_errors()
    page_events.assert_no_dialogs()


@pytest.mark.parametrize("viewport", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_offline_basemap_needs_nothing_from_outside(browser, network, streamlit_server,
                                                    page_events, viewport):
    """"Offline (no tiles)": no request leaves the machine; towns are readable near the points."""
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                              locale="en-US", timezone_id="UTC", service_workers="block")
    ctx.route("**/*", network.handle)
    page_events.attach(ctx)
    try:
        page = ctx.new_page()
        # Northern Burkina Faso and central Mali, where incidents cluster.
        open_app(page, streamlit_server.url, "?basemap=offline&lat=14.2&lon=-1.9&zoom=7",
                 timeout=120_000)
        if page.viewport_size["width"] < 600:  # the sidebar opens over the page on a phone
            close_sidebar(page)
        frame = map_frame(page)
        wait_for_markers(frame)
        labels = _labels(frame)
        assert {"Djibo", "Ouahigouya"} & set(labels), labels
        assert frame.locator(".ia-offline-note").count() == 0  # chosen, not a fallback
        assert frame.evaluate(_OUTLINES_JS) >= 3
        # Labels do not overlap one another.
        boxes = frame.evaluate("""() => Array.from(document.querySelectorAll('.ia-label span:last-child'))
            .map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
        overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
        assert not overlaps, overlaps[:3]
        wait_in_view(page, frame.frame_element())
        screenshot(page, f"offline_map_{viewport[0]}x{viewport[1]}")
        # Closer in, more towns and villages, still without overlap.
        frame.evaluate("() => { window.map.setView([14.1, -1.63], 9); }")
        wait_for_app(page)
        frame = map_frame(page)
        frame.wait_for_function("() => window.map.getZoom() === 9", polling=250)
        closer = _labels(frame)
        assert "Djibo" in closer and len(closer) >= 8, closer
        screenshot(page, f"offline_map_zoom9_{viewport[0]}x{viewport[1]}")
        network.assert_offline()
        assert network.attempts == []
        page_events.assert_no_page_errors()
    finally:
        ctx.close()


def test_online_basemap_still_loads_its_tiles(browser, streamlit_server, page_events):
    """With the network on (tile servers answered by the harness) the tiles are requested and
    drawn, and neither the fallback message nor the labels appear."""
    from .network import NetworkCut

    online = NetworkCut(tiles_online=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US",
                              timezone_id="UTC", service_workers="block")
    ctx.route("**/*", online.handle)
    try:
        for basemap, host in (("light", "server.arcgisonline.com"),
                              ("osm", "tile.openstreetmap.org")):
            page = ctx.new_page()
            open_app(page, streamlit_server.url, f"?basemap={basemap}", timeout=120_000)
            frame = map_frame(page)
            wait_for_markers(frame)
            frame.wait_for_function(f"() => ({_LOADED_TILES_JS})() >= 4", timeout=30_000,
                                    polling=250)
            assert any(host in url for url in online.tiles), online.tiles[:5]
            # Tiles loaded: the fallback (for tiles failing while none has loaded) is off.
            assert frame.locator(".ia-offline-note").count() == 0
            assert frame.locator(".ia-label").count() == 0
            page.close()
        online.assert_offline(allow_tiles=True)
    finally:
        ctx.close()


def test_map_works_under_a_base_url_path(streamlit_server_factory, page, network):
    """Behind a reverse proxy serving the app under /atlas/: the libraries still arrive."""
    server = streamlit_server_factory(extra_args=("--server.baseUrlPath", "atlas"))
    assert server.url.endswith("/atlas")
    open_app(page, server.url + "/", "?basemap=offline", timeout=120_000)
    frame = map_frame(page)
    assert "/atlas/component/" in frame.url
    counts = wait_for_markers(frame)
    assert counts.clusters > 0
    assert _labels(frame)
    network.assert_offline()


def test_geocode_review_map_shows_outlines_and_labels_offline(streamlit_server_factory, page,
                                                              network, page_events):
    server = streamlit_server_factory(env={"INCIDENTS_OPEN_EDITING": "1"})
    open_app(page, server.url, "geocode", timeout=120_000)
    # Review every place: the queue is then never empty.
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("End")
    wait_for_app(page)
    frame = map_frame(page)
    # The review map sits below the fold: an off-screen frame gets no animation frames, so
    # poll on a timer instead of requestAnimationFrame.
    frame.wait_for_function(f"() => ({_OUTLINES_JS})() >= 3", timeout=30_000, polling=250)
    note = frame.locator(".ia-offline-note")
    note.wait_for(timeout=30_000)
    assert note.inner_text() == OFFLINE_MESSAGE
    # The first place under review may be a site (zoom 13, no town in view): look from the
    # zoom at which an analyst places a village, around it.
    frame.evaluate("() => { const c = window.map.getCenter(); window.map.setView(c, 9); }")
    assert _labels(frame)
    # The current match (a circle) and numbered candidates.
    assert frame.locator("path.leaflet-interactive, .leaflet-marker-icon").count() >= 1
    wait_in_view(page, frame.frame_element())
    screenshot(page, "offline_geocode_review")
    network.assert_offline(allow_tiles=True)
    page_events.assert_no_page_errors()
