"""Browser benchmark: what a user feels, in headless Chromium against the running app.

    python tests/bench/browser.py --events 100000 1000000        # the app at each size
    python tests/bench/browser.py --events 10000 --fast-marker-cluster   # the usual folium app
    python tests/bench/browser.py --events 1000000 --json --repeat 3

Each size starts ``streamlit run app.py`` with ``INCIDENTS_DEMO_EVENTS=N`` (SYNTHETIC data,
generated with seed 0 as the app does), opens it in Chromium (/usr/bin/chromium) with the
network cut: every request that is not to 127.0.0.1 is aborted (map tiles included; the app
serves Leaflet and its plugins itself, from static/vendor). Then, for each action, the time
from the user's input until the
map's incident layer has changed in the map's iframe, and the bytes the browser received
over the websocket for it (``*_kb``; ``*_sent_kb``: what it sent, its rerun requests with
the hashes of the elements it keeps):

* navigation -> map: from ``page.goto`` until the first incident layer (bins or markers);
* country filter -> map: choose "Burkina Faso" in the sidebar's Country filter;
* search -> map: type a word in "Search text" and press Enter;
* step -> map: the timeline's "Step forward" button (the window moves one unit);
* play step -> map: while playing, from one change of the layer to the next minus the
  playback interval (what a step costs beyond the wait between steps), and apart the first
  change after Play with its bytes (grid bins ask the server once for their counts in
  every window of the playback);
* server memory: RSS of the streamlit process after 20 different filter states.

``BENCH_WIRE_LOG=1`` logs every websocket frame above ``BENCH_WIRE_MIN`` bytes (300) with the
element it carries (Streamlit's ForwardMsg), to see what a rerun sends.

``--fast-marker-cluster`` runs ``tests/bench/fast_marker_cluster_app.py`` instead: the usual
way, a folium map with every incident in ``folium.plugins.FastMarkerCluster`` (with the same
fields as the app's markers) in ``st_folium``; only navigation -> map and bytes apply.

The machine's load is printed with the figures (``os.getloadavg``): timings on a shared
machine move; repeat (``--repeat``) and report ranges.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_streamlit
from tests.e2e.helpers import wait_for_app
from tests.e2e.network import is_local

FMC_APP = Path(__file__).resolve().with_name("fast_marker_cluster_app.py")
VIEWPORT = {"width": 1440, "height": 900}

#: A signature of the incident layer in the map's iframe: the icons' texts and classes.
#: It changes when the layer is replaced with other data.
_LAYER_SIGNATURE_JS = """() => {
  const icons = document.querySelectorAll('.leaflet-marker-icon');
  if (!icons.length) return '';
  let s = icons.length + ':';
  for (const el of icons) { s += el.className.length + (el.textContent || '') + '|'; }
  return s;
}"""

_FIND_MAP_JS = "() => !!document.querySelector('.leaflet-container')"


def _map_frame(page, timeout_s: float = 300.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame is page.main_frame:
                continue
            with contextlib.suppress(Exception):
                if frame.evaluate(_FIND_MAP_JS):
                    return frame
        # A Playwright call, not time.sleep: the sync API handles routes only inside its calls.
        page.wait_for_timeout(20)
    raise TimeoutError("no map frame")


def _signature(frame) -> str:
    return frame.evaluate(_LAYER_SIGNATURE_JS)


def _wait_layer_change(frame, before: str, timeout_s: float = 120.0) -> None:
    frame.wait_for_function(f"() => {{ const s = ({_LAYER_SIGNATURE_JS})(); "
                            f"return s !== '' && s !== {json.dumps(before)}; }}",
                            timeout=timeout_s * 1000, polling=10)


class Wire:
    """Bytes the page received over Streamlit's websocket (``sent``: that it sent)."""

    def __init__(self, page) -> None:
        self.bytes = 0
        self.sent = 0
        self.frames = 0
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framereceived", self._count)
        ws.on("framesent", self._count_sent)

    def _count_sent(self, payload) -> None:
        self.sent += len(payload) if isinstance(payload, (bytes, str)) else 0

    def _count(self, payload) -> None:
        size = len(payload) if isinstance(payload, (bytes, str)) else 0
        self.bytes += size
        self.frames += 1
        smallest = int(os.environ.get("BENCH_WIRE_MIN", "300"))
        if os.environ.get("BENCH_WIRE_LOG") and isinstance(payload, bytes) and size > smallest:
            _log(f"  ws frame {size:,} B: {_describe(payload)}")
        if os.environ.get("BENCH_WIRE_DUMP") and isinstance(payload, bytes):
            Path(os.environ["BENCH_WIRE_DUMP"], f"{self.frames:05d}.pb").write_bytes(payload)


