"""Data access for the app: one engine per process, incidents cached by data version."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import cachetools
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from components.i18n import _, number
from incidents.db import database_url, get_engine
from incidents.filtering import FilterIndex, Filters
from incidents.filtering import timeline_bins as _timeline_bins
from incidents.filtering import window_counts as _window_counts
from incidents.geocoding import Geocoder
from incidents.geocoding.review import review_queue as _review_queue
from incidents.privacy import PublicPolicy, apply_public_view
from incidents.store import data_version, ensure_store, read_incidents
from incidents.synthetic import synthetic_incidents

#: Set to a number of incidents to run the app on synthetic demo data instead of the store.
DEMO_ENV = "INCIDENTS_DEMO_EVENTS"

#: What a frame of incidents was read from and at which data version: (source, version). It
#: keys every cache of derived frames, so two databases (or demo data) never share entries.
DataKey = tuple[str, int]

if TYPE_CHECKING:
    from incidents.importer import ImportPreview

T = TypeVar("T")


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
@st.cache_resource(max_entries=2, ttl=3600, show_spinner=False)
def _index(_df: pd.DataFrame, version: DataKey, policy: PublicPolicy) -> FilterIndex:
    return FilterIndex(_df).warm()


def index(df: pd.DataFrame, version: DataKey, policy: PublicPolicy) -> FilterIndex:
    """Return the ``FilterIndex`` of ``df`` (read at ``version``, seen under ``policy``),
    built once per dataset and policy: day numbers, codes, search vocabulary, option lists."""
    with st.spinner(_("Indexing incidents…")):
        return _index(df, version, policy)


#: Bytes the derived caches (layer payloads, timeline bins) may hold per server process.
CACHE_BYTES = 64 * 2**20


def _nbytes(value) -> int:
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum())
    return len(getattr(value, "data", "")) + 200


@st.cache_resource(show_spinner=False)
def derived_cache() -> tuple[cachetools.LRUCache, threading.Lock]:
    """Return the process's byte-bounded LRU cache of derived values and its lock."""
    return cachetools.LRUCache(maxsize=CACHE_BYTES, getsizeof=_nbytes), threading.Lock()


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """Return ``compute()``, remembered under ``key`` in the byte-bounded ``derived_cache``.

    The key must name the data (``DataKey``) and the policy along with everything else the
    value depends on."""
    cache, lock = derived_cache()
    with lock:
        if key in cache:
            return cache[key]
    value = compute()
    with lock, contextlib.suppress(ValueError):  # larger than the whole cache: not kept
        cache[key] = value
    return value


def timeline_bins(index: FilterIndex, version: DataKey, policy: PublicPolicy,
                  filters: Filters, freq: str) -> pd.DataFrame:
    """Return the timeline bins of the incidents of ``index`` that pass ``filters`` at any
    date (the window aside), cached by data, policy, filters and bin size."""
    every_date = filters.with_window(None, None)
    key = ("timeline", version, policy, every_date, freq)
    return cached(key, lambda: _timeline_bins(index.select(every_date), freq))


def window_counts(index: FilterIndex, version: DataKey, policy: PublicPolicy, filters: Filters,
                  windows: list[tuple]) -> list[int]:
    """Return how many incidents passing ``filters`` (the window aside) fall in each window,
    cached by data, policy, filters and windows."""
    every_date = filters.with_window(None, None)
    key = ("window_counts", version, policy, every_date, tuple(windows))
    return cached(key, lambda: _window_counts(index.select(every_date), windows))


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
    _index.clear()
    cache, lock = derived_cache()
    with lock:
        cache.clear()


# -- the editors' pages: geocoder, review queue, import preview ---------------------------

@st.cache_resource(show_spinner=False)
def geocoder(url: str) -> Geocoder:
    """Return the shared geocoder for the database at ``url``, its index built (the caller
    draws the spinner)."""
    geocoder = Geocoder.from_env(engine_for(url))
    geocoder.warm()
    return geocoder


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def review_queue(url: str, version: int, threshold: float, _df: pd.DataFrame,
                 _geocoder: Geocoder) -> pd.DataFrame:
    """Return the Geocode page's review queue of ``_df`` (``incidents.geocoding.review``)."""
    # ``version`` keys the cache: every geocode run and correction bumps it.
    return _review_queue(_df, _geocoder, threshold)


# cache_resource, not cache_data: the preview holds the file as read (``ImportPreview.table``),
# which the import then uses instead of reading the file a second time; cache_data would copy
# it on every rerun. Nothing changes a preview once made. The page draws the spinner (in the
# session's language).
@st.cache_resource(max_entries=2, ttl=3600, show_spinner=False)
def import_preview(content: bytes, name: str) -> ImportPreview:
    """Return the file's preview; cached so that widget changes do not re-read it."""
    # Imported here: the importer and its readers are for editors, not every viewer's start.
    from incidents.importer import preview_file

    return preview_file(content, filename=name)
