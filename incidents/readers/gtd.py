"""Reader for the Global Terrorism Database (GTD) main dataset, as CSV (cp1252) or .xlsx.

Codebook mappings:

- ``iyear``/``imonth``/``iday``: 0 means unknown. A known day -> day precision; ``iday`` 0 ->
  the whole month (month precision); ``imonth`` 0 -> the whole year (year precision).
  ``approxdate`` (GTD's words for an uncertain date) is kept in the description.
- ``specificity`` 1 (the city, village or town) -> town; 2 (that place's smallest admin
  unit) and 3 (outside any town: smallest admin unit) -> admin2; 4 (first-order admin unit)
  -> admin1; 5 (not identified below the country) -> country.
- ``attacktype1_txt`` -> event_type: Armed Assault, Assassination and Facility/Infrastructure
  Attack -> attack; Bombing/Explosion -> explosion; Hostage Taking (Kidnapping or Barricade)
  and Hijacking -> abduction; Unarmed Assault -> violence_against_civilians; Unknown -> other.
- ``gname`` -> actor; ``target1`` (else ``targtype1_txt``) -> target; ``nkill`` -> the best
  estimate, ``nwound`` in the description (-99 and -9 mean unknown for both).
- ``claimed`` 1 -> a claim by ``gname`` (and ``claim2``/``claim3`` by ``gname2``/``gname3``),
  with ``claimmode_txt``; ``compclaim`` 1 -> competing claims noted.
- ``scite1..3`` and ``dbsource`` -> sources; ``summary``, ``motive``, ``addnotes`` ->
  description.

Ids are ``gtd:<eventid>`` for intact 12-digit event ids. A spreadsheet round-trip can turn
``eventid`` into scientific notation (``1.97E+11``), which no longer tells events apart; such
rows get ``gtd:x<yyyymmdd>-<hash>``, where the hash is of every other cell of the row (header
and value), so the id stays the same each time the same file is imported, and the n-th row whose cells
all repeat an earlier row's gets ``-n`` appended (every GTD row is a distinct event: the
database counts simultaneous bombings in one town separately).
"""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd

from incidents.countries import iso2_for
from incidents.readers.base import Reader, Rejections, shown
from incidents.readers.base import text_column as _text
from incidents.text import each

__all__ = ["ATTACK_TYPE", "SPECIFICITY", "GtdReader", "convert_gtd", "gtd_row_id", "read_gtd"]

SPECIFICITY = {1: "town", 2: "admin2", 3: "admin2", 4: "admin1", 5: "country"}
ATTACK_TYPE = {
    "armed assault": "attack",
    "assassination": "attack",
    "facility/infrastructure attack": "attack",
    "bombing/explosion": "explosion",
    "hostage taking (kidnapping)": "abduction",
    "hostage taking (barricade incident)": "abduction",
    "hijacking": "abduction",
    "unarmed assault": "violence_against_civilians",
    "unknown": "other",
}
_UNKNOWN_COUNTS = (-99, -9)
#: GTD names of countries that no longer exist -> today's ISO code for the same ground.
_FORMER_COUNTRIES = {
    "west germany (frg)": "DE", "east germany (gdr)": "DE", "south yemen": "YE",
    "north yemen": "YE", "zaire": "CD", "rhodesia": "ZW", "south vietnam": "VN",
    "west bank and gaza strip": "PS",
}
_EVENTID = re.compile(r"\d{12}")


