"""The standalone HTML export plays back in Chromium from a file:// URL, with no server running.

The network is cut, as everywhere in these tests: the page carries its scripts and styles, and
only the basemap tiles (which cannot load) are asked of the internet.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from incidents.export import to_standalone_html
from incidents.schema import conform
from incidents.urlstate import ViewState

from .helpers import count_markers, screenshot

TRAIL_DAYS = 10
DAY_MS = 86_400_000


def _frame() -> pd.DataFrame:
    """Twelve incidents, one a month through 2024, at distinct places in Mali and Burkina Faso."""
    rows = []
    for month in range(1, 13):
        day = dt.date(2024, month, 10)
        rows.append({
            "incident_id": f"e2e:{month}", "date_start": day, "date_end": day,
            "date_precision": "day", "country": "ML", "country_name": "Mali",
            "location": f"Place {month}", "latitude": 12.0 + month * 0.4,
            "longitude": -8.0 + month * 0.5, "geo_precision": "town", "event_type": "attack",
            "fatalities_best": month, "dataset": "e2e",
            "description": "<script>alert('xss')</script> raid" if month == 6 else "raid",
        })
    # a month-long incident overlapping several others
    rows.append({"incident_id": "e2e:long", "date_start": dt.date(2024, 3, 1),
                 "date_end": dt.date(2024, 3, 31), "date_precision": "month", "country": "BF",
                 "latitude": 14.1, "longitude": -1.6, "geo_precision": "admin2",
                 "event_type": "battle", "location": "Djibo area", "dataset": "e2e"})
    return conform(pd.DataFrame(rows))


def _visible_at(frame: pd.DataFrame, time_ms: float) -> int:
    start = frame["date_start"].astype("datetime64[ms]").astype("int64")
    end = frame["date_end"].astype("datetime64[ms]").astype("int64") + DAY_MS - 1 \
        + TRAIL_DAYS * DAY_MS
    return int(((start <= time_ms) & (time_ms <= end)).sum())


_VISIBLE_MARKERS = """() => Array.from(document.querySelectorAll('.leaflet-marker-icon.ia-marker'))
  .filter((m) => {
    const r = m.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
    const top = document.elementFromPoint(x, y);
    return top === m || m.contains(top);  // not hidden behind the title box or the slider
  }).length"""


def visible_markers(page) -> int:
    """Markers on screen and not covered, checked against the DOM count of the harness."""
    seen = page.evaluate(_VISIBLE_MARKERS)
    assert seen == count_markers(page.main_frame).markers
    return seen


_SET_SLIDER = """(fraction) => {
  const s = document.querySelector('.leaflet-timeline-control input.time-slider');
  const value = Number(s.min) + (Number(s.max) - Number(s.min)) * fraction;
  s.value = String(value);
  s.dispatchEvent(new Event('input', {bubbles: true}));
  return Number(s.value);
}"""


@pytest.fixture
def export_page(page, tmp_path):
    frame = _frame()
    path = tmp_path / "incident-atlas.html"
    path.write_text(to_standalone_html(frame, ViewState(), trail_days=TRAIL_DAYS,
                                       notice="Public view: test notice."), encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => window.L && L.timeline && "
                           "document.querySelector('.leaflet-timeline-control input.time-slider')")
    return page, frame


@pytest.mark.e2e
def test_slider_changes_the_visible_markers(export_page, network, page_events):
    page, frame = export_page
    assert page.url.startswith("file://")
    counts = []
    for fraction in (0.0, 0.2, 0.24, 0.5, 0.75, 1.0):
        time_ms = page.evaluate(_SET_SLIDER, fraction)
        shown = visible_markers(page)
        assert shown == _visible_at(frame, time_ms), (fraction, time_ms)
        counts.append(shown)
    assert len(set(counts)) >= 2 and max(counts) >= 2, counts
    date = page.inner_text(".leaflet-timeline-control output")
    assert date == "2024-12-10"  # the slider ends with the last incident, shown in UTC
    screenshot(page, "export_html_slider")

    network.assert_offline(allow_tiles=True)
    assert network.tiles  # the online basemap tried, failed, and the file fell back:
    note = page.locator(".ia-offline-note")
    note.wait_for()
    assert note.count() == 1 and "Basemap tiles need internet" in note.inner_text()
    assert "Bamako" in page.evaluate(
        "() => Array.from(document.querySelectorAll('.ia-label')).map((e) => e.textContent)")
    page_events.assert_no_page_errors()
    page_events.assert_no_dialogs()


@pytest.mark.e2e
def test_play_button_plays_through_time(export_page, asset_router, page_events):
    page, frame = export_page
    page.evaluate(_SET_SLIDER, 0.0)
    first_date = page.inner_text(".leaflet-timeline-control output")
    before = visible_markers(page)
    page.click(".leaflet-timeline-control button.play")
    page.wait_for_function(
        "(first) => document.querySelector('.leaflet-timeline-control output').textContent "
        "!== first", arg=first_date, timeout=15_000)
    # Markers come and go while it plays: wait until a count other than the first is seen.
    page.wait_for_function(f"(before) => ({_VISIBLE_MARKERS})() !== before", arg=before,
                           polling=100, timeout=15_000)
    assert "playing" in page.get_attribute(".leaflet-timeline-control", "class")
    page.click(".leaflet-timeline-control button.pause")
    page.wait_for_function(  # paused: the slider stays where it stopped
        "() => !document.querySelector('.leaflet-timeline-control').classList.contains('playing')",
        polling=100)
    time_ms = float(page.eval_on_selector(".leaflet-timeline-control input.time-slider",
                                          "s => s.value"))
    expected = _visible_at(frame, time_ms)
    page.wait_for_function(f"(n) => ({_VISIBLE_MARKERS})() === n", arg=expected, polling=100,
                           timeout=5_000)
    assert visible_markers(page) == expected
    page_events.assert_no_page_errors()


@pytest.mark.e2e
def test_popups_show_data_text_literally(export_page, asset_router, page_events):
    page, frame = export_page
    june = pd.Timestamp("2024-06-12").value // 1_000_000
    page.evaluate(
        """(t) => { const s = document.querySelector('input.time-slider');
                    s.value = String(t); s.dispatchEvent(new Event('input', {bubbles: true})); }""",
        june,
    )
    marker = page.locator(".leaflet-marker-icon.ia-marker")
    assert marker.count() == _visible_at(frame, june) == 1
    marker.first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert "<script>alert('xss')</script> raid" in popup.inner_text()
    assert "Place 6" in popup.inner_text() and "ID: e2e:6" in popup.inner_text()
    assert page.locator(".leaflet-popup-content script").count() == 0
    assert "Public view: test notice." in page.inner_text(".ia-export-info")
    page_events.assert_no_dialogs()
    page_events.assert_no_page_errors()


@pytest.mark.e2e
def test_french_export_speaks_french(page, tmp_path, asset_router, page_events):
    path = tmp_path / "carte.html"
    path.write_text(to_standalone_html(_frame(), ViewState(lang="fr"), trail_days=TRAIL_DAYS),
                    encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => window.L && L.timeline && "
                           "document.querySelector('.leaflet-timeline-control input.time-slider')")
    info = page.inner_text(".ia-export-info")
    assert "Légende" in info and "Appuyez sur ▶" in info and "incidents\u202f;" in info, info
    page.evaluate(_SET_SLIDER, 1.0)
    marker = page.locator(".leaflet-marker-icon.ia-marker").first
    marker.hover()
    tooltip = page.wait_for_selector(".leaflet-tooltip").inner_text()
    assert "déc. 2024" in tooltip and "morts (estimation centrale)" in tooltip, tooltip
    marker.click()
    popup = page.wait_for_selector(".leaflet-popup-content").inner_text()
    assert "Morts\u00a0:" in popup and "précision du lieu\u00a0: ville" in popup, popup
    screenshot(page, "export_html_fr")
    page_events.assert_no_page_errors()
