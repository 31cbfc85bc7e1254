"""The timeline player: step back, Play/Pause, step forward and the window, above the map.

Playback runs in the browser (``player.js``): the server sends every window of the playback
with its count of incidents, the map's layer filters its points by each window in place, and
the server hears of the window only when the playback pauses or ends. Where the map shows
grid bins, Play first asks the server once for the bins' counts in every window (one rerun),
then plays them in place too. Steps are sent to the server at once (one rerun each).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import streamlit as st

from components import state
from components.i18n import _, language
from components.timeline_panel import request_window, window_of
from incidents.mapping import Playback
from incidents.mapping.elements import pack_ints, plural_forms
from incidents.mapping.static_data import publish_code
from incidents.timeline import play_windows, step_window

_DIR = Path(__file__).resolve().parent
_EPOCH = dt.date(1970, 1, 1)

# The buttons are written by player.js (it is sent with the component only when it cannot
# be loaded from static/), so that each rerun carries an empty box.
_HTML = '<div class="ia-player" role="group"></div>'

_CSS = """
.ia-player { display: flex; align-items: center; gap: .4rem; flex-wrap: wrap;
  font-family: var(--st-font, "Source Sans Pro", sans-serif); font-size: .95rem;
  color: var(--st-text-color, #31333f); min-height: 2.5rem; }
.ia-player button { font: inherit; border-radius: .5rem; cursor: pointer; padding: .3rem .7rem;
  border: 1px solid var(--st-border-color, rgba(49, 51, 63, .2));
  background: var(--st-secondary-background-color, #f0f2f6); color: inherit; }
.ia-player button.ia-play { background: var(--st-primary-color, #ff4b4b); color: #fff;
  border-color: transparent; min-width: 6.2rem; font-weight: 600; }
.ia-player button:focus-visible { outline: 2px solid var(--st-primary-color, #ff4b4b);
  outline-offset: 2px; }
.ia-player .ia-label { font-weight: 600; margin-left: .3rem; }
.ia-player .ia-window { font-variant-numeric: tabular-nums; }
"""

def _definition() -> dict:
    """The component's JavaScript and CSS. Every rerun that draws the player sends them, so
    where it can, player.js and the CSS are published once as a static module
    (content-addressed, cached by the browser) and the component carries only the few lines
    that import it; else (``static/`` cannot be written or is not served) the whole of both."""
    code = (_DIR / "player.js").read_text(encoding="utf-8")
    path = publish_code("player", code + _BOOT.replace("CSS", json.dumps(_CSS)))
    if path is None or not st.get_option("server.enableStaticServing"):
        return {"js": code, "css": _CSS}
    # Relative to the page (<baseUrlPath>/<page>), where Streamlit serves static/.
    return {"css": None, "js": (
        f"const url = new URL({json.dumps('app/static/' + path)}, document.baseURI).href;\n"
        "export default function (c) { import(url).then((m) => m.boot(c)); }\n")}


#: What the published module adds to player.js: its CSS, put in the page once, then the player.
_BOOT = """
export function boot(component) {
    if (!document.getElementById("ia-player-css")) {
        const style = document.createElement("style");
        style.id = "ia-player-css";
        style.textContent = CSS;
        document.head.appendChild(style);
    }
    return player(component);
}
"""


_player = st.components.v2.component(
    "incident_atlas_player", html=_HTML, **_definition(),
    isolate_styles=False,  # in the page's DOM: its CSS is prefixed, and tests reach it
)


def _day(day: dt.date) -> int:
    return (day - _EPOCH).days


def _on_step(first: dt.date, last: dt.date) -> None:
    direction = (st.session_state.get(state.W_PLAYER) or {}).get("step")
    if direction not in (-1, 1):
        return
    st.session_state.pop(state.MAP_PLAYBACK, None)
    start, end = window_of(first, last)
    unit = st.session_state.get(state.W_STEP_UNIT) or "week"
    request_window(*step_window(start, end, unit, direction, first=first, last=last))


def _on_play() -> None:
    """The player starts a playback the map's grid bins cannot follow yet: the next run
    sends them with their counts in every window of it (``incidents.mapping.Playback``)."""
    key = (st.session_state.get(state.W_PLAYER) or {}).get("play")
    if key:
        st.session_state[state.MAP_PLAYBACK] = str(key)


def playback(first: dt.date, last: dt.date) -> Playback | None:
    """Return the playback the player asked the map for (its windows from this session's
    settings), else None."""
    key = st.session_state.get(state.MAP_PLAYBACK)
    if not key:
        return None
    frames = tuple((_day(a), _day(b)) for a, b in _windows(first, last))
    return Playback(frames=frames, key=key)


def _windows(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    ss = st.session_state
    start, end = window_of(first, last)
    return play_windows(
        start, end, mode=ss.get(state.W_PLAY_MODE) or "cumulative",
        unit=ss.get(state.W_STEP_UNIT) or "week", first=first, last=last,
        sliding_days=int(ss.get(state.W_SLIDING_DAYS) or 30),
    )


def _on_stop() -> None:
    """The player is not playing while the map still plays its bins (the page was left during
    a playback): the server draws the window again."""
    st.session_state.pop(state.MAP_PLAYBACK, None)


def _on_window(first: dt.date, last: dt.date) -> None:
    st.session_state.pop(state.MAP_PLAYBACK, None)  # paused or ended: the server draws again
    value = (st.session_state.get(state.W_PLAYER) or {}).get("window")
    try:
        start, end = (dt.date.fromisoformat(str(v)) for v in value)
    except (TypeError, ValueError):
        return  # not a window this player sent: nothing to apply
    request_window(min(start, end), max(start, end))


def _strings() -> dict:
    """The player's words in this session's language (the script fills {n}, {start}, {end})."""
    lang = language()
    return {
        "lang": lang, "play": _("Play"), "pause": _("Pause"), "window": _("Window"),
        "stepBack": _("Step back"), "stepForward": _("Step forward"),
        "player": _("Timeline playback"),
        "windowCaption": _("Window: {start} – {end}", start="{start}", end="{end}"),
        "days": plural_forms("{n} day", "{n} days", lang),
    }


def _packed_days(name: str, days: np.ndarray) -> dict:
    """``days`` packed as ``name`` (delta varints, see player.js): about one byte a step; or,
    when shorter, as ``<name>Runs``: each step between days and how many times it repeats
    (a week's steps: a few bytes for the whole playback)."""
    plain = pack_ints(days, delta=True)
    steps = np.diff(days, prepend=0)
    first = np.flatnonzero(np.diff(steps, prepend=steps[0] - 1))  # where each run starts
    lengths = np.diff(first, append=steps.size)
    runs = pack_ints(np.column_stack([steps[first], lengths]).ravel())
    return {f"{name}Runs": runs} if len(runs) < len(plain) else {name: plain}


def _packed_counts(counts: np.ndarray) -> dict:
    """The windows' counts packed as delta varints (``counts``), or, when shorter, as delta
    varints of their differences (``counts2``: a playback's counts change smoothly, so the
    changes of the changes are small)."""
    plain = pack_ints(counts, delta=True)
    second = pack_ints(np.diff(counts, prepend=0), delta=True)
    return {"counts2": second} if len(second) < len(plain) else {"counts": plain}


def _packed_frames(windows: list[tuple[dt.date, dt.date]]) -> dict:
    """The windows' first and last days, packed (``_packed_days``); a cumulative playback's
    single first day once."""
    starts = np.array([_day(a) for a, _b in windows])
    packed = _packed_days("ends", np.array([_day(b) for _a, b in windows]))
    if (starts == starts[0]).all():
        return {**packed, "start": int(starts[0])}
    return {**packed, **_packed_days("starts", starts)}


def render_player(counts: Callable[[list[tuple[dt.date, dt.date]]], list[int]],
                  first: dt.date, last: dt.date, *, client_side: bool) -> None:
    """Draw the player between ``first`` and ``last``; ``counts(windows)`` returns how many
    incidents (the filters but the window) fall in each window; ``client_side`` says the map
    filters its points by time itself."""
    ss = st.session_state
    start, end = window_of(first, last)
    windows = _windows(first, last)
    _player(
        key=state.W_PLAYER,
        data={
            "window": [_day(start), _day(end)],
            **_packed_frames(windows),
            **_packed_counts(np.array(counts(windows))),
            "interval": int(1000 * float(ss.get(state.W_PLAY_SPEED) or 1.0)),
            "client": bool(client_side),
            # Grid bins: Play asks the server once for their counts in every window.
            "timed": bool(ss.get(state.MAP_TIME_BINS)),
            "playback": bool(ss.get(state.MAP_PLAYBACK)),  # the map plays its bins
            "strings": _strings(),
        },
        on_step_change=lambda: _on_step(first, last),
        on_window_change=lambda: _on_window(first, last),
        on_play_change=_on_play,
        on_stop_change=_on_stop,
        height=44,
    )
