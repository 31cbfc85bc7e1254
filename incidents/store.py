"""The incident store: the incidents table (``incidents.tables``) behind SQLAlchemy Core.

``ensure_store`` creates and upgrades the schema and fills an empty store from the bundled data
once. Every write bumps ``data_version`` so that cached reads in the app know to reload.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import secrets

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from incidents.db import store_error
from incidents.errors import StoreError
from incidents.schema import COLUMNS, conform
from incidents.tables import incidents_table, meta_table, metadata

__all__ = [
    "bump_version",
    "data_version",
    "ensure_schema",
    "ensure_store",
    "id_key",
    "incidents_table",
    "insert_incidents",
    "lock_for_write",
    "meta_table",
    "read_incidents",
    "update_location",
]

SCHEMA_VERSION = 1


def ensure_schema(engine: Engine) -> None:
    """Create missing tables and add columns that a newer schema has and the database lacks."""
    try:
        metadata.create_all(engine)
        inspector = sa.inspect(engine)
        for table in metadata.sorted_tables:
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in have:
                    continue
                ddl = sa.schema.CreateColumn(column).compile(dialect=engine.dialect)
                with engine.begin() as conn:
                    conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {ddl}")
        # Write only what is missing: a read-only database that is up to date can be viewed.
        with engine.connect() as conn:
            current = (_get_meta(conn, "schema_version"), _get_meta(conn, "data_version"))
        if current[0] != str(SCHEMA_VERSION) or current[1] is None:
            with contextlib.suppress(sa.exc.IntegrityError), engine.begin() as conn:
                _set_meta(conn, "schema_version", str(SCHEMA_VERSION))  # a concurrent first
                if _get_meta(conn, "data_version") is None:  # start may win: fine
                    conn.execute(meta_table.insert().values(key="data_version", value="0"))
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot create or upgrade the database schema", exc) from exc


def _get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(
        sa.select(meta_table.c.value).where(meta_table.c.key == key)
    ).scalar_one_or_none()


def _set_meta(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(
        meta_table.update().where(meta_table.c.key == key).values(value=value)
    ).rowcount
    if not updated:
        conn.execute(meta_table.insert().values(key=key, value=value))


def bump_version(conn: Connection) -> int:
    """Increase the data version inside the caller's transaction and return the new value.

    One atomic ``UPDATE … SET value = value + 1 … RETURNING value``: two writers at the same
    time never both write the same number (a read-then-write would lose one bump, leaving
    other sessions on stale data). The row lock it takes is held until the caller's
    transaction ends, so it also serialises writers (see ``lock_for_write``).
    """
    column = meta_table.c.value
    bumped = conn.execute(
        meta_table.update()
        .where(meta_table.c.key == "data_version")
        .values(value=sa.cast(sa.cast(column, sa.Integer) + 1, sa.Text))
        .returning(column)
    ).scalar_one_or_none()
    if bumped is None:  # a store made before the row was created up front
        conn.execute(meta_table.insert().values(key="data_version", value="1"))
        return 1
    return int(bumped)


def lock_for_write(conn: Connection) -> None:
    """Take the store's write lock until the caller's transaction ends.

    A write that first checks what is stored (an import's duplicate rule) must not interleave
    with another. Updating the data-version row to itself takes a row lock on PostgreSQL and
    the database's write lock on SQLite, without changing the version: a second import waits
    here, then sees the first one's rows.
    """
    conn.execute(meta_table.update().where(meta_table.c.key == "data_version")
                 .values(value=meta_table.c.value))


def id_key(conn: Connection) -> bytes:
    """Return the store's secret key for the ids of imported rows, creating it the first time.

    Ids of spreadsheet rows are keyed hashes (``incidents.readers.generic``): the same row
    gets the same id in this store, and nobody without the database can tell which cells an
    id was made from. Call inside the import's transaction.
    """
    value = _get_meta(conn, "id_key")
    if value is None:
        value = secrets.token_hex(32)
        conn.execute(meta_table.insert().values(key="id_key", value=value))
    return bytes.fromhex(value)


def data_version(engine: Engine) -> int:
    """Return a number that changes whenever the incidents change."""
    try:
        with engine.connect() as conn:
            return int(_get_meta(conn, "data_version") or 0)
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read the database", exc) from exc


def ensure_store(engine: Engine) -> None:
    """Create the schema and, the first time only, fill the store with the bundled data."""
    ensure_schema(engine)
    with engine.connect() as conn:
        if _get_meta(conn, "bundled_loaded"):
            return
    from incidents.bundled import read_bundled

    frame = read_bundled()
    try:
        with engine.begin() as conn:
            if _get_meta(conn, "bundled_loaded"):  # another process got here first
                return
            insert_incidents(conn, frame)
            _set_meta(conn, "bundled_loaded", dt.datetime.now(dt.UTC).isoformat())
    except sa.exc.IntegrityError:
        # A concurrent first run loaded the same rows; its transaction won.
        return
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot fill the new database with the bundled data", exc) from exc


def _records(df: pd.DataFrame) -> list[dict]:
    """Return plain-Python row dicts for the DB driver: NA -> None, Timestamp -> datetime."""
    out = df.loc[:, list(COLUMNS)].astype(object)
    records = out.to_dict("records")
    for row in records:
        for key, value in row.items():
            if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
                row[key] = None
            elif isinstance(value, pd.Timestamp):
                row[key] = value.to_pydatetime()
    return records


def insert_incidents(conn: Connection, df: pd.DataFrame, *, chunk: int = 5000) -> int:
    """Insert conformed incidents inside the caller's transaction; return how many."""
    df = conform(df)
    if df.empty:
        return 0
    for start in range(0, len(df), chunk):
        conn.execute(incidents_table.insert(), _records(df.iloc[start : start + chunk]))
    bump_version(conn)
    return len(df)


def read_incidents(engine: Engine) -> pd.DataFrame:
    """Return every stored incident as a conformed frame."""
    try:
        with engine.connect() as conn:
            frame = pd.read_sql(sa.select(incidents_table), conn)
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read incidents from the database", exc) from exc
    return conform(frame)


def update_location(
    engine: Engine,
    incident_id: str,
    latitude: float | None,
    longitude: float | None,
    geo_precision: str | None,
    geocoder: str,
) -> None:
    """Set one incident's point, precision and geocoder (a manual correction, a geocode run)."""
    with engine.begin() as conn:
        done = conn.execute(
            incidents_table.update()
            .where(incidents_table.c.incident_id == incident_id)
            .values(
                latitude=latitude,
                longitude=longitude,
                geo_precision=geo_precision,
                geocoder=geocoder,
            )
        ).rowcount
        if not done:
            raise StoreError(f"no incident {incident_id!r}")
        bump_version(conn)
