"""folium elements of the incident map: the compact incident layer, the legend, the asset loader.

Each element is a small class with a Jinja template and its JS/CSS declared as data, as in
folium's plugins. Text from data never reaches the page unescaped: the incident layer embeds
its data as JSON (with ``<``, ``>`` and ``&`` escaped) and escapes it again in the browser.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from incidents.schema import EVENT_TYPES, GEO_PRECISION_RADIUS_KM, GEO_PRECISIONS

__all__ = ["IncidentLayer", "Legend", "AssetLoader", "safe_json", "MARKERCLUSTER_JS",
           "MARKERCLUSTER_CSS", "HEAT_JS"]

# The same files folium's own MarkerCluster and HeatMap plugins load.
MARKERCLUSTER_JS = [
    ("markerclusterjs",
     "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js"),
]
MARKERCLUSTER_CSS = [
    ("markerclustercss",
     "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css"),
    ("markerclusterdefaultcss",
     "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css"),
]
HEAT_JS = [
    ("leaflet-heat.js",
     "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js"),
]

#: How each precision class is drawn: solid (site, neighbourhood), faded (town), ring (areas).
PRECISION_STYLE = {
    "site": ("solid", "exact site"),
    "neighbourhood": ("solid", "neighbourhood"),
    "town": ("faded", "town"),
    "admin2": ("ring", "district (admin 2)"),
    "admin1": ("ring", "region (admin 1)"),
    "country": ("ring", "country only"),
}


def safe_json(value) -> str:
    """Return JSON that is safe inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _codes(series: pd.Series, categories: tuple[str, ...], default: int) -> list[int]:
    cat = pd.Categorical(series.astype("string"), categories=categories)
    codes = np.asarray(cat.codes, dtype=np.int64)
    return np.where(codes < 0, default, codes).tolist()


def compact_payload(df: pd.DataFrame) -> dict[str, list]:
    """Return the per-incident columns the browser needs, as parallel lists."""
    located = df[df["latitude"].notna() & df["longitude"].notna()]
    fat = located["fatalities_best"].astype("Float64").fillna(-1).to_numpy(dtype=float)
    date = located["date_start"].dt.strftime("%Y-%m-%d").fillna("date unknown")
    precision = located["date_precision"].astype("string")
    span = located["date_end"].fillna(located["date_start"]) > located["date_start"]
    dp = precision.where(precision != "day", "").fillna("unknown")
    dp = dp.mask(span & (dp == ""), "range")
    loc = located["location"].fillna("").str.slice(0, 80)
    return {
        "lat": located["latitude"].astype(float).round(5).tolist(),
        "lon": located["longitude"].astype(float).round(5).tolist(),
        "t": _codes(located["event_type"], tuple(t.code for t in EVENT_TYPES), len(EVENT_TYPES) - 1),
        "p": _codes(located["geo_precision"], GEO_PRECISIONS, GEO_PRECISIONS.index("country")),
        "f": fat.astype(int).tolist(),
        "id": located["incident_id"].astype(str).tolist(),
        "date": date.tolist(),
        "dp": dp.astype(str).tolist(),
        "loc": loc.astype(str).tolist(),
    }


def _types_table() -> list[dict]:
    return [{"code": t.code, "label": t.label, "color": t.color} for t in EVENT_TYPES]


def _precisions_table() -> list[dict]:
    return [
        {"code": p, "style": PRECISION_STYLE[p][0], "label": PRECISION_STYLE[p][1],
         "radius_m": GEO_PRECISION_RADIUS_KM[p] * 1000}
        for p in GEO_PRECISIONS
    ]


class AssetLoader(JSCSSMixin, MacroElement):
    """Declares the marker-cluster and heat-map scripts on the base map.

    The incident layer is swapped in and out without re-mounting the map, so the scripts
    any layer mode needs must be loaded with the map itself.
    """

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")
    default_js = MARKERCLUSTER_JS + HEAT_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self) -> None:
        super().__init__()
        self._name = "AssetLoader"


class IncidentLayer(JSCSSMixin, MacroElement):
    """Incident markers built in the browser from compact arrays, clustered or not."""

    _template = Template(
        "{% macro script(this, kwargs) %}\n"
        + (Path(__file__).with_name("incident_layer.js")).read_text(encoding="utf-8")
        + "\n{% endmacro %}"
    )
    default_js = MARKERCLUSTER_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self, df: pd.DataFrame, *, cluster: bool = True) -> None:
        super().__init__()
        self._name = "IncidentLayer"
        self.payload = safe_json(compact_payload(df))
        self.types_json = safe_json(_types_table())
        self.precisions_json = safe_json(_precisions_table())
        self.group_js = (
            "L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 45, "
            "spiderfyOnMaxZoom: true, showCoverageOnHover: false, "
            "iconCreateFunction: clusterIcon})"
            if cluster else "L.featureGroup()"
        )


class Legend(MacroElement):
    """A map control explaining colours (event type), size (fatalities) and precision styles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "ia-legend");
                div.style.cssText = "background:rgba(255,255,255,0.94);padding:6px 9px;" +
                    "border-radius:6px;font:11px/1.4 system-ui,sans-serif;color:#222;" +
                    "box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:210px";
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        rows = ['<details open><summary style="cursor:pointer;font-weight:600">Legend</summary>',
                "<b>Event type</b>"]
        for t in EVENT_TYPES:
            rows.append(
                f'<div><span style="display:inline-block;width:10px;height:10px;'
                f'border-radius:50%;background:{t.color};margin-right:6px"></span>{t.label}</div>'
            )
        rows.append('<b style="display:block;margin-top:6px">Place known to</b>')
        demo = "#555"
        samples = {
            "solid": f"background:{demo};border:2px solid #fff;box-shadow:0 0 0 1px {demo}",
            "faded": f"background:{demo}99;border:2px solid {demo}",
            "ring": f"background:{demo}26;border:2px dashed {demo}",
        }
        for style, label in (("solid", "site or neighbourhood"), ("faded", "town"),
                             ("ring", "district, region or country")):
            rows.append(
                f'<div><span style="display:inline-block;box-sizing:border-box;width:12px;'
                f'height:12px;border-radius:50%;{samples[style]};margin-right:6px"></span>'
                f"{label}</div>"
            )
        rows.append(
            '<div style="margin-top:6px;color:#444">Size: fatalities (best estimate); '
            "dotted outline: unknown. Hover a point to see its uncertainty.</div></details>"
        )
        self.html_json = safe_json("".join(rows))
