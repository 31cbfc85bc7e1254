"""Reader for ACLED exports: the HDX files (with their HXL hashtag row), the older 31-column
layout and the current one (``disorder_type``, ``civilian_targeting``, text ``inter1``/``inter2``,
``tags``).

Codebook mappings:

- ``event_date`` as ``2024-09-17``, ``17 September 2024`` or ``17-Sep-24``;
  ``time_precision`` 1 -> day; 2 -> week (ACLED dates such an event in the middle of its
  week: the range is the date ± 3 days); 3 -> month (the range is its calendar month).
- ``geo_precision`` 1 -> town (the coordinates of the town named); 2 -> admin2 (near a town
  or part of a region: the nearest town's coordinates); 3 -> admin1 (only the region is known).
- ``event_type``/``sub_event_type`` -> event_type: Battles -> battle, Explosions/Remote
  violence -> explosion, Violence against civilians -> violence_against_civilians (its
  Abduction/forced disappearance sub-type -> abduction), Protests and Riots -> protest_riot,
  Strategic developments -> strategic.
- ``actor1``/``actor2`` -> actor/target (associated actors, ``disorder_type``,
  ``civilian_targeting`` and ``tags`` are kept in the description); ``fatalities`` -> the best
  estimate (ACLED's 0 is its estimate, not an unknown); ``source`` -> sources; ``notes`` ->
  description. Ids are ``acled:<event_id_cnty>``.
"""

from __future__ import annotations

import json

import pandas as pd

from incidents.countries import iso2_for, name_for
from incidents.readers.base import Reader, Rejections, shown
from incidents.readers.base import text_column as _text
from incidents.readers.dates import parse_dates
from incidents.text import each

__all__ = ["EVENT_TYPE", "GEO_PRECISION", "TIME_PRECISION", "AcledReader", "convert_acled",
           "read_acled"]

TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
GEO_PRECISION = {1: "town", 2: "admin2", 3: "admin1"}
EVENT_TYPE = {
    "battles": "battle",
    "explosions/remote violence": "explosion",
    "violence against civilians": "violence_against_civilians",
    "protests": "protest_riot",
    "riots": "protest_riot",
    "strategic developments": "strategic",
}


