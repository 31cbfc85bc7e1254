"""Reader for the UCDP Georeferenced Event Dataset (GED), both export layouts.

- web/API layout: ``best_est``/``high_est``/``low_est`` and ``MM/DD/YYYY 00:00:00`` dates;
- download layout: ``best``/``high``/``low`` and ISO datetimes.

Codebook mappings: ``where_prec`` -> geo_precision, ``date_prec`` -> date_precision,
``type_of_violence`` -> event_type, ``side_a``/``side_b`` -> actor/target.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from os import PathLike
from typing import IO

import pandas as pd

from incidents.countries import iso2_for
from incidents.errors import ReaderError
from incidents.readers import ReadResult
from incidents.readers.base import Reader, Rejections
from incidents.text import is_missing

__all__ = ["DATE_PREC", "WHERE_PREC", "UcdpReader", "convert_ucdp", "looks_like_ucdp",
           "read_ucdp"]

#: UCDP where_prec: 1 exact place, 2 within ~25 km of a known point, 3 second-order admin
#: unit, 4 first-order admin unit, 5 linear feature or larger area, 6 country, 7 waters/air.
WHERE_PREC = {1: "town", 2: "admin2", 3: "admin2", 4: "admin1", 5: "admin1", 6: "country", 7: "country"}

#: UCDP date_prec: 1 exact day, 2 within 2-6 days, 3 the week, 4 8-30 days (month), 5 longer.
DATE_PREC = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}

TYPE_OF_VIOLENCE = {
    1: ("battle", "UCDP state-based conflict"),
    2: ("battle", "UCDP non-state conflict"),
    3: ("violence_against_civilians", "UCDP one-sided violence"),
}

_REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "latitude", "longitude",
             "where_prec", "date_prec", "date_start", "date_end", "country")
_ESTIMATES = {"web": ("low_est", "best_est", "high_est"), "download": ("low", "best", "high")}
_ADMIN_SUFFIXES = (" region", " province", " cercle", " department", " district")


def looks_like_ucdp(columns) -> bool:
    """Return whether a header row is a UCDP GED export (either layout)."""
    cols = set(columns)
    return set(_REQUIRED) <= cols and any(set(v) <= cols for v in _ESTIMATES.values())


def _strip_suffix(series: pd.Series) -> pd.Series:
    out = series.astype("string").str.strip()
    for suffix in _ADMIN_SUFFIXES:
        out = out.str.replace(f"(?i){suffix}$", "", regex=True)
    return out.mask(out == "")


def _parse_dates(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    us = pd.to_datetime(text, format="%m/%d/%Y %H:%M:%S", errors="coerce")
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    return us.fillna(iso).dt.normalize()


def _split(value) -> list[str]:
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(";")]


def _sources(row: Mapping) -> str | None:
    publishers = _split(row.get("source_office"))
    dates = _split(row.get("source_date"))
    titles = _split(row.get("source_headline"))
    n = max(len(publishers), len(dates), len(titles))
    items = []
    for i in range(n):
        item = {
            "publisher": publishers[i] if i < len(publishers) else "",
            "date": dates[i] if i < len(dates) else "",
            "title": titles[i] if i < len(titles) else "",
        }
        if any(item.values()):
            items.append(item)
    original = row.get("source_original")
    if isinstance(original, str) and original.strip():
        items.append({"publisher": "", "date": "", "title": "", "original": original.strip()})
    return json.dumps(items, ensure_ascii=False) if items else None


def _description(row: Mapping) -> str | None:
    parts = []
    for label, key in (("Conflict", "conflict_name"), ("Dyad", "dyad_name"),
                       ("Place", "where_description"), ("Original source", "source_original")):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            parts.append(f"{label}: {value.strip()}.")
    return " ".join(parts) or None


_DESCRIPTION_KEYS = ("conflict_name", "dyad_name", "where_description", "source_original")
_SOURCE_KEYS = ("source_office", "source_date", "source_headline", "source_original")


def _per_row(rows: pd.DataFrame, make, keys: tuple[str, ...]) -> pd.Series:
    """Return ``make(row)`` for each row, given the row as a dict of ``keys`` only.

    Much faster than ``DataFrame.apply(axis=1)``, which builds a Series of every column per
    row: the bundled data's first start spent most of its time there.
    """
    present = [k for k in keys if k in rows.columns]
    columns = [rows[k].astype(object).where(rows[k].notna(), None).tolist() for k in present]
    values = [make(dict(zip(present, row, strict=True))) for row in zip(*columns, strict=True)] \
        if present else [make({}) for _ in range(len(rows))]
    return pd.Series(values, index=rows.index, dtype=object)


class UcdpReader(Reader):
    """Reads a UCDP GED export, either layout (see the module docstring)."""

    format = "ucdp"
    required = _REQUIRED
    what = "a UCDP GED export"

    @classmethod
    def looks_like(cls, columns: set[str]) -> bool:
        """Return whether a header row is a UCDP GED export (either layout)."""
        return looks_like_ucdp(columns)

    def convert(self, raw: pd.DataFrame, rows: Rejections) -> pd.DataFrame:
        """Return the incident columns of the rows the UCDP GED codebook accepts."""
        return _incidents(raw, rows, self.dataset)


def _incidents(raw: pd.DataFrame, rows: Rejections, dataset: str) -> pd.DataFrame:
    layout = next((k for k, v in _ESTIMATES.items() if set(v) <= set(raw.columns)), None)
    if layout is None:
        raise ReaderError("not a UCDP GED export: no best/low/high death estimates")
    low, best, high = (pd.to_numeric(raw[c], errors="coerce") for c in _ESTIMATES[layout])

    start, end = _parse_dates(raw["date_start"]), _parse_dates(raw["date_end"])
    lat = pd.to_numeric(raw["latitude"], errors="coerce")
    lon = pd.to_numeric(raw["longitude"], errors="coerce")
    where = pd.to_numeric(raw["where_prec"], errors="coerce").map(WHERE_PREC)
    when = pd.to_numeric(raw["date_prec"], errors="coerce").map(DATE_PREC)
    violence = pd.to_numeric(raw["type_of_violence"], errors="coerce")
    ids = raw["id"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)

    reject = rows.reject
    reject(ids.isna() | (ids == ""), "no UCDP event id")
    reject(start.isna(), "date_start is not a date")
    reject(end.isna(), "date_end is not a date")
    reject(end < start, "date_end is before date_start")
    reject(lat.isna() | lon.isna() | (lat.abs() > 90) | (lon.abs() > 180),
           "latitude/longitude missing or out of range")
    reject(where.isna(), "where_prec is not 1-7")
    reject(when.isna(), "date_prec is not 1-5")
    reject(~violence.isin(list(TYPE_OF_VIOLENCE)), "type_of_violence is not 1, 2 or 3")
    reject(ids.duplicated(keep="first"), "duplicate UCDP event id in the file")
    ok = rows.accepted

    country_iso = raw["country"].map(lambda n: iso2_for(n) if isinstance(n, str) else None)
    kept = raw[ok]
    return pd.DataFrame(
        {
            "incident_id": "ucdp:" + ids[ok],
            "date_start": start[ok],
            "date_end": end[ok],
            "date_precision": when[ok],
            "country": country_iso[ok],
            "country_name": kept["country"].astype("string"),
            "admin1": _strip_suffix(kept["adm_1"]) if "adm_1" in kept else pd.NA,
            "admin2": kept["adm_2"].astype("string") if "adm_2" in kept else pd.NA,
            "location": kept.get("where_coordinates", pd.Series(pd.NA, index=kept.index)),
            "latitude": lat[ok],
            "longitude": lon[ok],
            "geo_precision": where[ok],
            "geocoder": "source",
            "event_type": violence[ok].map(lambda v: TYPE_OF_VIOLENCE[int(v)][0]),
            "source_event_type": violence[ok].map(lambda v: TYPE_OF_VIOLENCE[int(v)][1]),
            "actor": kept["side_a"].astype("string"),
            "target": kept["side_b"].astype("string"),
            "fatalities_low": low[ok].round().astype("Int64"),
            "fatalities_best": best[ok].round().astype("Int64"),
            "fatalities_high": high[ok].round().astype("Int64"),
            "claims": pd.NA,
            "description": _per_row(kept, _description, _DESCRIPTION_KEYS),
            "sources": _per_row(kept, _sources, _SOURCE_KEYS),
            "dataset": dataset,
        }
    )


#: ``convert_ucdp(raw, dataset=None)``: the incidents and rejected rows of a UCDP GED frame
#: read as text.
convert_ucdp = UcdpReader.convert_table


def read_ucdp(source: str | PathLike | IO, *, dataset: str | None = None) -> ReadResult:
    """Read a UCDP GED CSV export (either layout) into incidents."""
    try:
        raw = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""],
                          encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReaderError(f"cannot read UCDP CSV: {exc}") from exc
    return convert_ucdp(raw, dataset=dataset)
