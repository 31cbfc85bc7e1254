"""Benchmark: Incident Atlas's map against the usual folium approach, on synthetic incidents.

    python -m tests.bench.run --events 10000            # one size, a report and PASS/FAIL lines
    python -m tests.bench.run --events 10000 --json     # the same figures as JSON
    python -m tests.bench.run --events 10000 100000 1000000 --table   # each size in a fresh
                                                        # process, then README's table

The data is ``incidents.synthetic.synthetic_incidents(N)``: SYNTHETIC incidents spread over
the central Sahel and 2014-2023 (no real event). Measured in one process per size:

* load: generating and conforming the N incidents (the app caches this once);
* filter: ``apply_filters`` for a typical change (two-year window, two event types, one
  country), and a free-text search for information;
* app, first map: what a page run does once the data is cached and indexed (``FilterIndex``,
  once per dataset): the selection's mask, the layer payload for the default view (points or
  bins), the base map and layer as the app builds them (``link_data``: outlines, labels,
  legend and layer code linked as static scripts, sent once; their size is printed apart),
  the strings streamlit-folium sends (``st_folium`` internals) and the timeline bins.
  Payload = bytes of that HTML/JS, what every map message carries;
* app, filter change: the same after a new filter;
* app, standalone: ``build_map(df).get_root().render()``, the same call as the naive one;
* naive: one ``folium.Marker`` (tooltip + popup) per incident in a ``folium.plugins.
  MarkerCluster``, rendered with ``get_root().render()``. Above ``--naive-cap`` incidents it
  is measured at the cap and extrapolated linearly (it is linear: one marker, one script);
* peak memory: the process's maximum resident set (``ru_maxrss``, everything above included)
  and tracemalloc's peak over a first map plus a filter change (measured before the
  FastMarkerCluster map, whose own memory is not the app's);
* FastMarkerCluster: the usual fast folium map (``fast_marker_cluster.py``): every incident
  as one JSON row with the same fields as the app's markers, markers built in the browser;
  build + render time and page size, beside the app's ``build_map`` + render;
* app rerun (AppTest): a full run of ``app.py`` per action, as Streamlit runs it (widgets,
  sidebar, metric, map, timeline), on ``INCIDENTS_DEMO_EVENTS=N`` with the data cached:
  a rerun with nothing changed, a country filter, a search, a timeline step;
* with ``--browser``: ``browser.py``'s figures (Chromium, network cut): navigation, filter,
  search, step and play step -> map, websocket bytes per action, server memory after 20
  filter states.

Leaflet's own scripts and styles are not counted: the app serves them from static/vendor (the
browser caches them), the naive map loads them from CDNs; the standalone map is measured with
its scripts linked (``assets=APP_STATIC_BASE``), like the naive one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import html
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
import streamlit_folium as sf

from components import state
from incidents.filtering import FilterIndex, Filters, apply_filters, timeline_bins
from incidents.mapping import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    MapView,
    Viewport,
    build_base_map,
    build_incident_layer,
    build_map,
    layer_payload,
    publish_static_scripts,
)
from incidents.mapping.assets import APP_STATIC_BASE
from incidents.mapping.static_data import STATIC_DIR
from incidents.synthetic import synthetic_incidents
from tests.bench.fast_marker_cluster import fast_marker_cluster_map

ROOT = Path(__file__).resolve().parents[2]

MB = 1_000_000
FILTER_CHANGE = Filters(start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31),
                        event_types=("battle", "violence_against_civilians"), countries=("BF",))
TEXT_SEARCH = Filters(text="djibo")
#: Where a user zooms in: around Djibo at zoom 10 (a district, about 100 km across).
ZOOMED = Viewport.around((14.10, -1.63), 10)

#: (size it applies to, key, label, test on the result, threshold text)
TARGETS = (
    (10_000, "speedup", "map build at least 50x faster than naive",
     lambda r: r["speedup"] >= 50, ">= 50x"),
    (10_000, "payload_ratio", "map payload at least 10x smaller than naive",
     lambda r: r["payload_ratio"] >= 10, ">= 10x"),
    (100_000, "filter_change_s", "filter change updates the map in at most 0.5 s (server)",
     lambda r: r["filter_change_s"] <= 0.5, "<= 0.5 s"),
    (1_000_000, "first_map_s", "first map within 5 s once data is cached (server)",
     lambda r: r["first_map_s"] <= 5.0, "<= 5 s"),
    (1_000_000, "filter_change_s", "filter change in at most 1 s (server)",
     lambda r: r["filter_change_s"] <= 1.0, "<= 1 s"),
    (1_000_000, "peak_rss_mb", "peak memory under 1.5 GB (whole process, max RSS)",
     lambda r: r["peak_rss_mb"] < 1500, "< 1500 MB"),
    (1_000_000, "first_map_mb", "browser receives at most 15 MB for the first map",
     lambda r: r["first_map_mb"] <= 15, "<= 15 MB"),
    (10_000, "fmc_build_ratio", "page builds no slower than FastMarkerCluster's (same fields)",
     lambda r: r["fmc_build_ratio"] >= 1, ">= 1x"),
    (10_000, "fmc_size_ratio", "page no bigger than FastMarkerCluster's (same fields)",
     lambda r: r["fmc_size_ratio"] >= 1, ">= 1x"),
)

#: Browser targets (``--browser``), checked at the size they apply to.
BROWSER_TARGETS = (
    (1_000_000, "country_s", "country filter -> map updated (browser)",
     lambda r: r["country_s"] <= 0.8, "<= 0.8 s"),
    (1_000_000, "search_s", "search -> map updated (browser)",
     lambda r: r["search_s"] <= 1.0, "<= 1 s"),
    (1_000_000, "play_step_s", "play step -> map (browser, beyond the playback interval)",
     lambda r: r["play_step_s"] <= 0.3, "<= 0.3 s"),
    (1_000_000, "country_kb", "websocket bytes per filter change",
     lambda r: r["country_kb"] <= 30, "<= 30 KB"),
    (1_000_000, "rss_after_20_states_mb", "server memory after 20 filter states",
     lambda r: r["rss_after_20_states_mb"] <= 1500, "<= 1500 MB"),
)


def timed(fn, *args, repeat: int = 1, **kwargs):
    """Return (median seconds, last result) of ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def streamlit_payload(base: folium.Map, layer: folium.FeatureGroup) -> int:
    """Bytes of HTML/JS ``st_folium(base, feature_group_to_add=layer)`` sends the browser."""
    base.get_root().render()
    base.render()
    parts = [sf._get_html(base), sf._get_header(base), sf._get_map_string(base),
             sf._get_feature_group_string(layer, map=base)]
    return sum(len(p.encode()) for p in parts)


