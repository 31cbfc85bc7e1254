"""Translations and locale formatting, UI-free: the language is always passed in.

Messages live in gettext catalogues, ``incidents/locale/<lang>/LC_MESSAGES/messages.po``,
extracted from the source with Babel (see README, "Translations"). The ``.po`` file is compiled
in memory the first time a language is used, so a fresh clone needs no build step and a stale
``.mo`` can never be served; fuzzy entries are left out (they show in English until reviewed).
English is the source language: its messages are the msgids themselves.

Messages are Python format strings with named fields (``"{n} incidents"``): the fields are
filled after translation, so a translation may move them. Text from data is only ever passed
as a field value, never as a message.

Numbers and dates are formatted by Babel from the CLDR data it ships (offline): ``4 212``,
``17 septembre 2024``, ``17 sept. 2024``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import io
from pathlib import Path

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel import dates as _dates
from babel import numbers as _numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from incidents.paths import LOCALE_DIR

__all__ = [
    "DEFAULT_LANGUAGE",
    "EXTRACT_KEYWORDS",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "catalog_path",
    "format_date",
    "format_number",
    "gettext",
    "language_from",
    "language_name",
    "ngettext",
    "vega_locale",
]

#: The calls ``pybabel extract`` reads messages from (besides Babel's defaults ``_``, ``N_``,
#: ``gettext`` and ``ngettext``): README's extraction command and the tests use these.
EXTRACT_KEYWORDS: dict[str, tuple[int, ...]] = {"_n": (1, 2), "plural_forms": (1, 2)}

#: The languages the app speaks; the first is the source language of the catalogues.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark ``message`` for extraction and return it untranslated (for data defined once,
    such as the event-type labels, that is translated where it is shown)."""
    return message


def language_from(tag: object) -> str | None:
    """Return the app language for a language tag ("fr-FR", "fr_CA", "en"), else None."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    try:
        locale = Locale.parse(tag.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return locale.language if locale.language in LANGUAGES else None


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def catalog_path(lang: str) -> Path:
    """Return the ``.po`` catalogue of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _fill(text: str, params: dict) -> str:
    return text.format(**params) if params else text


def gettext(message: str, lang: str | None, /, **params: object) -> str:
    """Return ``message`` in ``lang``, its ``{fields}`` filled from ``params``.

    A message with no translation comes back in English (the test suite makes sure none is
    missing from the shipped catalogues).
    """
    return _fill(_translations(_lang(lang)).gettext(message), params)


def ngettext(singular: str, plural: str, n: int, lang: str | None, /, **params: object) -> str:
    """Return the singular or plural form for ``n`` in ``lang`` (French: 0 and 1 are singular),
    filled from ``params``; ``{n}`` is ``n`` formatted for the language unless given."""
    params.setdefault("n", format_number(n, lang))
    return _fill(_translations(_lang(lang)).ngettext(singular, plural, int(n)), params)


def format_number(value: float | int | None, lang: str | None, *, decimals: int = 0) -> str:
    """Return ``value`` grouped and rounded the way ``lang`` writes numbers: "4 212", "4,212".

    None and NA come back as "" (say "unknown" in a message instead)."""
    if value is None or pd.isna(value):
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _numbers.format_decimal(value, format=pattern, locale=_lang(lang))


def format_date(value: dt.date | dt.datetime | pd.Timestamp | None, lang: str | None,
                fmt: str = "long") -> str:
    """Return ``value`` written for ``lang``: ``fmt`` is a CLDR width ("long": 17 septembre
    2024, "medium": 17 sept. 2024, "short": 17/09/2024) or a CLDR pattern ("MMM y")."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.date()
    return _dates.format_date(value, format=fmt, locale=_lang(lang))


def language_name(lang: str) -> str:
    """Return the name of ``lang`` in that language, capitalised: "English", "Français"."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


@functools.cache
def vega_locale(lang: str | None) -> dict:
    """Return Vega's ``config.locale`` for ``lang`` (d3 number and time locales), from CLDR.

    With it, a chart's axis dates and tooltip numbers are written in the language
    ("janv. 2024", "4 212,5").
    """
    locale = Locale.parse(_lang(lang))
    symbols = locale.number_symbols.get("latn", locale.number_symbols)

    def names(kind: str, width: str, context: str = "format") -> list:
        table = getattr(locale, kind)[context][width]
        return [table[k] for k in sorted(table)]

    days = names("days", "wide")  # CLDR: 0 is Monday; d3 wants Sunday first
    short_days = names("days", "abbreviated")
    periods = locale.day_periods["format"]["abbreviated"]
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": ["", ""],
        },
        "time": {
            "dateTime": "%x %X",
            "date": "%d/%m/%Y" if _lang(lang) == "fr" else "%m/%d/%Y",
            "time": "%H:%M:%S",
            "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
            "days": days[6:] + days[:6],
            "shortDays": short_days[6:] + short_days[:6],
            "months": names("months", "wide", "stand-alone"),
            "shortMonths": names("months", "abbreviated", "stand-alone"),
        },
    }
