"""Timeline binning: incidents (or fatalities) per day, week or month, by event type.

An incident whose date is a range, or is known only to the week, month or year, is spread
evenly over every bin its range covers instead of being pinned to its first day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = [
    "FREQS",
    "STEP_UNITS",
    "bin_timeline",
    "choose_freq",
    "count_in_windows",
    "effective_days",
    "effective_range",
    "play_step",
    "play_windows",
    "step_window",
    "window_counts",
]

#: Bin name -> pandas period alias. Weeks start on Monday.
FREQS: dict[str, str] = {"day": "D", "week": "W-SUN", "month": "M"}

_PRECISION_PERIOD = {"week": "W-SUN", "month": "M", "year": "Y"}


def choose_freq(start: dt.date, end: dt.date) -> str:
    """Return the bin size that suits a span: day up to 4 months, week up to 3 years, else month."""
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days
    if days <= 120:
        return "day"
    if days <= 3 * 366:
        return "week"
    return "month"


def effective_range(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each incident's first and last possible day.

    The stated start-end range, widened to the whole week, month or year when the date's
    precision is coarser than a day and the range is narrower than that period.
    """
    start = df["date_start"]
    end = df["date_end"].fillna(start)
    precision = df["date_precision"].astype("string")
    for name, alias in _PRECISION_PERIOD.items():
        sel = (precision == name).fillna(False).to_numpy()
        if sel.any():
            period = start[sel].dt.to_period(alias)
            start = start.copy()
            end = end.copy()
            start[sel] = np.minimum(start[sel], period.dt.start_time.astype(start.dtype))
            end[sel] = np.maximum(end[sel], period.dt.end_time.dt.normalize().astype(end.dtype))
    return start, end


def _distinct_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (table of days, index of each day in it): a day range, or the distinct days."""
    low, high = int(days.min()), int(days.max())
    if high - low <= 200_000:  # five centuries: a lookup table beats sorting a million rows
        return np.arange(low, high + 1, dtype=np.int64), days - low
    return np.unique(days, return_inverse=True)


def _day_index(table: np.ndarray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(table.astype("datetime64[D]").astype("datetime64[s]"))


def _period_ordinals(days: np.ndarray, alias: str) -> np.ndarray:
    """Return the period ordinal of each day (int64 days since 1970), computed per distinct day."""
    table, inverse = _distinct_days(days)
    return _day_index(table).to_period(alias).asi8[inverse]


def _codes(values: pd.Series, fill: str, categories: tuple[str, ...] | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Return integer codes and their labels (sorted unless ``categories``), NA as ``fill``."""
    if isinstance(values.dtype, pd.CategoricalDtype) and \
            pd.api.types.is_string_dtype(values.cat.categories):
        names = values.cat.categories.astype("string")
        codes = values.cat.codes.to_numpy().astype(np.int64)
        labels = pd.Index(np.append(names.to_numpy(dtype=object), fill)).astype("string")
        codes = np.where(codes < 0, len(names), codes)
    else:
        codes, labels = pd.factorize(values.astype("string").fillna(fill))
        labels = pd.Index(labels).astype("string")
    if categories is not None:
        target = pd.Index(categories).get_indexer(labels)
    else:
        uniq = np.unique(labels.to_numpy(dtype=object))
        target = np.searchsorted(uniq, labels.to_numpy(dtype=object))
        categories = tuple(uniq)
    return target[codes], np.asarray(categories, dtype=object)


