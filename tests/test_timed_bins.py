"""Grid bins the browser moves through time: the same counts as bins of each window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from incidents.filtering import FilterIndex, Filters
from incidents.mapping import DEFAULT_CENTER
from incidents.mapping.aggregate import PointArrays, Viewport, grid_bins
from incidents.mapping.timed_bins import timed_bins, window_counts_from
from incidents.synthetic import synthetic_incidents
from incidents.timeline import play_windows

EPOCH = dt.date(1970, 1, 1)


def _points(index: FilterIndex, filters: Filters) -> tuple[PointArrays, tuple]:
    sel = index.select(filters)
    lat, lon = index.coordinates
    points = PointArrays(sel.values(lat), sel.values(lon), sel.values(index.fatalities),
                         sel.values(index.type_codes))
    return points, (sel.values(index.days[0]), sel.values(index.days[1]))


@pytest.mark.parametrize("mode", ["cumulative", "sliding"])
def test_each_frame_counts_what_the_server_would_bin_for_that_window(mode):
    df = synthetic_incidents(20_000, seed=3)
    index = FilterIndex(df)
    first, last = dt.date(2014, 1, 2), dt.date(2023, 12, 31)
    windows = play_windows(dt.date(2020, 1, 1), dt.date(2020, 3, 1), mode=mode, unit="month",
                           first=first, last=last, sliding_days=45)
    frames = [((a - EPOCH).days, (b - EPOCH).days) for a, b in windows]
    bounds = Viewport.around(DEFAULT_CENTER, 5, height_px=640).bounds.padded(0.5)
    points, days = _points(index, Filters(event_types=("attack", "battle")))
    timed = timed_bins(points, days, bounds, 5, frames)
    every = grid_bins(points, bounds, 5)
    assert len(frames) > 10
    for frame, (start, end) in list(zip(frames, windows, strict=True))[::5]:
        got = window_counts_from(timed, len(every), frame)
        expected = grid_bins(_points(index, Filters(event_types=("attack", "battle"),
                                                    start=start, end=end))[0], bounds, 5)
        shown = np.array(got["n"]) > 0
        assert np.array(got["n"])[shown].tolist() == expected["incidents"].tolist()
        assert np.array(got["f"])[shown].tolist() == pytest.approx(
            expected["fatalities"].tolist(), abs=1)
        by_type = np.array(got["c"]).reshape(len(every), -1)[shown]
        assert by_type.sum() == expected["incidents"].sum() > 0


def test_a_playback_payload_carries_the_timed_bins_and_its_key():
    import json

    from incidents.mapping import Playback, layer_payload

    df = synthetic_incidents(30_000, seed=1)
    viewport = Viewport.around(DEFAULT_CENTER, 5, height_px=640)
    frames = ((19000, 19000), (19000, 19006), (19000, 19013))
    plain = layer_payload(df, "clusters", viewport)
    played = layer_payload(df, "clusters", viewport, playback=Playback(frames, "k1"))
    assert plain.kind == played.kind == "bins"
    assert "t" not in json.loads(plain.data)
    timed = json.loads(played.data)["t"]
    assert timed["key"] == "k1" and timed["window"] == [19000, 19000]
    counts = window_counts_from(timed["z"], played.sent, frames[2])
    assert 0 < sum(counts["n"]) < played.in_view
