"""The app's load path, ``incidents.load_incidents(url)``, on SQLite and (when set) PostgreSQL."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

import incidents
from incidents.bundled import read_bundled
from incidents.db import get_engine
from incidents.schema import DTYPES
from incidents.store import SCHEMA_VERSION, data_version


def test_load_incidents_creates_fills_and_reads_an_empty_database(db_url):
    frame = incidents.load_incidents(db_url)  # the database is empty (wiped) before this
    bundled = read_bundled()
    assert len(frame) == len(bundled) > 4000
    assert set(frame["incident_id"]) == set(bundled["incident_id"])
    assert {c: str(t) for c, t in frame.dtypes.items()} == DTYPES
    seed = frame.set_index("incident_id").loc["atlas:2024-09-17-bamako-faladie"]
    assert seed["geo_precision"] == "neighbourhood"
    assert seed["fatalities_best"] is pd.NA  # unknown stays unknown through the database

    engine = get_engine(db_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'"))
            assert version.scalar_one() == str(SCHEMA_VERSION)
        first = data_version(engine)
    finally:
        engine.dispose()
    # a second start neither reloads nor duplicates the bundled data
    again = incidents.load_incidents(db_url)
    assert len(again) == len(frame)
    engine = get_engine(db_url)
    try:
        assert data_version(engine) == first
    finally:
        engine.dispose()
