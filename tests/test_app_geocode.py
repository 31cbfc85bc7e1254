"""AppTest of the Geocode page: the run places unmapped incidents, a saved correction moves
them, and the ``Incidents`` metric stays consistent with the store."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from components import geocode_view as view
from components import state
from incidents.db import get_engine
from incidents.schema import conform
from incidents.store import insert_incidents, read_incidents
from tests.conftest import make_incident

PAGE = "views/geocode.py"
NA = {"latitude": pd.NA, "longitude": pd.NA, "geo_precision": pd.NA, "geocoder": "none"}


@pytest.fixture()
def store_url(tmp_path, seeded_sqlite_url, monkeypatch) -> str:
    """A copy of the seeded store with three unmapped incidents (two places), used by the app."""
    path = tmp_path / "geocode.sqlite"
    shutil.copy(seeded_sqlite_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    with engine.begin() as conn:
        insert_incidents(conn, conform(pd.DataFrame([
            make_incident(incident_id="g:1", location="Kati", **NA),
            make_incident(incident_id="g:2", location="Kati", **NA),
            make_incident(incident_id="g:3", location="near Boni", **NA),
            make_incident(incident_id="g:4", location="Zzyzxqv <b>place</b> *x*", **NA),
        ])))
    engine.dispose()
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", url)
    return url


def metric(at, label="Incidents") -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def open_page(app_test, *, editor: bool = True):
    at = app_test()
    at.secrets["auth"] = {"editor_password": "geocode-test-password"}
    if editor:
        at.session_state[state.AUTH_ROLE] = "editor"
    at.run()
    return at.switch_page(PAGE).run()


def stored(url: str) -> pd.DataFrame:
    engine = get_engine(url)
    try:
        return read_incidents(engine).set_index("incident_id")
    finally:
        engine.dispose()


def test_page_is_for_editors(app_test, store_url):
    at = open_page(app_test, editor=False)
    assert not at.exception, at.exception
    assert any("for editors only" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == state.W_GEO_RUN]


def test_geocode_button_places_incidents_with_place_names(app_test, store_url):
    at = open_page(app_test)
    assert not at.exception, at.exception
    assert any("offline index only" in c.value for c in at.caption)
    total = metric(at)
    run = at.button(key=state.W_GEO_RUN)
    assert run.label == "Geocode 4 incidents"
    at = run.click().run()
    assert not at.exception, at.exception

    after = stored(store_url)
    assert after.loc["g:1", "geocoder"] == "gazetteer"
    assert after.loc["g:1", "latitude"] == pytest.approx(12.744, abs=0.01)
    assert after.loc["g:3", "geocoder"] == "gazetteer"
    assert pd.isna(after.loc["g:4", "latitude"])  # a miss stays unmapped, not 0,0
    assert any("3 incidents placed" in s.value for s in at.info)
    assert metric(at) == total
    # The queue lists the miss first, then the vague place; the button now counts 1.
    assert at.selectbox(key=state.W_GEO_PLACE).options[:2] == [
        "Zzyzxqv <b>place</b> *x* (ML)", "near Boni (ML)"]
    assert at.button(key=state.W_GEO_RUN).label == "Geocode 1 incident"
    # Why the place is in the queue: what the geocoder noted, literally.
    assert any("not in the offline gazetteer" in c.value for c in at.caption)
    # Data text shows literally: the place heading escapes Markdown and HTML.
    assert any(r"Zzyzxqv &lt;b&gt;place&lt;/b&gt; \*x\*" in m.value for m in at.markdown)


def test_saving_a_candidate_moves_every_incident_with_the_place(app_test, store_url):
    at = open_page(app_test)
    at = at.button(key=state.W_GEO_RUN).click().run()
    at.selectbox(key=state.W_GEO_PLACE).select("near Boni (ML)").run()
    key = view.place_key("near Boni", "ML")
    choice = at.radio(key=state.W_GEO_CHOICE + key)
    assert choice.value == view.CURRENT
    assert len(choice.options) >= 2  # the current match and at least one candidate
    at = choice.set_value("1").run()
    precision = at.selectbox(key=f"{state.W_GEO_PRECISION}{key}_1")
    at = precision.select("admin2").run()
    total = metric(at)
    at = at.button(key=state.W_GEO_SAVE).click().run()
    assert not at.exception, at.exception

    row = stored(store_url).loc["g:3"]
    assert row["geocoder"] == "manual" and row["geo_precision"] == "admin2"
    assert any("1 incident moved" in s.value for s in at.success)
    assert metric(at) == total
    assert "near Boni (ML)" not in at.selectbox(key=state.W_GEO_PLACE).options


def test_a_point_clicked_on_the_map_is_saved(app_test, store_url):
    at = open_page(app_test)
    key = view.place_key("Kati", "ML")
    # Review every place, so that Kati (well matched) is in the queue too.
    at.slider(key=state.W_GEO_THRESHOLD).set_value(1.0).run()
    at.selectbox(key=state.W_GEO_PLACE).select("Kati (ML)").run()
    at.session_state[state.GEO_REVIEW_MAP + key] = {"last_clicked": {"lat": 12.7, "lng": -8.1}}
    at.run()
    assert at.radio(key=state.W_GEO_CHOICE + key).value == view.CLICKED
    at = at.button(key=state.W_GEO_SAVE).click().run()
    assert not at.exception, at.exception
    after = stored(store_url)
    for incident_id in ("g:1", "g:2"):
        assert (after.loc[incident_id, "latitude"], after.loc[incident_id, "longitude"]) == (
            12.7, -8.1)
        assert after.loc[incident_id, "geocoder"] == "manual"
    assert any("2 incidents moved" in s.value for s in at.success)


def test_the_geocode_run_and_review_in_french(app_test, store_url):
    from test_i18n import ENGLISH_ONLY, _texts

    at = app_test()
    at.context["locale"] = "fr-FR"
    at.secrets["auth"] = {"editor_password": "geocode-test-password"}
    at.session_state[state.AUTH_ROLE] = "editor"
    at.run()
    at = at.switch_page(PAGE).run()
    run = at.button(key=state.W_GEO_RUN)
    assert run.label == "Géocoder 4 incidents"
    at = run.click().run()
    assert not at.exception, at.exception
    shown = "\n".join(_texts(at))
    assert "Dernière exécution" in shown and "Lieu à revoir" in shown
    assert "absent du répertoire géographique hors ligne" in shown  # the geocoder's note
    data = {"Zzyzxqv", "place", "near", "Boni", "Kati", "English"}  # place texts; the switch
    english = {w for w in re.findall(r"[A-Za-z]{4,}", shown) if w in ENGLISH_ONLY} - data
    assert not english, english
