"""Data access for the app: one engine per process, incidents cached by data version."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from incidents.db import database_url, get_engine
from incidents.store import data_version, ensure_store, read_incidents


@st.cache_resource(show_spinner="Preparing the incident database…")
def engine_for(url: str) -> Engine:
    """Return the shared engine for ``url``, with the store created and filled."""
    engine = get_engine(url)
    ensure_store(engine)
    return engine


@st.cache_data(max_entries=3, show_spinner="Loading incidents…")
def _incidents(url: str, version: int) -> pd.DataFrame:
    # ``version`` is part of the cache key: a new import or correction bumps it.
    return read_incidents(engine_for(url))


def load() -> tuple[pd.DataFrame, int]:
    """Return all incidents and the data version they were read at."""
    url = database_url()
    version = data_version(engine_for(url))
    return _incidents(url, version), version


def clear() -> None:
    """Forget cached incidents (after a write in this process)."""
    _incidents.clear()
