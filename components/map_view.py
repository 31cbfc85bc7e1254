"""The incident map: a base map mounted once, an incident layer swapped in on every rerun."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components import data, state
from incidents.filtering import Selection
from incidents.mapping import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    POINT_LIMITS,
    LayerPayload,
    MapView,
    Viewport,
    build_base_map,
    build_incident_layer,
    incident_id_from_tooltip,
    layer_payload,
)


def map_view_state() -> dict:
    """Return the map view the browser last reported: ``lat``, ``lon``, ``zoom``, ``bounds``."""
    return st.session_state.setdefault(state.MAP_VIEW, {})


def _remember_view(out: dict) -> None:
    view = map_view_state()
    center, zoom = out.get("center"), out.get("zoom")
    if center and zoom is not None:
        view.update(lat=round(float(center["lat"]), 5), lon=round(float(center["lng"]), 5),
                    zoom=int(zoom))
    if out.get("bounds"):
        view["bounds"] = out["bounds"]


def position_of(sel: Selection, incident_id: str) -> int | None:
    """Return the row (position in the whole frame) of a selected incident, else None."""
    ids = sel.df["incident_id"]
    hits = np.flatnonzero((ids == incident_id).to_numpy(dtype=bool, na_value=False) & sel.mask)
    return int(hits[0]) if hits.size else None


def _rows_at(sel: Selection, lat: float, lon: float, tolerance: float = 1e-5) -> np.ndarray:
    all_lat, all_lon = sel.index.coordinates
    with np.errstate(invalid="ignore"):
        near = (np.abs(all_lat - lat) <= tolerance) & (np.abs(all_lon - lon) <= tolerance)
    return np.flatnonzero(near & sel.mask)


def incidents_here(sel: Selection, row: pd.Series) -> pd.DataFrame:
    """Return the selected incidents placed where ``row`` is (none when it has no place)."""
    if pd.isna(row["latitude"]) or pd.isna(row["longitude"]):
        return sel.df.iloc[0:0]
    return sel.df.take(_rows_at(sel, float(row["latitude"]), float(row["longitude"])))


def _layer_payload(sel: Selection, layer: str, viewport: Viewport) -> LayerPayload:
    """Return the incident layer's payload, cached by (data version, policy, filters, layer,
    viewport) in the byte-bounded derived cache."""
    ctx = st.session_state.get(state.CONTEXT)
    if ctx is None or sel is not ctx.selection:
        return layer_payload(sel, layer, viewport)
    # Few enough incidents travel as points wherever the map is: one cache entry for all views.
    key_view = None if sel.count <= POINT_LIMITS.get(layer, 0) else viewport
    # The policy is part of the key: a viewer must never get an editor's exact points.
    key = ("layer", ctx.data_version, ctx.policy, ctx.filters, layer, key_view)
    return data.cached(key, lambda: layer_payload(sel, layer, viewport))


def render_map(sel: Selection, view: MapView, *, height: int = 620) -> str | None:
    """Draw the map of the selected incidents and return the id of the incident the user
    clicked, if any.

    The base map only changes with the basemap, so its component keeps its zoom and pan;
    the incidents travel as ``feature_group_to_add`` and are replaced in place. The view the
    browser reports is kept in session state for share links.
    """
    # The base map opens where this session looks (a shared link's view, else the Sahel) and
    # is rebuilt only when the basemap changes, so its component is mounted once per basemap.
    # The view the browser reports is never fed back as center/zoom: echoing it lags one
    # report behind and makes the map bounce between two views.
    home = st.session_state.get(state.MAP_HOME)
    if home is None or home[2] != view.basemap:
        reported = map_view_state()
        center = (reported["lat"], reported["lon"]) if "lat" in reported else view.center
        home = (center or DEFAULT_CENTER, reported.get("zoom") or view.zoom or DEFAULT_ZOOM,
                view.basemap)
        st.session_state[state.MAP_HOME] = home
    if not st.get_option("server.enableStaticServing"):
        st.error("The map's libraries (static/vendor) are not served: start the app from its "
                 "folder (`streamlit run app.py`, which reads .streamlit/config.toml) or pass "
                 "`--server.enableStaticServing true`.", icon=":material/map:")
    # Outlines, labels, legend and the bin layer's functions are linked as static scripts:
    # sent once with the map, not again with every layer change.
    base = build_base_map(MapView(center=home[0], zoom=home[1], basemap=view.basemap),
                          link_data=True)
    # Points or bins depend on what is in view: the component's latest answer (set by its
    # on_change before this rerun), else a guess from where the base map opened.
    component_key = f"{state.MAP_COMPONENT}_{view.basemap}"
    viewport = Viewport.from_leaflet(st.session_state.get(component_key)) or Viewport.around(
        home[0], home[1], height_px=height)
    picked = position_of(sel, view.selected) if view.selected else None
    # The selection ring needs the picked row only, never the whole selection.
    ring = sel.df.iloc[[picked]] if picked is not None else sel.df.iloc[0:0]
    layer = build_incident_layer(ring, view, viewport=viewport, link_data=True,
                                 payload=_layer_payload(sel, view.layer, viewport))
    out = st_folium(
        base,
        key=component_key,
        height=height,
        use_container_width=True,
        feature_group_to_add=layer,
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip", "center", "zoom",
                          "bounds"],
    )
    if not out:
        return None
    _remember_view(out)
    clicked = incident_id_from_tooltip(out.get("last_object_clicked_tooltip"))
    if clicked is None and out.get("last_object_clicked"):
        point = out["last_object_clicked"]
        here = _rows_at(sel, float(point["lat"]), float(point["lng"]))
        if here.size:
            clicked = str(sel.df["incident_id"].iloc[int(here[0])])
    return clicked
