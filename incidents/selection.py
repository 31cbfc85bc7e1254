"""A selection: the rows of a frame that pass some filters, as one mask over the shared frame
(no copy), and what the metric, the table and the timeline count from it without gathering a
frame: incidents per time window, the newest rows, the timeline's bins.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from incidents.schema import EVENT_TYPE_CODES
from incidents.timeline import bin_days, count_in_windows

if TYPE_CHECKING:
    from incidents.filtering import FilterIndex

__all__ = ["Selection", "newest_rows", "timeline_bins", "window_counts"]


@dataclass(frozen=True, eq=False)
class Selection:
    """The rows of a frame that pass some filters: a mask over the shared frame, no copy.

    Consumers gather what they need: ``count``, ``rows`` (positions), ``take(columns)``
    for a narrow frame, ``frame`` for every column (computed once, only when asked).
    """

    index: FilterIndex
    mask: np.ndarray

    @property
    def df(self) -> pd.DataFrame:
        """The whole frame the selection is over."""
        return self.index.df

    @functools.cached_property
    def rows(self) -> np.ndarray:
        """Positions of the selected rows, in the frame's order."""
        return np.flatnonzero(self.mask)

    @functools.cached_property
    def count(self) -> int:
        """How many rows are selected."""
        return int(self.rows.size)

    @property
    def everything(self) -> bool:
        """Whether every row is selected."""
        return self.count == self.index.n

    def values(self, array: np.ndarray) -> np.ndarray:
        """Return the selected entries of a per-row array of the index."""
        return array if self.everything else array[self.rows]

    def take(self, columns: list[str] | None = None, rows: np.ndarray | None = None
             ) -> pd.DataFrame:
        """Return the selected rows (or the positions ``rows`` among them) of ``columns``."""
        df = self.df if columns is None else self.df[columns]
        if rows is None:
            return df if self.everything else df.take(self.rows)
        return df.take(self.rows[rows])

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """Every column of the selected rows (the frame itself when all are selected)."""
        return self.take()


def window_counts(selection: Selection, windows: list[tuple[dt.date, dt.date]]) -> list[int]:
    """Return how many selected incidents fall in each window, from the index's day numbers
    (as ``incidents.timeline.window_counts`` counts a frame)."""
    first, last = selection.index.days
    return count_in_windows(selection.values(first), selection.values(last), windows)


def newest_rows(selection: Selection, limit: int) -> np.ndarray:
    """Return the positions (among the selected rows) of the ``limit`` most recent incidents
    by ``date_start``, newest first, ties in the frame's order, undated last: the same rows as
    a stable descending sort, without sorting them all."""
    start = selection.df["date_start"].to_numpy(dtype="datetime64[s]").view(np.int64)
    keys = start[selection.rows]  # NaT is the smallest int64: last, as in sort_values
    if keys.size > limit:
        cut = np.partition(keys, keys.size - limit)[keys.size - limit]
        candidates = np.flatnonzero(keys >= cut)
    else:
        candidates = np.arange(keys.size)
    order = np.argsort(~keys[candidates], kind="stable")  # ~k: descending, no overflow
    return candidates[order[:limit]]


_SORTED_TYPES = np.array(sorted(EVENT_TYPE_CODES), dtype=object)
_SORTED_RANK = np.searchsorted(_SORTED_TYPES, np.array(EVENT_TYPE_CODES, dtype=object))


def timeline_bins(selection: Selection, freq: str) -> pd.DataFrame:
    """Return ``incidents.timeline.bin_timeline`` of the selected incidents, from the index's
    prepared day numbers and codes (no frame is gathered)."""
    index = selection.index
    first, last, precision, dated = index._dates
    rows = selection.rows[dated[selection.rows]]
    return bin_days(first[rows], last[rows], precision[rows],
                    _SORTED_RANK[index.type_codes[rows]], _SORTED_TYPES,
                    index.fatalities[rows], freq)
