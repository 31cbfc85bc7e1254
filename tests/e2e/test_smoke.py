"""Smoke test: the app starts, the folium map renders offline with markers.

Template for browser tests::

    import pytest
    from .helpers import count_markers, map_frame, metric_number, wait_for_app

    @pytest.mark.e2e
    def test_something(app_page, network, page_events):
        frame = map_frame(app_page)          # the streamlit-folium iframe
        ...                                  # interact, then wait_for_app(app_page)
        network.assert_offline(allow_tiles=True)  # nothing but tiles asked of the internet
        page_events.assert_no_dialogs()
"""

import pytest

from .helpers import app_exceptions, map_frame, metric_number, screenshot, wait_for_markers


@pytest.mark.e2e
def test_map_renders_offline(app_page, network, page_events):
    assert app_exceptions(app_page) == []
    assert metric_number(app_page, "Incidents") > 0

    frame = map_frame(app_page)
    frame.wait_for_function(
        "() => typeof window.L !== 'undefined' && !!window.L.map", timeout=30_000, polling=250
    )
    counts = wait_for_markers(frame, minimum=1)
    assert counts.total > 0, counts

    # Every marker icon image actually decoded (no broken-image boxes).
    broken = frame.evaluate(
        """() => Array.from(document.querySelectorAll('img.leaflet-marker-icon, img.leaflet-marker-shadow'))
                 .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)"""
    )
    assert broken == []

    screenshot(app_page, "smoke_map")
    network.assert_offline(allow_tiles=True)
    loaded = frame.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"
                            ".filter(u => u.includes('/app/static/vendor/'))")
    assert any(u.endswith("/leaflet.js") for u in loaded), loaded  # served by the app
    page_events.assert_no_dialogs()
    page_events.assert_no_page_errors()
