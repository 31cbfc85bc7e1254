"""Grid bins the browser can move through time: what a playback needs to redraw bins itself.

When too many incidents are in view to send one by one, the map shows grid bins
(``aggregate.grid_bins``). For playback without a server round trip per step, the browser
must be able to count each bin's incidents in any window of the playback. An incident with
possible days [lo, hi] falls in a window [s, e] when lo <= e and hi >= s, so a bin's count
in that window is A(e) - B(s), with A(x) the number of its incidents with lo <= x and B(x)
those with hi < x (which all have lo <= e too). A is needed only at the playback's window
ends, B only at its starts: ``timed_bins`` sends both, per bin and event type (the donut's
shares), and the known fatalities the same way (the tooltip). Undated incidents are in
both and cancel out, as they fall in no window.

The bins keep the place of all their incidents (the timeless centroid): a bin does not
wander while it plays.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

from incidents.mapping.aggregate import BIN_PX, Bounds, PointArrays, grid_cells
from incidents.mapping.elements import unpack_ints, varint_bytes
from incidents.schema import EVENT_TYPE_CODES

__all__ = ["timed_bins", "window_counts_from"]


def _cumulative(series: np.ndarray, slot: np.ndarray, n_series: int, n_slots: int,
                weights: np.ndarray | None = None) -> np.ndarray:
    """Return, per series, the running total over slots of the items in each slot (items in
    slot ``n_slots`` are never counted)."""
    flat = np.bincount(series * (n_slots + 1) + slot, weights=weights,
                       minlength=n_series * (n_slots + 1))
    return np.cumsum(flat.reshape(n_series, n_slots + 1)[:, :n_slots], axis=1)


def _steps(table: np.ndarray) -> np.ndarray:
    """Return a table of running totals as each row's steps (small numbers), row after row."""
    return np.diff(np.rint(table).astype(np.int64), axis=1, prepend=0).ravel()


def timed_bins(points: PointArrays, days: tuple[np.ndarray, np.ndarray],
               bounds: Bounds | None, zoom: int, frames: list[tuple[int, int]], *,
               px: int = BIN_PX) -> dict:
    """Return what the bin layer needs to count each bin's incidents in each of ``frames``.

    ``days`` are each incident's first and last possible day (days since 1970), ``frames``
    the playback's windows as (first, last) days. The bins are those of ``grid_bins(points,
    bounds, zoom, px=px)``, in its order. The answer is one string, base64 of zlib of zigzag
    varints (``elements.varint_bytes``): the numbers of distinct window ends and starts, the
    ends and the starts (delta-coded), then per bin and event type the running counts at each
    end (``A``) and at each start (``B``), and per bin the same for known fatalities (``FA``,
    ``FB``), each row as its steps. ``window_counts_from`` reads it back.
    """
    mask, cell, n_cells = grid_cells(points, bounds, zoom, px=px)
    ends = np.unique(np.array([f[1] for f in frames], dtype=np.int64))
    starts = np.unique(np.array([f[0] for f in frames], dtype=np.int64))
    lo, hi = (np.asarray(d, dtype=np.int64)[mask] for d in days)
    nt = len(EVENT_TYPE_CODES)
    series = cell * nt + points.types[mask].astype(np.int64)
    end_slot = np.searchsorted(ends, lo, side="left")  # counted from the first end >= lo
    start_slot = np.searchsorted(starts, hi, side="right")  # from the first start > hi
    fat = points.fatalities[mask]
    known = ~np.isnan(fat)
    numbers = np.concatenate([
        [ends.size, starts.size], np.diff(ends, prepend=0), np.diff(starts, prepend=0),
        _steps(_cumulative(series, end_slot, n_cells * nt, ends.size)),
        _steps(_cumulative(series, start_slot, n_cells * nt, starts.size)),
        _steps(_cumulative(cell[known], end_slot[known], n_cells, ends.size, fat[known])),
        _steps(_cumulative(cell[known], start_slot[known], n_cells, starts.size, fat[known])),
    ]).astype(np.int64)
    return base64.b64encode(zlib.compress(varint_bytes(numbers), 6)).decode("ascii")


def window_counts_from(timed: str, n_cells: int, window: tuple[int, int]) -> dict:
    """Return each bin's counts in ``window`` (one of the frames) from a ``timed_bins``
    answer, as the browser computes them: ``n`` per bin, ``c`` per bin and event type, ``f``
    per bin. For tests and tools."""
    numbers = np.array(unpack_ints(base64.b64encode(zlib.decompress(base64.b64decode(timed)))
                                   .decode("ascii")), dtype=np.int64)
    n_ends, n_starts = int(numbers[0]), int(numbers[1])
    ends = np.cumsum(numbers[2:2 + n_ends]).tolist()
    starts = np.cumsum(numbers[2 + n_ends:2 + n_ends + n_starts]).tolist()
    j, k = ends.index(window[1]), starts.index(window[0])
    nt = len(EVENT_TYPE_CODES)
    rest = numbers[2 + n_ends + n_starts:]

    def table(rows: int, cols: int) -> np.ndarray:
        nonlocal rest
        part, rest = rest[:rows * cols], rest[rows * cols:]
        return np.cumsum(part.reshape(rows, cols), axis=1)

    a, b = table(n_cells * nt, n_ends)[:, j], table(n_cells * nt, n_starts)[:, k]
    fa, fb = table(n_cells, n_ends)[:, j], table(n_cells, n_starts)[:, k]
    c = (a - b).reshape(n_cells, nt)
    return {"n": c.sum(axis=1).tolist(), "c": c.ravel().tolist(), "f": (fa - fb).tolist()}