def _describe(payload: bytes) -> str:
    """What a large websocket frame carries (Streamlit's ForwardMsg), for --wire-log."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:
        return "?"
    kind = msg.WhichOneof("type")
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        what = element.WhichOneof("type")
        text = f"element {what} at {list(msg.metadata.delta_path)}"
        if what == "component_instance":
            text += f" {_component_args(element.component_instance)}"
        return text
    return str(kind)


def _component_args(instance) -> str:
    """A component's largest JSON args and their sizes, for --wire-log."""
    try:
        args = json.loads(instance.json_args)
    except ValueError:
        return "?"
    sizes = {name: len(json.dumps(value)) for name, value in args.items()}
    big = sorted(sizes.items(), key=lambda kv: -kv[1])[:6]
    return " ".join(f"{name}={size:,}" for name, size in big)


def _route(stats: dict):
    """The network cut: only 127.0.0.1 answers (the app serves every map script itself)."""
    def handle(route) -> None:
        if is_local(route.request.url):
            route.continue_()
            return
        stats["aborted"] += 1
        route.abort("internetdisconnected")
    return handle


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _settle(page) -> None:
    wait_for_app(page, timeout=300_000, settle_ms=150)


def _sidebar_multiselect(page, key: str, text: str) -> None:
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def _timed_action(page, frame, wire: Wire, act) -> tuple[float, int, int]:
    before = _signature(frame)
    start_bytes, start_sent = wire.bytes, wire.sent
    start = time.perf_counter()
    act()
    _wait_layer_change(frame, before)
    elapsed = time.perf_counter() - start
    _settle(page)  # the rest of the rerun (timeline, table...) counts in the bytes
    return elapsed, wire.bytes - start_bytes, wire.sent - start_sent


#: 20 filter states for the memory figure: countries, event types, searches, windows.
FILTER_STATES = (
    ("f_country", "Mali"), ("f_country", "Niger"), ("f_type", "Battle"),
    ("f_type", "Explosion"), ("f_text", "djibo"), ("f_text", "gao"), ("f_text", "tillab"),
    ("f_text", "menaka"), ("f_text", "mopti"), ("f_text", "kidal"), ("f_text", "dori"),
    ("f_text", "segou"), ("f_text", "village 1"), ("f_text", "armed group"),
    ("f_text", "civilians"), ("f_text", "state forces"), ("f_text", "ouaga"),
    ("f_text", "timbuktu"), ("f_text", "niamey"), ("f_text", "synthetic:12"),
)


def _set_text(page, text: str) -> None:
    box = page.locator(".st-key-f_text input").first
    box.fill(text)
    box.press("Enter")


def run_app(n: int, *, app: Path | None = None, fast_marker_cluster: bool = False) -> dict:
    from playwright.sync_api import sync_playwright

    result: dict = {"events": n, "app": "fast_marker_cluster" if fast_marker_cluster else "app",
                    "load_before": os.getloadavg()}
    stats = {"aborted": 0}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        server = start_streamlit(app or (FMC_APP if fast_marker_cluster else None),
                                 workdir=Path(tmp), env={"INCIDENTS_DEMO_EVENTS": str(n)},
                                 timeout=600)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    # A first visit loads the data into the server's cache (as a running
                    # server has it); the figures are a second visit's.
                    warm = browser.new_context(viewport=VIEWPORT)
                    warm.route("**/*", _route(stats))
                    page = warm.new_page()
                    page.goto(server.url, wait_until="domcontentloaded", timeout=900_000)
                    _map_frame(page, 900)
                    _settle(page)
                    warm.close()
                    result["rss_start_mb"] = _rss_mb(server.process.pid)

                    context = browser.new_context(viewport=VIEWPORT)
                    context.route("**/*", _route(stats))
                    page = context.new_page()
                    wire = Wire(page)
                    start = time.perf_counter()
                    page.goto(server.url, wait_until="commit", timeout=900_000)
                    frame = _map_frame(page, 900)
                    frame.wait_for_function(f"() => ({_LAYER_SIGNATURE_JS})() !== ''",
                                            timeout=900_000, polling=10)
                    result["navigation_s"] = time.perf_counter() - start
                    _settle(page)
                    result["navigation_kb"] = wire.bytes / 1000
                    if not fast_marker_cluster:
                        _measure_actions(page, frame, wire, result, server.process.pid)
                    result["rss_end_mb"] = _rss_mb(server.process.pid)
                    context.close()
                finally:
                    browser.close()
        finally:
            server.stop()
    result.update(stats)
    result["load_after"] = os.getloadavg()
    return result


