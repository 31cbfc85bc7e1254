"""AppTest: shared links set the view; brushing, stepping and playing move the window."""

import datetime as dt
import itertools

import pytest

import incidents
from components import state
from components.timeline_panel import window_from_selection
from incidents.filtering import Filters, apply_filters


def metric(at) -> int:
    return int(next(m for m in at.metric if m.label == "Incidents").value.replace(",", ""))


@pytest.fixture(scope="module")
def all_incidents(seeded_sqlite_url):
    return incidents.load_incidents(seeded_sqlite_url)


def count(df, **kw) -> int:
    return len(apply_filters(df, Filters(**kw)))


def test_a_link_sets_filters_view_and_selection(app_test, all_incidents):
    at = app_test()
    at.query_params.update({"start": "2024-09-17", "end": "2024-09-17", "country": "ML",
                            "lat": "12.6", "lon": "-7.97", "zoom": "11", "layer": "markers",
                            "basemap": "osm", "incident": "atlas:2024-09-17-bamako-faladie"})
    at.run()
    assert not at.exception
    assert metric(at) == 2
    assert at.session_state[state.SELECTED] == "atlas:2024-09-17-bamako-faladie"
    assert at.session_state[state.MAP_VIEW]["zoom"] == 11
    assert at.session_state[state.W_BASEMAP] == "osm"
    text = " ".join(m.value for m in at.markdown)
    assert "Gendarmerie school" in text
    assert at.query_params["country"] in ("ML", ["ML"])


def test_hostile_link_never_crashes_and_says_what_it_ignored(app_test, all_incidents):
    at = app_test()
    at.query_params.update({"start": "9999-99-99", "country": "ML,<script>alert(1)</script>",
                            "type": "battle", "zoom": "NaN", "q": "x" * 5000,
                            "actor": "Nobody at all", "incident": "javascript:alert(1)"})
    at.run()
    assert not at.exception
    assert metric(at) == count(all_incidents, countries=("ML",), event_types=("battle",))
    shown = " ".join(t.value for t in at.text)
    assert "'start' ignored" in shown and "'country'" in shown and "'zoom' ignored" in shown
    assert "Nobody at all" in shown
    at.button(key="url_notices_dismiss").click().run()
    assert not any("ignored" in t.value for t in at.text)


def test_player_steps_and_pauses_request_the_window(monkeypatch):
    import streamlit as st

    from components import player

    first, last = dt.date(2020, 1, 1), dt.date(2024, 9, 17)
    fake = {state.W_DATES: (dt.date(2023, 1, 1), dt.date(2023, 1, 7))}
    monkeypatch.setattr(st, "session_state", fake)
    fake[state.W_PLAYER] = {"step": 1}
    player._on_step(first, last)
    assert fake[state.PENDING_WINDOW] == (dt.date(2023, 1, 8), dt.date(2023, 1, 14))
    fake[state.W_STEP_UNIT] = "month"
    fake[state.W_PLAYER] = {"step": -1}
    player._on_step(first, last)
    assert fake[state.PENDING_WINDOW] == (dt.date(2022, 12, 1), dt.date(2022, 12, 7))
    fake[state.W_PLAYER] = {"window": ["2023-03-01", "2023-02-01"]}  # where playback paused
    player._on_window(first, last)
    assert fake[state.PENDING_WINDOW] == (dt.date(2023, 2, 1), dt.date(2023, 3, 1))
    fake.pop(state.PENDING_WINDOW)
    fake[state.W_PLAYER] = {"window": "not a window"}
    player._on_window(first, last)
    assert state.PENDING_WINDOW not in fake


def test_play_asks_the_map_for_playable_bins_until_playback_pauses(monkeypatch):
    import streamlit as st

    from components import player

    first, last = dt.date(2020, 1, 1), dt.date(2024, 9, 17)
    fake = {state.W_DATES: (dt.date(2023, 1, 1), dt.date(2023, 1, 7))}
    monkeypatch.setattr(st, "session_state", fake)
    assert player.playback(first, last) is None
    fake[state.W_PLAYER] = {"play": "1234"}
    player._on_play()
    asked = player.playback(first, last)
    assert asked is not None and asked.key == "1234"
    epoch = dt.date(1970, 1, 1)
    assert asked.frames[0] == ((dt.date(2023, 1, 1) - epoch).days,
                               (dt.date(2023, 1, 7) - epoch).days)
    assert len(asked.frames) > 50  # weekly, cumulative, until the end of the data
    fake[state.W_PLAYER] = {"window": ["2023-01-01", "2023-03-01"]}  # paused: the server draws
    player._on_window(first, last)
    assert player.playback(first, last) is None
    player._on_play()
    player._on_stop()  # the player stopped without a window (the page was left)
    assert player.playback(first, last) is None


def test_a_requested_window_moves_the_metric(app_test, all_incidents):
    at = app_test()
    at.query_params.update({"start": "2023-01-01", "end": "2023-01-07"})
    at.run()
    assert metric(at) == count(all_incidents, start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 7))
    at.session_state[state.PENDING_WINDOW] = (dt.date(2023, 1, 8), dt.date(2023, 1, 14))
    at.run()
    assert at.session_state[state.W_DATES] == (dt.date(2023, 1, 8), dt.date(2023, 1, 14))
    assert metric(at) == count(all_incidents, start=dt.date(2023, 1, 8), end=dt.date(2023, 1, 14))


