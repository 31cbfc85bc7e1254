"""Helpers for the browser tests: waiting for Streamlit, finding the map, reading metrics.

Import them in a test module of this folder with ``from .helpers import ...``.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path
from typing import NamedTuple

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # conftest skips the browser tests without playwright
    PlaywrightError = Exception

__all__ = [
    "SCREENSHOT_DIR",
    "MarkerCount",
    "app_exceptions",
    "close_sidebar",
    "count_component_values",
    "count_markers",
    "map_frame",
    "map_frames",
    "metric_number",
    "metric_value",
    "open_app",
    "screenshot",
    "wait_for_app",
    "wait_for_component_values",
    "wait_for_link",
    "wait_for_markers",
    "wait_in_view",
]

SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"

DEFAULT_TIMEOUT_MS = 60_000

# Streamlit (1.67) marks its root with the connection and script-run state, and every
# element left over from the previous run with data-stale="true" until it is redrawn.
_APP_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], '
      + '[data-testid="stStatusWidgetRunningManIcon"]')) return false;
  return !document.querySelector('[data-stale="true"]');
}"""


# Note the time of every input in the page and in the app's own iframes (the map), and of
# every value a component sends: each asks the server for a rerun that starts a moment later.
_WATCH_INPUT_JS = """() => {
  const s = window.__iaSettle || (window.__iaSettle = {since: Date.now(), docs: new WeakSet()});
  const touch = () => { s.since = Date.now(); };
  const docs = [document];
  for (const f of document.querySelectorAll('iframe')) {
    try { if (f.contentDocument) docs.push(f.contentDocument); } catch (e) { /* not ours */ }
  }
  for (const doc of docs) {
    if (s.docs.has(doc)) continue;
    s.docs.add(doc);
    for (const type of ['pointerdown', 'keydown', 'input', 'change']) {
      doc.addEventListener(type, touch, true);
    }
  }
  if (!s.messages) {
    s.messages = true;
    window.addEventListener('message', (e) => {
      if (e.data && e.data.type === 'streamlit:setComponentValue') touch();
    });
  }
  return s;
}"""
# Idle, and seen idle at every check for ``quiet`` ms since the last busy check or input:
# a widget's debounced request can also flip the state back to "running" right after it idles.
_APP_SETTLED_JS = """(quiet) => {
  const s = (WATCH)(), now = Date.now();
  if (!(IDLE)()) { s.since = now; return false; }
  return now - s.since >= quiet;
}""".replace("WATCH", _WATCH_INPUT_JS).replace("IDLE", _APP_IDLE_JS)


def wait_for_app(page, timeout: float = DEFAULT_TIMEOUT_MS, settle_ms: int = 400) -> None:
    """Wait until Streamlit finished running the script and no stale element is left.

    Call it after ``page.goto`` and after every interaction that reruns the script: it waits
    until the app has been idle for ``settle_ms`` in a row, counted from the last input in the
    page or in the map (``map_frame`` starts watching it), so that a rerun just asked for is
    waited for too. A script's ``evaluate`` in the map is no input: wait for what it changes.
    """
    page.wait_for_function(_APP_SETTLED_JS, arg=settle_ms, timeout=timeout, polling=100)


def wait_for_link(page, before: str, timeout: float = DEFAULT_TIMEOUT_MS) -> None:
    """Wait until the address bar's query differs from ``before``, then for the app."""
    page.wait_for_function("(before) => location.search !== before", arg=before,
                           timeout=timeout, polling=100)
    wait_for_app(page, timeout=timeout)


_COUNT_COMPONENT_VALUES_JS = """
window.__iaComponentValues = 0;
window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'streamlit:setComponentValue') window.__iaComponentValues += 1;
});"""


def count_component_values(page) -> None:
    """From the next page load on, count the values components (the map) send to the app."""
    page.add_init_script(_COUNT_COMPONENT_VALUES_JS)


def wait_for_component_values(page, minimum: int = 1,
                              timeout: float = DEFAULT_TIMEOUT_MS) -> None:
    """Wait until components sent ``minimum`` values (``count_component_values`` first), then
    until the reruns they asked for are done."""
    page.wait_for_function("(n) => (window.__iaComponentValues || 0) >= n", arg=minimum,
                           polling=100, timeout=timeout)
    wait_for_app(page, timeout=timeout)


def close_sidebar(page) -> None:
    """Fold the sidebar when it is open over the page (phones) and wait until it is gone."""
    button = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if not (button.count() and button.first.is_visible()):
        return
    button.first.click()
    page.wait_for_function(
        """() => {
          const bar = document.querySelector('[data-testid="stSidebar"]');
          if (!bar || bar.getAttribute('aria-expanded') !== 'false') return false;
          const r = bar.getBoundingClientRect();
          return r.right <= 1 || r.width <= 1;
        }""", polling=100, timeout=10_000)


def wait_in_view(page, element) -> None:
    """Scroll ``element`` (an ElementHandle) into view and wait until it is inside the window."""
    element.scroll_into_view_if_needed()
    page.wait_for_function(
        "(el) => { const r = el.getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight; }",
        arg=element, polling=100, timeout=10_000)


