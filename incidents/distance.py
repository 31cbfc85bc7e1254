"""The one distance between two points of the project: the great circle, as geopy measures it."""

from __future__ import annotations

from geopy.distance import great_circle

__all__ = ["great_circle_km"]


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points (decimal degrees) in kilometres."""
    return great_circle((lat1, lon1), (lat2, lon2)).km
