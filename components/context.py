"""What app.py computes on every run and the pages read: all incidents, filters, the selection."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from components import state
from incidents.filtering import FilterIndex, Filters, Selection
from incidents.privacy import PublicPolicy

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Context:
    """The data and filters of this run."""

    incidents: pd.DataFrame  # everything in the store
    filters: Filters
    selection: Selection  # what passes the filters, as a mask over ``incidents``
    data_version: tuple[str, int]  # components.data.DataKey: (source, version)
    policy: PublicPolicy = field(default_factory=PublicPolicy)  # none for editors

    @property
    def index(self) -> FilterIndex:
        """The prepared index of ``incidents`` (codes, day numbers, coordinates)."""
        return self.selection.index

    @property
    def filtered(self) -> pd.DataFrame:
        """Every column of what passes the filters (the ``Incidents`` metric counts these).

        Gathered on first use only: the map and the table read ``selection`` instead."""
        return self.selection.frame


def set_current(ctx: Context) -> None:
    """Publish this run's context for the page script."""
    st.session_state[state.CONTEXT] = ctx


def current() -> Context:
    """Return this run's context (set by app.py before the page runs).

    The page scripts live in ``views/``, not ``pages/``, so that Streamlit never runs them as
    a legacy multipage app (nor lists that folder as its navigation on a fresh server). Should
    a page still run without app.py, it goes through app.py, which returns to it with the
    same query.
    """
    ctx = st.session_state.get(state.CONTEXT)
    if ctx is None:
        caller = Path(inspect.stack()[1].filename).resolve()
        st.session_state[state.DEEP_LINK] = caller.relative_to(PROJECT_DIR).as_posix()
        st.switch_page(str(PROJECT_DIR / "app.py"), query_params=st.query_params.to_dict())
    return ctx


def follow_deep_link() -> None:
    """In app.py, after ``st.navigation``: return to the page a deep link asked for."""
    target = st.session_state.pop(state.DEEP_LINK, None)
    if target:
        st.switch_page(target, query_params=st.query_params.to_dict())
