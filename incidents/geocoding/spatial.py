"""Spatial phrases: "20 km north of X", "X 50km W", "à 30 km au sud de X", "between A and B",
"on the A–B road". Reading them is separate from finding the names they contain; the
resolver resolves the names and ``displace`` / ``midpoint`` give the point."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from geopy.distance import distance as geodesic
from geopy.distance import geodesic as line
from geopy.point import Point

__all__ = ["Between", "Offset", "displace", "midpoint", "read_spatial"]

# Bearings in degrees, English and French, full words and compass letters.
_BEARINGS: dict[str, float] = {
    "north": 0, "nord": 0, "n": 0, "northeast": 45, "north east": 45, "nord est": 45,
    "ne": 45, "nne": 22.5, "ene": 67.5, "east": 90, "est": 90, "e": 90,
    "southeast": 135, "south east": 135, "sud est": 135, "se": 135, "ese": 112.5,
    "sse": 157.5, "south": 180, "sud": 180, "s": 180, "southwest": 225, "south west": 225,
    "sud ouest": 225, "sw": 225, "so": 225, "ssw": 202.5, "wsw": 247.5, "west": 270,
    "ouest": 270, "w": 270, "o": 270, "northwest": 315, "north west": 315, "nord ouest": 315,
    "nw": 315, "no": 315, "wnw": 292.5, "nnw": 337.5,
}
_ADJ = {"northern": "north", "southern": "south", "eastern": "east", "western": "west"}
_DIR = (r"(?:north|south|east|west|nord|sud|est|ouest)(?:[\s\-]?(?:east|west|est|ouest))?"
        r"|northern|southern|eastern|western")
_NUM = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"\s*(km|kms|kilometres|kilometers|kilomètres|kilometre|kilometer|kilomètre|mi|miles)\b"

# "20 km north of Gao", "about 20km NE of Gao", "à 30 km au sud de Gao", "30 km au sud-est de",
# "20 km from Gao", "à 20 km de Gao".
_BEFORE = re.compile(
    rf"(?:\b(?:about|some|approximately|around|environ|à|a|at|quelque|quelques)\s+)?"
    rf"{_NUM}{_UNIT}\s*(?:to\s+the\s+|(?:au|a\s+l|à\s+l)['\s]*)?"
    rf"(?P<dir>{_DIR}|[NSEWO]{{1,3}}\b)?\s*"
    rf"(?P<link>of|from|de|du|d'|d’|des|off)\s+",
    re.IGNORECASE,
)
# ACLED's "Gao 50km W", "Menaka 25 km NE", "Gao (30 km south)".
_AFTER = re.compile(
    rf"\(?\s*{_NUM}{_UNIT}\s*(?P<dir>{_DIR}|[NSEWO]{{1,3}})\b\s*\)?",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    r"\b(?:between|entre)\s+(?P<a>.+?)\s+(?:and|et)\s+(?P<b>[^,;()]+)", re.IGNORECASE)
# "on the Gao-Ansongo road", "axe Gao-Ansongo", "route Gao–Ansongo", "Ansongo-Menaka Road".
_ROAD = re.compile(
    r"(?:\b(?:road|route|axis|axe|highway|piste|track|rn\d*)\s+(?:de\s+|from\s+)?)?"
    r"(?P<a>[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*)?)\s*[-\u2010-\u2015/]\s*"
    r"(?P<b>[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*)?)"
    r"(?P<road>\s+(?:road|route|axis|highway|track)\b)?",
)
_ROAD_WORD = re.compile(r"\b(road|route|axis|axe|highway|piste|track|tronçon|troncon)\b",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Offset:
    """A point ``km`` kilometres from the place named in ``reference`` (bearing in degrees,
    None when the text gives no direction)."""

    km: float
    bearing: float | None
    reference: str


@dataclass(frozen=True)
class Between:
    """A point between two named places (``road``: the text says it is on the road)."""

    first: str
    second: str
    road: bool


def _bearing(word: str | None) -> float | None:
    if not word:
        return None
    folded = re.sub(r"[\s\-]+", " ", word.strip().lower())
    folded = _ADJ.get(folded, folded)
    if folded in _BEARINGS:
        return float(_BEARINGS[folded])
    return _BEARINGS.get(folded.replace(" ", ""))


def _km(number: str, unit: str) -> float:
    value = float(number.replace(",", "."))
    return value * 1.609 if unit.lower().startswith("mi") else value


def _name(text: str) -> str:
    """Return a road end's name without the road word ("Menaka Road" -> "Menaka")."""
    return _ROAD_WORD.sub("", text).strip(" ,;")


def read_spatial(text: str) -> Offset | Between | None:
    """Return the spatial phrase of ``text``, or None when it names places plainly."""
    match = _BEFORE.search(text)
    if match:
        rest = (text[: match.start()] + " " + text[match.end():]).strip(" ,;")
        return Offset(_km(match.group(1), match.group(2)), _bearing(match.group("dir")), rest)
    match = _AFTER.search(text)
    if match and match.start() > 0:
        rest = (text[: match.start()] + " " + text[match.end():]).strip(" ,;")
        return Offset(_km(match.group(1), match.group(2)), _bearing(match.group("dir")), rest)
    segment_end = re.search(r"[,;(]", text)
    head = text[: segment_end.start()] if segment_end else text
    tail = text[len(head):]
    match = _BETWEEN.search(head)
    if match:
        return Between(_name(match.group("a")) + tail, _name(match.group("b")) + tail,
                       bool(_ROAD_WORD.search(head)))
    if _ROAD_WORD.search(head):
        match = _ROAD.search(head)
        if match:
            first, second = _name(match.group("a")), _name(match.group("b"))
            if first and second:
                return Between(first + tail, second + tail, True)
    return None


def displace(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """Return the point ``km`` kilometres from (lat, lon) on ``bearing`` (geodesic)."""
    point = geodesic(kilometers=km).destination(Point(lat, lon), bearing)
    return round(point.latitude, 5), round(point.longitude, 5)


def midpoint(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Return the point halfway between two points (along the geodesic)."""
    span = line((lat1, lon1), (lat2, lon2))
    if span.km < 1e-6:
        return lat1, lon1
    # The initial bearing from the first point, then half the length along it.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    bearing = (math.degrees(math.atan2(x, y)) + 360) % 360
    return displace(lat1, lon1, span.km / 2, bearing)
