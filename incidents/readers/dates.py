"""Dates as people type them in spreadsheets: ``17/09/2024``, ``2024-09-17``, ``17 septembre
2024``, ``sept. 2024`` or ``2024`` (day-first unless the column proves otherwise; a month or a
year becomes a date range with that precision)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from incidents.text import each, fold, is_missing

__all__ = ["detect_dayfirst", "parse_date", "parse_dates"]

_MONTH_WORDS = {
    1: "janvier january janv jan", 2: "fevrier february fevr fev feb", 3: "mars march mar",
    4: "avril april avr apr", 5: "mai may", 6: "juin june jun", 7: "juillet july juil jul",
    8: "aout august aug", 9: "septembre september sept sep", 10: "octobre october oct",
    11: "novembre november nov", 12: "decembre december dec",
}
_MONTHS = {w: m for m, words in _MONTH_WORDS.items() for w in words.split()}
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?")
_WEEKDAY_RE = re.compile(
    r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b\.?"
)
_TIME_RE = re.compile(r"(?:[ t]\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)$")
_AMBIGUOUS = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2}) m(\d{1,2}) (\d{4}|\d{2})"), "dmy"),
    (re.compile(r"m(\d{1,2}) (\d{1,2}) (\d{4})"), "mdy"),
    (re.compile(r"m(\d{1,2}) (\d{4}|\d{2})"), "my"),
    (re.compile(r"(\d{1,2})[/.\-](\d{4})"), "my"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "ym"),
    (re.compile(r"(\d{4})"), "y"),
)


def _normalize_date(text: str) -> str:
    folded = fold(text)
    s = re.sub(r"[^0-9a-z/.\-:+ ]+", " ", folded)
    s = _TIME_RE.sub("", " ".join(s.split())).strip()
    s = _WEEKDAY_RE.sub(" ", s)
    s = re.sub(r"\b(le|the|of|du|de)\b", " ", s)
    s = re.sub(r"\b(\d{1,2})\s*(?:er|st|nd|rd|th)\b", r"\1", s)
    s, named = _MONTH_RE.subn(lambda m: f" m{_MONTHS[m.group(1)]} ", s)
    if named:  # "16-Feb-21", "17/sept./2024": separators around a month name are spaces
        s = re.sub(r"[-/.]", " ", s)
    return " ".join(s.split())


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        pivot = (dt.date.today().year % 100) + 1
        y += 2000 if y <= pivot else 1900
    return y


def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    first = dt.date(y, m, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def parse_date(text: object, dayfirst: bool = True) -> tuple[dt.date, dt.date, str] | None:
    """Return (first day, last day, precision) of a date as people write it, else None."""
    if is_missing(text):
        return None
    s = _normalize_date(str(text).strip())
    if not s:
        return None
    try:
        m = _AMBIGUOUS.fullmatch(s)
        if m:
            a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
            d, mo = (a, b) if dayfirst else (b, a)
            day = dt.date(y, mo, d)
            return day, day, "day"
        for pattern, kind in _PATTERNS:
            m = pattern.fullmatch(s)
            if not m:
                continue
            g = m.groups()
            if kind == "ymd":
                day = dt.date(int(g[0]), int(g[1]), int(g[2]))
            elif kind == "dmy":
                day = dt.date(_year(g[2]), int(g[1]), int(g[0]))
            elif kind == "mdy":
                day = dt.date(int(g[2]), int(g[0]), int(g[1]))
            elif kind in ("my", "ym"):
                y, mo = (_year(g[1]), int(g[0])) if kind == "my" else (int(g[0]), int(g[1]))
                return (*_month_range(y, mo), "month")
            else:
                y = int(g[0])
                if not 1800 <= y <= 2200:
                    return None
                return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
            return day, day, "day"
    except ValueError:  # 31/02, month 13 ...
        return None
    return None


def detect_dayfirst(values: pd.Series) -> bool:
    """Return whether ambiguous n/n/yyyy dates in ``values`` are day-first (the default)."""
    firsts, seconds = [], []
    for text in values.dropna().astype(str).unique()[:5000]:
        m = _AMBIGUOUS.fullmatch(_normalize_date(text))
        if m:
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(2)))
    # A first number over 12 proves day-first; a second one over 12 proves month-first.
    return any(a > 12 for a in firsts) or not any(b > 12 for b in seconds)


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> pd.DataFrame:
    """Return ``start``, ``end`` (datetime64[s]) and ``precision`` for each value; NaT if not
    a date. ``dayfirst`` None detects it from the column."""
    if dayfirst is None:
        dayfirst = detect_dayfirst(values)
    parsed = {v: parse_date(v, dayfirst) for v in values.dropna().unique()}
    out = pd.DataFrame(index=values.index)
    got = each(values, lambda v: parsed.get(v))
    first = each(got, lambda p: p[0])
    last = each(got, lambda p: p[1])
    out["start"] = pd.to_datetime(first, errors="coerce").astype("datetime64[s]")
    out["end"] = pd.to_datetime(last, errors="coerce").astype("datetime64[s]")
    out["precision"] = each(got, lambda p: p[2]).astype("string")
    return out

