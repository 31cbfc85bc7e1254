"""The offline basemap: shipped outlines plus labels of capitals, regional capitals and towns.

Drawn on every map under the incidents, so that a point can be placed without tiles: always on
the "Offline (no tiles)" basemap, and as the fallback of a tile basemap that cannot load (no
internet), with one message in the map. Outlines are Natural Earth (``data/boundaries``); places
come from the shipped GeoNames-derived gazetteer (``data/gazetteer``).
"""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path

import folium
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from incidents.countries import name_for
from incidents.geocoding.gazetteer import DEFAULT_GAZETTEER
from incidents.i18n import N_
from incidents.mapping.elements import safe_json
from incidents.paths import BOUNDARIES_FILE

__all__ = [
    "CONTEXT_FILE",
    "OFFLINE_BASEMAP_JS",
    "OFFLINE_MESSAGE",
    "OUTLINES_JS",
    "OfflineBasemap",
    "add_offline_context",
    "area_labels",
    "context_geojson",
    "place_labels",
    "ring_centroid",
]

CONTEXT_FILE = BOUNDARIES_FILE
OFFLINE_MESSAGE = N_("Basemap tiles need internet; showing offline outlines")  # translated where drawn

_CONTEXT_STYLE = {
    "country": {"color": "#4a4a4a", "weight": 1.3, "fill": False},
    "admin1": {"color": "#7a7a7a", "weight": 0.8, "dashArray": "4 3", "fill": False},
    "admin2": {"color": "#9a9a9a", "weight": 0.6, "dashArray": "2 3", "fill": False},
}
#: Countries whose towns are labelled in detail (the GeoNames dumps shipped are theirs).
_DETAILED = ("ML", "BF", "NE")
#: Neighbours' cities are labelled inside this box (south, west, north, east).
_AREA = (2.0, -20.0, 28.0, 20.0)


@functools.cache
def context_geojson() -> dict | None:
    """Return the shipped country and region outlines (GeoJSON), None if the file is missing."""
    try:
        return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _scaled(coords):
    """Coordinates as integers of 0.01 degree (the outlines' precision): smaller, and no
    decimal in the page that could be mistaken for an incident's coordinates."""
    if isinstance(coords[0], (int, float)):
        return [round(c * 100) for c in coords]
    return [_scaled(c) for c in coords]


#: The outlines' function (outlines.js).
OUTLINES_JS = Path(__file__).with_name("outlines.js").read_text(encoding="utf-8")
#: The outlines' styles as a script, for a map that links its code (linking.link_data): its
#: Outlines then name them (``OUTLINE_STYLES``) instead of carrying them.
OUTLINE_STYLES = "iaOutlineStyles"
OUTLINE_STYLES_JS = f"var {OUTLINE_STYLES} = {safe_json(_CONTEXT_STYLE)};\n"


class Outlines(MacroElement):
    """The shipped country and region outlines, drawn under everything, never interactive."""

    _template = Template(
        "{% macro script(this, kwargs) %}\n{{ this.code }}\n"
        "iaOutlines({{ this._parent.get_name() }}, {{ this.data_json }}, {{ this.styles_json }});\n"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Outlines"
        self.code = OUTLINES_JS  # "" once the map links it (linking.link_data)
        self.data_json = _outlines_json()
        self.styles_json = safe_json(_CONTEXT_STYLE)


@functools.cache
def _outlines_json() -> str:
    geojson = context_geojson() or {"features": []}
    return safe_json({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": f["properties"],
         "geometry": {"type": f["geometry"]["type"],
                      "coordinates": _scaled(f["geometry"]["coordinates"])}}
        for f in geojson["features"]]})


def _rank(code: str, population: int, detailed: bool, spellings: int) -> int | None:
    """0 capital, 1 regional capital or big city, 2 town, 3 small town, 4 village; None: no label.

    GeoNames knows the population of few Sahel villages: a village written in many ways
    (``spellings``, alternate names) is one that many sources mention, and is labelled.
    """
    if code == "PPLC":
        return 0
    if detailed:
        if code == "PPLA":
            return 1
        if code == "PPLA2" or population >= 20_000:
            return 2
        if code == "PPLA3" or population >= 5_000:
            return 3
        return 4 if population >= 1_000 or spellings >= _VILLAGE_SPELLINGS else None
    if population >= 250_000:
        return 1
    return 2 if population >= 50_000 else None


_VILLAGE_SPELLINGS = 5
#: The zoom from which each rank is labelled (labels that do not fit are left out anyway).
_MIN_ZOOM = (3, 5, 6, 8, 9)


@functools.cache
def place_labels(path: Path = DEFAULT_GAZETTEER) -> dict[str, list]:
    """Return the places the offline basemap labels, most important first, as parallel lists:
    ``name``, ``lat`` and ``lon`` (integers of 1e-4 degree), ``rank`` (0 capital … 4 village),
    ``minzoom``, ``priority``,
    ``near`` (1 in Mali, Burkina Faso or Niger, 0 in a neighbour)."""
    g = pd.read_csv(path, sep="\t", usecols=["name", "fclass", "code", "cc", "lat", "lon",
                                             "population", "n_alt"],
                    dtype={"name": "string", "fclass": "string", "code": "string", "cc": "string"},
                    keep_default_na=False, na_values=[])
    g = g[(g["fclass"] == "P") & g["lat"].between(_AREA[0], _AREA[2])
          & g["lon"].between(_AREA[1], _AREA[3])]
    detailed = g["cc"].isin(_DETAILED)
    ranks = [_rank(c, int(p), d, int(n))
             for c, p, d, n in zip(g["code"], g["population"], detailed, g["n_alt"], strict=True)]
    g = g.assign(rank=pd.array(ranks, dtype="Int64"), detailed=detailed).dropna(subset=["rank"])
    # Within a rank: the three countries first, then by population (GeoNames knows it for
    # towns; villages without one follow in name order, which is stable).
    g = g.sort_values(["rank", "detailed", "population", "name"],
                      ascending=[True, False, False, True], kind="stable")
    g = g.drop_duplicates(subset=["name", "cc"])  # a town listed twice (old and new site)
    ranks = g["rank"].astype(int).tolist()
    return {
        "name": g["name"].astype(str).tolist(),
        "lat": (g["lat"] * 1e4).round().astype(int).tolist(),
        "lon": (g["lon"] * 1e4).round().astype(int).tolist(),
        "rank": ranks,
        "minzoom": [_MIN_ZOOM[r] for r in ranks],
        "priority": [r * 100_000 + i for i, r in enumerate(ranks)],
        "near": g["detailed"].astype(int).tolist(),
    }


def ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Return (area, lat, lon) of a polygon ring of (lon, lat) points (shoelace; area in
    square degrees)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(ys) / len(ys), sum(xs) / len(xs)
    return abs(a) / 2, cy / (3 * a), cx / (3 * a)


def _label_point(geometry: dict) -> tuple[float, float]:
    """Return (lat, lon) of the centroid of the largest polygon of ``geometry``."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [
        geometry["coordinates"]]
    _, lat, lon = max(ring_centroid(p[0]) for p in polygons)
    return round(lat, 3), round(lon, 3)


#: Area kind -> (label style, first zoom, last zoom, priority just after this rank).
_AREA_LABELS = {"country": ("country", 3, 7, 1), "admin1": ("region", 6, 9, 2),
                "admin2": ("region", 8, 10, 3)}


@functools.cache
def area_labels() -> list[dict]:
    """Return the labels of countries (in the labelled area) and of regions / provinces."""
    outlines = context_geojson()
    if outlines is None:
        return []
    out = []
    for f in outlines["features"]:
        kind = f["properties"].get("kind")
        if kind not in _AREA_LABELS:
            continue
        lat, lon = _label_point(f["geometry"])
        if not (_AREA[0] <= lat <= _AREA[2] and _AREA[1] <= lon <= _AREA[3]):
            continue
        style, first, last, after = _AREA_LABELS[kind]
        name = str(f["properties"].get("name") or "")
        if kind == "admin2":  # Burkina Faso's provinces are named "Soum (Sahel)"
            name = name.split(" (")[0]
        label = {"kind": style, "name": name, "lat": lat, "lon": lon, "minzoom": first,
                 "maxzoom": last, "priority": after * 100_000 + 99_999}
        if kind == "country" and f["properties"].get("country"):
            label["iso"] = str(f["properties"]["country"])
        out.append(label)
    return out


#: The offline basemap's script (a Jinja template: one call fills in the map and the data).
OFFLINE_BASEMAP_JS = Path(__file__).with_name("offline_basemap.js").read_text(encoding="utf-8")


class OfflineBasemap(MacroElement):
    """Labels over the outlines, and the fallback when tiles fail (see offline_basemap.js).

    ``mode``: "always" (the offline basemap), "fallback" (labels only when the tile layers
    cannot load) or "never" (outlines alone, e.g. "No basemap").
    """

    _template = Template(
        "{% macro script(this, kwargs) %}\n{{ this.code }}\n"
        "iaOfflineBasemap({{ this._parent.get_name() }}, {{ this.data_json }}, "
        "{{ this.mode_json }}, {{ this.message_json }});\n{% endmacro %}"
    )

    def __init__(self, mode: str = "fallback", message: str = OFFLINE_MESSAGE, *,
                 max_rank: int = 4, lang: str = "en") -> None:
        super().__init__()
        if mode not in ("always", "fallback", "never"):
            raise ValueError(f"unknown offline basemap mode {mode!r}")
        self._name = "OfflineBasemap"
        self.code = OFFLINE_BASEMAP_JS  # "" once the map links it (linking.link_data)
        self.data_json = _labels_json(max_rank, lang)
        self.mode_json = safe_json(mode)
        self.message_json = safe_json(message)


@functools.cache
def _labels_json(max_rank: int, lang: str = "en") -> str:
    places = place_labels()
    keep = [i for i, r in enumerate(places["rank"]) if r <= max_rank]
    places = {k: [v[i] for i in keep] for k, v in places.items()}
    # Countries are named in the map's language ("Mauritanie"); places and regions as GeoNames
    # and Natural Earth name them.
    areas = [{**a, "name": name_for(a["iso"], lang) or a["name"]} if "iso" in a else a
             for a in area_labels()]
    return safe_json({"places": places, "areas": areas})


def add_offline_context(m: folium.Map, mode: str = "fallback", *, outlines: bool = True,
                        message: str = OFFLINE_MESSAGE, max_rank: int = 4,
                        lang: str = "en") -> folium.Map:
    """Add the shipped outlines (under everything) and the offline labels to ``m``; return it.

    ``max_rank`` leaves out smaller places (3: no villages), e.g. in a file sent to others.
    ``lang`` names the countries; ``message`` (the note when tiles fail) is already translated.

    Call it after the tile layer is added: the fallback watches the map's tile layers.
    """
    # folium keeps the zoom limits on the tile layer only: without tiles (or once failed tiles
    # are dropped) the map would have none, and marker clusters refuse a map without maxZoom.
    m.options.setdefault("maxZoom", 18)
    m.options.setdefault("minZoom", 2)
    if outlines and context_geojson() is not None:
        Outlines().add_to(m)
    OfflineBasemap(mode, message, max_rank=max_rank, lang=lang).add_to(m)
    return m
