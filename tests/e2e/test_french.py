"""A French browser gets the whole app in French: every page, the map's legend and tooltips
(drawn in the browser), the timeline's axis dates; ``?lang=en`` switches back.

Screenshots of every page at 1440x900 and 390x844 land in tests/e2e/screenshots/fr_*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from incidents.i18n import gettext, language_name
from incidents.mapping import OFFLINE_MESSAGE
from tests.test_i18n import ENGLISH_ONLY

from .helpers import (
    app_exceptions,
    close_sidebar,
    map_frame,
    screenshot,
    wait_for_app,
    wait_for_markers,
)

PAGES = {"map": "", "incidents": "incidents", "about": "about", "import": "import",
         "intake": "intake", "geocode": "geocode"}
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

# Words of Streamlit's own chrome, not of the app (its menu and status are not translatable).
STREAMLIT_CHROME = {"Deploy", "Running", "Stop"}


@pytest.fixture(scope="module")
def editing_server(streamlit_server_factory, browser):
    """The app with editing open (Import and Geocode show their content, not a sign-in),
    opened once at its root so that deep links to pages go through app.py from then on."""
    server = streamlit_server_factory(env={"INCIDENTS_OPEN_EDITING": "1"})
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(server.url, wait_until="domcontentloaded")
        wait_for_app(page, timeout=120_000)
    finally:
        context.close()
    return server


@pytest.fixture
def french(browser, asset_router, page_events):
    contexts = []

    def make(viewport):
        ctx = browser.new_context(viewport=viewport, locale="fr-FR", timezone_id="UTC",
                                  service_workers="block")
        ctx.set_default_timeout(30_000)
        ctx.route("**/*", asset_router.handle)
        page_events.attach(ctx)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def _english_words(text: str) -> list[str]:
    text = text.replace("Skip to main content", "")  # Streamlit's own link for screen readers
    names = {language_name(lang) for lang in ("en", "fr")}
    words = set(re.findall(r"[A-Za-z]{4,}", text)) - names - STREAMLIT_CHROME
    return sorted(w for w in words if w in ENGLISH_ONLY)


def _ui_text(page) -> str:
    """The text of the app's own elements (not data tables, which are canvas cells)."""
    return page.evaluate("""() => {
        // Read the live page (innerText skips what is not rendered), data tables and icon
        // ligatures ("table_rows") hidden.
        const hidden = Array.from(document.querySelectorAll(
            '[data-testid="stDataFrame"], [data-testid="stCode"], [data-testid="stToolbar"], '
            + '[data-testid="stStatusWidget"], [data-testid*="Icon"], '
            + '[data-testid="stTable"]'));  // tables hold codes and data
        const saved = hidden.map(e => e.style.display);
        hidden.forEach(e => { e.style.display = "none"; });
        const text = document.querySelector('[data-testid="stApp"]').innerText;
        hidden.forEach((e, i) => { e.style.display = saved[i]; });
        return text;
    }""")


