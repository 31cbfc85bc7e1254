"""The usual fast folium map, for comparison: every incident in a ``FastMarkerCluster``.

``fast_marker_cluster_map(df)`` carries the same fields as Incident Atlas's markers (date and
its precision, event type, place and its precision, fatalities, id), one JSON row per
incident, and builds each marker with a tooltip in the browser, as FastMarkerCluster's
``callback`` does. Used by ``run.py`` (build time, page size) and by
``fast_marker_cluster_app.py`` (the browser run).
"""

from __future__ import annotations

import folium
import folium.plugins
import pandas as pd

from incidents.mapping import DEFAULT_CENTER, DEFAULT_ZOOM
from incidents.mapping.assets import APP_STATIC_BASE, localise

CALLBACK = """function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindTooltip(row[2] + (row[3] ? " (date " + row[3] + ")" : "") + " · " + row[4] +
        " · " + row[5] + " (" + row[6] + ") · " +
        (row[7] < 0 ? "fatalities unknown" : row[7] + " killed") + " [" + row[8] + "]");
    return marker;
}"""


def rows(df: pd.DataFrame) -> list[list]:
    """Return one list per located incident: lat, lon, date, date precision, event type,
    place, place precision, fatalities (-1 unknown), id."""
    located = df[df["latitude"].notna() & df["longitude"].notna()]
    precision = located["date_precision"].astype("string").fillna("unknown")
    columns = [
        located["latitude"].astype(float).round(5),
        located["longitude"].astype(float).round(5),
        located["date_start"].dt.strftime("%Y-%m-%d").fillna("date unknown"),
        precision.where(precision != "day", ""),
        located["event_type"].astype("string").fillna("other"),
        located["location"].fillna("").astype("string").str.slice(0, 80),
        located["geo_precision"].astype("string").fillna("country"),
        located["fatalities_best"].astype("Float64").fillna(-1).astype(int),
        located["incident_id"].astype("string"),
    ]
    return [list(r) for r in zip(*(c.tolist() for c in columns), strict=True)]


def fast_marker_cluster_map(df: pd.DataFrame, assets: str = APP_STATIC_BASE) -> folium.Map:
    """Return a folium map with every located incident of ``df`` in a FastMarkerCluster, its
    scripts linked from ``assets`` (the app's vendored copies: the network is cut)."""
    m = folium.Map(location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM)
    folium.plugins.FastMarkerCluster(rows(df), callback=CALLBACK).add_to(m)
    return localise(m, assets)