def _count(raw: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(_text(raw, column), errors="coerce")
    return values.mask(values.isin(_UNKNOWN_COUNTS))


def _int_text(value, default: str = "0") -> str:
    """Return the integer part of a cell as text ("7.0" -> "7"), else ``default``."""
    if not isinstance(value, str) or not value.strip():
        return default
    return value.strip().split(".")[0]


def gtd_row_id(row: pd.Series) -> str:
    """Return the stable id of a GTD row whose eventid was damaged (see the module docstring)."""
    y, m, d = (_int_text(row.get(k)).zfill(n) for k, n in (("iyear", 4), ("imonth", 2),
                                                              ("iday", 2)))
    cells = sorted((str(k), str(v).strip()) for k, v in row.items()
                   if k != "eventid" and pd.notna(v) and str(v).strip())
    digest = hashlib.sha1(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()[:12]
    return f"x{y}{m}{d}-{digest}"


def _claims(row: pd.Series) -> str | None:
    items = []
    for claimed, group, mode in (("claimed", "gname", "claimmode_txt"),
                                 ("claim2", "gname2", "claimmode2_txt"),
                                 ("claim3", "gname3", "claimmode3_txt")):
        if _int_text(row.get(claimed)) != "1":
            continue
        claim = "claimed responsibility"
        how = row.get(mode)
        if isinstance(how, str) and how.strip() and how.strip().lower() != "unknown":
            claim += f" ({how.strip()})"
        group_name = row.get(group)
        items.append({"claimant": group_name if isinstance(group_name, str) else "",
                      "claim": claim, "source": "GTD"})
    if _int_text(row.get("compclaim")) == "1":
        items.append({"claimant": "", "claim": "competing claims of responsibility",
                      "source": "GTD"})
    return json.dumps(items, ensure_ascii=False) if items else None


def _sources(row: pd.Series) -> str | None:
    items = [{"publisher": "", "date": "", "title": row[c].strip()}
             for c in ("scite1", "scite2", "scite3")
             if isinstance(row.get(c), str) and row[c].strip()]
    if isinstance(row.get("dbsource"), str) and row["dbsource"].strip():
        items.append({"publisher": f"GTD ({row['dbsource'].strip()})", "date": "", "title": ""})
    return json.dumps(items, ensure_ascii=False) if items else None


def _description(row: pd.Series, wounded) -> str | None:
    parts = []
    summary = row.get("summary")
    if isinstance(summary, str) and summary.strip():
        parts.append(summary.strip())
    for label, key in (("Approximate date", "approxdate"), ("Motive", "motive"),
                       ("Weapon", "weaptype1_txt"), ("Notes", "addnotes")):
        value = row.get(key)
        if isinstance(value, str) and value.strip() and value.strip().lower() != "unknown":
            parts.append(f"{label}: {value.strip()}.")
    if pd.notna(wounded):
        parts.append(f"Wounded: {int(wounded)}.")
    return "\n".join(parts) or None


class GtdReader(Reader):
    """Reads a GTD export (see the module docstring)."""

    format = "gtd"
    required = ("eventid", "iyear", "imonth", "iday", "country_txt", "gname")
    what = "a GTD export"

    def convert(self, raw: pd.DataFrame, rows: Rejections) -> pd.DataFrame:
        """Return the incident columns of the rows the GTD codebook accepts."""
        return _incidents(raw, rows, self.dataset)


def _incidents(raw: pd.DataFrame, rows: Rejections, dataset: str) -> pd.DataFrame:
    reject, reasons = rows.reject, rows.reasons
    year = pd.to_numeric(_text(raw, "iyear"), errors="coerce")
    month = pd.to_numeric(_text(raw, "imonth"), errors="coerce").fillna(0)
    day = pd.to_numeric(_text(raw, "iday"), errors="coerce").fillna(0)
    reject(year.isna() | (year < 1900) | (year > 2200) | (year % 1 != 0),
           "iyear is not a year: " + _text(raw, "iyear").pipe(shown))
    reject(~month.between(0, 12) | (month % 1 != 0), "imonth is not 0-12")
    reject(~day.between(0, 31) | (day % 1 != 0), "iday is not 0-31")
    reject((month == 0) & (day != 0), "iday is given but imonth is unknown (0)")
    y, m, d = (s.where(reasons.isna(), 1).fillna(1).astype(int) for s in (year, month, day))
    frame_ymd = pd.DataFrame({"year": y, "month": m.where(m > 0, 1), "day": d.where(d > 0, 1)})
    first = pd.to_datetime(frame_ymd, errors="coerce")
    reject(first.isna(), "iday does not exist in that month")
    precision = pd.Series("day", index=raw.index, dtype="string")
    precision = precision.mask(day == 0, "month").mask(month == 0, "year")
    start = first.where(reasons.isna())
    end = start.where(precision != "month", start + pd.offsets.MonthEnd(0))
    end = end.where(precision != "year", start + pd.offsets.YearEnd(0))

    lat = pd.to_numeric(_text(raw, "latitude"), errors="coerce")
    lon = pd.to_numeric(_text(raw, "longitude"), errors="coerce")
    reject(lat.isna() != lon.isna(), "only one of latitude and longitude is given")
    reject((lat.abs() > 90) | (lon.abs() > 180), "latitude/longitude out of range")
    spec_text = _text(raw, "specificity")
    where = pd.to_numeric(spec_text, errors="coerce").map(SPECIFICITY)
    reject(spec_text.notna() & where.isna(), "specificity is not 1-5")
    attack = _text(raw, "attacktype1_txt").str.strip()
    etype = attack.str.lower().map(ATTACK_TYPE)
    reject(attack.notna() & etype.isna(), "unknown attacktype1_txt: " + attack.pipe(shown))
    etype = etype.fillna("other")
    nkill, nwound = _count(raw, "nkill"), _count(raw, "nwound")
    reject(nkill < 0, "nkill is negative")

    eventid = _text(raw, "eventid").str.strip()
    intact = eventid.str.fullmatch(_EVENTID).fillna(False).astype(bool)
    ids = eventid.where(intact)
    if (~intact).any():
        hashed = raw[~intact].apply(gtd_row_id, axis=1).astype("string")
        # Every GTD row is its own event (it had its own eventid): identical rows are
        # separate events on the same day and place, told apart by their order.
        nth = hashed.groupby(hashed.values).cumcount()
        ids[~intact] = hashed.where(nth == 0, hashed + "-" + (nth + 1).astype(str))
    repeated, first_of = rows.repeats(ids)
    reject(repeated,
           "duplicate GTD event in the file (same " + intact.map(
               {True: "eventid", False: "cells"}) + " as row " + first_of.astype(str) + ")")
    ok = rows.accepted

    kept = raw[ok]
    has_point = lat[ok].notna()
    country = _text(raw, "country_txt")[ok]
    target = _text(raw, "target1")[ok]
    target = target.where(target.notna(), _text(raw, "targtype1_txt")[ok])
    location = _text(raw, "city")[ok].mask(_text(raw, "city")[ok].str.lower() == "unknown")
    return pd.DataFrame({
        "incident_id": "gtd:" + ids[ok],
        "date_start": start[ok],
        "date_end": end[ok],
        "date_precision": precision[ok],
        "country": each(country, lambda c: iso2_for(c) or _FORMER_COUNTRIES.get(c.lower())),
        "country_name": country,
        "admin1": _text(raw, "provstate")[ok],
        "location": location,
        "latitude": lat[ok],
        "longitude": lon[ok],
        "geo_precision": where[ok].fillna("town").where(has_point, pd.NA),
        "geocoder": has_point.map({True: "source", False: "none"}),
        "event_type": etype[ok],
        "source_event_type": attack[ok],
        "actor": _text(raw, "gname")[ok],
        "target": target,
        "fatalities_best": nkill[ok].round().astype("Int64"),
        "claims": kept.apply(_claims, axis=1) if len(kept) else pd.NA,
        "description": pd.Series([_description(r, w) for (_, r), w in
                                  zip(kept.iterrows(), nwound[ok], strict=True)],
                                 index=kept.index, dtype="object"),
        "sources": kept.apply(_sources, axis=1) if len(kept) else pd.NA,
        "dataset": dataset,
    }, index=kept.index)


#: ``convert_gtd(table, dataset=None)``: the incidents and rejected rows of an export read as
#: text; ``read_gtd(data, filename="", dataset=None)``: of a CSV (cp1252 or UTF-8) or .xlsx
#: export given as bytes.
convert_gtd = GtdReader.convert_table
read_gtd = GtdReader.read_file
