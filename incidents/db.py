"""Database engine and table metadata shared by the store and the geocode cache.

SQLite is the embedded default (a git-ignored file under ``data/``); any SQLAlchemy URL
in ``INCIDENTS_DATABASE_URL`` selects another database, PostgreSQL for hosted teams.
The SQL is kept portable: SQLAlchemy Core only, no dialect-specific statements.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.errors import StoreError
from incidents.paths import DATA_DIR, DEFAULT_SQLITE_PATH
from incidents.tables import metadata  # every table, for callers of db.metadata

__all__ = [
    "DATA_DIR", "DEFAULT_SQLITE_PATH", "database_url", "describe_database", "get_engine", "metadata",
    "store_error",
    "utc_now",
]

URL_ENV = "INCIDENTS_DATABASE_URL"
BUSY_ENV = "INCIDENTS_SQLITE_BUSY_MS"  # how long a write waits for another writer

_log = logging.getLogger("incidents.db")


def database_url(url: str | None = None) -> str:
    """Return the SQLAlchemy URL to use: ``url``, else $INCIDENTS_DATABASE_URL, else SQLite."""
    url = url or os.environ.get(URL_ENV) or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def _busy_ms() -> int:
    try:
        return max(0, int(os.environ.get(BUSY_ENV, "30000")))
    except ValueError:
        return 30000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the app read while an import writes; busy_timeout waits for a writer
    # instead of failing at once with "database is locked".
    with contextlib.suppress(sqlite3.OperationalError):  # read-only: keeps its journal mode
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={_busy_ms()}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """Return a new engine for ``url`` (see ``database_url``), creating SQLite's folder."""
    url = database_url(url)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": _busy_ms() / 1000})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def utc_now() -> dt.datetime:
    """Return the time the store records: UTC, naive, to the second."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def store_error(what: str, exc: BaseException) -> StoreError:
    """Return a short ``StoreError`` for a database failure and log its detail on the server.

    SQLAlchemy's message holds the SQL statement and up to ten rows of parameters: data a
    user should not see in the page, and an operator needs in the log. The user is told what
    failed and the driver's one-line reason.
    """
    _log.error("%s", what, exc_info=exc)
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [""])[0]
    reason = first if len(first) <= 120 else first[:119] + "…"
    kind = type(cause).__name__
    return StoreError(f"{what} ({kind}{': ' + reason if reason else ''}; details in the "
                      "server log)")


def describe_database(url: str | None = None) -> str:
    """Return where the store is, for messages: the SQLite file's path, else the URL without
    its password (``url`` as ``database_url`` resolves it)."""
    resolved = sa.engine.make_url(database_url(url))
    if resolved.get_backend_name() == "sqlite":
        return f"the SQLite file {resolved.database or ':memory:'}"
    return resolved.render_as_string(hide_password=True)
