"""The incident map: a base map mounted once, an incident layer swapped in on every rerun."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components import state
from incidents.mapping import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    MapView,
    build_base_map,
    build_incident_layer,
    incident_id_from_tooltip,
    incidents_at,
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


def render_map(df: pd.DataFrame, view: MapView, *, height: int = 620) -> str | None:
    """Draw the map of ``df`` and return the id of the incident the user clicked, if any.

    The base map only changes with the basemap, so its component keeps its zoom and pan;
    the incidents travel as ``feature_group_to_add`` and are replaced in place. The view the
    browser reports is kept in session state (for share links) and handed back unchanged, so
    reruns never move the map.
    """
    # The base map opens where this session first looked (a shared link's view, else the
    # Sahel) and never changes after, so its component is mounted once per basemap.
    home = st.session_state.setdefault(
        state.MAP_HOME, (view.center or DEFAULT_CENTER, view.zoom or DEFAULT_ZOOM)
    )
    base = build_base_map(MapView(center=home[0], zoom=home[1], basemap=view.basemap))
    layer = build_incident_layer(df, view)
    out = st_folium(
        base,
        key=f"{state.MAP_COMPONENT}_{view.basemap}",
        height=height,
        use_container_width=True,
        center=view.center,
        zoom=view.zoom,
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
        here = incidents_at(df, point["lat"], point["lng"])
        if len(here):
            clicked = str(here["incident_id"].iloc[0])
    return clicked
