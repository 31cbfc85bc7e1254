"""The analyst's daily loop in a real browser: smooth playback, reset, framing, phone."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.i18n import format_date

from .helpers import map_frame, metric_number, open_app, screenshot, wait_for_app, wait_for_markers

pytestmark = pytest.mark.e2e

MAP_VIEW_JS = "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"
# Records, from the first paint on, whether anything in the player or the timeline below the
# map was ever marked stale by Streamlit (greyed while a rerun redraws it).
STALE_WATCH_JS = """() => {
  window.__staleSeen = [];
  const check = () => {
    for (const el of document.querySelectorAll('[data-stale="true"]')) {
      if (el.closest('.ia-player') || el.querySelector('.ia-player')
          || el.querySelector('[data-testid="stVegaLiteChart"]')
          || el.closest('[data-testid="stVegaLiteChart"]')) {
        window.__staleSeen.push(Date.now() + ' ' + (el.className || '').slice(0, 80) + ' ' + location.search);
      }
    }
  };
  window.__staleObserver = new MutationObserver(check);
  window.__staleObserver.observe(document.body, {subtree: true, attributes: true,
                                                 attributeFilter: ['data-stale'], childList: true});
}"""
MARKERS_IN_DOM_JS = "() => window.iaTime ? window.iaTime.layer.getLayers().length : -1"


def _player(page):
    return page.locator(".ia-player")


#: The player's window, its readout and the sidebar's end date, read at one instant.
SHOWN_DATES_JS = """() => {
  const player = document.querySelector('.ia-player');
  const end = document.querySelector(".st-key-f_dates [data-range-field=end]");
  return [player.dataset.window, player.querySelector('.ia-window').innerText,
          end ? end.innerText : ''];
}"""


def test_play_ten_steps_in_place_without_stale_panel(page, streamlit_server, page_events):
    open_app(page, streamlit_server.url, "?start=2022-01-01&end=2022-01-31&lat=14.5&lon=-1.5"
             "&zoom=6")
    frame = map_frame(page)
    wait_for_markers(frame)
    frame.evaluate("() => { window.__atlasProbe = 'mounted-once'; }")
    before_view = frame.evaluate(MAP_VIEW_JS)
    player = _player(page)
    player.wait_for()
    # Dates as the server writes them (Babel's English medium date).
    assert player.locator(".ia-window").inner_text().startswith("Jan 1, 2022 → Jan 31, 2022")
    box = player.locator(".ia-play").bounding_box()
    assert box["y"] + box["height"] <= 900, box  # Play is on the first screen with the map

    # The map reports its first view once, which reruns the app: watch from after that.
    page.wait_for_timeout(2500)
    wait_for_app(page)
    page.evaluate(STALE_WATCH_JS)
    start_metric = metric_number(page)
    windows, metrics, layers = [], [], []
    player.locator(".ia-play").click()
    for _ in range(10):
        previous = player.get_attribute("data-window")
        page.wait_for_function(
            "(prev) => document.querySelector('.ia-player')"
            ".dataset.window !== prev", arg=previous, timeout=10_000)
        # Read together: on a loaded machine the next step can come between two reads.
        window, readout, sidebar = page.evaluate(SHOWN_DATES_JS)
        windows.append(window)
        metrics.append(metric_number(page))
        layers.append(frame.evaluate(MARKERS_IN_DOM_JS))
        # Every date shown agrees with the player's window during play.
        _start, end = window.split("/")
        assert format_date(date.fromisoformat(end), "en", "medium") in readout
        assert "".join(sidebar.split()) == end.replace("-", "/")
    assert len(set(windows)) == 10
    assert page.evaluate("() => window.__staleSeen") == []  # the panel never greyed
    assert metrics[-1] > start_metric and metrics == sorted(metrics)  # cumulative playback
    assert layers[-1] > layers[0]  # the points changed in place
    assert frame.evaluate("() => window.__atlasProbe") == "mounted-once"  # never re-mounted
    after_view = frame.evaluate(MAP_VIEW_JS)
    assert after_view[2] == before_view[2]
    assert abs(after_view[0] - before_view[0]) < 1e-6 and abs(after_view[1] - before_view[1]) < 1e-6
    screenshot(page, "loop_playing")

    player.locator(".ia-play").click()  # Pause: the server hears the window once
    page.wait_for_function("() => location.search.includes('end=2022-0')", timeout=20_000)
    wait_for_app(page)
    paused = player.get_attribute("data-window")
    assert paused.split("/")[1] in page.url
    assert metric_number(page) == metrics[-1] or metric_number(page) >= metrics[-1]
    page_events.assert_no_page_errors()


def test_reset_clears_the_search_box_for_good(page, streamlit_server):
    open_app(page, streamlit_server.url)
    # The map reports its first view, which reruns the app: type only once that is done.
    page.wait_for_function("() => location.search.includes('lat=')")
    wait_for_app(page)
    total = metric_number(page)
    box = page.locator(".st-key-f_text input")
    box.fill("Gao")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=Gao')")
    wait_for_app(page)
    assert metric_number(page) < total
    page.locator(".st-key-f_reset button").click()
    wait_for_app(page)
    assert box.input_value() == ""
    assert metric_number(page) == total
    page.get_by_role("link", name="Incidents").first.click()
    wait_for_app(page)
    assert metric_number(page) == total  # nothing re-applied on the next page
    assert page.locator(".st-key-f_text input").input_value() == ""


def test_a_link_to_an_incident_centres_on_it(page, streamlit_server):
    open_app(page, streamlit_server.url, "?incident=atlas:2024-09-17-bamako-faladie")
    frame = map_frame(page)
    wait_for_markers(frame)
    lat, lon, zoom = frame.evaluate(MAP_VIEW_JS)
    assert abs(lat - 12.6) < 0.3 and abs(lon + 7.95) < 0.3 and zoom >= 8


def test_first_view_frames_the_three_countries_and_zoom_to_results(page, streamlit_server):
    open_app(page, streamlit_server.url)
    frame = map_frame(page)
    wait_for_markers(frame)
    bounds = frame.evaluate("() => { const b = window.map.getBounds(); "
                            "return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }")
    assert bounds[1] <= -12 and bounds[3] >= 16 and bounds[0] <= 9.5 and bounds[2] >= 23
    legend_open = frame.evaluate("() => document.querySelector('.ia-legend details').open")
    assert legend_open is False  # collapsed: it does not cover the data
    page.locator(".st-key-f_country").click()
    page.get_by_role("option", name="Burkina Faso (BF)").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    page.get_by_role("button", name="Zoom to results").click()
    page.wait_for_function(
        "() => { const f = [...document.querySelectorAll('iframe')].find(i => { try { "
        "return i.contentWindow.map; } catch (e) { return false; } }); "
        "return f && f.contentWindow.map.getZoom() >= 6; }", timeout=20_000)
    lat, lon, _ = map_frame(page).evaluate(MAP_VIEW_JS)
    assert 9 < lat < 16 and -6 < lon < 3  # Burkina Faso


@pytest.mark.parametrize(("width", "height", "tag"), [(1440, 900, "desktop"),
                                                      (390, 844, "phone")])
def test_pages_fit_the_screen(browser, streamlit_server, asset_router, width, height, tag):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=tag == "phone", has_touch=tag == "phone")
    context.route("**/*", asset_router.handle)
    try:
        page = context.new_page()
        open_app(page, streamlit_server.url, "?incident=atlas:2024-09-17-bamako-faladie")
        frame = map_frame(page)
        wait_for_markers(frame)
        iframe_box = page.locator("iframe[title*='st_folium'], iframe").first.bounding_box()
        assert iframe_box["y"] < height * 0.6, iframe_box  # the map starts in the first screen
        play = page.locator(".ia-player .ia-play").bounding_box()
        details = page.get_by_text("Gendarmerie school", exact=False).first.bounding_box()
        sidebar_open = page.locator("[data-testid='stSidebar']").get_attribute("aria-expanded")
        if tag == "desktop":
            assert play["y"] + play["height"] <= height
            assert details["y"] < height
        else:
            assert sidebar_open != "true"  # the sidebar does not cover the page on a phone
            assert details["y"] > iframe_box["y"] + iframe_box["height"] - 1  # below the map
            assert page.locator("[data-testid='stExpandSidebarButton'], "
                                "[data-testid='stSidebarCollapsedControl']").count() >= 1
        screenshot(page, f"map_{tag}")
        page.get_by_role("link", name="Incidents").first.click() if tag == "desktop" else \
            page.goto(streamlit_server.url + "/incidents")
        wait_for_app(page)
        page.locator("[data-testid='stDataFrame'] canvas").first.wait_for()
        page.wait_for_timeout(500)  # the grid paints its first rows
        screenshot(page, f"incidents_{tag}")
        page.goto(streamlit_server.url + "/about")
        wait_for_app(page)
        assert page.locator(".st-key-f_country").count() == 0  # no filters on About
        screenshot(page, f"about_{tag}")
    finally:
        context.close()
