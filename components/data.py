"""Data access for the app: one engine per process, incidents cached by data version."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from components.i18n import _, number
from incidents.db import database_url, get_engine
from incidents.filtering import Filters, apply_filters
from incidents.privacy import PublicPolicy, apply_public_view
from incidents.store import data_version, ensure_store, read_incidents
from incidents.synthetic import synthetic_incidents
from incidents.timeline import bin_timeline

#: Set to a number of incidents to run the app on synthetic demo data instead of the store.
DEMO_ENV = "INCIDENTS_DEMO_EVENTS"

#: What a frame of incidents was read from and at which data version: (source, version). It
#: keys every cache of derived frames, so two databases (or demo data) never share entries.
DataKey = tuple[str, int]


# Spinners are drawn by the callers, in the session's language (a decorator's text is fixed
# at import); st.spinner shows only after half a second, so a cache hit draws nothing.
@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    ensure_store(engine)
    return engine


def engine_for(url: str) -> Engine:
    """Return the shared engine for ``url``, with the store created and filled."""
    with st.spinner(_("Preparing the incident database…")):
        return _engine(url)


# cache_resource, not cache_data: cache_data would copy (unpickle) the whole frame on every
# rerun. The frames are shared read-only, as every function in incidents/ leaves its input be.
@st.cache_resource(max_entries=2, show_spinner=False)
def _incidents(url: str, version: int) -> pd.DataFrame:
    # ``version`` is part of the cache key: a new import or correction bumps it.
    return read_incidents(engine_for(url))


def demo_events() -> int | None:
    """Return the number of synthetic incidents asked for by $INCIDENTS_DEMO_EVENTS, else None."""
    raw = os.environ.get(DEMO_ENV, "").strip().replace("_", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


@st.cache_resource(max_entries=2, show_spinner=False)
def _demo_incidents(n: int) -> pd.DataFrame:
    return synthetic_incidents(n, seed=0)


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _public(_df: pd.DataFrame, version: DataKey, policy: PublicPolicy) -> pd.DataFrame:
    return apply_public_view(_df, policy)


def public(df: pd.DataFrame, version: DataKey, policy: PublicPolicy) -> pd.DataFrame:
    """Return ``df`` as ``policy`` lets the current user see it (the same frame when open)."""
    if policy == PublicPolicy():
        return df
    return _public(df, version, policy)


# The frame itself is not hashed (``_df``): (version, policy) identify it, because ``df`` is
# always ``public(load()[0], version, policy)``. The policy must be in the key, or a viewer
# could be served an editor's exact points for the same filters.
@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _filtered(_df: pd.DataFrame, version: DataKey, policy: PublicPolicy,
              filters: Filters) -> pd.DataFrame:
    return apply_filters(_df, filters)


def filtered(df: pd.DataFrame, version: DataKey, policy: PublicPolicy,
             filters: Filters) -> pd.DataFrame:
    """Return the incidents of ``df`` (read at ``version``, seen under ``policy``) that pass
    ``filters``, cached. The same frame object comes back for the same filters, so caches keyed
    on it downstream (the map's layer) hit as well."""
    return _filtered(df, version, policy, filters)


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _bins(_df: pd.DataFrame, version: DataKey, policy: PublicPolicy, filters: Filters,
          freq: str) -> pd.DataFrame:
    return bin_timeline(apply_filters(_df, filters, skip_window=True), freq)


def timeline_bins(df: pd.DataFrame, version: DataKey, policy: PublicPolicy, filters: Filters,
                  freq: str) -> pd.DataFrame:
    """Return the timeline bins of every date (the window aside) under the other filters."""
    return _bins(df, version, policy, filters.with_window(None, None), freq)


def load() -> tuple[pd.DataFrame, DataKey]:
    """Return all incidents and the key of what they were read from (``DataKey``).

    With $INCIDENTS_DEMO_EVENTS set, the incidents are synthetic (``incidents.synthetic``),
    a banner says so on every page, and the key is ("demo:N", -N), never a store's.
    """
    n = demo_events()
    if n is not None:
        st.warning(_("**SYNTHETIC demo data**: {count} generated incidents, not real events "
                     "({setting}).", count=number(n), setting=DEMO_ENV + "=" + str(n)),
                   icon=":material/science:")
        with st.spinner(_("Generating synthetic demo incidents…")):
            return _demo_incidents(n), (f"demo:{n}", -n)
    url = database_url()
    version = data_version(engine_for(url))
    with st.spinner(_("Loading incidents…")):
        return _incidents(url, version), (url, version)


def clear() -> None:
    """Forget cached incidents (after a write in this process)."""
    _incidents.clear()
    _public.clear()
    _filtered.clear()
    _bins.clear()
