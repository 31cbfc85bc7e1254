"""The incident map: a base map mounted once, an incident layer swapped in on every rerun."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components import data, state
from components.i18n import _
from incidents.filtering import Filters, Selection
from incidents.mapping import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    POINT_LIMITS,
    LayerPayload,
    MapView,
    Playback,
    Viewport,
    bounds_of,
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


#: The map's height in pixels: with the header and the player under it, it fits a 1440x900
#: screen; on a phone it fills most of the first screen.
MAP_HEIGHT = 640


def _layer_payload(sel: Selection, layer: str, viewport: Viewport,
                   filters: Filters | None = None, playback: Playback | None = None,
                   ) -> LayerPayload:
    """Return the incident layer's payload, cached by (data version, policy, filters, layer,
    viewport, playback) in the byte-bounded derived cache, when ``filters`` (default: this
    run's) selected ``sel`` from this run's incidents."""
    ctx = st.session_state.get(state.CONTEXT)
    if ctx is None or (filters is None and sel is not ctx.selection):
        return layer_payload(sel, layer, viewport, playback=playback)
    # Few enough incidents travel as points wherever the map is: one cache entry for all views.
    key_view = None if sel.count <= POINT_LIMITS.get(layer, 0) else viewport
    # The policy is part of the key: a viewer must never get an editor's exact points.
    key = ("layer", ctx.data_version, ctx.policy, filters or ctx.filters, layer, key_view,
           playback)
    return data.cached(key, lambda: layer_payload(sel, layer, viewport, playback=playback))


def _timeless_payload(viewport: Viewport, layer: str, playback: Playback | None,
                      ) -> tuple[LayerPayload, tuple] | None:
    """Return what the browser can move through time itself under this run's filters but the
    window: the points of every date, with the window it filters them by, when they are few
    enough to travel as points; else, during a ``playback``, grid bins with their counts in
    each of its windows. None when neither (the server draws each window)."""
    ctx = st.session_state.get(state.CONTEXT)
    if ctx is None or layer == "heat":
        return None
    timeless = ctx.filters.with_window(None, None)
    windowed = bool(ctx.filters.start and ctx.filters.end)
    selection = ctx.index.select(timeless) if windowed else ctx.selection
    payload = _layer_payload(selection, layer, viewport, timeless if windowed else None)
    if payload.kind == "points":
        return (payload, (ctx.filters.start, ctx.filters.end)) if windowed else None
    st.session_state[state.MAP_TIME_BINS] = True
    if playback is None:
        return None
    return _layer_payload(selection, layer, viewport, timeless, playback), None


def render_map(sel: Selection, view: MapView, *, height: int = MAP_HEIGHT,
               fit_results: bool = False, playback: Playback | None = None) -> str | None:
    """Draw the map of the selected incidents and return the id of the incident the user
    clicked, if any.

    The base map only changes with the basemap, so its component keeps its zoom and pan;
    the incidents travel as ``feature_group_to_add`` and are replaced in place. The view the
    browser reports is kept in session state for share links. ``fit_results`` frames the
    map on the selected incidents ("Zoom to results"). ``playback``: the player asked for
    grid bins it can play in the browser (``components.player.playback``).
    """
    # The base map opens where this session looks (a shared link's view, else the Sahel) and
    # is rebuilt only when the basemap changes, so its component is mounted once per basemap.
    # The view the browser reports is never fed back as center/zoom: echoing it lags one
    # report behind and makes the map bounce between two views.
    home = st.session_state.get(state.MAP_HOME)
    if home is None or home[2:] != (view.basemap, view.lang):
        reported = map_view_state()
        center = (reported["lat"], reported["lon"]) if "lat" in reported else view.center
        # No view yet: the base map frames the three countries (center None), whatever
        # the size of the screen.
        home = (center, (reported.get("zoom") or view.zoom or DEFAULT_ZOOM) if center else None,
                view.basemap, view.lang)
        st.session_state[state.MAP_HOME] = home
    if not st.get_option("server.enableStaticServing"):
        st.error(_("The map's libraries (static/vendor) are not served: start the app from its "
                   "folder (`streamlit run app.py`, which reads .streamlit/config.toml) or pass "
                   "`--server.enableStaticServing true`."), icon=":material/map:")
    # Outlines, labels, legend and the bin layer's functions are linked as static scripts:
    # sent once with the map, not again with every layer change.
    base = build_base_map(MapView(center=home[0], zoom=home[1], basemap=view.basemap,
                                  lang=view.lang), link_data=True)
    # Points or bins depend on what is in view: the component's latest answer (set by its
    # on_change before this rerun), else a guess from where the base map opened.
    # A new language redraws the legend: a new component, mounted where the map was.
    component_key = f"{state.MAP_COMPONENT}_{view.basemap}_{view.lang}"
    viewport = Viewport.from_leaflet(st.session_state.get(component_key)) or Viewport.around(
        home[0] or DEFAULT_CENTER, home[1] or DEFAULT_ZOOM, height_px=height)
    if fit_results:
        st.session_state[state.FIT_COUNT] = st.session_state.get(state.FIT_COUNT, 0) + 1
    fit = st.session_state.get(state.FIT_COUNT, 0) if fit_results else 0
    lat, lon = sel.index.coordinates
    fit_bounds = bounds_of(sel.values(lat), sel.values(lon)) if fit else None
    picked = position_of(sel, view.selected) if view.selected else None
    # The selection ring needs the picked row only, never the whole selection.
    ring = sel.df.iloc[[picked]] if picked is not None else sel.df.iloc[0:0]
    # Points of every date, filtered by the window in the browser: playback moves the window
    # there (components/player.py) and the points change in place, with no rerun.
    st.session_state[state.MAP_TIME_BINS] = False
    timeless = _timeless_payload(viewport, view.layer, playback) if sel is getattr(
        st.session_state.get(state.CONTEXT), "selection", None) else None
    st.session_state[state.MAP_TIME_CLIENT] = timeless is not None and timeless[1] is not None
    if timeless is not None:
        layer = build_incident_layer(ring, view, viewport=viewport, payload=timeless[0],
                                     window=timeless[1], fit=fit, fit_bounds=fit_bounds,
                                     link_data=True)
    else:
        layer = build_incident_layer(ring, view, viewport=viewport, fit=fit,
                                     fit_bounds=fit_bounds, link_data=True,
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
