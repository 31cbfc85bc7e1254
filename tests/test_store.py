"""The store against SQLite, and PostgreSQL when INCIDENTS_TEST_POSTGRES_URL is set."""

import pandas as pd
import pytest
import sqlalchemy as sa

from incidents.db import database_url, get_engine
from incidents.errors import StoreError
from incidents.store import (
    data_version,
    ensure_schema,
    ensure_store,
    incidents_table,
    insert_incidents,
    read_incidents,
    update_location,
)


@pytest.fixture
def engine(db_url):
    engine = get_engine(db_url)
    yield engine
    engine.dispose()


def test_round_trip_keeps_values_and_unknowns(engine, small_frame):
    ensure_schema(engine)
    with engine.begin() as conn:
        assert insert_incidents(conn, small_frame) == len(small_frame)
    back = read_incidents(engine).set_index("incident_id").sort_index()
    want = small_frame.set_index("incident_id").sort_index()
    pd.testing.assert_frame_equal(back, want, check_dtype=True, check_categorical=False)
    assert back.loc["t:4", "fatalities_best"] is pd.NA


def test_every_write_bumps_the_data_version(engine, small_frame):
    ensure_schema(engine)
    v0 = data_version(engine)
    with engine.begin() as conn:
        insert_incidents(conn, small_frame.iloc[:2])
    v1 = data_version(engine)
    update_location(engine, "t:1", 12.6, -8.0, "town", "manual")
    assert v0 < v1 < data_version(engine)
    row = read_incidents(engine).set_index("incident_id").loc["t:1"]
    assert (row["latitude"], row["geo_precision"], row["geocoder"]) == (12.6, "town", "manual")
    with pytest.raises(StoreError):
        update_location(engine, "nope", 1, 1, "town", "manual")


def test_a_failed_insert_leaves_nothing(engine, small_frame):
    ensure_schema(engine)
    with engine.begin() as conn:
        insert_incidents(conn, small_frame.iloc[:1])
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        insert_incidents(conn, small_frame)  # t:1 again: the whole batch rolls back
    assert len(read_incidents(engine)) == 1


def test_ensure_store_fills_once(engine):
    ensure_store(engine)
    n, version = len(read_incidents(engine)), data_version(engine)
    ensure_store(engine)
    assert len(read_incidents(engine)) == n > 4000
    assert data_version(engine) == version


def test_schema_upgrade_adds_missing_columns(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE incidents (incident_id TEXT PRIMARY KEY, "
                             "date_start TIMESTAMP)")
    ensure_schema(engine)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("incidents")}
    assert {c.name for c in incidents_table.columns} <= columns


def test_database_url_normalises_postgres(monkeypatch):
    monkeypatch.delenv("INCIDENTS_DATABASE_URL", raising=False)
    assert database_url().startswith("sqlite:///")
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", "postgresql://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_unreachable_database_is_a_store_error(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path}/missing/dir/../../nope/x.sqlite")
    engine.dispose()
    bad = get_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    with pytest.raises(StoreError):
        data_version(bad)


def test_concurrent_version_bumps_are_not_lost(engine):
    """Two writers at once: the second bump waits for the first and counts it (issue 11, 9)."""
    import threading

    from incidents.store import bump_version

    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race needs row-level locking")
    ensure_schema(engine)
    start = data_version(engine)
    first = engine.connect()
    first.begin()
    bump_version(first)  # holds the row until it commits
    done = {}

    def second():
        with engine.begin() as conn:
            done["v"] = bump_version(conn)

    thread = threading.Thread(target=second)
    thread.start()
    with engine.connect() as probe:  # wait until the second writer waits on the lock
        for _ in range(500):
            waiting = probe.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")).scalar()
            if waiting or "v" in done:
                break
            threading.Event().wait(0.01)
    first.commit()
    first.close()
    thread.join(10)
    assert data_version(engine) == start + 2 == done["v"]


def test_a_read_only_sqlite_store_can_be_viewed(tmp_path, small_frame):
    import os
    import sqlite3

    path = tmp_path / "ro.sqlite"
    engine = get_engine(f"sqlite:///{path}")
    ensure_store(engine)
    with engine.begin() as conn:
        insert_incidents(conn, small_frame)
    count = len(read_incidents(engine))
    engine.dispose()
    with sqlite3.connect(path) as conn:  # a copy handed out read-only: no WAL files
        conn.execute("PRAGMA journal_mode=DELETE")
    os.chmod(path, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        ro = get_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        ensure_store(ro)  # writes nothing when the schema is up to date
        assert len(read_incidents(ro)) == count
        ro.dispose()
    finally:
        os.chmod(tmp_path, 0o755)
        os.chmod(path, 0o644)
