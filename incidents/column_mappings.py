"""Remembered column mappings: the mapping a user confirmed for a spreadsheet's header set,
offered again for the next file with the same headers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.db import store_error, utc_now
from incidents.readers.fields import header_key
from incidents.tables import import_mappings_table
from incidents.text import normalize_text

__all__ = ["remember_mapping", "remembered_mapping"]


def remembered_mapping(engine: Engine, columns) -> dict[str, str] | None:
    """Return the mapping last confirmed for this header set, keeping columns that exist."""
    try:
        with engine.connect() as conn:
            text = conn.execute(
                sa.select(import_mappings_table.c.mapping)
                .where(import_mappings_table.c.header_key == header_key(columns))
            ).scalar_one_or_none()
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read remembered column mappings", exc) from exc
    if not text:
        return None
    # The header set matched loosely (case, accents); name the columns as this file does.
    names = {normalize_text(c): c for c in columns}
    mapping = {f: names[normalize_text(c)] for f, c in json.loads(text).items()
               if normalize_text(c) in names}
    return mapping or None


def remember_mapping(engine: Engine, columns, mapping: dict[str, str],
                     clock: Callable[[], dt.datetime] | None = None) -> None:
    """Remember ``mapping`` for files with this header set."""
    now = (clock or utc_now)()
    key = header_key(columns)
    values = {"headers": json.dumps(list(columns), ensure_ascii=False),
              "mapping": json.dumps(mapping, ensure_ascii=False), "updated_at": now}
    table = import_mappings_table
    try:
        with engine.begin() as conn:
            done = conn.execute(table.update().where(table.c.header_key == key)
                                .values(**values)).rowcount
            if not done:
                conn.execute(table.insert().values(header_key=key, **values))
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot remember the column mapping", exc) from exc
