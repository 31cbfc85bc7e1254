"""Numbers as people type them in spreadsheets: coordinates with decimal commas or in degrees,
minutes and seconds, and death counts as ``12``, ``10-15``, ``au moins 5`` or ``inconnu``."""

from __future__ import annotations

import re

from incidents.text import is_missing, normalize_text

__all__ = ["parse_coordinate", "parse_count", "parse_pair"]

_NA_WORDS = frozenset({"", "?", "-", "--", "na", "n/a", "n a", "nd", "n d", "nc", "inconnu",
                       "inconnue", "unknown", "non connu", "none", "null", "nan", "x", "aucune info"})
_ZERO_WORDS = frozenset({"aucun", "aucune", "zero", "zéro", "nul", "no deaths", "pas de morts"})

_DMS = re.compile(
    r"(-?\d{1,3})\s*[°º:d]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′m]?\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|″|''|s)?\s*)?([nsewo])?"
)


def parse_coordinate(text: object) -> float | None:
    """Return a coordinate in decimal degrees: ``12.65``, ``12,65``, ``12°39'N``; else None."""
    if is_missing(text):
        return None
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    m = _DMS.fullmatch(s.lower())
    if not m:
        return None
    deg, minutes, seconds, hemi = m.groups()
    value = abs(float(deg)) + float((minutes or "0").replace(",", ".")) / 60 \
        + float((seconds or "0").replace(",", ".")) / 3600
    negative = deg.startswith("-") or hemi in ("s", "w", "o")
    return -value if negative else value


def parse_pair(text: object) -> tuple[float, float] | None:
    """Return (latitude, longitude) of a pair written in one cell ("12.65, -8.0"), else None."""
    if not isinstance(text, str):
        return None
    parts = re.split(r"\s*[;,/ ]\s*(?=[-+]?\d)", text.strip().strip("()[]"))
    if len(parts) != 2:
        return None
    lat, lon = parse_coordinate(parts[0]), parse_coordinate(parts[1])
    return (lat, lon) if lat is not None and lon is not None else None


def parse_count(text: object) -> tuple[int | None, int | None, int | None, str | None]:
    """Return (low, best, high, problem) of a death count as people write it.

    ``12`` -> best; ``10-15`` / ``10 à 15`` -> low and high; ``au moins 5`` / ``>5`` -> low;
    ``inconnu``, ``?`` -> all unknown. ``problem`` is set for text that holds no count, and
    for negative numbers.
    """
    if is_missing(text):
        return None, None, None, None
    raw = str(text).strip()
    s = normalize_text(raw) if not re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", raw) else raw
    if s in _NA_WORDS or raw in _NA_WORDS:
        return None, None, None, None
    if s in _ZERO_WORDS:
        return None, 0, None, None
    m = re.fullmatch(r"([+-]?\d+)(?:[.,]0+)?", raw.replace("\u00a0", "").replace(" ", ""))
    if m:
        n = int(m.group(1))
        return (None, None, None, "negative count") if n < 0 else (None, n, None, None)
    m = re.fullmatch(r"(\d+)\s*(?:-|–|a|to|ou|or)\s*(\d+)", s.replace("–", "-")) or \
        re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", raw)
    if m:
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        return lo, None, hi, None
    m = re.fullmatch(r"(?:au moins|at least|plus de|more than|over|min|minimum)\s*(\d+)", s) \
        or re.fullmatch(r"[>≥]\s*(\d+)\+?|(\d+)\s*\+", raw)
    if m:
        return int(next(g for g in m.groups() if g)), None, None, None
    numbers = re.findall(r"\d+", s)
    if len(numbers) == 1 and not raw.lstrip().startswith("-"):
        return None, int(numbers[0]), None, None
    return None, None, None, "no count in the text"

