"""Pure folium builders for the incident map (no Streamlit here).

``build_map(df, view)`` returns a complete ``folium.Map``: for tests, benchmarks and the
standalone export. The app renders ``build_base_map`` once and swaps only the layer from
``build_incident_layer`` so that the map is not re-mounted when filters or the window change.

Big data: ``build_incident_layer(df, view, viewport=...)`` sends the incidents in view as
points (markers built in the browser from compact arrays) while there are at most
``POINT_LIMITS[layer]`` of them, else as grid bins with counts (``aggregate.py``). The
viewport comes from ``st_folium``'s ``bounds`` and ``zoom`` (``Viewport.from_leaflet``).
``layer_payload`` is the expensive, cacheable part: plain text, keyed by data, layer mode and
viewport; ``build_incident_layer(..., payload=...)`` wraps a cached one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
import xyzservices.providers as xyz

from incidents.filtering import Selection
from incidents.i18n import LANGUAGES, N_, gettext
from incidents.mapping import linking
from incidents.mapping.aggregate import (
    POINT_LIMITS,
    Bounds,
    PointArrays,
    Viewport,
    choose_kind,
    coordinates,
    grid_bins,
    in_view,
)
from incidents.mapping.assets import APP_STATIC_BASE, inline_assets, localise
from incidents.mapping.compact import compact
from incidents.mapping.elements import (
    AssetLoader,
    BinLayer,
    FitResults,
    HeatLayer,
    IncidentLayer,
    Legend,
    encode_bins,
    encode_points,
    safe_json,
)
from incidents.mapping.offline import OFFLINE_MESSAGE, add_offline_context
from incidents.mapping.timed_bins import timed_bins
from incidents.schema import EVENT_TYPE_BY_CODE, GEO_PRECISION_RADIUS_KM
from incidents.timeline import effective_days

__all__ = [
    "BASEMAPS",
    "DEFAULT_CENTER",
    "DEFAULT_ZOOM",
    "LAYER_MODES",
    "MAX_ZOOM",
    "OFFLINE_MESSAGE",
    "POINT_LIMITS",
    "SAHEL_BOUNDS",
    "Bounds",
    "LayerPayload",
    "MapView",
    "Playback",
    "Viewport",
    "bounds_of",
    "build_base_map",
    "build_incident_layer",
    "build_map",
    "choose_kind",
    "grid_bins",
    "incident_id_from_tooltip",
    "incidents_at",
    "layer_payload",
    "publish_static_scripts",
    "results_bounds",
    "safe_json",
    "use_assets",
]

#: Basemap key -> (label, xyzservices tile provider or None for no tiles).
BASEMAPS: dict[str, tuple[str, object | None]] = {
    "light": (N_("Light grey (Esri)"), xyz.Esri.WorldGrayCanvas),
    "osm": (N_("OpenStreetMap"), xyz.OpenStreetMap.Mapnik),
    "satellite": (N_("Satellite (Esri World Imagery)"), xyz.Esri.WorldImagery),
    "offline": (N_("Offline (no tiles)"), None),
    "none": (N_("No basemap (outlines only)"), None),
}

#: Layer mode key -> label.
LAYER_MODES: dict[str, str] = {"clusters": N_("Clusters"), "markers": N_("Markers"),
                               "heat": N_("Heatmap")}

DEFAULT_CENTER = (16.4, 1.9)  # Mali, Burkina Faso and Niger, where incidents cluster
DEFAULT_ZOOM = 5
#: [[south, west], [north, east]] of Mali, Burkina Faso and Niger: the first view frames them.
SAHEL_BOUNDS = [[9.4, -12.3], [23.5, 16.0]]
MAX_ZOOM = 18


@dataclass(frozen=True)
class MapView:
    """How the map is shown: view, basemap, layer mode and the selected incident."""

    center: tuple[float, float] | None = None
    zoom: int | None = None
    basemap: str = "light"
    layer: str = "clusters"
    selected: str | None = None
    lang: str = "en"  # the language of the legend and tooltips (incidents.i18n.LANGUAGES)


def build_base_map(
    view: MapView = MapView(), *, height: str | int = "100%", context: bool = True,
    assets: str | None = APP_STATIC_BASE, link_data: bool = False,
) -> folium.Map:
    """Return the map without incidents: basemap, legend, scale and the scripts layers need.

    ``context`` draws country and region outlines (Natural Earth, shipped) under everything and
    the offline labels of towns: always on the "offline" basemap, else when tiles fail to load,
    so the map still says where it is without internet. ``assets`` is the URL of ``static/``
    the scripts are linked from (default: where the app serves them to the map's frame); None
    copies them into the page (a file that works alone). ``link_data`` (with ``assets``) also
    links the outlines, labels, legend text and the bin layer's functions as static scripts
    (``static_data``) instead of embedding them: the app's map, whose every message would
    carry them again; ``build_incident_layer(..., link_data=True)`` then relies on them.
    """
    m = _base_map(view, height, context)
    if link_data and assets is not None:
        linking.link_data(m, view.lang)
    return use_assets(m, assets)


def publish_static_scripts() -> list[str]:
    """Publish the scripts the app's map links (``static_data``) and return their paths under
    ``static/``: run where ``static/`` is writable (a Docker build) when the app cannot."""
    return sorted({path for lang in LANGUAGES
                   for path in linking.link_data(_base_map(MapView(lang=lang), "100%", True), lang)})


def _base_map(view: MapView, height: str | int, context: bool) -> folium.Map:
    label, provider = BASEMAPS.get(view.basemap, BASEMAPS["light"])
    m = folium.Map(
        location=list(view.center or DEFAULT_CENTER),
        zoom_start=view.zoom or DEFAULT_ZOOM,
        tiles=None,
        max_zoom=MAX_ZOOM,
        min_zoom=2,
        control_scale=True,
        prefer_canvas=True,
        height=height,
    )
    m.options.update(maxZoom=MAX_ZOOM, minZoom=2)  # folium gives them to the tile layer only
    if provider is not None:
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=gettext(label, view.lang),
            max_zoom=MAX_ZOOM,
            max_native_zoom=min(int(provider.get("max_zoom") or MAX_ZOOM), MAX_ZOOM),
        ).add_to(m)
    if context:
        add_offline_context(m, "always" if view.basemap == "offline" else
                            "never" if view.basemap == "none" else "fallback",
                            message=gettext(OFFLINE_MESSAGE, view.lang), lang=view.lang)
    AssetLoader().add_to(m)
    Legend(view.lang).add_to(m)
    if view.center is None:  # no view asked for: frame the three countries, whatever the size
        FitResults(SAHEL_BOUNDS, padding=8, max_zoom=MAX_ZOOM, animate=False).add_to(m)
    return m


def use_assets(element, assets: str | None = APP_STATIC_BASE):
    """Point ``element``'s scripts and styles at the vendored copies under ``assets`` (the URL
    of ``static/``), or copy them into the page when ``assets`` is None; return ``element``."""
    return inline_assets(element) if assets is None else localise(element, assets)


def _selected_feature(df: pd.DataFrame, incident_id: str, group: folium.FeatureGroup) -> None:
    row = df[df["incident_id"] == incident_id]
    if row.empty or pd.isna(row["latitude"].iloc[0]):
        return
    r = row.iloc[0]
    lat, lon = float(r["latitude"]), float(r["longitude"])
    precision = str(r["geo_precision"]) if pd.notna(r["geo_precision"]) else "country"
    color = EVENT_TYPE_BY_CODE.get(str(r["event_type"]), EVENT_TYPE_BY_CODE["other"]).color
    folium.Circle(
        [lat, lon], radius=GEO_PRECISION_RADIUS_KM[precision] * 1000, color=color, weight=2,
        dash_array="6 4", fill=True, fill_opacity=0.1, interactive=False,
    ).add_to(group)
    folium.CircleMarker(
        [lat, lon], radius=14, color="#111", weight=3, fill=False, interactive=False,
    ).add_to(group)


@dataclass(frozen=True)
class Playback:
    """A playback the browser runs: its windows as (first, last) days since 1970, and the key
    the player waits for (``window.iaTime.key``) before it moves the layer's window."""

    frames: tuple[tuple[int, int], ...]
    key: str


