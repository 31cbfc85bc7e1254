"""User journeys in a real browser: read an incident, scrub through time, share a view."""

from __future__ import annotations

import contextlib
import re

import pytest

from .helpers import (
    PlaywrightError,
    map_frame,
    metric_number,
    open_app,
    screenshot,
    wait_for_app,
    wait_for_link,
    wait_for_markers,
)

pytestmark = pytest.mark.e2e

# Leaflet's map object in the streamlit-folium iframe.
MAP_VIEW_JS = "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"
PROBE_SET_JS = "() => { window.__atlasProbe = 'mounted-once'; }"
PROBE_GET_JS = "() => window.__atlasProbe || null"
# An element whose box has not moved nor changed size for 300 ms (Vega done drawing).
STEADY_JS = """(el) => {
  const r = el.getBoundingClientRect(), key = [r.x, r.y, r.width, r.height].join(),
        now = performance.now(), last = el.__iaBox;
  el.__iaBox = {key, since: last && last.key === key ? last.since : now};
  return r.width > 0 && now - el.__iaBox.since >= 300;
}"""
# The map reported the view it was moved to, and the app wrote it into the link.
VIEW_IN_LINK_JS = """([lat, lon, zoom]) => {
  const q = new URLSearchParams(location.search);
  return q.get('zoom') === String(zoom) && Math.abs(Number(q.get('lat')) - lat) < 0.05
    && Math.abs(Number(q.get('lon')) - lon) < 0.05;
}"""
# While the player plays: the distinct Incidents metrics and map-layer sizes seen so far
# (the map's iframe is the app's own: the page reads its layer). True once both changed.
PLAYBACK_SEEN_JS = """() => {
  const seen = window.__iaSeen || (window.__iaSeen = {metrics: new Set(), points: new Set()});
  const metric = Array.from(document.querySelectorAll('[data-testid="stMetric"]')).find(
    (m) => (m.querySelector('[data-testid="stMetricLabel"]') || {}).innerText === 'Incidents');
  const map = Array.from(document.querySelectorAll('iframe')).map((f) => {
    try { return f.contentWindow.iaTime ? f.contentWindow : null; } catch (e) { return null; }
  }).find(Boolean);
  if (metric) seen.metrics.add(metric.querySelector('[data-testid="stMetricValue"]').innerText);
  if (map) seen.points.add(map.iaTime.layer.getLayers().length);
  return seen.metrics.size >= 2 && seen.points.size >= 2;
}"""


