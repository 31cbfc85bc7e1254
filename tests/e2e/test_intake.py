"""Browser journey of the Intake page: an editor pastes a report, moves one place by clicking
the small map, saves, and finds the incident with its claims in the store and on the map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from .helpers import app_exceptions, map_frame, open_app, screenshot, wait_for_app

REPORT = (Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "sevare_en.txt")


@pytest.fixture(scope="module")
def editor_server(streamlit_server_factory):
    return streamlit_server_factory(env={"INCIDENTS_OPEN_EDITING": "1"})


def _stored(server) -> list[dict]:
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT incident_id, latitude, longitude, geocoder, claims, sources "
                "FROM incidents WHERE dataset = 'Incident Atlas report intake'")).mappings().all()
        return [dict(r) for r in rows]
    finally:
        engine.dispose()


def test_paste_correct_on_map_and_save(editor_server, page, page_events):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_app(page, editor_server.url, "intake")
    page.get_by_label("Report text").fill(REPORT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Read reports").click()
    wait_for_app(page, timeout=90_000)
    page.get_by_text("Draft 1").first.wait_for(timeout=60_000)
    assert "Sévaré" in page.get_by_label("Place", exact=True).first.input_value()
    screenshot(page, "intake-drafts-1440", full_page=True)

    # Correct the place: click the small map away from the geocoded point.
    frame = map_frame(page)
    box = frame.locator(".leaflet-container").bounding_box()
    frame.locator(".leaflet-container").click(position={"x": box["width"] * 0.2,
                                                        "y": box["height"] * 0.3})
    wait_for_app(page)
    page.get_by_text("manual").first.wait_for(timeout=30_000)

    page.get_by_role("button", name="Save reviewed drafts").click()
    wait_for_app(page)
    page.get_by_text("Saved: 1 new incident").wait_for(timeout=30_000)
    assert not app_exceptions(page)

    rows = _stored(editor_server)
    assert len(rows) == 1
    row = rows[0]
    assert row["geocoder"] == "manual"
    claims = json.loads(row["claims"])
    claimants = {c["claimant"] for c in claims}
    assert "Malian authorities" in claimants and "JNIM" in claimants
    assert json.loads(row["sources"])[0]["title"].startswith("Mali: gunmen storm")

    # On the map: the incident's link opens its card with the claims.
    open_app(page, editor_server.url, f"?incident={row['incident_id']}")
    page.get_by_text("dozens of soldiers", exact=False).first.wait_for(timeout=60_000)
    screenshot(page, "intake-saved-on-map-1440")
    page_events.assert_no_page_errors()


def test_narrow_screen(editor_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, editor_server.url, "intake")
    page.get_by_text("Intake: from reports to incidents").wait_for(timeout=30_000)
    screenshot(page, "intake-form-390", full_page=True)
    page.get_by_label("Report text").fill(REPORT.read_text(encoding="utf-8"))
    button = page.get_by_role("button", name="Read reports")
    button.scroll_into_view_if_needed()
    button.click()
    wait_for_app(page, timeout=90_000)
    page.get_by_text("Draft 1").first.wait_for(timeout=60_000)
    screenshot(page, "intake-drafts-390", full_page=True)
    assert not app_exceptions(page)
