"""folium elements of the incident map: the compact incident layer, the legend, the asset loader.

Each element is a small class with a Jinja template and its JS/CSS declared as data, as in
folium's plugins. Text from data never reaches the page unescaped: the incident layer embeds
its data as JSON (with ``<``, ``>`` and ``&`` escaped) and escapes it again in the browser.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from incidents.i18n import gettext, ngettext
from incidents.mapping.assets import HEAT_JS, MARKERCLUSTER_CSS, MARKERCLUSTER_JS
from incidents.mapping.encoding import (  # re-exported: the layers' data and its encoding
    decode_points,
    encode_bins,
    encode_points,
    pack_ints,
    safe_json,
    unpack_ints,
    varint_bytes,
)
from incidents.schema import EVENT_TYPES, MARKER_STYLES, PRECISIONS

__all__ = [
    "BIN_LAYER_JS",
    "HEAT_JS",
    "INCIDENT_LAYER_JS",
    "LEGEND_JS",
    "MARKERCLUSTER_CSS",
    "MARKERCLUSTER_JS",
    "AssetLoader",
    "BinLayer",
    "FitResults",
    "HeatLayer",
    "IncidentLayer",
    "Legend",
    "browser_strings",
    "decode_points",
    "encode_bins",
    "encode_points",
    "layer_tables",
    "pack_ints",
    "plural_forms",
    "safe_json",
    "unpack_ints",
    "varint_bytes",
]

def layer_tables(lang: str) -> dict:
    """Return the tables the layers' scripts read, in ``lang``: event types, precisions and
    the words they write."""
    return {"types": _types_table(lang), "precisions": _precisions_table(lang),
            "strings": browser_strings(lang)}


def _tables_js(lang: str, tables: str | None) -> tuple[str, str, str]:
    """The types, precisions and words as JavaScript: read from ``tables`` (an expression for
    ``layer_tables(lang)``) or written out."""
    if tables is not None:
        return f"{tables}.types", f"{tables}.precisions", f"{tables}.strings"
    return (safe_json(_types_table(lang)), safe_json(_precisions_table(lang)),
            safe_json(browser_strings(lang)))


def _types_table(lang: str) -> list[dict]:
    return [{"code": t.code, "label": gettext(t.label, lang), "color": t.color}
            for t in EVENT_TYPES]


def _precisions_table(lang: str) -> list[dict]:
    return [
        {"code": p.code, "style": p.style, "label": gettext(p.map_label, lang),
         "radius_m": p.radius_km * 1000}
        for p in PRECISIONS
    ]


def plural_forms(singular: str, plural: str, lang: str) -> dict[str, str]:
    """Return the forms the browser picks with ``Intl.PluralRules`` ("one" or "other"),
    ``{n}`` left for it to fill."""
    return {"one": ngettext(singular, plural, 1, lang, n="{n}"),
            "other": ngettext(singular, plural, 2, lang, n="{n}")}


def browser_strings(lang: str) -> dict:
    """Return the words the map's scripts write (tooltips), translated for ``lang``.

    The scripts fill ``{n}`` with ``toLocaleString(lang)`` and write dates with
    ``toLocaleDateString(lang)``, so numbers and dates follow the language too.
    """
    return {
        "lang": lang,
        "dateUnknown": gettext("date unknown", lang),
        # By DATE_QUALIFIERS code: how a date that is not a single day is qualified.
        "qualifiers": ["", gettext("known to the week", lang),
                       gettext("known to the month", lang), gettext("known to the year", lang),
                       gettext("a range of dates", lang),
                       gettext("date precision unknown", lang)],
        "placeNotNamed": gettext("place not named", lang),
        "fatalitiesUnknown": gettext("fatalities unknown", lang),
        "killed": plural_forms("{n} killed (best estimate)", "{n} killed (best estimate)",
                                lang),
        "binIncidents": plural_forms("{n} incident", "{n} incidents", lang),
        "binKilled": plural_forms("{n} killed (known)", "{n} killed (known)", lang),
        "zoomIn": gettext("zoom in", lang),
    }


class AssetLoader(JSCSSMixin, MacroElement):
    """Declares the marker-cluster and heat-map scripts on the base map.

    The incident layer is swapped in and out without re-mounting the map, so the scripts
    any layer mode needs must be loaded with the map itself.

    It also keeps Leaflet from scrolling the page on the first click: Leaflet focuses the map
    on mousedown (for keyboard navigation), and when the map's iframe is partly out of view
    the browser scrolls it in between mousedown and mouseup, so the click misses its marker.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}\n{{ this.code }}\n"
        "iaKeepScroll({{ this._parent.get_name() }}.getContainer());\n{% endmacro %}"
    )
    default_js = MARKERCLUSTER_JS + HEAT_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self) -> None:
        super().__init__()
        self._name = "AssetLoader"
        self.code = KEEP_SCROLL_JS  # "" once the map links it (linking.link_data)


