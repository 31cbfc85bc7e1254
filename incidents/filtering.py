"""Filters: the value object that selects incidents, and the pure function that applies it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from incidents.i18n import N_
from incidents.timeline import effective_range

__all__ = ["ACTOR_ROLES", "Filters", "apply_filters", "filter_options"]

#: How a chosen actor must take part in an incident: key -> label. "either" is the default:
#: an analyst filtering on a group means every incident it took part in, on either side.
ACTOR_ROLES: dict[str, str] = {
    "either": N_("either"),
    "perpetrator": N_("as perpetrator"),
    "target": N_("as target"),
}


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples and None mean "no restriction".

    A dated incident passes the window when any day it may have happened on overlaps
    [start, end]: its [date_start, date_end], widened to the whole week, month or year when
    its date is known only to that (``incidents.timeline.effective_range``, the same days the
    timeline spreads it over). A month-precise incident is found from any day of that month.
    Incidents whose fatalities are unknown do not pass a ``min_fatalities`` above 0.
    ``actors`` match the ``actor`` column (``actor_role="perpetrator"``), the ``target``
    column (``"target"``) or either of them (``"either"``, the default).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    min_fatalities: int | None = None
    precisions: tuple[str, ...] = ()
    text: str = ""
    actor_role: str = "either"

    def with_window(self, start: dt.date | None, end: dt.date | None) -> Filters:
        """Return a copy with another date window."""
        return replace(self, start=start, end=end)


_TEXT_COLUMNS = ("location", "actor", "target", "description", "admin1", "admin2", "incident_id")


def _mask(df: pd.DataFrame, filters: Filters, skip_window: bool = False) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    if not skip_window and (filters.start is not None or filters.end is not None):
        # The same days the timeline spreads an incident over: its stated range, widened to
        # the whole week, month or year its date is known to.
        first, last = effective_range(df)
        if filters.start is not None:
            mask &= (last >= pd.Timestamp(filters.start)).fillna(False).astype(bool)
        if filters.end is not None:
            mask &= (first <= pd.Timestamp(filters.end)).fillna(False).astype(bool)
    for column, wanted in (
        ("country", filters.countries),
        ("admin1", filters.admin1),
        ("event_type", filters.event_types),
        ("geo_precision", filters.precisions),
    ):
        if wanted:
            mask &= df[column].isin(wanted).fillna(False).astype(bool)
    if filters.actors:
        columns = {"perpetrator": ("actor",), "target": ("target",)}.get(
            filters.actor_role, ("actor", "target"))
        hit = pd.Series(False, index=df.index)
        for column in columns:
            hit |= df[column].isin(filters.actors).fillna(False).astype(bool)
        mask &= hit
    if filters.min_fatalities:
        mask &= (df["fatalities_best"] >= filters.min_fatalities).fillna(False).astype(bool)
    text = filters.text.strip()
    if text:
        hit = pd.Series(False, index=df.index)
        for column in _TEXT_COLUMNS:
            hit |= df[column].str.contains(text, case=False, regex=False).fillna(False).astype(bool)
        mask &= hit
    return mask


def apply_filters(df: pd.DataFrame, filters: Filters, *, skip_window: bool = False) -> pd.DataFrame:
    """Return the incidents of ``df`` that pass ``filters`` (``df`` is not changed).

    ``skip_window`` ignores the date window, for a timeline that shows the whole span.
    """
    return df[_mask(df, filters, skip_window)]


def filter_options(df: pd.DataFrame) -> dict[str, list[str]]:
    """Return the values each multi-choice filter can take, sorted, for the sidebar."""
    def values(column: str) -> list[str]:
        return sorted(str(v) for v in df[column].dropna().unique())

    return {
        "country": values("country"),
        "admin1": values("admin1"),
        # Actors as either party: a group that only ever appears as the target is found too.
        "actor": sorted({str(v) for c in ("actor", "target") for v in df[c].dropna().unique()}),
    }