@pytest.mark.e2e
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_is_french(editing_server, french, page_events, name, size):
    page = french(SIZES[size])
    page.goto(f"{editing_server.url}/{PAGES[name]}", wait_until="domcontentloaded")
    wait_for_app(page, timeout=120_000)
    page.wait_for_function(  # tables and charts drawn, not their loading placeholders
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    assert app_exceptions(page) == []
    if size == "phone":  # the sidebar opens over the page on a phone: fold it to see the page
        close_sidebar(page)
    if name == "map":
        frame = map_frame(page)
        wait_for_markers(frame, minimum=1)
        legend = frame.text_content(".ia-legend")  # all of it, folded or not (phones)
        assert "Légende" in legend and "Type d'événement" in legend, legend
        assert not _english_words(legend), legend
        # No internet here: the map says so, in French, and draws offline outlines and labels.
        note = frame.locator(".ia-offline-note")
        note.wait_for(timeout=30_000)
        assert note.inner_text() == gettext(OFFLINE_MESSAGE, "fr"), note.inner_text()
        # Everything else the map writes (labels are place names: data).
        drawn = frame.inner_text("body")
        assert not _english_words(drawn), (_english_words(drawn), drawn[:1000])
    text = _ui_text(page)
    if size == "desktop" and name in ("map", "incidents"):  # the pages with filters
        assert "Filtres" in text
    assert not _english_words(text), (_english_words(text), text[:3000])
    screenshot(page, f"fr_{name}_{size}", full_page=False)
    page_events.assert_no_page_errors()


@pytest.mark.e2e
def test_map_tooltips_and_timeline_are_french(editing_server, french):
    page = french(SIZES["desktop"])
    page.goto(editing_server.url, wait_until="domcontentloaded")
    wait_for_app(page, timeout=120_000)
    frame = map_frame(page)
    wait_for_markers(frame, minimum=1)
    # Zoom on Bamako until single markers show, then hover one: its tooltip is built in JS.
    frame.evaluate("""() => {
        const map = Object.values(window).find(v => v && v._container && v.setView);
        map.setView([12.59, -7.95], 14, {animate: false});
    }""")
    frame.wait_for_selector(".ia-marker", timeout=30_000)
    frame.locator(".ia-marker").first.hover()
    tooltip = frame.wait_for_selector(".leaflet-tooltip", timeout=10_000).inner_text()
    assert re.search(r"sept\.|mort|inconnu|lieu", tooltip), tooltip
    assert not _english_words(tooltip), tooltip
    screenshot(page, "fr_map_tooltip", full_page=False)
    # The timeline's axis writes French month names (Vega's locale from CLDR).
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    chart.locator("svg").first.wait_for()
    labels = chart.locator("svg text").evaluate_all("els => els.map(e => e.textContent)")
    assert any(label.startswith("Incidents par") for label in labels), labels
    assert not {"Jan", "Feb", "Apr", "May", "Aug", "Dec"} & set(labels), labels
    screenshot(page, "fr_timeline", full_page=False)


@pytest.mark.e2e
def test_lang_en_switches_back_and_the_link_keeps_french(editing_server, french):
    page = french(SIZES["desktop"])
    page.goto(f"{editing_server.url}/?lang=en", wait_until="domcontentloaded")
    wait_for_app(page, timeout=120_000)
    text = _ui_text(page)
    assert "Filters" in text and "Filtres" not in text
    assert "lang=en" in page.url  # a French browser: English must stay in the address
    page.get_by_text("Français", exact=True).click()
    wait_for_app(page)
    assert "Filtres" in _ui_text(page)
    page.get_by_text("Partager cette vue").click()
    link = page.locator('[data-testid="stCode"]').last.inner_text()
    assert "lang=fr" in link


@pytest.mark.e2e
def test_intake_drafts_are_french(editing_server, french):
    report = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "kati_fr.txt"
    page = french(SIZES["desktop"])
    page.goto(f"{editing_server.url}/intake", wait_until="domcontentloaded")
    wait_for_app(page, timeout=120_000)
    page.get_by_label("Texte du rapport").fill(report.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Lire les rapports").click()
    wait_for_app(page, timeout=90_000)
    page.get_by_text("Brouillon 1").first.wait_for(timeout=60_000)
    # The cards render one after the other: wait for the last words of the page, not a pause.
    page.get_by_role("button", name="Enregistrer les brouillons revus").wait_for(timeout=60_000)
    page.get_by_text("Précision d'un point cliqué").first.wait_for(timeout=60_000)
    wait_for_app(page, timeout=90_000)
    text = _ui_text(page)
    # The report itself is data (here in French anyway); the card's own words must be French.
    assert not _english_words(text), (_english_words(text), text[:3000])
    screenshot(page, "fr_intake_drafts_desktop", full_page=True)
