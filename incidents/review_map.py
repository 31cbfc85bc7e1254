"""The Geocode page's review map, UI-free: where it opens for a doubtful place (the place
hint), and the folium map of the current match, the numbered candidates and the point to save.

``components/geocode_view.py`` draws it with ``st_folium``; tests render it and read the HTML.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Protocol

import folium
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from incidents.geocoding import GeoResult
from incidents.i18n import gettext
from incidents.mapping import BASEMAPS, DEFAULT_CENTER, DEFAULT_ZOOM, OFFLINE_MESSAGE, use_assets
from incidents.mapping.offline import add_offline_context
from incidents.schema import PRECISIONS

__all__ = [
    "CANDIDATE_COLOUR",
    "CHOSEN_COLOUR",
    "CURRENT_COLOUR",
    "REVIEW_ZOOM",
    "NumberedMarker",
    "in_country",
    "place_hint",
    "place_rows",
    "review_map",
]

#: The zoom the review map opens at on a point of each place precision.
REVIEW_ZOOM = {p.code: p.review_zoom for p in PRECISIONS}
_OTHER_ZOOM = 9  # a point of unknown precision
#: A place known only by its district or region opens at that area's zoom.
_ADMIN_ZOOM = {code: REVIEW_ZOOM[code] for code in ("admin2", "admin1")}
#: Red: the current match; blue: the other candidates; green: the point to save.
CURRENT_COLOUR, CANDIDATE_COLOUR, CHOSEN_COLOUR = "#c62828", "#1565c0", "#2e7d32"


class Resolver(Protocol):
    """What the place hint needs of a geocoder: an offline lookup of a name in a country."""

    def resolve(self, query: str, country: str | None = None, *, offline: bool = False
                ) -> GeoResult: ...


def in_country(place_country: str | None, country: str | None) -> bool:
    """Return whether a place in ``place_country`` may be in ``country`` (unknown: it may)."""
    return country is None or place_country is None or place_country == country


def place_rows(df: pd.DataFrame, location: str, country: str | None = None) -> pd.DataFrame:
    """Return the incidents whose place text is ``location`` (and in ``country`` if given)."""
    rows = df[df["location"].astype("string").str.strip() == location]
    if country:
        rows = rows[rows["country"].astype("string") == country]
    return rows


def place_hint(result: GeoResult, country: str | None, rows: pd.DataFrame,
               geocoder: Resolver) -> tuple[float, float, int]:
    """Return where to open the review map (lat, lon, zoom): the match or a candidate in the
    incidents' ``country``, else the district or region of the incidents ``rows``, else the
    Sahel."""
    if result.found and in_country(result.country, country):
        return result.latitude, result.longitude, REVIEW_ZOOM.get(result.geo_precision,
                                                                  _OTHER_ZOOM)
    for c in result.candidates:
        if in_country(c.country, country):
            return c.latitude, c.longitude, REVIEW_ZOOM.get(c.geo_precision, _OTHER_ZOOM)
    for column, zoom in _ADMIN_ZOOM.items():
        names = rows[column].dropna().astype(str)
        if len(names):
            near = geocoder.resolve(names.iloc[0], country, offline=True)
            if near.found and in_country(near.country, country):
                return near.latitude, near.longitude, zoom
    return DEFAULT_CENTER[0], DEFAULT_CENTER[1], DEFAULT_ZOOM


class NumberedMarker(MacroElement):
    """A marker drawn as a numbered disc (``L.divIcon``): never Leaflet's default icon, whose
    image is not worth a request. ``tooltip`` is plain text."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.marker({{ this.location|tojson }}, {
            icon: L.divIcon({html: {{ this.html|tojson }}, className: "geo-candidate",
                             iconSize: [22, 22], iconAnchor: [11, 11]}),
            keyboard: false
        }).bindTooltip(document.createTextNode({{ this.tooltip|tojson }}))
          .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, location: tuple[float, float], number: int, tooltip: str) -> None:
        super().__init__()
        self._name = "NumberedMarker"
        self.location = [float(location[0]), float(location[1])]
        self.html = (f'<div style="width:22px;height:22px;border-radius:11px;'
                     f'background:{CANDIDATE_COLOUR};color:#fff;font:bold 12px/22px '
                     f'sans-serif;text-align:center;box-shadow:0 0 0 2px #fff,0 0 3px 2px '
                     f'rgba(0,0,0,.4)">{int(number)}</div>')
        self.tooltip = tooltip


def _code(precision: str | None) -> str:
    return str(precision or "")


def review_map(result: GeoResult, chosen: tuple[float, float] | None,
               view: tuple[float, float, int], country: str | None = None, *,
               clicked: bool = False, lang: str | None = None,
               precision_label: Callable[[str | None], str] = _code,
               ) -> tuple[folium.Map, folium.FeatureGroup]:
    """Return the review map (the current match and numbered candidates) and a layer with
    the chosen point, sent separately so that choosing does not re-mount the map.

    Parameters
    ----------
    result
        The geocoder's answer for the place under review.
    chosen
        The point to save (lat, lon), ringed in green; None: nothing chosen yet.
    view
        Where the map opens (lat, lon, zoom), e.g. ``place_hint``'s answer. When the current
        match and the candidates in ``country`` are several points, it fits them instead
        (candidates elsewhere are drawn but not fitted).
    clicked
        Whether ``chosen`` was placed by hand: then nothing is drawn there yet, so a dot is.
    lang, precision_label
        The language of the texts, and how a precision class is named in it.
    """
    label, provider = BASEMAPS["light"]
    m = folium.Map(location=list(view[:2]), zoom_start=view[2], tiles=None, min_zoom=2,
                   max_zoom=18, control_scale=True)
    folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution,
                     name=gettext(label, lang), max_native_zoom=16, max_zoom=18).add_to(m)
    # Outlines and town labels: placing a point by hand works without tiles (offline).
    add_offline_context(m, message=gettext(OFFLINE_MESSAGE, lang), lang=lang)
    near: list[tuple[float, float]] = []
    for n, c in enumerate(result.candidates, start=1):
        NumberedMarker((c.latitude, c.longitude), n,
                       f"{n}. {c.name} ({c.country}, {precision_label(c.geo_precision)})"
                       ).add_to(m)
        if in_country(c.country, country):
            near.append((c.latitude, c.longitude))
    if result.found:
        folium.CircleMarker(
            [result.latitude, result.longitude], radius=9, color=CURRENT_COLOUR, weight=3,
            fill=True, fill_opacity=0.5,
            tooltip=html.escape(gettext("Current match: {name}", lang,
                                        name=result.matched_name)),
        ).add_to(m)
        if in_country(result.country, country):
            near.append((result.latitude, result.longitude))
    if len(set(near)) > 1:
        lats, lons = [p[0] for p in near], [p[1] for p in near]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(40, 40),
                     max_zoom=12)
    layer = folium.FeatureGroup(name="chosen")
    if chosen is not None:
        if clicked:  # a new point: nothing is drawn there yet
            folium.CircleMarker(list(chosen), radius=7, color=CHOSEN_COLOUR, weight=2,
                                fill=True, fill_opacity=0.9, interactive=False).add_to(layer)
        folium.CircleMarker(list(chosen), radius=15, color=CHOSEN_COLOUR, weight=3,
                            fill=False, interactive=False).add_to(layer)
    return use_assets(m), use_assets(layer)
