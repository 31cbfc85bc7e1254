"""Pure folium builders for the incident map (no Streamlit here).

``build_map(df, view)`` returns a complete ``folium.Map``: for tests, benchmarks and the
standalone export. The app renders ``build_base_map`` once and swaps only the layer from
``build_incident_layer`` so that the map is not re-mounted when filters or the window change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import folium
import folium.plugins
import pandas as pd
import xyzservices.providers as xyz

from incidents.mapping.elements import AssetLoader, IncidentLayer, Legend, compact_payload, safe_json
from incidents.schema import EVENT_TYPE_BY_CODE, GEO_PRECISION_RADIUS_KM

__all__ = [
    "MapView",
    "BASEMAPS",
    "LAYER_MODES",
    "DEFAULT_CENTER",
    "DEFAULT_ZOOM",
    "MAX_ZOOM",
    "build_map",
    "build_base_map",
    "build_incident_layer",
    "incident_id_from_tooltip",
    "incidents_at",
    "compact_payload",
    "safe_json",
]

#: Basemap key -> (label, xyzservices tile provider or None for no tiles).
BASEMAPS: dict[str, tuple[str, object | None]] = {
    "light": ("Light grey (Esri)", xyz.Esri.WorldGrayCanvas),
    "osm": ("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    "satellite": ("Satellite (Esri World Imagery)", xyz.Esri.WorldImagery),
    "none": ("No basemap", None),
}

#: Layer mode key -> label.
LAYER_MODES: dict[str, str] = {"clusters": "Clusters", "markers": "Markers", "heat": "Heatmap"}

DEFAULT_CENTER = (15.0, -2.0)  # the central Sahel
DEFAULT_ZOOM = 5
MAX_ZOOM = 18


@dataclass(frozen=True)
class MapView:
    """How the map is shown: view, basemap, layer mode and the selected incident."""

    center: tuple[float, float] | None = None
    zoom: int | None = None
    basemap: str = "light"
    layer: str = "clusters"
    selected: str | None = None


def build_base_map(view: MapView = MapView(), *, height: str | int = "100%") -> folium.Map:
    """Return the map without incidents: basemap, legend, scale and the scripts layers need."""
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
    if provider is not None:
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=label,
            max_zoom=MAX_ZOOM,
            max_native_zoom=min(int(provider.get("max_zoom") or MAX_ZOOM), MAX_ZOOM),
        ).add_to(m)
    AssetLoader().add_to(m)
    Legend().add_to(m)
    return m


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


def build_incident_layer(df: pd.DataFrame, view: MapView = MapView()) -> folium.FeatureGroup:
    """Return the incident layer alone: clusters, markers or a heatmap, plus the selection."""
    group = folium.FeatureGroup(name="Incidents", control=False)
    located = df[df["latitude"].notna() & df["longitude"].notna()]
    if view.layer == "heat":
        if len(located):
            folium.plugins.HeatMap(
                located[["latitude", "longitude"]].astype(float).round(4).to_numpy().tolist(),
                radius=14, blur=18, min_opacity=0.35, max_zoom=10,
            ).add_to(group)
    else:
        IncidentLayer(located, cluster=view.layer != "markers").add_to(group)
    if view.selected:
        _selected_feature(df, view.selected, group)
    return group


def build_map(df: pd.DataFrame, view: MapView = MapView()) -> folium.Map:
    """Return a complete map of the incidents in ``df``, fitted to them unless ``view`` says where."""
    m = build_base_map(view)
    build_incident_layer(df, view).add_to(m)
    if view.center is None:
        located = df[df["latitude"].notna()]
        if len(located):
            south, north = float(located["latitude"].min()), float(located["latitude"].max())
            west, east = float(located["longitude"].min()), float(located["longitude"].max())
            m.fit_bounds([[south, west], [north, east]], padding=(20, 20), max_zoom=12)
    return m


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
