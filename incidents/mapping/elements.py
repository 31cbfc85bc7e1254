"""folium elements of the incident map: the compact incident layer, the legend, the asset loader.

Each element is a small class with a Jinja template and its JS/CSS declared as data, as in
folium's plugins. Text from data never reaches the page unescaped: the incident layer embeds
its data as JSON (with ``<``, ``>`` and ``&`` escaped) and escapes it again in the browser.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from incidents.i18n import N_, gettext, ngettext
from incidents.mapping.assets import HEAT_JS, MARKERCLUSTER_CSS, MARKERCLUSTER_JS
from incidents.schema import EVENT_TYPES, GEO_PRECISION_RADIUS_KM, GEO_PRECISIONS
from incidents.timeline import effective_days

__all__ = [
    "BIN_LAYER_JS",
    "HEAT_JS",
    "INCIDENT_LAYER_JS",
    "MARKERCLUSTER_CSS",
    "MARKERCLUSTER_JS",
    "AssetLoader",
    "BinLayer",
    "FitResults",
    "HeatLayer",
    "IncidentLayer",
    "Legend",
    "browser_strings",
    "compact_payload",
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

#: How each precision class is drawn: solid (site, neighbourhood), faded (town), ring (areas).
PRECISION_STYLE = {
    "site": ("solid", N_("exact site")),
    "neighbourhood": ("solid", N_("neighbourhood")),
    "town": ("faded", N_("town")),
    "admin2": ("ring", N_("district (admin 2)")),
    "admin1": ("ring", N_("region (admin 1)")),
    "country": ("ring", N_("country only")),
}


def safe_json(value) -> str:
    """Return JSON that is safe inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _codes(series: pd.Series, categories: tuple[str, ...], default: int) -> list[int]:
    return _code_array(series, categories, default).tolist()


def _code_array(series: pd.Series, categories: tuple[str, ...], default: int) -> np.ndarray:
    """Return each value's index in ``categories`` (``default`` when absent or missing)."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # conform()ed frames: no string work
        lookup = pd.Index(categories).get_indexer(series.cat.categories.astype(str))
        lookup = np.append(np.where(lookup < 0, default, lookup), default)  # -1: missing
        return lookup[series.cat.codes.to_numpy()].astype(np.int64)
    codes = np.asarray(pd.Categorical(series.astype("string"), categories=categories).codes,
                       dtype=np.int64)
    return np.where(codes < 0, default, codes)


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


#: How a date is qualified in a tooltip, by the code ``encode_points`` sends.
DATE_QUALIFIERS = ("", "week", "month", "year", "range", "unknown")
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CANONICAL_INT = re.compile(r"^(0|[1-9][0-9]{0,14})$")


def _chars(codes: np.ndarray) -> str:
    """Return small codes (0..61) as one character each: no comma, no quote per incident."""
    return np.array(list(_DIGITS), dtype="<U1")[codes].tobytes().decode("utf-32-le") \
        if len(codes) else ""


def _text_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _id_parts(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return each id's prefix up to its last ":" (included) and the rest, vectorised."""
    values = pa.array(ids.astype("string").fillna("").to_numpy(dtype=object), type=pa.string())
    parts = pc.extract_regex(values, r"^(?P<prefix>(?s:.*):)?(?P<suffix>[^:]*)$")
    prefix = parts.field("prefix").to_pandas(types_mapper=pd.ArrowDtype).astype("string")
    suffix = parts.field("suffix").to_pandas(types_mapper=pd.ArrowDtype).astype("string")
    return prefix.fillna(""), suffix.fillna("")


def pack_ints(values: np.ndarray, *, delta: bool = False) -> str:
    """Return integers as base64 of LEB128 varints of their zigzag code (of the differences
    from the previous value when ``delta``): 1 byte for |v| < 64, 2 below 8,192, 3 below
    a million. ``unpack_ints`` and the layer's script (``ints``) read them back."""
    return base64.b64encode(varint_bytes(values, delta=delta)).decode("ascii")


