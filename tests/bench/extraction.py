"""Accuracy of report extraction on ACLED's ``notes`` (the coders' own summaries).

    python -m tests.bench.extraction --acled DIR [--files a.csv b.csv] [--limit N]

For every note the extractor reads the text with a publication date of the event date plus
``--delay`` days (2 by default: a report comes out after the event; the truth is never passed
as the answer) and the country of the row as hint, then the first draft is scored:

* date (the headline): when the note states a calendar day ("On 5 March 2019", "March 5",
  "05/03/2019"; ``STATES_DAY`` below, independent of the extractor), the draft must give
  exactly that one day; when the note states none ("Two soldiers killed in an ambush."), the
  draft's range must hold the event date and span at most 7 days. ``exact day`` is the share
  of day-stating notes whose draft has the exact day; ``within a week`` (secondary) is the
  share of all notes whose draft's range holds the event date and spans at most 7 days;
* point: the draft's point lies within 25 km of ACLED's;
* actor: the draft's actor and ACLED's ``actor1`` name the same party once both are read
  through the alias table (``canonical_group``): "JNIM: Group for Support of Islam and
  Muslims" = "JNIM"; "Police Forces of Mali (2013-)" = "Military Forces of Mali" (one state
  party); a named sub-unit counts for its parent group (Katiba Macina for JNIM, ISGS for
  "Islamic State") and either group of an "X and/or Y" actor counts. ACLED's labels for a
  party it cannot name ("Unidentified Armed Group (Mali)", "Islamist Militia (Mali)") match
  a draft that names no group. Protesters and Rioters are different parties (ACLED codes
  the crowd that turns violent as Rioters), and so are Civilians;
* fatalities: the draft's best number equals ACLED's, or the draft leaves it unknown where
  ACLED codes 0 (ACLED writes 0 when no source gives a number).

A note with no draft scores wrong on all four. The ACLED files stay outside the repository;
nothing from them is written anywhere.

``--ceiling`` prints, instead, how many notes any reading of the note could place within 25 km
with the project's offline sources: an upper bound on ``point``, independent of the
extractor. A note counts as placeable when (generously) one of its 1-3-word phrases is a name
the gazetteer holds for a place within 25 km of ACLED's point, or is spelled at least 80%
like one (rapidfuzz ratio, phrases of 4+ letters), or the note gives a distance ("12 km"), or
ACLED's point lies within 25 km of the country's capital (where a protest or a national event
with no place is put). The rest name nothing an offline source places there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from pathlib import Path

import pandas as pd

from incidents.extraction import Report, extract
from incidents.extraction.actors import UNIDENTIFIED, canonical_group, parents
from incidents.geocoding import Geocoder, haversine_km

#: A calendar day written in the note: day and month name (either order), or a numeric date.
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|f[eé]v|avr|mai|juin|juil|"
          r"ao[uû]|d[eé]c)[a-zéû]*\.?")
STATES_DAY = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th|er)?\s+{_MONTH}(?![a-z])|\b{_MONTH}\s*\d{{1,2}}\b"
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)
#: ACLED's labels for a party it cannot name (see the module doc).
_UNNAMED = re.compile(r"unidentified armed group|islamist militia\b", re.I)
MEASURE = ("conflict_data_ner.csv", "acled_bfa_sample_2021-2022_GEOG456.csv")
ISO = {"MLI": "ML", "BFA": "BF", "NER": "NE"}


def actor_right(draft_actor: str | None, acled_actor: str) -> bool:
    """Whether the draft's actor names the group ACLED codes as actor1 (see module doc)."""
    truths = {UNIDENTIFIED if _UNNAMED.match(part.strip()) else canonical_group(part.strip())
              for part in str(acled_actor).split(" and/or ")}
    ours = canonical_group(draft_actor) if draft_actor else None
    if ours is None and draft_actor and draft_actor.lower().startswith("unidentified"):
        ours = UNIDENTIFIED
    if UNIDENTIFIED in truths and ours in (None, UNIDENTIFIED):
        return True
    return ours is not None and any(t in parents(ours) for t in truths if t)


