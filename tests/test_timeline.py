import datetime as dt

import pandas as pd
import pytest

from incidents.timeline import bin_timeline, choose_freq, effective_range


@pytest.mark.parametrize(
    ("days", "freq"), [(0, "day"), (120, "day"), (121, "week"), (1000, "week"), (1200, "month")]
)
def test_choose_freq(days, freq):
    start = dt.date(2020, 1, 1)
    assert choose_freq(start, start + dt.timedelta(days=days)) == freq


def test_effective_range_widens_imprecise_dates(small_frame):
    start, end = effective_range(small_frame)
    by_id = dict(zip(small_frame["incident_id"], zip(start, end, strict=True), strict=True))
    assert by_id["t:3"] == (pd.Timestamp("2023-03-01"), pd.Timestamp("2023-03-31"))
    assert by_id["t:4"] == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    assert by_id["t:1"] == (pd.Timestamp("2024-09-17"), pd.Timestamp("2024-09-17"))


@pytest.mark.parametrize("freq", ["day", "week", "month"])
def test_bins_add_up_to_the_incidents(small_frame, freq):
    bins = bin_timeline(small_frame, freq)
    assert bins["incidents"].sum() == pytest.approx(len(small_frame))
    assert (bins["incidents"] > 0).all()


def test_year_precise_incident_is_spread_not_pinned(small_frame):
    bins = bin_timeline(small_frame, "month")
    year = bins[bins["event_type"] == "explosion"]
    assert len(year) == 12
    assert year["incidents"].tolist() == pytest.approx([1 / 12] * 12)
    assert year["imprecise"].sum() == pytest.approx(1)
    precise = bins[(bins["event_type"] == "attack") & (bins["period"] == "2024-09-01")]
    assert precise["imprecise"].sum() == 0
    assert precise["fatalities"].sum() == pytest.approx(12 + 3 + 5)


def test_empty_frame(small_frame):
    assert bin_timeline(small_frame.iloc[0:0], "week").empty


FIRST, LAST = dt.date(2000, 1, 1), dt.date(2024, 9, 17)


@pytest.mark.parametrize(
    ("window", "unit", "n", "expected"),
    [
        ((dt.date(2024, 9, 10), dt.date(2024, 9, 16)), "day", 1,
         (dt.date(2024, 9, 11), dt.date(2024, 9, 17))),
        ((dt.date(2024, 9, 10), dt.date(2024, 9, 16)), "week", 1,  # stops at the end
         (dt.date(2024, 9, 11), dt.date(2024, 9, 17))),
        ((dt.date(2024, 1, 31), dt.date(2024, 2, 29)), "month", -1,
         (dt.date(2023, 12, 31), dt.date(2024, 1, 29))),
        ((dt.date(2000, 1, 3), dt.date(2000, 1, 9)), "week", -1,  # stops at the start
         (dt.date(2000, 1, 1), dt.date(2000, 1, 7))),
    ],
)
def test_step_window(window, unit, n, expected):
    from incidents.timeline import step_window

    assert step_window(*window, unit, n, first=FIRST, last=LAST) == expected


def test_play_step_modes_and_end():
    from incidents.timeline import play_step

    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 7)
    assert play_step(start, end, mode="cumulative", unit="week", first=FIRST, last=LAST) == (
        start, dt.date(2024, 1, 14), False)
    assert play_step(start, end, mode="sliding", unit="day", first=FIRST, last=LAST,
                     sliding_days=7) == (dt.date(2024, 1, 2), dt.date(2024, 1, 8), False)
    assert play_step(start, dt.date(2024, 9, 10), mode="cumulative", unit="month", first=FIRST,
                     last=LAST)[1:] == (LAST, True)
    with pytest.raises(ValueError):
        play_step(start, end, mode="bounce", unit="day", first=FIRST, last=LAST)


def test_play_windows_follow_play_step_to_the_end():
    from incidents.timeline import play_step, play_windows

    first, last = dt.date(2023, 1, 1), dt.date(2023, 3, 31)
    windows = play_windows(dt.date(2023, 1, 1), dt.date(2023, 1, 7), mode="cumulative",
                           unit="week", first=first, last=last)
    assert windows[0] == (dt.date(2023, 1, 1), dt.date(2023, 1, 7))
    assert windows[1] == play_step(*windows[0], mode="cumulative", unit="week", first=first,
                                   last=last)[:2]
    assert windows[-1][1] == last and all(s == first for s, _ in windows)
    again = play_windows(first, last, mode="sliding", unit="month", first=first, last=last,
                         sliding_days=10)
    assert again[0] == (first, first)  # played to the end before: start again
    assert again[1] == (dt.date(2023, 1, 23), dt.date(2023, 2, 1))
    assert len(play_windows(first, dt.date(2023, 1, 1), mode="cumulative", unit="day",
                            first=first, last=last, limit=5)) == 5


def test_window_counts_agree_with_the_window_filter(small_frame):
    from incidents.filtering import Filters, apply_filters
    from incidents.timeline import window_counts

    windows = [(dt.date(2023, 3, 10), dt.date(2023, 3, 12)), (dt.date(2000, 1, 1),
               dt.date(2000, 1, 2)), (dt.date(1990, 1, 1), dt.date(2030, 1, 1))]
    want = [len(apply_filters(small_frame, Filters(start=s, end=e))) for s, e in windows]
    assert window_counts(small_frame, windows) == want
    assert want[2] > want[0] > 0
