"""Hostile input in a real browser: markup in data and in links is shown, never run."""

from __future__ import annotations

import pytest

from incidents.db import get_engine
from incidents.importer import import_file
from incidents.store import ensure_store

from .helpers import (
    app_exceptions,
    map_frame,
    open_app,
    screenshot,
    wait_for_link,
    wait_for_markers,
)

pytestmark = pytest.mark.e2e

SCRIPT = "<script>alert('desc')</script>"
IMG = '<img src=x onerror="alert(\'actor\')">'
LINK = "javascript:alert('link')"
HOSTILE_CSV = (
    "date,place,country,latitude,longitude,actor,target,killed,description,source\n"
    f"2024-09-20,\"{IMG} Kidal\",ML,18.44,1.41,\"{IMG}\",\"[x]({LINK})\",3,"
    f"\"{SCRIPT} **bold** [click]({LINK})\",{LINK}\n"
).encode()


@pytest.fixture(scope="module")
def hostile_server(streamlit_server_factory, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.sqlite'}"
    engine = get_engine(url)
    ensure_store(engine)
    report = import_file(HOSTILE_CSV, engine, filename="hostile.csv", geocoder=lambda q, c: None)
    assert report.imported == 1, report.to_dict()
    engine.dispose()
    return streamlit_server_factory(database_url=url)


def test_markup_in_data_is_shown_literally_and_runs_nothing(page, hostile_server, page_events):
    open_app(page, hostile_server.url, "?start=2024-09-20&end=2024-09-20&lat=18.44&lon=1.41&zoom=9")
    frame = map_frame(page)
    wait_for_markers(frame)
    page.locator("iframe").first.scroll_into_view_if_needed()
    marker = frame.locator(".leaflet-marker-icon:not(.marker-cluster)").first
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for()
    assert "<img" in tooltip.inner_text()  # the markup is text in the tooltip
    assert frame.locator(".leaflet-tooltip img").count() == 0
    before = page.evaluate("() => location.search")
    marker.click()
    wait_for_link(page, before)  # the selection is in the link
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("alert('desc')", exact=False).first.wait_for()
    text = main.inner_text()
    assert SCRIPT in text and "**bold**" in text
    assert main.locator("img[src='x']").count() == 0
    assert main.locator("a[href^='javascript']").count() == 0
    assert page.locator("script", has_text="alert('desc')").count() == 0
    screenshot(page, "hostile_details")
    page_events.assert_no_dialogs()
    assert app_exceptions(page) == []


def test_hostile_link_parameters_are_shown_literally(page, hostile_server, page_events):
    query = ("?q=%3Cscript%3Ealert(1)%3C/script%3E&country=%3Cimg%20src=x%20onerror=alert(2)%3E"
             "&incident=javascript:alert(3)&zoom=%3Cb%3E&start=2024-02-30")
    open_app(page, hostile_server.url, query)
    notices = page.get_by_text("could not be applied")
    notices.wait_for()
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
    assert page.get_by_text("'zoom' ignored").count() == 1
    screenshot(page, "hostile_link")
    page_events.assert_no_dialogs()
    assert app_exceptions(page) == []