def score(frame: pd.DataFrame, geocoder: Geocoder, delay: int) -> dict:
    rows = []
    for row in frame.itertuples(index=False):
        raw = str(row.event_date).strip()
        truth = (dt.date.fromisoformat(raw[:10]) if raw[:4].isdigit()
                 else pd.to_datetime(raw, format="%d-%b-%y").date())
        cc = ISO.get(str(row.iso3))
        report = Report(str(row.notes), truth + dt.timedelta(days=delay), country=cc,
                        publisher="ACLED note")
        drafts = extract(report, geocoder)
        d = drafts[0] if drafts else None
        states_day = bool(STATES_DAY.search(str(row.notes)))
        if d is None:
            rows.append((states_day, False, False, False, False, False, False))
            continue
        exact = d.date_start == truth and d.date_end == truth
        week = bool(d.date_start and d.date_start <= truth <= d.date_end
                    and (d.date_end - d.date_start).days <= 7)
        right_date = exact if states_day else week
        near = d.latitude is not None and haversine_km(
            d.latitude, d.longitude, float(row.latitude), float(row.longitude)) <= 25
        fat_truth = int(row.fatalities) if pd.notna(row.fatalities) else 0
        fat = d.fatalities_best == fat_truth or (d.fatalities_best is None and fat_truth == 0)
        rows.append((states_day, right_date, exact, week, near, actor_right(d.actor, row.actor1),
                     fat))
    table = pd.DataFrame(rows, columns=["states_day", "date", "exact_day", "within_week",
                                        "point_25km", "actor", "fatalities"])
    day = table[table["states_day"]]
    return {
        "notes": len(table),
        "date": float(table["date"].mean()),
        "exact_day": float(day["exact_day"].mean()) if len(day) else float("nan"),
        "states_day": float(table["states_day"].mean()),
        "within_week": float(table["within_week"].mean()),
        **{c: float(table[c].mean()) for c in ("point_25km", "actor", "fatalities")},
    }


def ceiling(frame: pd.DataFrame, geocoder: Geocoder) -> dict:
    """Count the notes some reading could place within 25 km (see the module doc)."""
    import numpy as np
    from rapidfuzz import fuzz

    from incidents.geocoding.normalize import normalize

    gaz = geocoder.resolver.gazetteer
    lats = np.asarray(gaz.column("lat"), dtype=float)
    lons = np.asarray(gaz.column("lon"), dtype=float)
    keys = gaz.column("keys")
    counts = dict.fromkeys(("name", "capital", "spelling", "distance", "none"), 0)
    for row in frame.itertuples(index=False):
        lat, lon = float(row.latitude), float(row.longitude)
        box = np.flatnonzero((np.abs(lats - lat) < 0.3) & (np.abs(lons - lon) < 0.3))
        near = {int(i) for i in box if haversine_km(lats[i], lons[i], lat, lon) <= 25}
        words = normalize(str(row.notes)).split()
        grams = {" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        capital = geocoder.resolve(gaz.capital(ISO.get(str(row.iso3))) or "", None)
        if any(r in near for g in grams for r in gaz.lookup(g)):
            counts["name"] += 1
        elif capital.found and haversine_km(capital.latitude, capital.longitude, lat, lon) <= 25:
            counts["capital"] += 1
        elif any(fuzz.ratio(g, k) >= 80 for g in grams if len(g) > 3
                 for r in near for k in keys[r] if len(k) > 3):
            counts["spelling"] += 1
        elif re.search(r"\d+\s*(?:km|kilomet|mile)", str(row.notes), re.I):
            counts["distance"] += 1
        else:
            counts["none"] += 1
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acled", required=True, help="directory of ACLED CSV files")
    parser.add_argument("--files", nargs="*", default=list(MEASURE),
                        help="files to measure on (default: the held-out Niger and GEOG456 files)")
    parser.add_argument("--limit", type=int, default=0, help="first N notes of each file")
    parser.add_argument("--delay", type=int, default=2, help="publication = event date + N days")
    parser.add_argument("--ceiling", action="store_true",
                        help="print the upper bound on point (see the module doc) instead")
    args = parser.parse_args(argv)
    geocoder = Geocoder()
    for name in args.files:
        path = Path(args.acled) / name
        frame = pd.read_csv(path, skiprows=[1], dtype=str, keep_default_na=False)
        frame = frame[frame["notes"].str.strip() != ""]
        if args.limit:
            frame = frame.head(args.limit)
        start = time.perf_counter()
        if args.ceiling:
            counts = ceiling(frame, geocoder)
            n = sum(counts.values())
            print(f"{name}: {n} notes; placeable within 25 km at most {1 - counts['none'] / n:.1%}"
                  " (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")
            continue
        result = score(frame, geocoder, args.delay)
        took = time.perf_counter() - start
        print(f"{name}: {result['notes']} notes in {took:.0f} s; "
              + "; ".join(f"{k} {v:.1%}" for k, v in result.items() if k != "notes"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