@dataclass(frozen=True)
class LayerPayload:
    """The incident layer's data as the browser gets it: plain text, cheap to cache.

    ``kind`` is "points", "bins" or "heat"; ``data`` is JSON safe inside <script>;
    ``in_view`` counts the located incidents in the viewport (all when it is unknown) and
    ``sent`` the points or bins in ``data``.
    """

    kind: str
    data: str
    in_view: int
    sent: int


#: Bins and points are computed for the view grown by this share on every side, so that a
#: small pan shows data at once while the new view is on its way to the server.
VIEW_PADDING = 0.5
_HEAT_BIN_PX = 12


#: The columns ``encode_points`` reads: all a selection gathers for points.
POINT_COLUMNS = ["incident_id", "date_start", "date_end", "date_precision", "location",
                 "latitude", "longitude", "geo_precision", "event_type", "fatalities_best"]


def _points_of(data: pd.DataFrame | Selection) -> tuple[PointArrays, Callable]:
    """Return the numbers a layer is computed from and a function that gathers the
    ``POINT_COLUMNS`` of some of its rows (positions into those arrays)."""
    if isinstance(data, Selection):
        index = data.index
        lat, lon = index.coordinates
        points = PointArrays(data.values(lat), data.values(lon), data.values(index.fatalities),
                             data.values(index.type_codes))
        return points, lambda rows: data.take(POINT_COLUMNS, rows)
    return PointArrays.from_frame(data), lambda rows: data.iloc[rows]


