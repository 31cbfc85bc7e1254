"""Faults: a locked or read-only database, and two imports at once."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from incidents.db import get_engine
from incidents.errors import StoreError
from incidents.importer import import_file
from incidents.store import data_version, ensure_schema, read_incidents

CSV_A = ("date;lieu;pays;auteur;morts\n" + "".join(
    f"{d:02d}/03/2024;Djibo;BF;Groupe A;{d}\n" for d in range(1, 21))).encode("utf-8")
CSV_B = ("date,place,country,actor,killed\n" + "".join(
    f"2024-04-{d:02d},Kati,ML,Group B,{d}\n" for d in range(1, 21))).encode("utf-8")


def never(query, country):  # the offline index is not what these tests are about
    return None


@pytest.fixture
def sqlite_path(tmp_path):
    path = tmp_path / "faults.sqlite"
    engine = get_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    engine.dispose()
    return path


def test_locked_database_gives_a_clear_error_and_stores_nothing(sqlite_path, monkeypatch):
    monkeypatch.setenv("INCIDENTS_SQLITE_BUSY_MS", "300")
    engine = get_engine(f"sqlite:///{sqlite_path}")
    before = data_version(engine)
    holder = sqlite3.connect(sqlite_path)
    holder.execute("BEGIN EXCLUSIVE")  # another process is writing and does not let go
    try:
        with pytest.raises(StoreError, match="nothing was stored"):
            import_file(CSV_A, engine, filename="a.csv", geocoder=never)
    finally:
        holder.rollback()
        holder.close()
    assert read_incidents(engine).empty
    assert data_version(engine) == before
    report = import_file(CSV_A, engine, filename="a.csv", geocoder=never)  # once free, it works
    assert report.imported == 20
    engine.dispose()


def test_read_only_database_gives_a_clear_error(sqlite_path):
    engine = get_engine(f"sqlite:///file:{sqlite_path}?mode=ro&uri=true")
    with pytest.raises(StoreError, match="nothing was stored"):
        import_file(CSV_A, engine, filename="a.csv", geocoder=never)
    assert read_incidents(engine).empty
    engine.dispose()


def test_two_imports_at_once_both_land_completely(sqlite_path):
    url = f"sqlite:///{sqlite_path}"
    reports, errors = {}, []

    def run(name: str, data: bytes) -> None:
        engine = get_engine(url)  # each session has its own engine and connection
        try:
            reports[name] = import_file(data, engine, filename=f"{name}.csv", geocoder=never)
        except Exception as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=("a", CSV_A)),
               threading.Thread(target=run, args=("b", CSV_B))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert reports["a"].imported == 20 and reports["b"].imported == 20
    engine = get_engine(url)
    stored = read_incidents(engine)
    assert len(stored) == 40
    assert set(stored["actor"]) == {"Groupe A", "Group B"}
    engine.dispose()