def _sources(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    items = [{"publisher": p.strip(), "date": "", "title": ""}
             for p in value.split(";") if p.strip()]
    return json.dumps(items, ensure_ascii=False) if items else None


def _description(row: pd.Series) -> str | None:
    parts = []
    notes = row.get("notes")
    if isinstance(notes, str) and notes.strip():
        parts.append(notes.strip())
    for label, key in (("Associated with the actor", "assoc_actor_1"),
                       ("Associated with the target", "assoc_actor_2"),
                       ("Disorder type", "disorder_type"),
                       ("Civilian targeting", "civilian_targeting"),
                       ("Tags", "tags")):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            parts.append(f"{label}: {value.strip()}.")
    return "\n".join(parts) or None


class AcledReader(Reader):
    """Reads an ACLED export (see the module docstring)."""

    format = "acled"
    required = ("event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude",
                "fatalities")
    what = "an ACLED export"

    def convert(self, raw: pd.DataFrame, rows: Rejections) -> pd.DataFrame:
        """Return the incident columns of the rows an ACLED export's codebook accepts."""
        return _incidents(raw, rows, self.dataset)


def _incidents(raw: pd.DataFrame, rows: Rejections, dataset: str) -> pd.DataFrame:
    reject = rows.reject
    ids = _text(raw, "event_id_cnty").str.strip()
    dates = parse_dates(_text(raw, "event_date"), dayfirst=True)
    day = dates["start"].where(dates["precision"] == "day")
    tp_text = _text(raw, "time_precision")
    when = pd.to_numeric(tp_text, errors="coerce").map(TIME_PRECISION)
    bad_tp = tp_text.notna() & when.isna()
    when = when.where(tp_text.notna(), "day").astype("string")  # no precision given: a day
    start = day.where(when != "week", day - pd.Timedelta(days=3))
    end = day.where(when != "week", day + pd.Timedelta(days=3))
    month_start = day.dt.to_period("M").dt.start_time.astype("datetime64[s]")
    month_end = day.dt.to_period("M").dt.end_time.dt.normalize().astype("datetime64[s]")
    start = start.where(when != "month", month_start)
    end = end.where(when != "month", month_end)

    lat = pd.to_numeric(_text(raw, "latitude").str.replace(",", "."), errors="coerce")
    lon = pd.to_numeric(_text(raw, "longitude").str.replace(",", "."), errors="coerce")
    gp_text = _text(raw, "geo_precision")
    where = pd.to_numeric(gp_text, errors="coerce").map(GEO_PRECISION)
    etype = _text(raw, "event_type").str.strip().str.lower().map(EVENT_TYPE)
    sub = _text(raw, "sub_event_type").str.strip()
    etype = etype.where(sub.str.lower() != "abduction/forced disappearance", "abduction")
    fat_text = _text(raw, "fatalities")
    fatalities = pd.to_numeric(fat_text, errors="coerce")

    reject(ids.isna() | (ids == ""), "no ACLED event id (event_id_cnty)")
    reject(day.isna(), "event_date is not a date: " + _text(raw, "event_date").pipe(shown))
    reject(bad_tp, "time_precision is not 1, 2 or 3")
    reject(lat.isna() != lon.isna(), "only one of latitude and longitude is given")
    reject((lat.abs() > 90) | (lon.abs() > 180), "latitude/longitude out of range")
    reject(gp_text.notna() & where.isna(), "geo_precision is not 1, 2 or 3")
    reject(etype.isna(), "unknown ACLED event_type: " + _text(raw, "event_type").pipe(shown))
    reject(fat_text.notna() & (fatalities.isna() | (fatalities < 0)),
           "fatalities is not a count: " + fat_text.pipe(shown))
    repeated, first_of = rows.repeats(ids)
    reject(repeated,
           "duplicate ACLED event id in the file (first at row " + first_of.astype(str) + ")")
    ok = rows.accepted

    kept = raw[ok]
    country = _text(raw, "country")[ok]
    iso = each(country, iso2_for)
    iso = iso.where(iso.notna(), each(_text(raw, "iso3")[ok], iso2_for))
    has_point = lat[ok].notna()
    source_type = (_text(raw, "event_type")[ok].str.strip()
                   + (": " + sub[ok]).fillna(""))
    return pd.DataFrame({
        "incident_id": "acled:" + ids[ok],
        "date_start": start[ok],
        "date_end": end[ok],
        "date_precision": when[ok],
        "country": iso,
        "country_name": country.where(country.notna(), each(iso, name_for)),
        "admin1": _text(raw, "admin1")[ok],
        "admin2": _text(raw, "admin2")[ok],
        "location": _text(raw, "location")[ok],
        "latitude": lat[ok],
        "longitude": lon[ok],
        # Without geo_precision, ACLED's default for a named town.
        "geo_precision": where[ok].fillna("town").where(has_point, pd.NA),
        "geocoder": has_point.map({True: "source", False: "none"}),
        "event_type": etype[ok],
        "source_event_type": source_type,
        "actor": _text(raw, "actor1")[ok],
        "target": _text(raw, "actor2")[ok],
        "fatalities_best": fatalities[ok].round().astype("Int64"),
        "claims": pd.NA,
        "description": kept.apply(_description, axis=1) if len(kept) else pd.NA,
        "sources": each(_text(raw, "source")[ok], _sources),
        "dataset": dataset,
    }, index=kept.index)


#: ``convert_acled(table, dataset=None)``: the incidents and rejected rows of an export read as
#: text; ``read_acled(data, filename="", dataset=None)``: of a CSV or .xlsx export as bytes.
convert_acled = AcledReader.convert_table
read_acled = AcledReader.read_file
