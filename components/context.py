"""What app.py computes on every run and the pages read: all incidents, filters, the selection."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import state
from incidents.filtering import Filters


@dataclass(frozen=True)
class Context:
    """The data and filters of this run."""

    incidents: pd.DataFrame  # everything in the store
    filters: Filters
    filtered: pd.DataFrame  # what passes the filters: the ``Incidents`` metric counts these
    data_version: int


def set_current(ctx: Context) -> None:
    """Publish this run's context for the page script."""
    st.session_state[state.CONTEXT] = ctx


def current() -> Context:
    """Return this run's context (set by app.py before the page runs)."""
    return st.session_state[state.CONTEXT]
