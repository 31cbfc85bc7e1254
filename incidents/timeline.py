"""Timeline binning: incidents (or fatalities) per day, week or month, by event type.

An incident whose date is a range, or is known only to the week, month or year, is spread
evenly over every bin its range covers instead of being pinned to its first day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["FREQS", "STEP_UNITS", "choose_freq", "effective_range", "bin_timeline", "step_window",
           "play_step"]

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


def bin_timeline(df: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Return one row per (bin, event_type): ``period`` (bin start), ``event_type``,
    ``incidents`` (spread weights, summing to the number of dated incidents),
    ``fatalities`` (best estimates spread the same way; unknown counts as nothing) and
    ``imprecise`` (the weight that came from incidents not dated to one day)."""
    columns = ["period", "event_type", "incidents", "fatalities", "imprecise"]
    dated = df[df["date_start"].notna()]
    if dated.empty:
        return pd.DataFrame({c: [] for c in columns})
    alias = FREQS[freq]
    start, end = effective_range(dated)
    first = start.dt.to_period(alias)
    last = end.dt.to_period(alias)
    first_ord = first.array.asi8
    span = np.maximum(last.array.asi8 - first_ord + 1, 1)
    repeat = np.repeat(np.arange(len(dated)), span)
    offset = np.arange(len(repeat)) - np.repeat(np.cumsum(span) - span, span)
    weight = 1.0 / span[repeat]
    periods = pd.PeriodIndex.from_ordinals(first_ord[repeat] + offset, freq=alias)
    imprecise = ((dated["date_precision"].astype("string") != "day").fillna(True).to_numpy()
                 | (span > 1))
    fat = dated["fatalities_best"].astype("Float64").fillna(0).to_numpy(dtype=float)
    long = pd.DataFrame(
        {
            "period": periods.start_time.to_numpy(),
            "event_type": dated["event_type"].astype("string").fillna("other").to_numpy()[repeat],
            "incidents": weight,
            "fatalities": fat[repeat] * weight,
            "imprecise": np.where(imprecise[repeat], weight, 0.0),
        }
    )
    out = long.groupby(["period", "event_type"], as_index=False, sort=True).sum()
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
