"""Shared fixtures: a small incidents frame, temporary databases, an AppTest factory."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from incidents.schema import conform

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "INCIDENTS_TEST_POSTGRES_URL"
#: OWASP's "CSV injection" list, written out here rather than read from the code under test:
#: a spreadsheet runs a cell that starts with one of these as a formula.
OWASP_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def make_incident(**overrides) -> dict:
    """Return one incident row with sensible defaults, overridden by keyword."""
    row = {
        "incident_id": f"test:{uuid.uuid4().hex[:8]}",
        "date_start": "2024-09-17",
        "date_end": "2024-09-17",
        "date_precision": "day",
        "country": "ML",
        "country_name": "Mali",
        "admin1": "Bamako",
        "admin2": "Commune VI",
        "location": "Faladié, Bamako",
        "latitude": 12.59469,
        "longitude": -7.94706,
        "geo_precision": "neighbourhood",
        "geocoder": "gazetteer",
        "event_type": "attack",
        "actor": "JNIM",
        "target": "Gendarmerie school",
        "fatalities_best": pd.NA,
        "claims": json.dumps([{"claimant": "JNIM", "claim": "many", "source": "x"}]),
        "description": "test incident",
        "sources": json.dumps([{"publisher": "P", "date": "2024-09-18", "title": "T"}]),
        "dataset": "test",
    }
    row.update(overrides)
    return row


@pytest.fixture
def small_frame() -> pd.DataFrame:
    """Six incidents across three countries, with unknowns and imprecise dates."""
    rows = [
        make_incident(incident_id="t:1", fatalities_best=12, fatalities_low=10, fatalities_high=15),
        make_incident(incident_id="t:2", date_start="2024-09-10", date_end="2024-09-10",
                      actor="IS Sahel", event_type="battle", fatalities_best=0),
        make_incident(incident_id="t:3", country="BF", country_name="Burkina Faso",
                      admin1="Sahel", location="Djibo", latitude=14.1, longitude=-1.63,
                      geo_precision="town", date_start="2023-03-01", date_end="2023-03-31",
                      date_precision="month", event_type="violence_against_civilians",
                      fatalities_best=40),
        make_incident(incident_id="t:4", country="NE", country_name="Niger", admin1="Tillabéri",
                      location="Tillabéri region", latitude=14.2, longitude=1.45,
                      geo_precision="admin1", date_start="2022-01-01", date_end="2022-12-31",
                      date_precision="year", event_type="explosion", actor="Unknown"),
        make_incident(incident_id="t:5", latitude=pd.NA, longitude=pd.NA, geo_precision=pd.NA,
                      geocoder="none", location="somewhere unnamed", fatalities_best=3,
                      description="<script>alert(1)</script> raid"),
        make_incident(incident_id="t:6", date_start="2024-09-17", date_end="2024-09-17",
                      location="Bamako-Sénou airport", latitude=12.5335, longitude=-7.94994,
                      geo_precision="site", geocoder="airport", fatalities_best=5),
    ]
    return conform(pd.DataFrame(rows))


def _postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def database_params() -> list:
    """SQLite always; PostgreSQL too when INCIDENTS_TEST_POSTGRES_URL is set."""
    params = [pytest.param("sqlite", id="sqlite")]
    if _postgres_url():
        params.append(pytest.param("postgres", id="postgres"))
    return params


@pytest.fixture(params=database_params())
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL: a temp SQLite file, or a wiped PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    from incidents.db import get_engine, metadata
    from incidents.store import ensure_schema

    url = _postgres_url()
    engine = get_engine(url)
    ensure_schema(engine)  # registers every table on metadata
    metadata.drop_all(engine)
    with engine.begin() as conn:  # tables an older schema may have left
        for name in sa.inspect(conn).get_table_names():
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_sqlite_url(tmp_path_factory) -> str:
    """A SQLite store filled with the bundled data once per test session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'incidents.sqlite'}"
    from incidents.db import get_engine
    from incidents.store import ensure_store

    engine = get_engine(url)
    ensure_store(engine)
    engine.dispose()
    return url


@pytest.fixture
def app_test(monkeypatch, seeded_sqlite_url):
    """Return a factory of AppTests of app.py on a seeded temp database.

    AppTest decides per run whether a ``pages/`` folder means the legacy multipage mode,
    which would run a page without app.py; a real server leaves that mode for good once
    ``st.navigation`` is called, so the tests do the same.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", seeded_sqlite_url)

    def make() -> AppTest:
        return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)

    return make