def _measure_actions(page, frame, wire: Wire, result: dict, pid: int) -> None:
    result.update(_timed(page, frame, wire,
                         lambda: _sidebar_multiselect(page, "f_country", "Burkina"), "country"))
    result.update(_timed(page, frame, wire, lambda: _set_text(page, "djibo"), "search"))
    _set_text(page, "")
    _settle(page)
    # Playback starts from the first week when the window is the whole span; then a step
    # moves a window that can move.
    result.update(_play(page, frame, wire))
    step = _player_button(page, ".ia-fwd", ".st-key-tl_step_fwd button")
    result.update(_timed(page, frame, wire, step.click, "step"))
    for key, value in FILTER_STATES:
        if key == "f_text":
            _set_text(page, value)
        else:
            _sidebar_multiselect(page, key, value)
        _settle(page)
    result["rss_after_20_states_mb"] = _rss_mb(pid)


def _player_button(page, player: str, panel: str):
    """The player's button above the map (components/player.py), else the timeline panel's."""
    button = page.locator(player).first
    return button if button.count() else page.locator(panel).first


def _timed(page, frame, wire, act, name: str) -> dict:
    """``<name>_s``, ``<name>_kb`` (received) and ``<name>_sent_kb`` of one action."""
    _log(f"action: {name}")
    try:
        seconds, received, sent = _timed_action(page, frame, wire, act)
    except Exception:
        page.screenshot(path=f"/tmp/bench-browser-{name}.png")
        raise
    return {f"{name}_s": seconds, f"{name}_kb": received / 1000, f"{name}_sent_kb": sent / 1000}


def _log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _play(page, frame, wire: Wire, steps: int = 6) -> dict:
    """Start playback; time the layer's changes. A step's cost is the gap between two changes
    minus the playback interval (read from the player); the first change, which may wait for
    a rerun (grid bins ask the server once for their counts in every window), is apart."""
    with contextlib.suppress(Exception):
        box = page.locator(".st-key-tl_play_speed").first
        box.click()
        page.get_by_role("option", name="fast (0.5 s)").click()
        _settle(page)
    start_bytes = wire.bytes
    play = _player_button(page, ".ia-play", ".st-key-tl_play button")
    before = _signature(frame)
    start = time.perf_counter()
    play.click()
    stamps = []
    for _ in range(steps):
        try:
            _wait_layer_change(frame, before, timeout_s=30)
        except Exception:
            break
        stamps.append(time.perf_counter())
        if len(stamps) == 1:
            first_kb = (wire.bytes - start_bytes) / 1000
        before = _signature(frame)
    interval = (page.evaluate("() => window.__iaPlayer ? window.__iaPlayer.data.interval : 0")
                or 500) / 1000
    later_kb = (wire.bytes - start_bytes) / 1000 - (first_kb if stamps else 0.0)
    with contextlib.suppress(Exception):
        play.click()
    _settle(page)
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    return {
        "play_steps": len(stamps),
        "play_interval_s": interval,
        "play_first_s": stamps[0] - start if stamps else float("nan"),
        "play_first_kb": first_kb if stamps else float("nan"),
        "play_gap_s": statistics.median(gaps) if gaps else float("nan"),
        "play_step_s": max(statistics.median(gaps) - interval, 0.0) if gaps else float("nan"),
        "play_kb_per_step": later_kb / max(len(gaps), 1),
    }


def _exit_on_sigterm(*_) -> None:
    raise SystemExit(143)  # runs the finally blocks: the server and browser are stopped


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[100_000])
    parser.add_argument("--fast-marker-cluster", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    for n in args.events:
        for _ in range(args.repeat):
            r = run_app(n, fast_marker_cluster=args.fast_marker_cluster)
            results.append(r)
            if not args.json:
                print(json.dumps(r), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