def varint_bytes(values: np.ndarray, *, delta: bool = False) -> bytes:
    """Return the bytes ``pack_ints`` writes in base64: zigzag LEB128 varints."""
    v = np.asarray(values, dtype=np.int64)
    if delta and v.size:
        v = np.diff(v, prepend=0)
    z = ((v << 1) ^ (v >> 63)).astype(np.uint64)  # zigzag: small magnitudes, small codes
    size = np.ones(z.size, dtype=np.int64)
    for k in range(1, 10):
        size += z >= np.uint64(1 << (7 * k))
    out = np.empty(int(size.sum()), dtype=np.uint8)
    start = np.cumsum(size) - size
    for k in range(int(size.max()) if size.size else 0):
        sel = size > k
        byte = (z[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = np.where(size[sel] > k + 1, 0x80, 0).astype(np.uint64)
        out[start[sel] + k] = (byte | more).astype(np.uint8)
    return out.tobytes()


def unpack_ints(text: str, *, delta: bool = False) -> list[int]:
    """Return the integers ``pack_ints`` packed (for tests and tools; the browser has its own)."""
    out, value, shift = [], 0, 0
    for byte in base64.b64decode(text):
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append((value >> 1) ^ -(value & 1))
            value, shift = 0, 0
    return list(itertools.accumulate(out)) if delta else out


#: Payload fields packed by ``pack_ints``: name -> delta-coded.
PACKED_FIELDS = {"lat": True, "lon": True, "f": False, "d": True, "loc": True, "idi": True,
                 "idn": True}


def decode_points(text: str) -> dict:
    """Return an ``encode_points`` payload with its packed fields as lists of integers (``lo``
    and ``hi`` as days since ``d0``, -1 for an undated incident, as the browser reads them)."""
    payload = json.loads(text)
    for name, delta in PACKED_FIELDS.items():
        if isinstance(payload.get(name), str):
            payload[name] = unpack_ints(payload[name], delta=delta)
    if isinstance(payload.get("lo"), str):
        before, after = unpack_ints(payload["lo"]), unpack_ints(payload["hi"])
        payload["lo"] = [d - b if d >= 0 else -1 for d, b in zip(payload["d"], before, strict=True)]
        payload["hi"] = [d + a if d >= 0 else -1 for d, a in zip(payload["d"], after, strict=True)]
    if "idi" not in payload:
        payload["idi"] = [0] * payload["n"]
    return payload


def encode_points(df: pd.DataFrame) -> str:
    """Return the located incidents of ``df`` as compact JSON for the browser (safe in <script>).

    The same facts as ``compact_payload``, packed: coordinates as integers of 1e-5 degrees,
    dates as days since the first possible day (the start date ``d``, and how many days
    before and after it the incident may fall, ``lo`` and ``hi``, for time windows),
    fatalities, place codes and numeric id suffixes as typed, delta-coded varints in base64
    (``pack_ints``); event type and precision as one character; place names and id prefixes
    as tables of distinct strings, each sent once. About 30 bytes an incident (the place
    names aside) instead of about 110 for FastMarkerCluster's rows with the same fields and
    1,200 for a folium.Marker with a tooltip and a popup. ``decode_points`` reads it back.
    """
    lat = df["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = df["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    keep = ~(np.isnan(lat) | np.isnan(lon))
    rows = df.iloc[np.flatnonzero(keep)]  # in the frame's order, as the markers are added
    ilat = np.rint(lat[keep] * 1e5).astype(np.int64)
    ilon = np.rint(lon[keep] * 1e5).astype(np.int64)
    n = len(rows)
    t = _code_array(rows["event_type"], tuple(t.code for t in EVENT_TYPES), len(EVENT_TYPES) - 1)
    p = _code_array(rows["geo_precision"], GEO_PRECISIONS, GEO_PRECISIONS.index("country"))
    fat = rows["fatalities_best"].to_numpy(dtype="float64", na_value=np.nan)
    start = rows["date_start"].to_numpy(dtype="datetime64[D]")
    end = rows["date_end"].to_numpy(dtype="datetime64[D]")
    day = start.astype(np.int64)
    known = ~np.isnat(start)
    # The first and last day each incident may have happened on, so that the browser can
    # filter the layer by a time window itself (playback without a server round trip).
    lo, hi = effective_days(rows)
    d0 = int(lo[known].min()) if known.any() else 0
    dp = _code_array(rows["date_precision"], ("day", "week", "month", "year"), 5)
    dp = np.where((dp == 0) & ~np.isnat(end) & known & (end > start), 4, dp)
    loc, locs = _text_codes(rows["location"].fillna("").str.slice(0, 80))
    prefix, suffix = _id_parts(rows["incident_id"])
    idi, idp = _text_codes(prefix)
    payload: dict = {
        "n": n,
        "lat": pack_ints(ilat, delta=True),
        "lon": pack_ints(ilon, delta=True),
        "tp": _chars(t * len(GEO_PRECISIONS) + p),
        "f": pack_ints(np.where(np.isnan(fat), -1, fat).astype(np.int64)),
        "d0": d0,
        "d": pack_ints(np.where(known, day - d0, -1), delta=True),
        # Days before and after the start date: 0 for most, small for the others.
        "lo": pack_ints(np.where(known, day - lo, 0)),
        "hi": pack_ints(np.where(known, hi - day, 0)),
        "dp": _chars(dp),
        "locs": locs,
        "loc": pack_ints(loc, delta=True),
        "idp": idp,
    }
    if len(idp) > 1:  # one prefix (one dataset): no per-incident code at all
        payload["idi"] = pack_ints(idi, delta=True)
    if n and bool(suffix.str.fullmatch(_CANONICAL_INT.pattern).all()):
        payload["idn"] = pack_ints(suffix.astype("int64").to_numpy(), delta=True)
    else:
        payload["ids"] = suffix.tolist()
    return safe_json(payload)


def encode_bins(bins: pd.DataFrame, *, timed: dict | None = None) -> str:
    """Return grid bins (``aggregate.grid_bins``) as compact JSON for the browser: centroids
    as integers of 1e-4 degrees and counts, packed (``pack_ints``), with ``timed``
    (``timed_bins``' answer, its key and first window) as ``t`` when given."""
    codes = [t.code for t in EVENT_TYPES]
    return safe_json({
        **({"t": timed} if timed is not None else {}),
        "lat": pack_ints(np.rint(bins["lat"].to_numpy(dtype=float) * 1e4), delta=True),
        "lon": pack_ints(np.rint(bins["lon"].to_numpy(dtype=float) * 1e4), delta=True),
        "n": pack_ints(bins["incidents"].to_numpy(dtype=np.int64)),
        "f": pack_ints(bins["fatalities"].to_numpy(dtype=np.int64)),
        "c": pack_ints(bins[codes].to_numpy(dtype=np.int64).ravel()),
    })


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
        {"code": p, "style": PRECISION_STYLE[p][0],
         "label": gettext(PRECISION_STYLE[p][1], lang),
         "radius_m": GEO_PRECISION_RADIUS_KM[p] * 1000}
        for p in GEO_PRECISIONS
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
        """
        {% macro script(this, kwargs) %}
        (function (container) {
            var focus = container.focus;
            container.focus = function (options) {
                return focus.call(container, Object.assign({preventScroll: true}, options || {}));
            };
        })({{ this._parent.get_name() }}.getContainer());
        {% endmacro %}
        """
    )
    default_js = MARKERCLUSTER_JS + HEAT_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self) -> None:
        super().__init__()
        self._name = "AssetLoader"


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


class Legend(MacroElement):
    """A map control explaining colours (event type), size (fatalities) and precision styles,
    or the heat scale while the heatmap is shown. Collapsed at first, in the bottom-left
    corner (the Atlantic and the coast, away from the Sahel's data); a click opens it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "ia-legend");
                div.style.cssText = "background:rgba(255,255,255,0.94);padding:6px 9px;" +
                    "border-radius:6px;font:11px/1.4 system-ui,sans-serif;color:#222;" +
                    "box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:210px";
                div.innerHTML = {{ this.html_json }};
                // On a phone-sized map the open legend would hide half of it: start closed.
                if ({{ this._parent.get_name() }}.getSize().x < 500) {
                    div.querySelector("details").removeAttribute("open");
                }
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self._name = "Legend"
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
        for style, label in (("solid", N_("site or neighbourhood")), ("faded", N_("town")),
                             ("ring", N_("district, region or country"))):
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
