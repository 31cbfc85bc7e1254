"""Date expressions in English and French, resolved against the report's publication date.

The regular expressions below only find *where* a date is written; ``dateparser`` (a
well-kept, offline library with English and French data) reads what it means, with the
publication date as the base for relative words ("yesterday", "mardi dernier").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DateMention", "find_dates"]

# Abbreviated English months: also the sentence splitter's "not a sentence end" words.
MONTH_ABBREVIATIONS_EN = (
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)
_MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    *MONTH_ABBREVIATIONS_EN,
]
_MONTHS_FR = [
    "janvier",
    "février",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "decembre",
    "janv",
    "févr",
    "fevr",
    "avr",
    "juil",
    "sept",
    "oct",
    "nov",
    "déc",
    "dec",
]
_MONTH = r"(?:{})\.?".format("|".join(sorted(set(_MONTHS_EN + _MONTHS_FR), key=len, reverse=True)))
_DAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_WEEKDAY = r"(?:{})".format("|".join(_DAYS_EN + _DAYS_FR))
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er)?"
_YEAR = r"(?:19|20)\d{2}"

_PATTERNS: tuple[tuple[str, str], ...] = (
    # 17/09/2024, 17.09.2024, 2024-09-17
    ("day", rf"\b{_YEAR}-\d{{1,2}}-\d{{1,2}}\b"),
    ("day", rf"\b\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR}\b"),
    # "Tuesday 17 September 2024", "17 September 2024", "le 17 septembre", "17 Sept."
    ("day", rf"\b(?:{_WEEKDAY},?\s+)?{_DAYNUM}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"),
    # "September 17, 2024", "September 17"
    ("day", rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAYNUM}\b(?:,?\s+{_YEAR}\b)?"),
    # "September 2024", "en septembre 2024"
    ("month", rf"\b{_MONTH}\s+{_YEAR}\b"),
    # relative words
    (
        "day",
        r"\b(?:the\s+day\s+before\s+yesterday|avant-hier|yesterday|hier|today|"
        r"aujourd'hui|aujourd’hui|last\s+night|this\s+morning|ce\s+matin|cette\s+nuit)\b",
    ),
    ("day", rf"\b(?:last|this\s+past|on)\s+{_WEEKDAY}\b|\b{_WEEKDAY}\s+(?:dernier|passé)\b"),
    ("day", rf"\b(?:on|le|ce|dans\s+la\s+nuit\s+de)\s+{_WEEKDAY}\b"),
    (
        "day",
        r"\b(?:\d+|one|two|three|four|five|six|seven|un|deux|trois|quatre|cinq|six|sept)"
        r"\s+(?:days?|jours?)\s+(?:ago|earlier|plus\s+tôt|auparavant)\b"
        r"|\bil\s+y\s+a\s+(?:\d+|un|deux|trois|quatre|cinq|six|sept)\s+jours?\b",
    ),
    ("day", r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"),
    ("week", r"\b(?:last\s+week|la\s+semaine\s+(?:dernière|passée))\b"),
    ("month", r"\b(?:last\s+month|le\s+mois\s+(?:dernier|passé))\b"),
    # "In 2019", "en 2019"
    ("year", rf"\b(?:in|en|since|depuis)\s+{_YEAR}\b"),
)
_COMPILED = tuple((p, re.compile(r, re.I)) for p, r in _PATTERNS)


@dataclass(frozen=True)
class DateMention:
    """A date written in the text and the days it stands for."""

    start: int
    end: int
    text: str
    date_start: dt.date
    date_end: dt.date
    precision: str  # day, week, month, year


def find_dates(text: str, published: dt.date, offset: int = 0) -> list[DateMention]:
    """Return the date expressions of ``text`` (offsets shifted by ``offset``), in order.

    Dates after ``published`` are dropped (a report cannot tell of a later attack); an
    expression dateparser cannot read is skipped, not guessed.
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for precision, pattern in _COMPILED:
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            mention = _read(match.group(0), precision, published)
            if mention is None:
                continue
            start, end = mention
            if start > published:
                continue
            taken.append((a, b))
            found.append(DateMention(a + offset, b + offset, match.group(0), start, end, precision))
    return sorted(found, key=lambda d: d.start)


_LEAD = re.compile(r"^(?:in|en|since|depuis|on|le|ce|dans\s+la\s+nuit\s+de)\s+", re.I)
_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.I)


def _read(expr: str, precision: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    text = _SUFFIX.sub("", _LEAD.sub("", expr.strip())).replace("’", "'")
    lower = text.lower()
    if precision == "week":
        return published - dt.timedelta(days=published.weekday() + 7), published - dt.timedelta(
            days=published.weekday() + 1
        )
    if precision == "month" and not re.search(r"\d", lower):
        first = (published.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        return first, _month_end(first)
    if precision == "year":
        year = int(re.search(r"\d{4}", text).group(0))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    weekday = _weekday_of(lower)
    if weekday is not None and not re.search(r"\d", lower):
        # "on Tuesday", "mardi dernier": the last such day before the publication day.
        # The publication's own weekday is that day ("On Tuesday morning" in Tuesday's
        # paper), unless the text says "last" ("mardi dernier" is a week before).
        last = re.search(r"\b(?:last|past|dernier|derni[eè]re|pass[ée]e?)\b", lower)
        back = (published.weekday() - weekday) % 7 or (7 if last else 0)
        day = published - dt.timedelta(days=back)
        return day, day
    if lower in ("last night", "cette nuit", "this morning", "ce matin"):
        text = "yesterday" if lower in ("last night", "cette nuit") else "today"
    parsed = _parse(text, published)
    if parsed is None:
        return None
    if precision == "month":
        first = parsed.replace(day=1)
        return first, _month_end(first)
    if precision == "day" and not re.search(_YEAR, text) and parsed > published:
        # "On 30 December" read in a January report is last year's.
        try:
            parsed = parsed.replace(year=parsed.year - 1)
        except ValueError:
            return None
    return parsed, parsed


def _weekday_of(lower: str) -> int | None:
    for word in lower.split():
        for names in (_DAYS_EN, _DAYS_FR):
            if word in names:
                return names.index(word)
    return None


def _month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


@lru_cache(maxsize=20_000)
def _parse(text: str, published: dt.date) -> dt.date | None:
    import dateparser

    base = dt.datetime.combine(published, dt.time(12, 0))
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        value = dateparser.parse(text, languages=["en", "fr"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return value.date() if value else None