#: The map's container focused without scrolling the page (``AssetLoader``).
KEEP_SCROLL_JS = """function iaKeepScroll(container) {
    var focus = container.focus;
    container.focus = function (options) {
        return focus.call(container, Object.assign({preventScroll: true}, options || {}));
    };
}
"""


#: The cluster/bin icon function both layers' scripts start with.
_DONUT_JS = (Path(__file__).with_name("donut.js")).read_text(encoding="utf-8") + "\n"


#: The incident layer's functions: in the page, or loaded once from a static script.
INCIDENT_LAYER_JS = _DONUT_JS + Path(__file__).with_name("incident_layer.js").read_text(
    encoding="utf-8")


class IncidentLayer(JSCSSMixin, MacroElement):
    """Incident markers built in the browser from compact arrays, clustered or not, and
    filtered by a time window in the browser.

    ``linked``: the map already loads ``INCIDENT_LAYER_JS`` as a script (``AssetLoader``), so
    the layer carries only its data and one call."""

    _template = Template(
        "{% macro script(this, kwargs) %}\n"
        "{{ this.code }}\n"
        "var {{ this.get_name() }} = iaIncidentLayer({{ this._parent.get_name() }}, "
        "{{ this.payload }}, {{ this.types_json }}, {{ this.precisions_json }}, "
        "{{ this.strings_json }}, {{ this.window_json }}, {{ this.cluster_json }});\n"
        "{% endmacro %}"
    )
    default_js = MARKERCLUSTER_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self, df: pd.DataFrame | None = None, *, cluster: bool = True,
                 payload: str | None = None, window: tuple[int, int] | None = None,
                 lang: str = "en", linked: bool = False, tables: str | None = None) -> None:
        """``window`` (first and last day, as days since 1970-01-01) shows only the incidents
        that may fall in it; the page can move it with ``window.iaTime.setWindow(a, b)``.
        ``tables``: a JavaScript expression for ``layer_tables(lang)`` loaded with the map,
        instead of the tables in every layer."""
        super().__init__()
        self._name = "IncidentLayer"
        self.window_json = safe_json(list(window) if window else None)
        if payload is None:
            if df is None:
                raise TypeError("IncidentLayer needs df or payload")
            payload = encode_points(df)
        self.payload = payload
        self.types_json, self.precisions_json, self.strings_json = _tables_js(lang, tables)
        self.cluster_json = safe_json(bool(cluster))
        self.code = "" if linked else INCIDENT_LAYER_JS


#: The bin layer's functions: in the page, or loaded once from a static script (``linked``).
BIN_LAYER_JS = _DONUT_JS + (Path(__file__).with_name("bin_layer.js")).read_text(encoding="utf-8")


class BinLayer(MacroElement):
    """Grid bins drawn as count discs: "N incidents — zoom in"; a click zooms in on the bin.

    ``linked``: the map already loads ``BIN_LAYER_JS`` as a script (``AssetLoader``), so the
    layer carries only its data and one call.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}\n"
        "{{ this.code }}\n"
        "var {{ this.get_name() }} = iaBinLayer({{ this._parent.get_name() }}, "
        "{{ this.payload }}, {{ this.types_json }}, {{ this.strings_json }});\n"
        "{% endmacro %}"
    )

    def __init__(self, payload: str, *, linked: bool = False, lang: str = "en",
                 tables: str | None = None) -> None:
        super().__init__()
        self._name = "BinLayer"
        self.payload = payload
        self.types_json, _, self.strings_json = _tables_js(lang, tables)
        self.code = "" if linked else BIN_LAYER_JS


class HeatLayer(JSCSSMixin, MacroElement):
    """A Leaflet.heat layer from flat arrays: points, or bins weighted by their counts."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var d = {{ this.payload }}, pts = new Array(d.lat.length);
            for (var i = 0; i < pts.length; i++) { pts[i] = [d.lat[i], d.lon[i], d.w[i]]; }
            var parent = {{ this._parent.get_name() }};
            var map = parent._map || window.map || parent;
            if (map.getContainer) { map.getContainer().dataset.iaLayer = "heat"; }
            return L.heatLayer(pts, {{ this.options_json }}).addTo(parent);
        })();
        {% endmacro %}
        """
    )
    default_js = HEAT_JS

    def __init__(self, payload: str, *, max_zoom: int = 10) -> None:
        super().__init__()
        self._name = "HeatLayer"
        self.payload = payload
        self.options_json = safe_json({"radius": 14, "blur": 18, "minOpacity": 0.35,
                                       "maxZoom": max_zoom, "max": 1.0,
                                       "gradient": {str(k): v for k, v in HEAT_GRADIENT.items()}})


class FitResults(MacroElement):
    """Frames the map on ``bounds`` ([[south, west], [north, east]]) when the layer (or map) it
    is in is drawn: "Zoom to results", and the first view of the base map (not animated, so
    that the markers are not drawn twice while clusters regroup)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {  // request {{ this.nonce }}
            var group = {{ this._parent.get_name() }};
            var map = group._map || (group.fitBounds ? group : window.map);
            if (map) { map.fitBounds({{ this.bounds_json }}, {{ this.options_json }}); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], nonce: int = 0, *, padding: int = 24,
                 max_zoom: int = 10, animate: bool = True) -> None:
        super().__init__()
        self._name = "FitResults"
        self.bounds_json = safe_json(bounds)
        self.options_json = safe_json({"padding": [padding, padding], "maxZoom": max_zoom,
                                       "animate": animate})
        self.nonce = nonce  # a new request is new code, so the browser runs it again


