"""Exports of a set of incidents: CSV, GeoJSON and a standalone HTML map that plays through time.

Each function exports exactly the frame it is given: the app passes what is on screen (the
filtered, public-view frame the ``Incidents`` metric counts), the command line what a share-link
query selects. ``run_export_cli`` is ``python -m incidents export``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import sys
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

from incidents.csvsafe import FORMULA_PREFIXES, frame_csv_bytes, neutralise_cell
from incidents.errors import IncidentsError
from incidents.filtering import Filters, apply_filters
from incidents.i18n import N_, format_date, format_number, gettext, ngettext
from incidents.mapping import (
    BASEMAPS,
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    MAX_ZOOM,
    OFFLINE_MESSAGE,
    safe_json,
    use_assets,
)
from incidents.mapping.elements import _DONUT_JS, browser_strings
from incidents.mapping.offline import add_offline_context
from incidents.privacy import PublicPolicy, apply_public_view, describe_policy, policy_from_settings
from incidents.schema import (
    COLUMNS,
    DATE_PRECISION_NOTES,
    EVENT_TYPES,
    PRECISIONS,
)
from incidents.urlstate import ViewState, parse_query_string

__all__ = [
    "CDN_NOTE",
    "FORMATS",
    "FORMULA_PREFIXES",
    "ExportError",
    "describe_filters",
    "export_bytes",
    "export_filename",
    "neutralise_cell",
    "run_export_cli",
    "to_csv_bytes",
    "to_geojson",
    "to_geojson_bytes",
    "to_standalone_html",
]

#: Format -> (file extension, MIME type).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv"),
    "geojson": ("geojson", "application/geo+json"),
    "html": ("html", "text/html"),
}


#: What a recipient of the HTML map needs to know; the app shows it next to the download.
CDN_NOTE = N_(
    "The HTML map is one self-contained file: it opens and plays in any browser without this "
    "server and without internet. Only the basemap tiles need internet; without it the map "
    "shows the country and region outlines and town labels instead."
)  # translated where it is shown

_DATE_COLUMNS = ("date_start", "date_end")
_JSON_COLUMNS = ("claims", "sources")
_DAY_MS = 86_400_000


class ExportError(IncidentsError):
    """An export cannot be written (a folder that does not exist, a full disk)."""


# --- CSV ----------------------------------------------------------------------------------------


def _export_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in COLUMNS if c in df.columns]


def _is_text(series: pd.Series) -> bool:
    return (
        pd.api.types.is_string_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
        or series.dtype == object
    )


def _text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return the export columns as strings (NA stays NA): dates as ISO, text as text."""
    out = pd.DataFrame(index=df.index)
    for column in _export_columns(df):
        series = df[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            fmt = "%Y-%m-%d" if column in _DATE_COLUMNS else "%Y-%m-%dT%H:%M:%SZ"
            out[column] = series.dt.strftime(fmt).astype("string")
        elif _is_text(series):
            out[column] = series.astype("string")
        else:
            out[column] = series
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Return the incidents of ``df`` as CSV: UTF-8 with a BOM (for Excel), schema columns.

    Every text cell (ids included) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading single quote, so that no spreadsheet runs it as a formula.
    Numbers are left as they are (a negative longitude stays a number). Unknown is empty.
    Written by the project's one CSV writer (``incidents.csvsafe``).
    """
    return frame_csv_bytes(_text_frame(df))


# --- GeoJSON ------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """Return a JSON-ready Python value: NA -> None, numpy scalars -> int/float."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def _json_list(text: object) -> object:
    if text is None or text is pd.NA:
        return None
    try:
        return json.loads(str(text))
    except ValueError:
        return str(text)


def to_geojson(df: pd.DataFrame) -> dict:
    """Return the incidents of ``df`` as a GeoJSON FeatureCollection (RFC 7946).

    Each feature is one incident: ``id`` is its incident_id, the geometry its point (``null``
    when it is not mapped), the properties every other schema column, unknown as ``null``.
    Dates are ISO strings; claims and sources are JSON lists.
    """
    cols = [c for c in _export_columns(df) if c not in ("latitude", "longitude")]
    frame = df.loc[:, cols].astype(object)
    for column in cols:
        if pd.api.types.is_datetime64_any_dtype(df[column].dtype):
            fmt = "%Y-%m-%d" if column in _DATE_COLUMNS else "%Y-%m-%dT%H:%M:%SZ"
            frame[column] = df[column].dt.strftime(fmt).astype(object)
    lat = df["latitude"].astype("Float64")
    lon = df["longitude"].astype("Float64")
    features = []
    for (_, row), y, x in zip(frame.iterrows(), lat, lon, strict=True):
        props = {c: _plain(row[c]) for c in cols}
        for column in _JSON_COLUMNS:
            if column in props:
                props[column] = _json_list(props[column])
        geometry = None
        if y is not pd.NA and x is not pd.NA:
            geometry = {"type": "Point", "coordinates": [round(float(x), 6), round(float(y), 6)]}
        features.append({
            "type": "Feature", "id": props.get("incident_id"), "geometry": geometry,
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def to_geojson_bytes(df: pd.DataFrame) -> bytes:
    """Return ``to_geojson(df)`` as UTF-8 JSON bytes."""
    return json.dumps(to_geojson(df), ensure_ascii=False, allow_nan=False).encode("utf-8")


# --- standalone HTML map ------------------------------------------------------------------------


def describe_filters(filters: Filters, lang: str = "en") -> str:
    """Return the filters as one short line for a title ("2024-01-01 – 2024-12-31 · ML · …"),
    its words in ``lang``."""
    parts = []
    if filters.start or filters.end:
        start = filters.start.isoformat() if filters.start else "…"
        end = filters.end.isoformat() if filters.end else "…"
        parts.append(f"{start} – {end}")
    for label, values in ((None, filters.countries), (N_("region {values}"), filters.admin1),
                          (N_("actor {values}"), filters.actors), (None, filters.event_types),
                          (N_("place known to {values}"), filters.precisions)):
        if values:
            joined = ", ".join(values)
            parts.append(gettext(label, lang, values=joined) if label else joined)
    if filters.min_fatalities:
        parts.append(gettext("≥ {n} killed", lang,
                             n=format_number(filters.min_fatalities, lang)))
    if filters.text:
        parts.append(f"“{filters.text}”")
    return " · ".join(parts) or gettext("all incidents", lang)


def _date_ms(series: pd.Series) -> pd.Series:
    # datetime64[s] -> milliseconds since the epoch (UTC), as nullable integers.
    return (series.astype("datetime64[ms]").astype("int64") // 1).where(series.notna())


def _trail_days(df: pd.DataFrame) -> int:
    """Return how long an incident stays on the map after it ended: 1/24 of the span, 1–365 d."""
    if df["date_start"].notna().sum() == 0:
        return 1
    span = (df["date_end"].fillna(df["date_start"]).max() - df["date_start"].min()).days
    return int(min(365, max(1, round(span / 24))))


def _sources(value: object) -> list[dict[str, str]]:
    items = _json_list(value)
    if isinstance(items, str):
        return [{"text": items}]
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        text = ", ".join(str(item[k]) for k in ("publisher", "date", "title") if item.get(k))
        url = str(item.get("url") or "")
        entry = {"text": text or url}
        if url.startswith(("https://", "http://")):
            entry["url"] = url
        out.append(entry)
    return out


def _claims(value: object, lang: str = "en") -> list[str]:
    items = _json_list(value)
    if not isinstance(items, list):
        return [items] if isinstance(items, str) else []
    return [f"{c.get('claimant') or gettext('unattributed', lang)}: {c.get('claim') or ''}"
            for c in items if isinstance(c, dict)]


def _timeline_data(df: pd.DataFrame, trail_days: int, lang: str = "en") -> dict:
    """Return the mapped, dated incidents as GeoJSON points with start/end in ms and popup text."""
    located = df[df["latitude"].notna() & df["longitude"].notna() & df["date_start"].notna()]
    start = _date_ms(located["date_start"])
    end = _date_ms(located["date_end"].fillna(located["date_start"]))
    end = end.fillna(start) + _DAY_MS - 1 + trail_days * _DAY_MS
    features = []
    for i, (_, r) in enumerate(located.iterrows()):
        def text(column: str, row=r) -> str | None:
            value = row[column] if column in row.index else None
            return None if value is None or pd.isna(value) else str(value)

        date = format_date(r["date_start"], lang, "medium")
        if pd.notna(r["date_end"]) and r["date_end"] != r["date_start"]:
            date += " – " + format_date(r["date_end"], lang, "medium")
        if text("date_precision") in DATE_PRECISION_NOTES:
            date += f" ({gettext(DATE_PRECISION_NOTES[r['date_precision']], lang)})"
        props = {
            "start": int(start.iloc[i]), "end": int(end.iloc[i]), "id": text("incident_id"),
            "date": date, "type": text("event_type") or "other",
            "precision": text("geo_precision") or "country",
            "f": _plain(r["fatalities_best"]), "flow": _plain(r["fatalities_low"]),
            "fhigh": _plain(r["fatalities_high"]), "loc": text("location"),
            "where": ", ".join(v for v in (text("admin2"), text("admin1"), text("country_name"))
                               if v),
            "actor": text("actor"), "target": text("target"), "desc": text("description"),
            "claims": _claims(r["claims"], lang), "sources": _sources(r["sources"]),
            "dataset": text("dataset"),
        }
        geometry = {"type": "Point", "coordinates": [round(float(r["longitude"]), 5),
                                                     round(float(r["latitude"]), 5)]}
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {k: v for k, v in props.items() if v not in (None, [])}})
    return {"type": "FeatureCollection", "features": features}


# Marker drawing and popups mirror the app's map (incidents/mapping/incident_layer.js): colour is
# the event type, size the best fatality estimate, solid/faded/ring the place precision. Every
# text from data reaches the page through textContent, never through innerHTML.
_JS_HELPERS = """
{% macro script(this, kwargs) %}
var ia_export = (function () {
    var types = {{ this.types_json }};
    var precisions = {{ this.precisions_json }};
    var S = {{ this.strings_json }};  // translated words (_ExportHelpers)
    function radius(f) { return f == null ? 7 : Math.min(26, 6 + 3 * Math.log2(1 + f)); }
    function el(tag, text, css) {
        var node = document.createElement(tag);
        if (text != null) { node.textContent = text; }
        if (css) { node.style.cssText = css; }
        return node;
    }
    function icon(p) {
        var t = types[p.type] || types.other, pr = precisions[p.precision] || precisions.country;
        var size = Math.round(2 * radius(p.f));
        var s = "display:block;box-sizing:border-box;width:" + size + "px;height:" + size +
            "px;border-radius:50%;background:" + t.color + ";";
        if (pr.style === "solid") {
            s += "border:2px solid #fff;box-shadow:0 0 0 1px " + t.color + ";";
        } else if (pr.style === "faded") {
            s += "opacity:0.85;border:2px solid " + t.color + ";background:" + t.color + "99;";
        } else {
            s += "border:2px dashed " + t.color + ";background:" + t.color + "26;";
        }
        if (p.f == null) { s += "outline:1px dotted #333;outline-offset:1px;"; }
        return L.divIcon({className: "ia-marker ia-p-" + pr.code,
                          html: "<span style=\\"" + s + "\\"></span>", iconSize: [size, size]});
    }
    function fatalities(p) {
        if (p.f == null) { return S.fatalitiesUnknown; }
        var text = iaCount(S, S.killed, p.f);
        if (p.flow != null || p.fhigh != null) {
            text += ", " + S.range + " " + (p.flow != null ? p.flow : "?") + "–" +
                (p.fhigh != null ? p.fhigh : "?");
        }
        return text;
    }
    function tooltip(p) {
        var t = types[p.type] || types.other, pr = precisions[p.precision] || precisions.country;
        return el("span", p.date + " · " + t.label + " · " + (p.loc || S.placeNotNamed) +
            " (" + pr.label + ") · " + fatalities(p));
    }
    function popup(p) {
        var t = types[p.type] || types.other, pr = precisions[p.precision] || precisions.country;
        var box = el("div", null, "font:12px/1.4 system-ui,sans-serif;max-width:320px");
        box.appendChild(el("div", t.label, "font-weight:600;color:" + t.color));
        box.appendChild(el("div", p.loc || S.PlaceNotNamed, "font-weight:600;font-size:14px"));
        box.appendChild(el("div", (p.where ? p.where + " · " : "") + S.placeKnownTo + " " +
            pr.label + " (±" + pr.km.toLocaleString(S.lang) + " km)", "color:#555"));
        box.appendChild(el("div", S.date + " " + p.date));
        if (p.actor || p.target) {
            box.appendChild(el("div", S.actor + " " + (p.actor || S.unknown) + " · " +
                S.target + " " + (p.target || S.unknown)));
        }
        box.appendChild(el("div", S.fatalities + " " + fatalities(p)));
        (p.claims || []).forEach(function (c) { box.appendChild(el("div", S.claim + " " + c)); });
        if (p.desc) { box.appendChild(el("p", p.desc, "margin:4px 0")); }
        if (p.sources && p.sources.length) {
            var list = el("ul", null, "margin:2px 0;padding-left:16px");
            p.sources.forEach(function (s) {
                var item = el("li");
                if (s.url) {
                    var a = el("a", s.text || s.url);
                    a.href = s.url; a.target = "_blank"; a.rel = "noopener noreferrer";
                    item.appendChild(a);
                } else { item.textContent = s.text; }
                list.appendChild(item);
            });
            box.appendChild(el("div", S.sources));
            box.appendChild(list);
        }
        box.appendChild(el("div", (p.dataset ? p.dataset + " · " : "") + S.id + " " + (p.id || ""),
            "color:#666;font-size:11px"));
        return box;
    }
    return {
        pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            var m = L.marker(latlng, {icon: icon(p), keyboard: false});
            var pr = precisions[p.precision] || precisions.country;
            var ring = null;
            m.on("mouseover", function () {
                ring = L.circle(latlng, {radius: pr.km * 1000, color: "#333", weight: 1,
                    dashArray: "4 4", fill: false, interactive: false}).addTo(m._map);
            });
            m.on("mouseout remove", function () { if (ring) { ring.remove(); ring = null; } });
            return m;
        },
        onEachFeature: function (feature, layer) {
            layer.bindTooltip(tooltip(feature.properties), {direction: "top"});
            layer.bindPopup(popup(feature.properties), {maxWidth: 340});
        },
        el: el
    };
})();
{% endmacro %}
"""


class _ExportHelpers(MacroElement):
    """The marker, tooltip and popup builders the timeline layer calls."""

    # iaCount (plural forms in the language) comes with the map's shared scripts.
    _template = Template(_JS_HELPERS.replace("{% macro script(this, kwargs) %}\n",
                                             "{% macro script(this, kwargs) %}\n" + _DONUT_JS, 1))

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self._name = "ExportHelpers"
        self.types_json = safe_json({t.code: {"label": gettext(t.label, lang), "color": t.color}
                                     for t in EVENT_TYPES})
        self.precisions_json = safe_json({
            p.code: {"code": p.code, "style": p.style, "label": gettext(p.map_label, lang),
                     "km": p.radius_km}
            for p in PRECISIONS
        })
        words = browser_strings(lang)
        words.update({
            "PlaceNotNamed": gettext("Place not named", lang),
            "placeKnownTo": gettext("place known to:", lang),
            "date": gettext("Date:", lang),
            "actor": gettext("Actor:", lang),
            "target": gettext("Target:", lang),
            "unknown": gettext("unknown", lang),
            "fatalities": gettext("Fatalities:", lang),
            "range": gettext("range", lang),
            "claim": gettext("Claim —", lang),
            "sources": gettext("Sources:", lang),
            "id": gettext("ID:", lang),
        })
        self.strings_json = safe_json(words)


class _InfoBox(MacroElement):
    """Title, what the file shows, notices and the legend, in a map control (text via DOM)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
    var info = {{ this.info_json }};
    var box = L.control({position: "topright"});
    box.onAdd = function () {
        var el = ia_export.el;
        var div = L.DomUtil.create("div", "ia-export-info");
        div.style.cssText = "background:rgba(255,255,255,.95);padding:8px 10px;border-radius:6px;" +
            "font:12px/1.4 system-ui,sans-serif;color:#222;box-shadow:0 1px 4px rgba(0,0,0,.3);" +
            "max-width:300px";
        div.appendChild(el("div", info.title, "font-weight:700;font-size:15px"));
        info.lines.forEach(function (line) { div.appendChild(el("div", line)); });
        info.notices.forEach(function (line) {
            div.appendChild(el("div", line, "margin-top:4px;padding:3px 6px;background:#fff4e5;" +
                "border-left:3px solid #B5462F"));
        });
        var legend = el("details", null, "margin-top:6px");
        legend.appendChild(el("summary", info.legendTitle, "cursor:pointer;font-weight:600"));
        info.types.forEach(function (t) {
            var row = el("div");
            row.appendChild(el("span", null, "display:inline-block;width:10px;height:10px;" +
                "border-radius:50%;margin-right:6px;background:" + t.color));
            row.appendChild(document.createTextNode(t.label));
            legend.appendChild(row);
        });
        info.legend.forEach(function (line) { legend.appendChild(el("div", line, "color:#444")); });
        div.appendChild(legend);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    box.addTo({{ this._parent.get_name() }});
    {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution_json }});
})();
{% endmacro %}
""")

    def __init__(self, title: str, lines: list[str], notices: list[str], attribution: str,
                 lang: str = "en"):
        super().__init__()
        self._name = "ExportInfo"
        self.info_json = safe_json({
            "title": title, "lines": lines, "notices": notices,
            "legendTitle": gettext("Legend", lang),
            "types": [{"label": gettext(t.label, lang), "color": t.color} for t in EVENT_TYPES],
            "legend": [
                gettext("Solid dot: exact site or neighbourhood; faded: town; dashed ring: "
                        "district, region or country. Hover a point to see its radius of "
                        "uncertainty.", lang),
                gettext("Size: fatalities (best estimate); dotted outline: unknown.", lang),
            ],
        })
        # Leaflet shows attributions as HTML: the dataset names are escaped here.
        self.attribution_json = safe_json(attribution)


def to_standalone_html(
    df: pd.DataFrame,
    view: ViewState | None = None,
    *,
    title: str = "Incident Atlas",
    notice: str = "",
    trail_days: int | None = None,
) -> str:
    """Return a self-contained HTML page: the incidents of ``df`` on a map with a time slider.

    Each incident appears at its first possible day and stays for ``trail_days`` after its last
    (default: 1/24 of the time span, at least 1 and at most 365 days), so pressing play or
    moving the slider shows incidents come and go. ``view`` sets the basemap and, when it has
    them, the centre and zoom (else the map fits the incidents); ``notice`` (e.g. the public-view
    sentence) is shown under the title. The page needs no server and no network: its scripts
    and styles are inside it; only basemap tiles come from the internet, and without it the map
    shows the shipped outlines and town labels instead (and says so).
    """
    view = view or ViewState()
    lang = view.lang or "en"
    trail = trail_days if trail_days is not None else _trail_days(df)
    data = _timeline_data(df, trail, lang)
    label, provider = BASEMAPS.get(view.basemap, BASEMAPS["light"])
    m = folium.Map(
        location=[view.lat, view.lon] if view.lat is not None else list(DEFAULT_CENTER),
        zoom_start=view.zoom or DEFAULT_ZOOM, tiles=None, max_zoom=MAX_ZOOM, min_zoom=2,
        control_scale=True,
    )
    tile_attribution = ""
    if provider is not None:
        tile_attribution = provider.html_attribution
        folium.TileLayer(
            tiles=provider.build_url(), attr=tile_attribution, name=gettext(label, lang),
            max_zoom=MAX_ZOOM,
            max_native_zoom=min(int(provider.get("max_zoom") or MAX_ZOOM), MAX_ZOOM),
        ).add_to(m)
    add_offline_context(m, "always" if view.basemap == "offline" else
                        "never" if view.basemap == "none" else "fallback",
                        message=gettext(OFFLINE_MESSAGE, lang) + " "
                        + gettext("(open this file online for the basemap)", lang),
                        max_rank=3, lang=lang)  # towns, not villages: the file stays small
    _ExportHelpers(lang).add_to(m)

    mapped = len(data["features"])
    unmapped = len(df) - mapped
    now = dt.datetime.now(dt.UTC)
    generated = f"{format_date(now, lang, 'medium')} {now:%H:%M} UTC"
    lines = [describe_filters(view.filters, lang),
             ngettext("{n} incident; {mapped} on the map.", "{n} incidents; {mapped} on the map.",
                      len(df), lang, mapped=format_number(mapped, lang))
             + " " + ngettext("Each stays on the map {n} day after it ended.",
                              "Each stays on the map {n} days after it ended.", trail, lang),
             gettext("Press ▶ or move the slider to play through time.", lang),
             (gettext("Works without internet; only the basemap tiles need it (without, the map "
                      "shows outlines and town labels).", lang) if provider is not None else
              gettext("Works without internet.", lang)),
             gettext("Exported {when}.", lang, when=generated)]
    notices = [notice] if notice else []
    if unmapped:
        notices.append(ngettext("{n} incident is not on the map: it has no coordinates or no "
                                "date.",
                                "{n} incidents are not on the map: they have no coordinates "
                                "or no date.", unmapped, lang))
    datasets = sorted({str(d) for d in df["dataset"].dropna().unique()}) if len(df) else []
    attribution = gettext("Incident data: {datasets}", lang, datasets=html.escape(
        "; ".join(datasets) or gettext("none", lang)))
    _InfoBox(title, lines, notices, attribution, lang).add_to(m)

    if mapped:
        timeline = folium.plugins.Timeline(
            data,
            point_to_layer=JsCode("ia_export.pointToLayer"),
            on_each_feature=JsCode("ia_export.onEachFeature"),
        ).add_to(m)
        # The slider ends with the last incident, not with its trail.
        starts = [f["properties"]["start"] for f in data["features"]]
        last = max(f["properties"]["end"] for f in data["features"]) - trail * _DAY_MS
        slider = folium.plugins.TimelineSlider(
            auto_play=False, show_ticks=False, enable_keyboard_controls=True,
            playback_duration=30_000, steps=1000, start=min(starts), end=max(last, min(starts)),
        )
        # Times are UTC midnights: format them in UTC, not in the viewer's time zone.
        slider.options["format_output"] = JsCode(
            "function (t) { return new Date(t).toISOString().slice(0, 10); }"
        )
        slider.add_timelines(timeline).add_to(m)
        if view.lat is None:
            coords = [f["geometry"]["coordinates"] for f in data["features"]]
            south, north = min(c[1] for c in coords), max(c[1] for c in coords)
            west, east = min(c[0] for c in coords), max(c[0] for c in coords)
            # Keep the points clear of the title box (top right) and the slider (bottom).
            m.fit_bounds([[south, west], [north, east]], padding_top_left=(40, 40),
                         padding_bottom_right=(330, 130), max_zoom=12)
    page = use_assets(m, None).get_root()
    page.title = html.escape(title)  # branca writes the <title> as it is given
    return page.render()


# --- one entry point for the app and the command line -------------------------------------------


def export_bytes(df: pd.DataFrame, fmt: str, view: ViewState | None = None, *,
                 notice: str = "") -> bytes:
    """Return ``df`` exported as ``fmt`` (csv, geojson or html)."""
    if fmt == "csv":
        return to_csv_bytes(df)
    if fmt == "geojson":
        return to_geojson_bytes(df)
    if fmt == "html":
        return to_standalone_html(df, view, notice=notice).encode("utf-8")
    raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def export_filename(fmt: str, view: ViewState | None = None) -> str:
    """Return a file name for an export: ``incident-atlas_2024-01-01_2024-12-31.csv``."""
    f = (view or ViewState()).filters
    parts = ["incident-atlas"]
    if f.start or f.end:
        parts.append(f"{f.start or 'start'}_{f.end or 'end'}")
    if f.countries and len(f.countries) <= 3:
        parts.append("-".join(f.countries))
    return "_".join(parts) + "." + FORMATS[fmt][0]


def run_export_cli(args) -> int:
    """Run ``python -m incidents export``: write what ``args.query`` selects; return 0.

    Applies ``$INCIDENTS_PUBLIC_PRECISION`` / ``$INCIDENTS_PUBLIC_HIDE`` when set, before the
    filters, as the app does for viewers. ``--out -`` writes CSV or GeoJSON to stdout.
    """
    from incidents import load_incidents

    incidents = load_incidents(args.database_url)
    parsed = parse_query_string(args.query or "")
    for notice in parsed.notices:
        print(f"notice: {notice}", file=sys.stderr)
    policy: PublicPolicy = policy_from_settings(None, os.environ)
    visible = apply_public_view(incidents, policy)
    selected = apply_filters(visible, parsed.state.filters)
    lang = parsed.state.lang or "en"
    title = "Incident Atlas — " + ngettext("{n} incident", "{n} incidents", len(selected), lang)
    if args.format == "html":
        payload = to_standalone_html(selected, parsed.state, title=title,
                                     notice=describe_policy(policy, lang)).encode("utf-8")
    else:
        payload = export_bytes(selected, args.format, parsed.state)
    summary = f"{len(selected):,} incidents exported as {args.format} to {args.out}"
    if policy.active:
        summary += " (public view)"
    if args.out == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        print(summary, file=sys.stderr)
        return 0
    try:
        Path(args.out).write_bytes(payload)
    except OSError as exc:
        raise ExportError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(summary)
    return 0
