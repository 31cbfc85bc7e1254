"""Timeline binning: incidents (or fatalities) per day, week or month, by event type.

An incident whose date is a range, or is known only to the week, month or year, is spread
evenly over every bin its range covers instead of being pinned to its first day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["FREQS", "choose_freq", "effective_range", "bin_timeline"]

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
