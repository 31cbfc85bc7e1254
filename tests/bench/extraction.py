"""Accuracy of report extraction on ACLED's ``notes`` (the coders' own summaries).

    python tests/bench/extraction.py --acled DIR [--files a.csv b.csv] [--limit N]

For every note the extractor reads the text with a publication date of the event date plus
``--delay`` days (2 by default: a report comes out after the event; the truth is never passed
as the answer) and the country of the row as hint, then the first draft is scored:

* date: the draft's date range holds the event date and is one day (``exact``), or holds it
  and spans at most 7 days (``within a week``, reported separately);
* point: the draft's point lies within 25 km of ACLED's;
* actor: the draft's actor and ACLED's ``actor1`` name the same group once both are read
  through the alias table (``canonical_group``): "JNIM: Group for Support of Islam and
  Muslims" = "JNIM"; a named sub-unit counts for its parent group (Katiba Macina for JNIM)
  and either group of an "X and/or Y" actor counts; "Unidentified Armed Group" matches a
  draft that names no group;
* fatalities: the draft's best number equals ACLED's, or the draft leaves it unknown where
  ACLED codes 0 (ACLED writes 0 when no source gives a number).

A note with no draft scores wrong on all four. The ACLED files stay outside the repository;
nothing from them is written anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from incidents.extraction import Report, extract
from incidents.extraction.actors import UNIDENTIFIED, canonical_group, parents
from incidents.geocoding import Geocoder, haversine_km

MEASURE = ("conflict_data_ner.csv", "acled_bfa_sample_2021-2022_GEOG456.csv")
ISO = {"MLI": "ML", "BFA": "BF", "NER": "NE"}


def actor_right(draft_actor: str | None, acled_actor: str) -> bool:
    """Whether the draft's actor names the group ACLED codes as actor1 (see module doc)."""
    truths = {canonical_group(part.strip()) for part in str(acled_actor).split(" and/or ")}
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
        if d is None:
            rows.append((False, False, False, False, False))
            continue
        exact = d.date_start == truth and d.date_end == truth
        week = bool(d.date_start and d.date_start <= truth <= d.date_end
                    and (d.date_end - d.date_start).days <= 7)
        near = d.latitude is not None and haversine_km(
            d.latitude, d.longitude, float(row.latitude), float(row.longitude)) <= 25
        fat_truth = int(row.fatalities) if pd.notna(row.fatalities) else 0
        fat = d.fatalities_best == fat_truth or (d.fatalities_best is None and fat_truth == 0)
        rows.append((exact, week, near, actor_right(d.actor, row.actor1), fat))
    table = pd.DataFrame(rows, columns=["date_exact", "date_week", "point_25km", "actor",
                                        "fatalities"])
    return {"notes": len(table), **{c: float(table[c].mean()) for c in table.columns}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acled", required=True, help="directory of ACLED CSV files")
    parser.add_argument("--files", nargs="*", default=list(MEASURE),
                        help="files to measure on (default: the held-out Niger and GEOG456 files)")
    parser.add_argument("--limit", type=int, default=0, help="first N notes of each file")
    parser.add_argument("--delay", type=int, default=2, help="publication = event date + N days")
    args = parser.parse_args(argv)
    geocoder = Geocoder()
    for name in args.files:
        path = Path(args.acled) / name
        frame = pd.read_csv(path, skiprows=[1], dtype=str, keep_default_na=False)
        frame = frame[frame["notes"].str.strip() != ""]
        if args.limit:
            frame = frame.head(args.limit)
        start = time.perf_counter()
        result = score(frame, geocoder, args.delay)
        took = time.perf_counter() - start
        print(f"{name}: {result['notes']} notes in {took:.0f} s; "
              + "; ".join(f"{k} {v:.1%}" for k, v in result.items() if k != "notes"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