def _days_of(data: pd.DataFrame | Selection) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(data, Selection):
        first, last = data.index.days
        return data.values(first), data.values(last)
    return effective_days(data)


def layer_payload(data: pd.DataFrame | Selection, layer: str = "clusters",
                  viewport: Viewport | None = None, *, zoom: int = DEFAULT_ZOOM,
                  playback: Playback | None = None) -> LayerPayload:
    """Return what the incident layer sends for ``data`` (a frame, or a ``Selection`` over
    one, which gathers only the rows and columns sent): points while few enough are in view,
    else grid bins; ``zoom`` is used while the viewport is unknown (everything is in view).
    With ``playback``, grid bins also carry their counts in each of its windows
    (``timed_bins``), so that the browser plays them without asking the server."""
    limit = POINT_LIMITS.get(layer, POINT_LIMITS["clusters"])
    points, take = _points_of(data)
    located = in_view(points, None)
    n_located = int(located.sum())
    view = in_view(points, viewport.bounds) if viewport is not None else located
    count = int(view.sum())
    zoom = viewport.zoom if viewport is not None else zoom
    padded = viewport.bounds.padded(VIEW_PADDING) if viewport is not None else None
    if choose_kind(count, layer) == "points":
        if n_located <= limit:
            rows = located  # the same payload wherever the map goes: no redraw on a pan
        else:
            near = in_view(points, padded)
            rows = near if int(near.sum()) <= limit else view
        if layer == "heat":
            data = safe_json({"lat": np.round(points.lat[rows], 4).tolist(),
                              "lon": np.round(points.lon[rows], 4).tolist(),
                              "w": [1] * int(rows.sum())})
            return LayerPayload("heat", data, count, int(rows.sum()))
        return LayerPayload("points", encode_points(take(np.flatnonzero(rows))), count,
                            int(rows.sum()))
    if layer == "heat":
        bins = grid_bins(points, padded, zoom, px=_HEAT_BIN_PX)
        scale = max(float(np.percentile(bins["incidents"], 95)), 1.0)
        data = safe_json({"lat": bins["lat"].round(4).tolist(),
                          "lon": bins["lon"].round(4).tolist(),
                          "w": np.minimum(bins["incidents"] / scale, 1.0).round(3).tolist()})
        return LayerPayload("heat", data, count, len(bins))
    bins = grid_bins(points, padded, zoom)
    timed = None if playback is None else {
        "z": timed_bins(points, _days_of(data), padded, zoom, list(playback.frames)),
        "key": playback.key, "window": list(playback.frames[0])}
    return LayerPayload("bins", encode_bins(bins, timed=timed), count, len(bins))