def app_run(index: FilterIndex, filters: Filters | None, viewport: Viewport) -> dict:
    """One page run of the map once the data is cached and indexed, as the app does it: one
    mask, the layer (gathering only what it sends), the base map, the timeline bins."""
    filters = filters or Filters()
    shown = index.select(filters)
    span = index.select(filters.with_window(None, None))
    payload = layer_payload(shown, "clusters", viewport)
    base = build_base_map(MapView(center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM), link_data=True)
    layer = build_incident_layer(index.df.iloc[0:0], MapView(), viewport=viewport,
                                 payload=payload, link_data=True)
    size = streamlit_payload(base, layer)
    timeline_bins(span, "month")
    return {"kind": payload.kind, "sent": payload.sent, "in_view": payload.in_view,
            "bytes": size}


def naive_map(df: pd.DataFrame) -> str:
    """The usual approach: one folium.Marker with a tooltip and a popup per incident."""
    m = folium.Map(location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    located = df[df["latitude"].notna()]
    for r in located.itertuples(index=False):
        popup = (f"<b>{html.escape(str(r.location))}</b><br>{r.date_start:%Y-%m-%d} · "
                 f"{r.event_type}<br>Actor: {html.escape(str(r.actor))}<br>Fatalities: "
                 f"{r.fatalities_best}<br>{html.escape(str(r.description))}")
        folium.Marker(
            [float(r.latitude), float(r.longitude)],
            tooltip=f"{r.date_start:%Y-%m-%d} · {r.location} [{r.incident_id}]",
            popup=folium.Popup(popup, max_width=300),
        ).add_to(cluster)
    return m.get_root().render()


def app_reruns(n: int) -> dict:
    """Seconds of full AppTest runs of app.py per action, the data already cached."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    # As a server does once st.navigation ran: never the legacy pages/ mode (tests/conftest.py).
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    os.environ["INCIDENTS_DEMO_EVENTS"] = str(n)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    start = time.perf_counter()
    at.run()  # generates and indexes the data: once per server
    out = {"app_first_run_s": time.perf_counter() - start}

    def rerun(key: str, act) -> None:
        act()
        gc.collect()
        begin = time.perf_counter()
        at.run()
        out[key] = time.perf_counter() - begin
        if at.exception:
            raise RuntimeError(f"app.py failed: {at.exception}")

    rerun("rerun_idle_s", lambda: None)
    rerun("rerun_country_s", lambda: at.multiselect(key="f_country").set_value(["BF"]))
    rerun("rerun_search_s", lambda: at.text_input(key="f_text").input("djibo"))
    # A step of the player (a browser component AppTest cannot click) requests a window.
    rerun("rerun_step_s", lambda: at.session_state.__setitem__(
        state.PENDING_WINDOW, (dt.date(2023, 1, 1), dt.date(2023, 1, 7))))
    return out


def fast_marker_cluster_html(df: pd.DataFrame) -> str:
    """FastMarkerCluster's page: build and render, as ``build_map`` is measured."""
    return fast_marker_cluster_map(df).get_root().render()


def browser_figures(n: int) -> dict:
    """The app's and FastMarkerCluster's runs in Chromium (``browser.py``)."""
    from tests.bench import browser

    out: dict = {}
    for key, fmc in (("browser", False), ("browser_fmc", True)):
        try:
            out[key] = browser.run_app(n, fast_marker_cluster=fmc)
        except Exception as exc:  # a browser run that fails is reported, not fatal
            out[key + "_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        mem = float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, Python "
            f"{platform.python_version()}, pandas {pd.__version__}, folium {folium.__version__}")


def measure(n: int, naive_cap: int, seed: int = 0) -> dict:
    r: dict = {"events": n, "machine": machine(), "naive_cap": naive_cap}
    r["load_s"], df = timed(synthetic_incidents, n, seed)
    r["filter_s"], filtered = timed(apply_filters, df, FILTER_CHANGE, repeat=3)
    r["filter_text_s"], _ = timed(apply_filters, df, TEXT_SEARCH)
    r["filtered_events"] = len(filtered)
    r["index_s"], index = timed(lambda: FilterIndex(df).warm())
    r["index_mb"] = index.nbytes / MB
    r["mask_s"], _ = timed(index.mask, FILTER_CHANGE, repeat=5)
    def search() -> None:
        index._texts.clear()  # a new search each time, not the last searches' kept hits
        index.mask(TEXT_SEARCH)

    r["mask_text_s"], _ = timed(search, repeat=5)

    first_view = Viewport.around(DEFAULT_CENTER, DEFAULT_ZOOM)
    app_run(index, None, first_view)  # warm-up: templates compiled, imports done
    r["first_map_s"], first = timed(app_run, index, None, first_view, repeat=3)
    r["first_map_kind"], r["first_map_sent"] = first["kind"], first["sent"]
    r["first_map_mb"] = first["bytes"] / MB
    r["filter_change_s"], change = timed(app_run, index, FILTER_CHANGE, first_view, repeat=3)
    r["filter_change_kind"], r["filter_change_mb"] = change["kind"], change["bytes"] / MB
    r["zoomed_s"], zoomed = timed(app_run, index, None, ZOOMED, repeat=3)
    r["zoomed_kind"], r["zoomed_sent"] = zoomed["kind"], zoomed["sent"]
    r["zoomed_mb"] = zoomed["bytes"] / MB
    r["static_kb"] = sum((STATIC_DIR / p).stat().st_size for p in publish_static_scripts()) / 1000
    r["app_build_s"], page = timed(
        lambda: build_map(df, assets=APP_STATIC_BASE).get_root().render(), repeat=3)
    r["app_html_mb"] = len(page.encode()) / MB

    m = min(n, naive_cap)
    sample = df.iloc[:m]
    naive_s, naive_page = timed(naive_map, sample)
    scale = n / m
    r["naive_measured_events"] = m
    r["naive_build_s"] = naive_s * scale
    r["naive_html_mb"] = len(naive_page.encode()) / MB * scale
    r["naive_extrapolated"] = m < n
    del naive_page, sample

    r["speedup"] = r["naive_build_s"] / r["app_build_s"]
    r["payload_ratio"] = r["naive_html_mb"] / r["first_map_mb"]

    gc.collect()
    tracemalloc.start()
    app_run(index, None, first_view)
    app_run(index, FILTER_CHANGE, first_view)
    r["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    r.update(app_reruns(n))  # AppTest loads its own copy of the data: after the peak

    # Last: FastMarkerCluster's memory is its own, not the app's.
    r["fmc_build_s"], fmc_page = timed(fast_marker_cluster_html, df, repeat=1 if n > 100_000 else 3)
    r["fmc_html_mb"] = len(fmc_page.encode()) / MB
    del fmc_page
    r["fmc_build_ratio"] = r["fmc_build_s"] / r["app_build_s"]
    r["fmc_size_ratio"] = r["fmc_html_mb"] / r["app_html_mb"]
    return r


def report(r: dict) -> str:
    n = r["events"]
    naive_note = (f" (measured at {r['naive_measured_events']:,}, extrapolated linearly)"
                  if r["naive_extrapolated"] else "")
    lines = [
        f"Incident Atlas map benchmark: {n:,} SYNTHETIC incidents",
        f"machine: {r['machine']}",
        f"load (generate + conform)         {r['load_s']:8.2f} s",
        (f"filter change (apply_filters)     {r['filter_s']:8.3f} s  -> "
        f"{r['filtered_events']:,} incidents; text search {r['filter_text_s']:.3f} s"),
        (f"index (once per dataset)          {r['index_s']:8.3f} s  {r['index_mb']:7.1f} MB; "
        f"then a mask {r['mask_s'] * 1000:.1f} ms, a search {r['mask_text_s'] * 1000:.1f} ms"),
        (f"app first map (server, cached)    {r['first_map_s']:8.3f} s  "
        f"{r['first_map_mb']:7.3f} MB  {r['first_map_kind']} ({r['first_map_sent']:,} sent)"),
        (f"app filter change (server)        {r['filter_change_s']:8.3f} s  "
        f"{r['filter_change_mb']:7.3f} MB  {r['filter_change_kind']}"),
        (f"app zoomed in (zoom 10, Djibo)    {r['zoomed_s']:8.3f} s  "
        f"{r['zoomed_mb']:7.3f} MB  {r['zoomed_kind']} ({r['zoomed_sent']:,} sent)"),
        (f"app build_map + render (HTML)     {r['app_build_s']:8.3f} s  "
        f"{r['app_html_mb']:7.3f} MB"),
        (f"naive Marker per incident (HTML)  {r['naive_build_s']:8.2f} s  "
        f"{r['naive_html_mb']:7.1f} MB{naive_note}"),
        (f"FastMarkerCluster (same fields)    {r['fmc_build_s']:8.3f} s  "
        f"{r['fmc_html_mb']:7.3f} MB  (app {r['fmc_build_ratio']:.1f}x faster, "
        f"{r['fmc_size_ratio']:.1f}x smaller)"),
        (f"app.py rerun (AppTest): idle {r['rerun_idle_s']:.2f} s, country "
        f"{r['rerun_country_s']:.2f} s, search {r['rerun_search_s']:.2f} s, step "
        f"{r['rerun_step_s']:.2f} s; first run {r['app_first_run_s']:.1f} s"),
        f"ratios: build {r['speedup']:,.0f}x faster, payload {r['payload_ratio']:,.0f}x smaller",
        (f"peak memory: max RSS {r['peak_rss_mb']:,.0f} MB (whole process); tracemalloc "
        f"{r['tracemalloc_peak_mb']:,.0f} MB (first map + filter change)"),
    ]
    if "browser" in r:
        b = r["browser"]
        lines.append(
            f"browser (Chromium, network cut): navigation -> map {b['navigation_s']:.2f} s "
            f"({b['navigation_kb']:,.0f} KB); country -> map {b['country_s']:.2f} s "
            f"({b['country_kb']:,.1f} KB); search -> map {b['search_s']:.2f} s "
            f"({b['search_kb']:,.1f} KB); step -> map {b['step_s']:.2f} s "
            f"({b['step_kb']:,.1f} KB); Play -> first step {b['play_first_s']:.2f} s "
            f"({b['play_first_kb']:,.1f} KB), then a step {b['play_step_s']:.2f} s beyond the "
            f"interval ({b['play_kb_per_step']:,.1f} KB); server RSS after 20 filter states "
            f"{b['rss_after_20_states_mb']:,.0f} MB; load {b['load_before'][0]:.1f}")
        for size, key, label, test, threshold in BROWSER_TARGETS:
            if size == n:
                lines.append(f"{'PASS' if test(b) else 'FAIL'}  {n:,}: {label}: "
                             f"{b[key]:,.3g} (target {threshold})")
    # A failed browser run is stored as "<key>_error": say so, never leave it out silently.
    for key in ("browser_error", "browser_fmc_error"):
        if key in r:
            lines.append(f"{key.replace('_error', '')} run failed: {r[key]}")
    if "browser_fmc" in r:
        f = r["browser_fmc"]
        lines.append(f"FastMarkerCluster in Chromium: navigation -> map {f['navigation_s']:.2f} s "
                     f"({f['navigation_kb']:,.0f} KB)")
    for size, key, label, test, threshold in TARGETS:
        if size != n:
            continue
        value = r[key]
        lines.append(f"{'PASS' if test(r) else 'FAIL'}  {n:,}: {label}: {value:,.3g} "
                     f"(target {threshold})")
    if not any(size == n for size, *_ in TARGETS):
        lines.append(f"(no target is set for {n:,} incidents; targets: 10k, 100k, 1M)")
    return "\n".join(lines)


def table(results: list[dict]) -> str:
    """README's table, one column per size."""
    rows = [
        ("load (generate + conform)", lambda r: f"{r['load_s']:.2f} s"),
        ("`apply_filters` (one call, no index)", lambda r: f"{r['filter_s']:.3f} s"),
        ("`apply_filters` free-text search", lambda r: f"{r['filter_text_s']:.2f} s"),
        ("index, once per dataset: time, memory",
         lambda r: f"{r['index_s']:.2f} s, {r['index_mb']:,.0f} MB"),
        ("filter mask from the index", lambda r: f"{r['mask_s'] * 1000:.1f} ms"),
        ("search mask from the index", lambda r: f"{r['mask_text_s'] * 1000:.1f} ms"),
        ("first map, server, data cached", lambda r: f"{r['first_map_s']:.2f} s"),
        ("first map: what is sent", lambda r: f"{r['first_map_kind']} ({r['first_map_sent']:,})"),
        ("first map: bytes in the map's message", lambda r: f"{r['first_map_mb'] * 1000:,.0f} KB"),
        ("linked once: outlines, labels, legend, code", lambda r: f"{r['static_kb']:,.0f} KB"),
        ("filter change, server (map + timeline)", lambda r: f"{r['filter_change_s']:.2f} s"),
        ("zoomed in (zoom 10): server, bytes",
         lambda r: f"{r['zoomed_s']:.2f} s, {r['zoomed_mb'] * 1000:,.0f} KB ({r['zoomed_kind']})"),
        ("app: `build_map` + render", lambda r: f"{r['app_build_s']:.3f} s"),
        ("app: standalone HTML", lambda r: f"{r['app_html_mb'] * 1000:,.0f} KB"),
        ("naive: Marker per incident, build + render",
         lambda r: f"{r['naive_build_s']:,.1f} s" + ("*" if r["naive_extrapolated"] else "")),
        ("naive: HTML", lambda r: f"{r['naive_html_mb']:,.1f} MB"
         + ("*" if r["naive_extrapolated"] else "")),
        ("FastMarkerCluster (same fields): build + render",
         lambda r: f"{r['fmc_build_s']:,.2f} s"),
        ("FastMarkerCluster: HTML", lambda r: f"{r['fmc_html_mb'] * 1000:,.0f} KB"),
        ("app vs FastMarkerCluster: build, size",
         lambda r: f"{r['fmc_build_ratio']:.1f}x faster, {r['fmc_size_ratio']:.1f}x smaller"),
        ("app.py rerun (AppTest): nothing changed", lambda r: f"{r['rerun_idle_s']:.2f} s"),
        ("app.py rerun: country filter", lambda r: f"{r['rerun_country_s']:.2f} s"),
        ("app.py rerun: search", lambda r: f"{r['rerun_search_s']:.2f} s"),
        ("app.py rerun: timeline step", lambda r: f"{r['rerun_step_s']:.2f} s"),
        ("build: app faster by", lambda r: f"{r['speedup']:,.0f}x"),
        ("bytes: app smaller by", lambda r: f"{r['payload_ratio']:,.0f}x"),
        ("peak memory (max RSS, whole run)", lambda r: f"{r['peak_rss_mb']:,.0f} MB"),
    ]
    head = "| | " + " | ".join(f"{r['events']:,}" for r in results) + " |"
    out = [head, "|---|" + "---|" * len(results)]
    for label, fmt in rows:
        out.append(f"| {label} | " + " | ".join(fmt(r) for r in results) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--table", action="store_true", help="print README's markdown table")
    parser.add_argument("--naive-cap", type=int, default=20_000,
                        help="largest naive map actually built (default 20,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--browser", action="store_true",
                        help="add browser.py's figures (Chromium): the app, and "
                             "FastMarkerCluster's navigation -> map")
    args = parser.parse_args(argv)

    if len(args.events) == 1 and not args.table:
        result = measure(args.events[0], args.naive_cap, args.seed)
        if args.browser:
            result.update(browser_figures(args.events[0]))
        print(json.dumps(result, indent=2) if args.json else report(result))
        return 0 if all(test(result) for size, _, _, test, _ in TARGETS
                        if size == result["events"]) else 1
    # Several sizes: each in a fresh process, so that peak memory is that size's own.
    results, status = [], 0
    for n in args.events:
        proc = subprocess.run(
            [sys.executable, "-m", "tests.bench.run", "--events", str(n), "--json",
             "--naive-cap", str(args.naive_cap), "--seed", str(args.seed),
             *(["--browser"] if args.browser else [])],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )
        status |= proc.returncode
        result = json.loads(proc.stdout)
        results.append(result)
        if not args.json:
            print(report(result), end="\n\n", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"machine: {results[0]['machine']}\n")
        print(table(results))
    return status


if __name__ == "__main__":
    sys.exit(main())