def test_brush_selection_becomes_the_window(app_test, all_incidents):
    assert window_from_selection({"selection": {"window": {"period": [
        1693526400000, 1696032000000]}}}) == (dt.date(2023, 9, 1), dt.date(2023, 9, 30))
    assert window_from_selection({"selection": {}}) is None
    assert window_from_selection(None) is None
    at = app_test().run()
    at.session_state[state.PENDING_WINDOW] = (dt.date(2023, 9, 1), dt.date(2023, 9, 30))
    at.run()
    assert metric(at) == count(all_incidents, start=dt.date(2023, 9, 1), end=dt.date(2023, 9, 30))


def _days(packed: dict, name: str) -> list[int]:
    """The player's days as player.js reads them: delta varints, or runs of equal steps."""
    from incidents.mapping.encoding import unpack_ints

    if f"{name}Runs" not in packed:
        return unpack_ints(packed[name], delta=True)
    runs = unpack_ints(packed[f"{name}Runs"])
    steps = [step for step, times in zip(runs[::2], runs[1::2], strict=True)
             for _ in range(times)]
    return list(itertools.accumulate(steps))


@pytest.mark.parametrize("mode", ["cumulative", "sliding"])
@pytest.mark.parametrize("unit", ["day", "week", "month"])
def test_the_player_gets_every_window_in_few_bytes(mode, unit):
    from components import player
    from incidents.timeline import play_windows

    first, last = dt.date(2014, 1, 1), dt.date(2024, 12, 31)
    windows = play_windows(dt.date(2014, 3, 5), last, mode=mode, unit=unit, first=first,
                           last=last, sliding_days=30)
    packed = player._packed_frames(windows)
    ends = _days(packed, "ends")
    starts = [packed["start"]] * len(ends) if "start" in packed else _days(packed, "starts")
    assert list(zip(starts, ends, strict=True)) == [
        (player._day(a), player._day(b)) for a, b in windows]
    if unit != "month":  # steps of one length: a few bytes whatever the number of windows
        assert sum(len(str(v)) for v in packed.values()) < 40


@pytest.mark.parametrize("top", [250.5, 9_000.0, 200_000.0])
def test_the_timeline_chart_data_packs_both_numbers_of_a_type_exactly(top):
    """The chart reads each type's measure and imprecise share back from one column (as
    its Vega transform does) and each period's first day from ``d``."""
    import numpy as np
    import pandas as pd

    from components.timeline_panel import _wide

    bins = pd.DataFrame({
        "period": pd.to_datetime(["2014-01-01", "2014-01-01", "2014-02-01", "2024-12-01"]),
        "event_type": ["battle", "explosion", "battle", "other"],
        "incidents": [top, 2.5, 1.0, 0.0],
        "imprecise": [1.5, 0.0, 0.25, 0.0],
    })
    table, scale, base = _wide(bins, "incidents")
    assert table.column_names == ["d", *(f"p{j}" for j in range(8))]
    assert table.column("d").to_pylist() == [16071, 16102, 20058]
    def stored(*values):  # tenths, or whole numbers above 6,500
        return (np.rint(np.array(values) * scale) / scale).tolist()

    packed = np.asarray(table.column("p0").to_pylist(), dtype=np.float64)
    assert (np.floor(packed / base) / scale).tolist() == stored(top, 1.0, 0.0)
    assert ((packed % base) / scale).tolist() == stored(1.5, 0.25, 0.0)
    explosions = np.asarray(table.column("p2").to_pylist(), dtype=np.float64)
    assert (np.floor(explosions / base) / scale).tolist() == stored(2.5, 0.0, 0.0)


@pytest.mark.parametrize("weekly", [(1_500, 1_700), (0, 3), (0, 5_000)])
def test_the_player_gets_every_windows_count_in_few_bytes(weekly):
    import numpy as np

    from components import player
    from incidents.mapping.encoding import pack_ints, unpack_ints

    counts = np.cumsum(np.random.default_rng(0).integers(*weekly, 400))
    packed = player._packed_counts(counts)
    if "counts2" in packed:  # player.js: the running sums of the running sums
        back = list(itertools.accumulate(unpack_ints(packed["counts2"], delta=True)))
    else:
        back = unpack_ints(packed["counts"], delta=True)
    assert back == counts.tolist()
    assert len(next(iter(packed.values()))) <= len(pack_ints(counts, delta=True))
    if weekly == (1_500, 1_700):  # smooth: the second differences take fewer bytes
        assert "counts2" in packed



def test_labels_the_browser_sends_back_after_a_language_switch_are_codes_again(monkeypatch):
    """Streamlit's selectbox and multiselect travel as labels: a rerun asked for while the
    browser still shows English (the map reporting its view just after the switch) hands the
    French run "Cumulative"; the page must read the code, not crash on it. (AppTest cannot
    send a label that is not among the options, so the session state is played by a dict.)"""
    from components import i18n
    from components.filters import EVENT_TYPE_LABELS
    from components.timeline_panel import MODES

    ss = {state.LANG: "fr"}
    monkeypatch.setattr(i18n.st, "session_state", ss)
    i18n.formatter(MODES, state.W_PLAY_MODE)
    i18n.formatter(EVENT_TYPE_LABELS, state.W_TYPE)
    code, label = next(iter(EVENT_TYPE_LABELS.items()))
    french = i18n.i18n.gettext(label, "fr")
    assert french != label
    ss.update({state.W_PLAY_MODE: "Cumulative", state.W_TYPE: [french, "no such type"],
               state.W_TEXT: "Cumulative"})
    i18n.recode_widgets()
    assert ss[state.W_PLAY_MODE] == "cumulative"
    assert ss[state.W_TYPE] == [code, "no such type"]  # what is no label stays as it came
    assert ss[state.W_TEXT] == "Cumulative"  # a widget without labels is never touched
