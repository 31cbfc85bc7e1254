"""The standalone HTML export: the incidents on a map that plays through time, in one file.

The page needs no server and no network: Leaflet, its plugins and the marker, tooltip and popup
builders (``standalone.js``) are inside it; only basemap tiles come from the internet.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

from incidents.export.tabular import json_list, plain
from incidents.filtering import Filters
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
from incidents.schema import DATE_PRECISION_NOTES, EVENT_TYPES, PRECISIONS
from incidents.urlstate import ViewState

__all__ = ["describe_filters", "to_standalone_html"]

_DAY_MS = 86_400_000

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
    items = json_list(value)
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
    items = json_list(value)
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
            "f": plain(r["fatalities_best"]), "flow": plain(r["fatalities_low"]),
            "fhigh": plain(r["fatalities_high"]), "loc": text("location"),
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


#: The marker, tooltip and popup builders, a plain script (``iaExportHelpers``).
_HELPERS_JS = Path(__file__).with_name("standalone.js").read_text(encoding="utf-8")


class _ExportHelpers(MacroElement):
    """The marker, tooltip and popup builders the timeline layer calls."""

    # iaCount (plural forms in the language) comes with the map's shared scripts.
    _template = Template(
        "{% macro script(this, kwargs) %}\n" + _DONUT_JS + _HELPERS_JS
        + "var ia_export = iaExportHelpers({{ this.types_json }}, {{ this.precisions_json }}, "
        "{{ this.strings_json }});\n{% endmacro %}\n"
    )

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