def _set_view(page, lat: float, lon: float, zoom: int) -> None:
    """Move the map as a user would, then wait for the rerun its report triggers."""
    map_frame(page).evaluate(
        f"() => {{ window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
    page.wait_for_function(VIEW_IN_LINK_JS, arg=[lat, lon, zoom], polling=100)
    wait_for_app(page)


VISIBLE_MARKER_JS = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const icons = [...document.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)')];
  return icons.findIndex(el => {
    const r = el.getBoundingClientRect();
    return r.left > box.left + 20 && r.right < box.right - 20 && r.top > box.top + 20
        && r.bottom < box.bottom - 20;
  });
}"""


def _click_visible_marker(page) -> None:
    """Click a single-incident marker that lies inside the map, as a user would."""
    page.locator("iframe").first.scroll_into_view_if_needed()
    frame = map_frame(page)
    index = frame.evaluate(VISIBLE_MARKER_JS)
    assert index >= 0, "no single marker inside the map"
    before = page.evaluate("() => location.search")
    frame.locator(".leaflet-marker-icon:not(.marker-cluster)").nth(index).click()
    wait_for_link(page, before)  # the selection is in the link


def _player_button(page, name: str):
    return page.locator(f".ia-player .ia-{name}")


def _window_text(page) -> str:
    return page.locator(".ia-player .ia-window").inner_text()


def test_open_see_markers_click_and_read_details(app_page, asset_router, page_events):
    frame = map_frame(app_page)
    counts = wait_for_markers(frame)
    assert counts.clusters > 0
    _set_view(app_page, 12.58, -7.95, 12)  # Bamako: the airport and Faladié are single points
    frame = map_frame(app_page)
    marker = frame.locator(".leaflet-marker-icon.ia-p-neighbourhood").first
    before = app_page.evaluate("() => location.search")
    marker.click()
    wait_for_link(app_page, before)  # the selection is in the link
    details = app_page.get_by_text("Gendarmerie school, Faladié district, Bamako")
    details.wait_for()
    assert app_page.get_by_text("Eyewitnesses").count() >= 1
    assert app_page.get_by_text("Place precision").count() >= 1
    assert "incident=atlas" in app_page.url
    screenshot(app_page, "journey_details")
    asset_router.assert_no_missing_assets()
    page_events.assert_no_dialogs()


def test_step_and_play_change_the_map_but_not_the_view(page, streamlit_server, page_events):
    open_app(page, streamlit_server.url, "?start=2023-01-01&end=2023-01-31")
    wait_for_markers(map_frame(page))
    # The map reports its first (framed) view, which reruns the app: move it only after that.
    page.wait_for_function("() => location.search.includes('lat=')")
    wait_for_app(page)
    _set_view(page, 14.5, -3.5, 7)
    map_frame(page).evaluate(PROBE_SET_JS)
    before_metric = metric_number(page)
    before_view = map_frame(page).evaluate(MAP_VIEW_JS)

    _player_button(page, "fwd").click()
    page.wait_for_function("() => location.search.includes('start=2023-01-08')")
    wait_for_app(page)
    assert metric_number(page) != before_metric
    assert "Jan 8, 2023 → Feb 7, 2023" in _window_text(page)  # Babel's English medium date

    _player_button(page, "play").click()
    # The Incidents metric follows the window, and so do the points in the map's layer (icons
    # on screen can stay the same while clusters regroup).
    page.wait_for_function(PLAYBACK_SEEN_JS, polling=250, timeout=30_000)
    _player_button(page, "play").click()  # now labelled Pause
    page.wait_for_function("() => document.querySelector('.ia-player').dataset.playing "
                           "=== 'false'", polling=100)
    wait_for_app(page)
    frame = map_frame(page)
    assert frame.evaluate(PROBE_GET_JS) == "mounted-once"  # the map was never re-mounted
    after_view = frame.evaluate(MAP_VIEW_JS)
    assert after_view[2] == before_view[2] == 7
    assert abs(after_view[0] - before_view[0]) < 0.05 and abs(after_view[1] - before_view[1]) < 0.05
    screenshot(page, "journey_playback")
    page_events.assert_no_dialogs()


def test_brushing_the_timeline_sets_the_window(page, streamlit_server):
    open_app(page, streamlit_server.url)
    # The map reports its first view, which reruns the app: drag only once that is done.
    page.wait_for_function("() => location.search.includes('lat=')")
    wait_for_app(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    drawing = chart.locator("canvas, svg").first
    for _attempt in range(3):  # a drag that lands while Vega re-renders is lost: try again
        chart.scroll_into_view_if_needed()
        drawing.wait_for(state="visible")
        page.wait_for_function(STEADY_JS, arg=drawing.element_handle(), polling=100)
        box = drawing.bounding_box()
        y = box["y"] + box["height"] * 0.45
        page.mouse.move(box["x"] + box["width"] * 0.55, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.62, y, steps=8)
        page.mouse.up()
        with contextlib.suppress(PlaywrightError):  # the brush's window reaches the link
            page.wait_for_function("() => location.search.includes('start=')", polling=100,
                                   timeout=10_000)
        wait_for_app(page)
        if "start=" in page.url:
            break
    screenshot(page, "journey_brush")
    total = metric_number(page)
    assert 0 < total < 4212
    assert re.search(r"start=\d{4}-\d{2}-\d{2}", page.url)


def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(
    page, streamlit_server, browser, asset_router
):
    open_app(page, streamlit_server.url, "?country=ML&type=battle&start=2019-01-01&end=2020-12-31")
    wait_for_markers(map_frame(page))
    _set_view(page, 14.4, -4.2, 8)
    _click_visible_marker(page)
    frame = map_frame(page)
    assert "incident=" in page.url
    expander = page.get_by_text("Share this view")
    expander.click()
    link = page.locator("[data-testid='stSidebar'] [data-testid='stCode'] code").inner_text()
    link = "".join(link.split())
    assert link.startswith(streamlit_server.url) and "incident=" in link
    metric, view = metric_number(page), frame.evaluate(MAP_VIEW_JS)
    selected = re.search(r"incident=([^&]+)", link).group(1)

    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    fresh.route("**/*", asset_router.handle)
    try:
        other = fresh.new_page()
        other.goto(link)
        wait_for_app(other)
        wait_for_markers(map_frame(other))
        assert metric_number(other) == metric
        other_view = map_frame(other).evaluate(MAP_VIEW_JS)
        assert other_view[2] == view[2]
        assert abs(other_view[0] - view[0]) < 0.01 and abs(other_view[1] - view[1]) < 0.01
        from urllib.parse import unquote

        assert other.get_by_text(unquote(selected), exact=False).count() >= 1
        screenshot(other, "journey_shared_link")
    finally:
        fresh.close()
