"""The app's map scripts without folium's indentation: the same code in fewer bytes.

streamlit-folium sends the base map's script and header again with every rerun (its browser
side only runs them when it mounts the map) and the layer's group with every layer change;
folium's templates indent them and print options one per line, a third of what they weigh.
``compact`` gives the elements of a map or layer templates that write the same statements on
one line each, with the same options (camel-cased by folium's ``tojavascript``).
"""

from __future__ import annotations

import folium
from branca.element import Element
from folium.elements import ElementAddToElement
from folium.template import Environment, Template, tojavascript

from incidents.mapping.elements import AssetLoader, FitResults

__all__ = ["compact"]


def _one_line(value) -> str:
    """Return ``tojavascript(value)`` without its line breaks and indentation (every line
    break it writes is its own: JSON escapes those in strings)."""
    return tojavascript(value).replace("\n  ", "").replace("\n", "")


#: Leaflet 1.9's own defaults for a tile layer, which folium writes out anyway.
_TILE_DEFAULTS = {"min_zoom": 0, "max_zoom": 18, "no_wrap": False, "subdomains": "abc",
                  "detect_retina": False, "tms": False, "opacity": 1}


def _tile_options(options: dict) -> str:
    """Return a tile layer's options on one line, without those Leaflet has by default."""
    return _one_line({k: v for k, v in options.items()
                      if k not in _TILE_DEFAULTS or _TILE_DEFAULTS[k] != v
                      or type(_TILE_DEFAULTS[k]) is not type(v)})


class _Environment(Environment):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["oneline"] = _one_line
        self.filters["tile_options"] = _tile_options


class _Template(Template):
    environment_class = _Environment


_MAP = _Template(
    "{% macro header(this, kwargs) %}"
    '<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0, '
    'user-scalable=no" />'
    "<style>#{{ this.get_name() }}{position:{{ this.position }};"
    "width:{{ this.width[0] }}{{ this.width[1] }};height:{{ this.height[0] }}{{ this.height[1] }};"
    "left:{{ this.left[0] }}{{ this.left[1] }};top:{{ this.top[0] }}{{ this.top[1] }}}"
    ".leaflet-container{font-size:{{ this.font_size }}}"
    "html,body{width:100%;height:100%;margin:0;padding:0}"
    "#map{position:absolute;top:0;bottom:0;right:0;left:0}</style>"
    "<script>L_NO_TOUCH={{ this.global_switches.no_touch|tojson }};"
    "L_DISABLE_3D={{ this.global_switches.disable_3d|tojson }};</script>"
    "{% endmacro %}"
    "{% macro html(this, kwargs) %}"
    '<div class="folium-map" id={{ this.get_name()|tojson }} ></div>'
    "{% endmacro %}"
    "{% macro script(this, kwargs) %}"
    "var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, "
    "{center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}, "
    "...{{ this.options|oneline }}});"
    "{% if this.control_scale %}\nL.control.scale().addTo({{ this.get_name() }});{% endif %}"
    "{% if this.zoom_control_position %}\nL.control.zoom({position: "
    "{{ this.zoom_control|tojson }}}).addTo({{ this.get_name() }});{% endif %}"
    "{% if this.objects_to_stay_in_front %}\nfunction objects_in_front() { "
    "{% for obj in this.objects_to_stay_in_front %}{{ obj.get_name() }}.bringToFront();"
    "{% endfor %}};\n{{ this.get_name() }}.on('overlayadd', objects_in_front);\n"
    "$(document).ready(objects_in_front);{% endif %}"
    "{% endmacro %}"
)

_TILE_LAYER = _Template(
    "{% macro script(this, kwargs) %}"
    "var {{ this.get_name() }} = L.tileLayer({{ this.tiles|tojson }}, "
    "{{ this.options|tile_options }});"
    "{% endmacro %}"
)

_FEATURE_GROUP = _Template(
    "{% macro script(this, kwargs) %}"
    "var {{ this.get_name() }} = L.featureGroup({{ this.options|oneline }});"
    "{% endmacro %}"
)

_ASSET_LOADER = _Template(
    "{% macro script(this, kwargs) %}{% if this.code %}{{ this.code }}\n{% endif %}"
    "iaKeepScroll({{ this._parent.get_name() }}.getContainer());"
    "{% endmacro %}"
)

_FIT_RESULTS = _Template(
    "{% macro script(this, kwargs) %}"
    "(function () { /* request {{ this.nonce }} */ var group = {{ this._parent.get_name() }};"
    " var map = group._map || (group.fitBounds ? group : window.map);"
    " if (map) { map.fitBounds({{ this.bounds_json }}, {{ this.options_json }}); } })();"
    "{% endmacro %}"
)

_ADD_TO = _Template(
    "{% macro script(this, kwargs) %}"
    "{{ this.element_name }}.addTo({{ this.element_parent_name }});"
    "{% endmacro %}"
)

#: Compact templates by element class (exact classes: a subclass may write more).
_TEMPLATES = {folium.Map: _MAP, folium.TileLayer: _TILE_LAYER,
              folium.FeatureGroup: _FEATURE_GROUP, AssetLoader: _ASSET_LOADER,
              FitResults: _FIT_RESULTS, ElementAddToElement: _ADD_TO}


def _swap(element: Element) -> None:
    template = _TEMPLATES.get(type(element))
    if template is not None:
        element._template = template
    for child in element._children.values():
        _swap(child)


def compact(element: Element) -> Element:
    """Give ``element`` and its descendants whose class has one a compact template (same
    statements, one line each), also those its rendering adds (a layer's ``addTo``);
    return ``element``."""
    _swap(element)
    render = element.render

    def render_compact(**kwargs):
        render(**kwargs)
        _swap(element)  # folium adds a layer's addTo child while rendering it

    element.render = render_compact
    return element
