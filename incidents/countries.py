"""Country names and ISO 3166-1 codes, from the shipped ``data/countries.csv``."""

from __future__ import annotations

import csv
import functools
import unicodedata

from incidents.paths import COUNTRIES_FILE

__all__ = ["country_names", "is_iso2", "iso2_for", "name_for"]


def _key(text: str) -> str:
    text = text.replace("\u2019", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("-", " ").replace(".", " ").split())


@functools.cache
def country_names() -> dict[str, str]:
    """Return ISO alpha-2 code -> English name for every country."""
    with COUNTRIES_FILE.open(encoding="utf-8") as fh:
        return {row["iso2"]: row["name"] for row in csv.DictReader(fh)}


@functools.cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    with COUNTRIES_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [row["iso3"], row["name"], row["name_fr"], *row["name_alt"].split("|")]
            for name in filter(None, names):
                table.setdefault(_key(name), row["iso2"])
            table[_key(row["iso2"])] = row["iso2"]
    return table


def iso2_for(name: str | None) -> str | None:
    """Return the ISO alpha-2 code for a country name, ISO2/ISO3 code or French name, else None."""
    if not name:
        return None
    return _lookup().get(_key(str(name)))


@functools.cache
def _french_names() -> dict[str, str]:
    with COUNTRIES_FILE.open(encoding="utf-8") as fh:
        return {row["iso2"]: row["name_fr"] for row in csv.DictReader(fh) if row["name_fr"]}


def name_for(iso2: str | None, lang: str = "en") -> str | None:
    """Return the name of an ISO alpha-2 code in ``lang`` ("en" or "fr"), else None."""
    code = (iso2 or "").upper()
    if lang == "fr" and code in _french_names():
        return _french_names()[code]
    return country_names().get(code)


def is_iso2(code: str) -> bool:
    """Return whether ``code`` is a known ISO alpha-2 country code (upper case)."""
    return code in country_names()
