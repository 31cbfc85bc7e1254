"""Benchmark of the offline geocoder: index load time, memory, queries per second.

    python tests/bench/bench_geocoder.py [--queries N]

Targets (issue 3): the index loads in at most 2 s and 300 MB, and resolves at least 2,000
queries per second once loaded. Prints the figures; exits 1 when a target is missed. Not a
timed test: machines differ, so the figures are for people to read.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# Report-style queries: names with and without accents, quarters with their city, kind words,
# regions, airports, countries, and misses.
QUERIES = [
    ("gendarmerie school in the Faladié district of Bamako", "ML"), ("Bamako-Sénou airport", "ML"),
    ("Kati", "ML"), ("Tillabéri region", "NE"), ("Sénou, Bamako", "ML"), ("Segou", "ML"),
    ("Magnambougou district, Bamako", "ML"), ("Tessit, Gao region", "ML"), ("Boni, Mali", None),
    ("Kidal region", "ML"), ("Mopti-Ambodédjo airport", "ML"), ("Burkina Faso", None),
    ("Abala, Tillabéri region", "NE"), ("Ouahigouya", "BF"), ("Djibo, Soum province", "BF"),
    ("Niamey airport", "NE"), ("Pissy, Ouagadougou", "BF"), ("Diabaly", "ML"),
    ("20 km north of Gao", "ML"), ("Qwxzvb Plonk", None), ("Paris, France", None),
    ("Tombouctou", "ML"), ("région de l'Est", "BF"), ("Inates, Tillabéri", "NE"),
]
VILLAGES = ["Hombori", "Douentza", "Ménaka", "Ansongo", "Léré", "Niono", "Nara", "Djenné",
            "Dori", "Arbinda", "Kaya", "Ayorou", "Téra", "Ouallam", "Agadez", "Diffa"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20_000)
    args = parser.parse_args(argv)

    from incidents import geocoding  # import cost is reported apart from the load

    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    gazetteer = geocoding.load_gazetteer()
    load_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    measured = geocoding.load_gazetteer()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del measured

    resolver = geocoding.OfflineResolver(gazetteer, cache_size=0)
    started = time.perf_counter()
    resolver.warm()
    warm_s = time.perf_counter() - started

    rng = random.Random(3)
    workload = []
    for i in range(args.queries):
        if i % 3 == 0:
            workload.append((f"{rng.choice(VILLAGES)}, {rng.choice(['Mali', 'Niger'])}", None))
        else:
            workload.append(rng.choice(QUERIES))
    started = time.perf_counter()
    for query, country in workload:
        resolver.resolve(query, country)
    uncached_qps = len(workload) / (time.perf_counter() - started)

    cached = geocoding.OfflineResolver(gazetteer)
    cached.warm()
    started = time.perf_counter()
    for query, country in workload:
        cached.resolve(query, country)
    cached_qps = len(workload) / (time.perf_counter() - started)

    print(f"places in the index:        {len(gazetteer):,}")
    print(f"load time:                  {load_s:.2f} s   (target <= 2 s)")
    print(f"memory of the index:        {current / 1e6:.0f} MB retained, {peak / 1e6:.0f} MB peak "
          f"while loading (tracemalloc); process RSS +{rss_after - rss_before:.0f} MB "
          "(target <= 300 MB)")
    print(f"spelling/airport indexes:   {warm_s:.2f} s on first use (warm())")
    print(f"queries per second:         {uncached_qps:,.0f} without result cache, "
          f"{cached_qps:,.0f} with it   (target >= 2,000)")
    ok = load_s <= 2.0 and peak <= 300e6 and uncached_qps >= 2000
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
