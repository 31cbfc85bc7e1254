"""Helpers for the browser tests: waiting for Streamlit, finding the map, reading metrics.

Import them in a test module of this folder with ``from .helpers import ...``.
"""

from __future__ import annotations

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
    "count_markers",
    "map_frame",
    "map_frames",
    "metric_number",
    "metric_value",
    "open_app",
    "screenshot",
    "wait_for_app",
    "wait_for_markers",
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


def wait_for_app(page, timeout: float = DEFAULT_TIMEOUT_MS, settle_ms: int = 200) -> None:
    """Wait until Streamlit finished running the script and no stale element is left.

    Call it after ``page.goto`` and after every interaction that reruns the script
    (the short ``settle_ms`` pause lets a rerun that was just requested start first).
    """
    deadline = time.monotonic() + timeout / 1000
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(_APP_IDLE_JS, timeout=timeout)
    # The state can flip to "running" right after a widget's debounced rerun request:
    # require it to stay idle across a short pause.
    page.wait_for_timeout(settle_ms)
    remaining = max(1_000.0, (deadline - time.monotonic()) * 1000)
    page.wait_for_function(_APP_IDLE_JS, timeout=remaining)


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


def map_frame(page, timeout: float = DEFAULT_TIMEOUT_MS, index: int = 0):
    """The ``index``-th frame containing ``.leaflet-container``; waits for it to appear.

    Raises ``AssertionError`` if no such frame shows up within ``timeout`` ms.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        frames = map_frames(page)
        if len(frames) > index:
            return frames[index]
        if time.monotonic() > deadline:
            urls = [f.url for f in page.frames]
            raise AssertionError(
                f"no Leaflet map frame #{index} after {timeout} ms; frames: {urls}"
            )
        page.wait_for_timeout(200)


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