def build_incident_layer(df: pd.DataFrame, view: MapView = MapView(), *,
                         viewport: Viewport | None = None,
                         payload: LayerPayload | None = None,
                         window: tuple[dt.date, dt.date] | None = None,
                         fit: int = 0,
                         fit_bounds: list[list[float]] | None = None,
                         assets: str | None = APP_STATIC_BASE,
                         link_data: bool = False) -> folium.FeatureGroup:
    """Return the incident layer alone: clusters, markers, bins or a heatmap, plus the selection.

    ``viewport`` (the map's bounds and zoom) decides between points and bins; ``payload``
    is a ``layer_payload`` computed (and cached) by the caller for the same df, layer and
    viewport. ``window`` (points only) shows the incidents that may fall in it, filtered in
    the browser, which can then move it (``window.iaTime.setWindow``) without a rerun.
    ``fit`` (a new number for each request) frames the map on ``df``'s incidents, or on
    ``fit_bounds`` when given. ``assets``: as for ``build_base_map``; None leaves the scripts
    to the caller, who adds the layer to a map and calls ``use_assets`` on the whole.
    ``link_data``: the base map was built with ``link_data=True``, so bins carry only their
    data and one call.
    """
    group = folium.FeatureGroup(name=gettext("Incidents", view.lang), control=False)
    if payload is None:
        payload = layer_payload(df, view.layer, viewport, zoom=view.zoom or DEFAULT_ZOOM)
    if payload.kind == "heat":
        if payload.sent:
            HeatLayer(payload.data).add_to(group)
    elif payload.kind == "bins":
        linked = link_data and assets is not None and linking.bin_layer_linked()
        BinLayer(payload.data, linked=linked, lang=view.lang,
                 tables=linking.linked_tables(link_data, assets, view.lang)).add_to(group)
    else:
        days = tuple(_epoch_day(d) for d in window) if window else None
        linked = link_data and assets is not None and linking.incident_layer_linked()
        IncidentLayer(payload=payload.data, cluster=view.layer != "markers",
                      window=days, lang=view.lang, linked=linked,
                      tables=linking.linked_tables(link_data, assets, view.lang)).add_to(group)
    if view.selected:
        _selected_feature(df, view.selected, group)
    if fit:
        bounds = fit_bounds if fit_bounds is not None else results_bounds(df)
        if bounds is not None:
            FitResults(bounds, nonce=fit).add_to(group)
    if link_data:  # the app's layer: sent with every change, so without indentation
        compact(group)
    return group if assets is None else localise(group, assets)


def results_bounds(df: pd.DataFrame) -> list[list[float]] | None:
    """Return [[south, west], [north, east]] of the located incidents of ``df``, else None."""
    lat, lon = coordinates(df)
    return bounds_of(lat, lon)


def bounds_of(lat: np.ndarray, lon: np.ndarray) -> list[list[float]] | None:
    """Return [[south, west], [north, east]] of the finite points (lat, lon), else None."""
    if not np.isfinite(lat).any():
        return None
    return [[float(np.nanmin(lat)), float(np.nanmin(lon))],
            [float(np.nanmax(lat)), float(np.nanmax(lon))]]


def _epoch_day(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def build_map(df: pd.DataFrame, view: MapView = MapView(), *,
              assets: str | None = None) -> folium.Map:
    """Return a complete map of the incidents in ``df``, fitted to them unless ``view`` says where.

    Its scripts are copied into the page unless ``assets`` gives the URL of ``static/``: the
    page works alone, from ``file://``, without internet (but for basemap tiles).
    """
    m = _base_map(view, "100%", True)
    build_incident_layer(df, view, assets=None).add_to(m)
    bounds = results_bounds(df) if view.center is None else None
    if bounds is not None:
        m.fit_bounds(bounds, padding=(20, 20), max_zoom=12)
    return use_assets(m, assets)


_TOOLTIP_ID = re.compile(r"\[([^\[\]]+)\]\s*$")


def incident_id_from_tooltip(text: str | None) -> str | None:
    """Return the incident id at the end of a marker tooltip ("… [ucdp:235799]"), else None."""
    if not text:
        return None
    match = _TOOLTIP_ID.search(text)
    return match.group(1) if match else None


def incidents_at(df: pd.DataFrame, lat: float, lon: float, tolerance: float = 1e-5) -> pd.DataFrame:
    """Return the incidents placed at (lat, lon), e.g. every event a source put at a city centroid."""
    near = ((df["latitude"] - lat).abs() <= tolerance) & ((df["longitude"] - lon).abs() <= tolerance)
    return df[near.fillna(False).astype(bool)]
