"""Server-side aggregation for big maps: what is in view, points or bins, and grid bins.

A browser copes with some tens of thousands of clustered markers; a million incidents must
reach it as counts. These pure functions decide, from the map's current bounds and zoom,
whether the incidents in view travel as points or as grid bins, and compute the bins.

The small public API (re-exported by ``incidents.mapping``):

* ``Viewport.from_leaflet(out)`` reads the ``bounds`` and ``zoom`` that ``st_folium`` returns
  (``returned_objects=[..., "bounds", "zoom"]``); ``None`` until the browser reported them.
* ``choose_kind(count_in_view, layer)`` -> ``"points"`` or ``"bins"``, by ``POINT_LIMITS``.
* ``grid_bins(df, bounds, zoom)`` -> one row per occupied grid cell: its incidents' centroid,
  count, known fatalities and count per event type.

Bins are cells of a fixed grid in Web Mercator (``BIN_PX`` screen pixels wide at the given
zoom), anchored at the world's edge rather than the view, so a bin keeps its place and count
when the map pans.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from incidents.schema import EVENT_TYPE_CODES

__all__ = [
    "BIN_PX",
    "POINT_LIMITS",
    "Bounds",
    "PointArrays",
    "Viewport",
    "choose_kind",
    "coordinates",
    "grid_bins",
    "in_view",
    "type_codes",
]

#: Most incidents in view that still travel as points, per layer mode. Clustered divIcon
#: markers stay smooth in Chromium up to about this many; unclustered ones need far fewer.
POINT_LIMITS: dict[str, int] = {"clusters": 20_000, "markers": 2_000, "heat": 50_000}

#: Width of a grid bin on screen, in pixels (close to the cluster radius, 45 px).
BIN_PX = 48

_MAX_LAT = 85.05112878  # Web Mercator's edge


@dataclass(frozen=True)
class Bounds:
    """A latitude/longitude box (WGS 84 degrees), as Leaflet's ``getBounds()`` reports it."""

    south: float
    west: float
    north: float
    east: float

    @classmethod
    def from_leaflet(cls, value: Mapping | None) -> Bounds | None:
        """Return the bounds in Leaflet's ``{"_southWest": {"lat", "lng"}, "_northEast": …}``."""
        try:
            sw, ne = value["_southWest"], value["_northEast"]
            box = cls(float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"]))
        except (KeyError, TypeError, ValueError):
            return None
        if not all(math.isfinite(v) for v in (box.south, box.west, box.north, box.east)):
            return None
        return box

    def padded(self, fraction: float) -> Bounds:
        """Return the box grown by ``fraction`` of its size on every side (clamped to the world)."""
        dlat = (self.north - self.south) * fraction
        dlon = (self.east - self.west) * fraction
        return Bounds(
            max(self.south - dlat, -90.0), max(self.west - dlon, -180.0),
            min(self.north + dlat, 90.0), min(self.east + dlon, 180.0),
        )

    def rounded(self, digits: int = 3) -> Bounds:
        """Return the box with rounded edges: a stable cache key for nearly equal views."""
        return Bounds(*(round(v, digits) for v in (self.south, self.west, self.north, self.east)))


@dataclass(frozen=True)
class Viewport:
    """What the map shows: its bounds and zoom level."""

    bounds: Bounds
    zoom: int

    @classmethod
    def from_leaflet(cls, value: Mapping | None) -> Viewport | None:
        """Return the viewport in ``st_folium``'s answer (``bounds`` and ``zoom``), else None."""
        if not value:
            return None
        bounds = Bounds.from_leaflet(value.get("bounds"))
        zoom = value.get("zoom")
        if bounds is None or not isinstance(zoom, (int, float)) or not math.isfinite(zoom):
            return None
        return cls(bounds.rounded(), int(zoom))

    @classmethod
    def around(cls, center: tuple[float, float], zoom: int, *, width_px: int = 1000,
               height_px: int = 620) -> Viewport:
        """Return the viewport of a ``width_px`` x ``height_px`` map centred on ``center``:
        the best guess before the browser has reported its real bounds."""
        per_px = 360.0 / (256 * 2.0 ** int(zoom))
        half_w, half_h = width_px / 2 * per_px, height_px / 2 * per_px
        y = float(_mercator_y(np.array([center[0]]))[0])
        south, north = (float(np.degrees(2 * np.arctan(np.exp(np.radians(v)))) - 90.0)
                        for v in (y - half_h, y + half_h))
        bounds = Bounds(south, max(center[1] - half_w, -180.0), north,
                        min(center[1] + half_w, 180.0))
        return cls(bounds.rounded(), int(zoom))


def coordinates(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return latitude and longitude as float arrays, NaN where unknown (no copy of ``df``)."""
    lat = df["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = df["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    return lat, lon


def type_codes(event_type: pd.Series) -> np.ndarray:
    """Return each incident's index in ``EVENT_TYPE_CODES``; unknown types count as "other"."""
    if isinstance(event_type.dtype, pd.CategoricalDtype) and \
            tuple(event_type.cat.categories) == EVENT_TYPE_CODES:
        codes = event_type.cat.codes.to_numpy()  # conform()ed frames: no string work at all
    else:
        codes = pd.Categorical(event_type.astype("string"), categories=EVENT_TYPE_CODES).codes
    codes = np.asarray(codes, dtype=np.int64)
    return np.where(codes < 0, len(EVENT_TYPE_CODES) - 1, codes)


@dataclass(frozen=True, eq=False)
class PointArrays:
    """The per-incident numbers a map layer is computed from, as parallel numpy arrays:
    latitude and longitude (NaN: unknown), best fatalities (NaN: unknown) and event type
    code (index in ``EVENT_TYPE_CODES``)."""

    lat: np.ndarray
    lon: np.ndarray
    fatalities: np.ndarray
    types: np.ndarray

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> PointArrays:
        """Return the arrays of an incidents frame."""
        lat, lon = coordinates(df)
        return cls(lat, lon, df["fatalities_best"].to_numpy(dtype="float64", na_value=np.nan),
                   type_codes(df["event_type"]))

    def __len__(self) -> int:
        return len(self.lat)


def in_view(df: pd.DataFrame | PointArrays, bounds: Bounds | None) -> np.ndarray:
    """Return a boolean array: which incidents are located inside ``bounds`` (all when None).

    A box wider than the world (Leaflet zoomed far out) keeps every longitude; one that
    crosses the antimeridian (west > east after wrapping) keeps both sides.
    """
    lat, lon = (df.lat, df.lon) if isinstance(df, PointArrays) else coordinates(df)
    located = ~(np.isnan(lat) | np.isnan(lon))
    if bounds is None:
        return located
    inside = located & (lat >= bounds.south) & (lat <= bounds.north)
    if bounds.east - bounds.west >= 360:
        return inside
    west = (bounds.west + 180.0) % 360.0 - 180.0
    east = (bounds.east + 180.0) % 360.0 - 180.0
    if west <= east:
        return inside & (lon >= west) & (lon <= east)
    return inside & ((lon >= west) | (lon <= east))


def choose_kind(count_in_view: int, layer: str = "clusters") -> str:
    """Return ``"points"`` when the incidents in view are few enough to draw one by one, else
    ``"bins"`` (the limit per layer mode is ``POINT_LIMITS``)."""
    return "points" if count_in_view <= POINT_LIMITS.get(layer, POINT_LIMITS["clusters"]) \
        else "bins"


def _mercator_y(lat: np.ndarray) -> np.ndarray:
    """Web Mercator northing of ``lat``, in degrees of longitude at the equator."""
    clipped = np.radians(np.clip(lat, -_MAX_LAT, _MAX_LAT))
    return np.degrees(np.log(np.tan(np.pi / 4 + clipped / 2)))


def cell_size(zoom: int, px: int = BIN_PX) -> float:
    """Return a bin's width, in degrees of longitude (and of Mercator northing), at ``zoom``."""
    return 360.0 / (256 * 2.0 ** max(int(zoom), 0)) * px


#: Largest dense grid (cells in the bounding box of the incidents) counted with bincount
#: alone; beyond it, the occupied cells are found by sorting.
_DENSE_CELLS = 4_000_000


def grid_cells(points: PointArrays, bounds: Bounds | None, zoom: int, *,
               px: int = BIN_PX) -> tuple[np.ndarray, np.ndarray, int]:
    """Return which incidents are in ``bounds`` (a mask), the grid cell of each of them (an
    index into the ``grid_bins`` rows) and how many cells hold incidents."""
    mask = in_view(points, bounds)
    lat, lon = points.lat[mask], points.lon[mask]
    if lat.size == 0:
        return mask, np.zeros(0, dtype=np.int64), 0
    size = cell_size(zoom, px)
    ix = np.floor((lon + 180.0) / size).astype(np.int64)
    iy = np.floor((_mercator_y(lat) + 180.0) / size).astype(np.int64)
    x0, y0 = int(ix.min()), int(iy.min())
    nx, ny = int(ix.max()) - x0 + 1, int(iy.max()) - y0 + 1
    key = (ix - x0) * ny + (iy - y0)  # west to east, then south to north
    if nx * ny <= _DENSE_CELLS:
        occupied = np.flatnonzero(np.bincount(key, minlength=nx * ny))
        where = np.zeros(nx * ny, dtype=np.int64)
        where[occupied] = np.arange(occupied.size)
        return mask, where[key], int(occupied.size)
    cells, inverse = np.unique(key, return_inverse=True)
    return mask, inverse, int(cells.size)


def grid_bins(df: pd.DataFrame | PointArrays, bounds: Bounds | None, zoom: int, *,
              px: int = BIN_PX) -> pd.DataFrame:
    """Return one row per grid cell holding incidents in ``bounds`` (all when None).

    Columns: ``lat``, ``lon`` (the centroid of the cell's incidents, so a bin sits where its
    incidents are), ``incidents`` (count), ``fatalities`` (sum of known best estimates),
    then one count column per event type code, in the schema's order. Rows are ordered by
    cell, west to east then south to north. Vectorised: a few milliseconds for a million
    incidents.
    """
    columns = ["lat", "lon", "incidents", "fatalities", *EVENT_TYPE_CODES]
    points = df if isinstance(df, PointArrays) else PointArrays.from_frame(df)
    mask, inverse, n_cells = grid_cells(points, bounds, zoom, px=px)
    lat, lon = points.lat[mask], points.lon[mask]
    if lat.size == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("lat", "lon") else "int64")
                             for c in columns})
    count = np.bincount(inverse, minlength=n_cells)
    fat = points.fatalities[mask]
    known = ~np.isnan(fat)
    out = {
        "lat": np.bincount(inverse, weights=lat, minlength=n_cells) / count,
        "lon": np.bincount(inverse, weights=lon, minlength=n_cells) / count,
        "incidents": count.astype(np.int64),
        "fatalities": np.rint(np.bincount(inverse[known], weights=fat[known],
                                          minlength=n_cells)).astype(np.int64),
    }
    codes = points.types[mask].astype(np.int64)
    by_type = np.bincount(inverse * len(EVENT_TYPE_CODES) + codes,
                          minlength=n_cells * len(EVENT_TYPE_CODES))
    by_type = by_type.reshape(n_cells, len(EVENT_TYPE_CODES))
    for j, code in enumerate(EVENT_TYPE_CODES):
        out[code] = by_type[:, j].astype(np.int64)
    return pd.DataFrame(out, columns=columns)