def _effective_days(dated: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``effective_range`` of dated incidents as whole days since 1970 (int64), plus the date
    precision's code per row (0 day, 1 week, 2 month, 3 year, -1 unknown).

    The same widening, computed on the few distinct days instead of per row: at a million
    incidents this takes a tenth of the time of the Series version.
    """
    start = dated["date_start"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    end_raw = dated["date_end"].to_numpy(dtype="datetime64[D]")
    end = np.where(np.isnat(end_raw), start, end_raw.astype(np.int64))
    precision, _ = _codes(dated["date_precision"], "", ("day", *_PRECISION_PERIOD))
    table, inverse = _distinct_days(start)
    index = _day_index(table)
    for code, alias in enumerate(_PRECISION_PERIOD.values(), start=1):
        sel = precision == code
        if sel.any():
            period = index.to_period(alias)
            first = period.start_time.to_numpy().astype("datetime64[D]").astype(np.int64)
            last = period.end_time.normalize().to_numpy().astype("datetime64[D]")
            last = last.astype(np.int64)
            start = np.where(sel, np.minimum(start, first[inverse]), start)
            end = np.where(sel, np.maximum(end, last[inverse]), end)
    return start, end, precision


def bin_timeline(df: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Return one row per (bin, event_type): ``period`` (bin start), ``event_type``,
    ``incidents`` (spread weights, summing to the number of dated incidents),
    ``fatalities`` (best estimates spread the same way; unknown counts as nothing) and
    ``imprecise`` (the weight that came from incidents not dated to one day).

    Rows are sorted by period, then event type. Vectorised on integer codes: about 0.3 s
    for a million incidents binned by month.
    """
    dated = df[df["date_start"].notna()]
    if dated.empty:
        return bin_days(*(np.zeros(0, np.int64),) * 3, np.zeros(0, np.int64),
                        np.array([], dtype=object), np.zeros(0), freq)
    start, end, precision = _effective_days(dated)
    type_codes, type_names = _codes(dated["event_type"], "other")
    fat = dated["fatalities_best"].to_numpy(dtype="float64", na_value=np.nan)
    return bin_days(start, end, precision, type_codes, type_names, fat, freq)


def bin_days(start: np.ndarray, end: np.ndarray, precision: np.ndarray,
             type_codes: np.ndarray, type_names: np.ndarray, fatalities: np.ndarray,
             freq: str) -> pd.DataFrame:
    """``bin_timeline`` of dated incidents given as arrays: effective first and last days
    (``effective_range`` in days since 1970), date precision codes, event type codes into the sorted
    ``type_names`` and best fatality estimates (NaN: unknown)."""
    columns = ["period", "event_type", "incidents", "fatalities", "imprecise"]
    if len(start) == 0:
        return pd.DataFrame({c: [] for c in columns})
    alias = FREQS[freq]
    first_ord = _period_ordinals(start, alias)
    span = np.maximum(_period_ordinals(end, alias) - first_ord + 1, 1)
    n_types = len(type_names)
    imprecise = (precision != 0) | (span > 1)  # unknown precision counts as imprecise
    fat = np.where(np.isnan(fatalities), 0.0, fatalities)
    single = span == 1
    # Most incidents fall in one bin: count those directly, spread only the others.
    base = int(first_ord.min())
    size = (int((first_ord + span - 1).max()) - base + 1) * n_types
    key = (first_ord[single] - base) * n_types + type_codes[single]
    occupied = np.bincount(key, minlength=size)
    sums = {
        "incidents": occupied.astype("float64"),
        "fatalities": np.bincount(key, weights=fat[single], minlength=size),
        "imprecise": np.bincount(key, weights=imprecise[single].astype("float64"),
                                 minlength=size),
    }
    spread = np.flatnonzero(~single)
    if spread.size:  # each spread over its bins, all of it imprecise
        repeat = np.repeat(spread, span[spread])
        starts = np.cumsum(span[spread]) - span[spread]
        offset = np.arange(len(repeat)) - np.repeat(starts, span[spread])
        weight = 1.0 / span[repeat]
        key = (first_ord[repeat] + offset - base) * n_types + type_codes[repeat]
        occupied = occupied + np.bincount(key, minlength=size)
        sums["incidents"] += np.bincount(key, weights=weight, minlength=size)
        sums["fatalities"] += np.bincount(key, weights=fat[repeat] * weight, minlength=size)
        sums["imprecise"] += np.bincount(key, weights=weight, minlength=size)
    present = np.flatnonzero(occupied)
    periods = pd.PeriodIndex.from_ordinals(present // n_types + base, freq=alias)
    out = pd.DataFrame(
        {
            "period": periods.start_time.to_numpy(),
            "event_type": np.asarray(type_names, dtype=object)[present % n_types],
            **{name: values[present] for name, values in sums.items()},
        }
    )
    return out[columns]


STEP_UNITS: tuple[str, ...] = ("day", "week", "month")


def _shift(day: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    if unit == "month":
        return (pd.Timestamp(day) + pd.DateOffset(months=n)).date()
    raise ValueError(f"unknown step unit {unit!r}")


def step_window(
    start: dt.date, end: dt.date, unit: str, n: int, *, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date]:
    """Return the window moved by ``n`` units (negative: back), kept inside [first, last].

    The window keeps its length; at either edge it stops instead of shrinking.
    """
    length = end - start
    new_start, new_end = _shift(start, unit, n), _shift(end, unit, n)
    if new_start < first:
        new_start, new_end = first, min(first + length, last)
    if new_end > last:
        new_start, new_end = max(last - length, first), last
    return new_start, new_end


def play_step(
    start: dt.date, end: dt.date, *, mode: str, unit: str, first: dt.date, last: dt.date,
    sliding_days: int = 30,
) -> tuple[dt.date, dt.date, bool]:
    """Return the next window of a playback and whether it has reached the end.

    ``cumulative``: the start stays, the end advances by one unit (everything up to a date).
    ``sliding``: the window is the last ``sliding_days`` days up to an end that advances.
    """
    new_end = min(_shift(end, unit, 1), last)
    if mode == "cumulative":
        new_start = start
    elif mode == "sliding":
        new_start = max(new_end - dt.timedelta(days=max(sliding_days, 1) - 1), first)
    else:
        raise ValueError(f"unknown playback mode {mode!r}")
    return new_start, new_end, new_end >= last


def play_windows(
    start: dt.date, end: dt.date, *, mode: str, unit: str, first: dt.date, last: dt.date,
    sliding_days: int = 30, limit: int = 5_000,
) -> list[tuple[dt.date, dt.date]]:
    """Return every window a playback from [start, end] shows, the first one included.

    A window already at the end of the data starts again from its first day; then
    ``play_step`` advances until the end of the data (at most ``limit`` windows), so the
    browser can play them without asking the server for each step.
    """
    if end >= last and start < last:
        end = start
    windows = [(start, end)]
    finished = end >= last
    while not finished and len(windows) < limit:
        start, end, finished = play_step(start, end, mode=mode, unit=unit, first=first,
                                         last=last, sliding_days=sliding_days)
        windows.append((start, end))
    return windows


def effective_days(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each incident's first and last possible day as days since 1970-01-01 (int64),
    -1 and -2 for an undated incident, so that it falls in no window."""
    first = np.full(len(df), -1, dtype=np.int64)
    last = np.full(len(df), -2, dtype=np.int64)
    known = df["date_start"].notna().to_numpy()
    if known.any():
        lo, hi, _ = _effective_days(df[known])
        first[known], last[known] = lo, hi
    return first, last


def window_counts(df: pd.DataFrame, windows: list[tuple[dt.date, dt.date]]) -> list[int]:
    """Return how many incidents of ``df`` fall in each window (as ``Filters`` counts them)."""
    first, last = effective_days(df)
    return count_in_windows(first, last, windows)


def count_in_windows(first: np.ndarray, last: np.ndarray,
                     windows: list[tuple[dt.date, dt.date]]) -> list[int]:
    """Return how many of the incidents whose possible days are [first, last] (days since
    1970; first > last: undated) fall in each window."""
    dated = first <= last
    first, last = np.sort(first[dated]), np.sort(last[dated])
    starts = np.array([w[0] for w in windows], dtype="datetime64[D]").astype(np.int64)
    ends = np.array([w[1] for w in windows], dtype="datetime64[D]").astype(np.int64)
    # Ended before the window, or began after it: two disjoint sets, as first <= last.
    before = np.searchsorted(last, starts, side="left")
    after = len(first) - np.searchsorted(first, ends, side="right")
    return (len(first) - before - after).tolist()
