"""Scale: the app on 100,000 synthetic incidents draws bins or clusters, and points when zoomed in.

The server runs with ``INCIDENTS_DEMO_EVENTS=100000``. The test zooms the Leaflet map (in the
streamlit-folium iframe) onto one synthetic incident, waits for the server to send points
instead of bins, clicks the marker and reads the incident's id in the details beside the map.
"""

from __future__ import annotations

import pytest

from incidents.synthetic import synthetic_incidents

from .helpers import (
    app_exceptions,
    count_markers,
    map_frame,
    metric_number,
    open_app,
    screenshot,
    wait_for_app,
    wait_for_markers,
)

N = 100_000

# The marker icon closest to the centre of the map, as an element handle.
_NEAREST_MARKER_JS = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  let best = null, bestD = Infinity;
  for (const el of document.querySelectorAll('.leaflet-marker-icon.ia-marker')) {
    const r = el.getBoundingClientRect();
    const d = Math.hypot(r.left + r.width / 2 - cx, r.top + r.height / 2 - cy);
    if (d < bestD) { best = el; bestD = d; }
  }
  return best;
}"""


@pytest.fixture(scope="module")
def scale_server(streamlit_server_factory):
    return streamlit_server_factory(env={"INCIDENTS_DEMO_EVENTS": str(N)}, timeout=120)


def _target() -> tuple[str, float, float]:
    """A site-precise synthetic incident alone on its point (the app generates with seed 0)."""
    df = synthetic_incidents(N, seed=0)
    sites = df[(df["geo_precision"] == "site") & df["latitude"].notna()]
    lonely = sites[~sites.duplicated(["latitude", "longitude"], keep=False)]
    row = lonely.iloc[len(lonely) // 2]
    return str(row["incident_id"]), float(row["latitude"]), float(row["longitude"])


@pytest.mark.e2e
def test_100k_incidents_bins_then_points_then_details(scale_server, page, asset_router,
                                                      page_events):
    open_app(page, scale_server.url, timeout=120_000)
    assert app_exceptions(page) == []
    assert "synthetic demo data" in page.locator('[data-testid="stAlert"]').first.inner_text() \
        .lower()
    assert metric_number(page, "Incidents") == N

    frame = map_frame(page)
    first = wait_for_markers(frame, minimum=1)
    assert first.clusters > 0, first  # 100k incidents at zoom 5: bins, never 100k markers
    assert frame.locator(".ia-bin").count() > 0
    assert first.markers == 0
    bin_tooltip = frame.evaluate(
        "() => { for (const k in window.map._layers) { const l = window.map._layers[k];"
        " if (l.iaBin !== undefined) return l.getTooltip().getContent(); } return null; }"
    )
    assert bin_tooltip and bin_tooltip.endswith("zoom in"), bin_tooltip
    screenshot(page, "scale_100k_bins")

    incident_id, lat, lon = _target()
    frame.evaluate("([lat, lon]) => { window.map.setView([lat, lon], 17); }", [lat, lon])
    wait_for_app(page)
    frame.wait_for_function(
        "() => document.querySelectorAll('.leaflet-marker-icon.ia-marker').length > 0",
        timeout=30_000, polling=250,
    )
    assert frame.locator(".ia-bin").count() == 0
    assert count_markers(frame).markers > 0
    marker = frame.evaluate_handle(_NEAREST_MARKER_JS).as_element()
    assert marker is not None
    marker.click()
    wait_for_app(page)
    page.get_by_text(f"ID: {incident_id}", exact=False).first.wait_for(timeout=30_000)
    screenshot(page, "scale_100k_details")

    assert app_exceptions(page) == []
    asset_router.assert_no_missing_assets()
    page_events.assert_no_dialogs()
    page_events.assert_no_page_errors()