#: Leaflet.heat's default colour ramp, which the heat legend shows.
HEAT_GRADIENT = {0.4: "blue", 0.6: "cyan", 0.7: "lime", 0.8: "yellow", 1.0: "red"}


#: The legend control's function (legend.js).
LEGEND_JS = Path(__file__).with_name("legend.js").read_text(encoding="utf-8")


class Legend(MacroElement):
    """A map control explaining colours (event type), size (fatalities) and precision styles,
    or the heat scale while the heatmap is shown. Collapsed at first, in the bottom-left
    corner (the Atlantic and the coast, away from the Sahel's data); a click opens it."""

    _template = Template(
        "{% macro script(this, kwargs) %}\n{{ this.code }}\n"
        "iaLegend({{ this._parent.get_name() }}, {{ this.html_json }});\n{% endmacro %}"
    )

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self._name = "Legend"
        self.code = LEGEND_JS  # "" once the map links it (linking.link_data)
        # Which half shows follows the layer: each layer script sets data-ia-layer on the map.
        heat_note = gettext("Density of incidents, relative to the densest place in view.", lang)
        fewer, more = gettext("fewer", lang), gettext("more incidents", lang)
        title, event_type = gettext("Legend", lang), gettext("Event type", lang)
        rows = ["<style>.leaflet-container[data-ia-layer=heat] .ia-legend-points{display:none}"
                ".leaflet-container:not([data-ia-layer=heat]) .ia-legend-heat{display:none}"
                "</style>",
                '<details><summary style="cursor:pointer;font-weight:600">'
                f"{escape(title)}</summary>",
                f'<div class="ia-legend-heat"><b>{escape(gettext("Heatmap", lang))}</b>'
                '<div style="height:10px;'
                "margin:4px 0;border-radius:3px;background:linear-gradient(to right,"
                + ",".join(f"{color} {stop * 100:g}%" for stop, color in HEAT_GRADIENT.items())
                + ')"></div><div style="display:flex;justify-content:space-between">'
                f"<span>{escape(fewer)}</span><span>{escape(more)}</span></div>"
                f'<div style="margin-top:4px;color:#444">{escape(heat_note)}</div></div>',
                f'<div class="ia-legend-points"><b>{escape(event_type)}</b>']
        for t in EVENT_TYPES:
            rows.append(
                f'<div><span style="display:inline-block;width:10px;height:10px;'
                f'border-radius:50%;background:{t.color};margin-right:6px"></span>'
                f"{escape(gettext(t.label, lang))}</div>"
            )
        rows.append('<b style="display:block;margin-top:6px">'
                    f"{escape(gettext('Place known to', lang))}</b>")
        demo = "#555"
        samples = {
            "solid": f"background:{demo};border:2px solid #fff;box-shadow:0 0 0 1px {demo}",
            "faded": f"background:{demo}99;border:2px solid {demo}",
            "ring": f"background:{demo}26;border:2px dashed {demo}",
        }
        for style, label in MARKER_STYLES.items():
            rows.append(
                f'<div><span style="display:inline-block;box-sizing:border-box;width:12px;'
                f'height:12px;border-radius:50%;{samples[style]};margin-right:6px"></span>'
                f"{escape(gettext(label, lang))}</div>"
            )
        note = gettext("Size: fatalities (best estimate); dotted outline: unknown. Hover a "
                       "point to see its uncertainty.", lang)
        rows.append(f'<div style="margin-top:6px;color:#444">{escape(note)}</div></div>'
                    "</details>")
        self.html_json = safe_json("".join(rows))
