"""Measure the offline geocoder on an accuracy set (a script, not a pytest module).

    python tests/geocoding_accuracy.py [SET.csv] [--verbose]

SET.csv has the columns ``query,country,latitude,longitude,precision[,reference]`` (default:
/work/shared/geocoding/dev_set.csv). A row counts as within tolerance when the point lies within
its precision class's tolerance of the truth (site/neighbourhood 3 km, town 5 km, admin2 60 km,
admin1 250 km, country 500 km), and as right when it is within tolerance AND reports the
expected class. Prints both shares and exits 1 below the targets (95% and 90%).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incidents.geocoding import TOLERANCE_KM, Geocoder, GeocoderConfig, haversine_km

DEFAULT_SET = Path("/work/shared/geocoding/dev_set.csv")
TARGET_WITHIN, TARGET_RIGHT = 0.95, 0.90


def evaluate(rows: list[dict], geocoder: Geocoder, verbose: bool = False) -> tuple[float, float]:
    """Return (share within tolerance, share within tolerance with the right precision)."""
    within = right = 0
    for row in rows:
        result = geocoder.resolve(row["query"], row.get("country") or None, offline=True)
        want = row["precision"].strip()
        distance = (
            haversine_km(float(row["latitude"]), float(row["longitude"]), result.latitude,
                         result.longitude)
            if result.found else float("inf")
        )
        ok_place = distance <= TOLERANCE_KM[want]
        ok_class = ok_place and result.geo_precision == want
        within += ok_place
        right += ok_class
        if verbose or not ok_class:
            mark = "ok  " if ok_class else ("POS " if ok_place else "MISS")
            print(f"{mark} {row['query']!r} [{row.get('country') or '-'}] -> "
                  f"{result.matched_name} ({result.place_id}) {result.geo_precision} "
                  f"{distance:.1f} km; want {want} {row.get('reference', '')}")
    n = max(1, len(rows))
    return within / n, right / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every row")
    args = parser.parse_args(argv)
    with open(args.path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    started = time.perf_counter()
    geocoder = Geocoder(config=GeocoderConfig())  # offline only: no network, no database
    within, right = evaluate(rows, geocoder, args.verbose)
    elapsed = time.perf_counter() - started
    print(f"rows: {len(rows)}  ({elapsed:.2f} s including the index load)")
    print(f"within tolerance:           {within:.1%}  (target {TARGET_WITHIN:.0%})")
    print(f"right precision class too:  {right:.1%}  (target {TARGET_RIGHT:.0%})")
    return 0 if within >= TARGET_WITHIN and right >= TARGET_RIGHT else 1


if __name__ == "__main__":
    raise SystemExit(main())
