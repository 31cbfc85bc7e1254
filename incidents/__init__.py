"""Incident Atlas domain package: schema, readers, store, filtering, timeline, mapping, geocoding.

UI-free: nothing here imports streamlit.
"""

from __future__ import annotations

import pandas as pd

from incidents.errors import IncidentsError

__all__ = ["IncidentsError", "load_incidents"]


def load_incidents(database_url: str | None = None) -> pd.DataFrame:
    """Return every incident in the store, creating and filling it from bundled data on first use.

    ``database_url`` defaults to $INCIDENTS_DATABASE_URL, else the SQLite file under ``data/``.
    """
    from incidents.db import get_engine
    from incidents.store import ensure_store, read_incidents

    engine = get_engine(database_url)
    try:
        ensure_store(engine)
        return read_incidents(engine)
    finally:
        engine.dispose()