def open_app(page, base_url: str, path: str = "", timeout: float = DEFAULT_TIMEOUT_MS) -> None:
    """``page.goto(base_url + path)`` and wait until the app finished its first run."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_for_app(page, timeout=timeout)


def app_exceptions(page) -> list[str]:
    """Texts of the exception boxes (st.exception / uncaught errors) on the page."""
    return [el.inner_text() for el in page.query_selector_all('[data-testid="stException"]')]


# -- the folium map ------------------------------------------------------------------

_HAS_LEAFLET_JS = "() => !!document.querySelector('.leaflet-container')"


def map_frames(page) -> list:
    """Every frame (streamlit-folium iframe) whose document holds a Leaflet map."""
    found = []
    for frame in page.frames:
        if frame is page.main_frame:
            continue
        try:
            if frame.evaluate(_HAS_LEAFLET_JS):
                found.append(frame)
        except PlaywrightError:  # frame detached / navigating
            continue
    return found


# The component iframes are served by the app itself: the page can look inside them.
_MAP_IFRAMES_JS = """(wanted) => Array.from(document.querySelectorAll('iframe')).filter((f) => {
  try { return !!f.contentDocument.querySelector('.leaflet-container'); }
  catch (e) { return false; }
}).length >= wanted"""


def map_frame(page, timeout: float = DEFAULT_TIMEOUT_MS, index: int = 0):
    """The ``index``-th frame containing ``.leaflet-container``; waits for it to appear.

    Raises ``AssertionError`` if no such frame shows up within ``timeout`` ms.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        frames = map_frames(page)
        if len(frames) > index:
            page.evaluate(f"() => {{ ({_WATCH_INPUT_JS})(); }}")  # clicks in the map count
            return frames[index]
        remaining = (deadline - time.monotonic()) * 1000
        if remaining <= 0:
            urls = [f.url for f in page.frames]
            raise AssertionError(
                f"no Leaflet map frame #{index} after {timeout} ms; frames: {urls}"
            )
        # Polled on a timer (an iframe off screen gets no animation frames); on a timeout or
        # a navigation, look once more, then give up.
        with contextlib.suppress(PlaywrightError):
            page.wait_for_function(_MAP_IFRAMES_JS, arg=index + 1, polling=250,
                                   timeout=remaining)


class MarkerCount(NamedTuple):
    markers: int  # single marker icons (.leaflet-marker-icon that are not clusters)
    clusters: int  # MarkerCluster bubbles (.marker-cluster)
    clustered: int  # sum of the numbers shown in the cluster bubbles

    @property
    def total(self) -> int:
        """Icons on the map: single markers plus cluster bubbles."""
        return self.markers + self.clusters

    @property
    def points(self) -> int:
        """Incidents represented in view: single markers plus those inside clusters."""
        return self.markers + self.clustered


_COUNT_JS = """() => {
  const clusters = Array.from(document.querySelectorAll('.marker-cluster'));
  const single = document.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length;
  let clustered = 0;
  for (const c of clusters) {
    const n = parseInt((c.textContent || '').replace(/[^0-9]/g, ''), 10);
    if (!Number.isNaN(n)) clustered += n;
  }
  return [single, clusters.length, clustered];
}"""


def count_markers(frame) -> MarkerCount:
    """Count marker icons and cluster bubbles currently in the map's DOM."""
    single, clusters, clustered = frame.evaluate(_COUNT_JS)
    return MarkerCount(single, clusters, clustered)


def wait_for_markers(frame, minimum: int = 1, timeout: float = DEFAULT_TIMEOUT_MS) -> MarkerCount:
    """Wait until at least ``minimum`` markers or clusters are drawn; return the count."""
    frame.wait_for_function(
        "(min) => document.querySelectorAll('.leaflet-marker-icon, .marker-cluster').length >= min",
        arg=minimum,
        timeout=timeout,
        polling=250,  # a timer: an iframe off screen gets no animation frames
    )
    return count_markers(frame)


# -- metrics -------------------------------------------------------------------------


def _metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
    )


def metric_value(page, label: str = "Incidents", timeout: float = 10_000) -> str:
    """The displayed value of the st.metric labelled exactly ``label`` (e.g. "1,234")."""
    value = _metric(page, label).locator('[data-testid="stMetricValue"]')
    value.first.wait_for(state="visible", timeout=timeout)
    count = value.count()
    assert count == 1, f"expected one metric labelled {label!r}, found {count}"
    return value.inner_text().strip()


_NUMBER = re.compile(r"-?\d[\d,\u202f\u00a0 ]*(?:\.\d+)?")


def metric_number(page, label: str = "Incidents", timeout: float = 10_000) -> int | float:
    """The metric's value parsed as a number ("12,345" -> 12345, "1.5" -> 1.5)."""
    text = metric_value(page, label, timeout)
    match = _NUMBER.search(text)
    assert match, f"metric {label!r} shows no number: {text!r}"
    raw = re.sub(r"[,\u202f\u00a0 ]", "", match.group())
    return float(raw) if "." in raw else int(raw)


# -- screenshots ---------------------------------------------------------------------


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG of the page as ``tests/e2e/screenshots/<name>.png``; return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
