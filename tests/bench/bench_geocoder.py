"""Benchmark of the offline geocoder: index load time, memory, queries per second.

    python -m tests.bench.bench_geocoder [--queries N]

Targets (issues 3 and 14): the index loads in at most 2 s and 300 MB, resolves at least 2,000
queries per second once loaded, and the CLI batch mode (``geocode --batch``, with a database of
manual corrections) runs within 2x of the resolver's rate on the same distinct places. Prints the
figures; exits 1 when a target is missed. Not a timed test: machines differ, so the figures are
for people to read.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import time
import tracemalloc

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


def _batch_rates(gazetteer, geocoding, n: int) -> tuple[float, float]:
    """Return (CLI batch places/s, resolver places/s) on ``n`` distinct village names."""
    import csv
    import tempfile

    from incidents.db import get_engine
    from incidents.geocoding.cli import geocode_csv
    from incidents.store import ensure_schema

    names: dict[tuple[str, str], None] = {}
    for row in range(len(gazetteer)):
        cc = gazetteer.field("cc", row)
        if cc in ("ML", "BF", "NE") and gazetteer.field("fclass", row) == "P":
            names.setdefault((gazetteer.field("name", row), cc), None)
            if len(names) >= n:
                break
    items = list(names)
    resolver = geocoding.OfflineResolver(gazetteer, cache_size=0)
    resolver.warm()
    started = time.perf_counter()
    for query, country in items:
        resolver.resolve(query, country)
    plain = len(items) / (time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(f"sqlite:///{tmp}/bench.sqlite")
        ensure_schema(engine)
        geocoder = geocoding.Geocoder(gazetteer, config=geocoding.GeocoderConfig(), engine=engine)
        for i in range(50):
            geocoder.correct(f"Corrected place {i}", "ML", 14.0, -4.0, "town")
        geocoder.resolver = geocoding.OfflineResolver(gazetteer, cache_size=0)
        geocoder.warm()
        src, out = f"{tmp}/in.csv", f"{tmp}/out.csv"
        with open(src, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["query", "country"])
            writer.writerows(items)
        started = time.perf_counter()
        geocode_csv(geocoder, src, out, offline=True)
        batch = len(items) / (time.perf_counter() - started)
        engine.dispose()
    return batch, plain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=3_000,
                        help="distinct places for the batch-mode comparison")
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

    batch_qps, plain_qps = _batch_rates(gazetteer, geocoding, args.batch)

    print(f"places in the index:        {len(gazetteer):,}")
    print(f"load time:                  {load_s:.2f} s   (target <= 2 s)")
    print(f"memory of the index:        {current / 1e6:.0f} MB retained, {peak / 1e6:.0f} MB peak "
          f"while loading (tracemalloc); process RSS +{rss_after - rss_before:.0f} MB "
          "(target <= 300 MB)")
    print(f"spelling/airport indexes:   {warm_s:.2f} s on first use (warm())")
    print(f"queries per second:         {uncached_qps:,.0f} without result cache, "
          f"{cached_qps:,.0f} with it   (target >= 2,000)")
    print(f"CLI batch (--batch, SQLite with corrections): {batch_qps:,.0f} places/s vs the "
          f"resolver's {plain_qps:,.0f} on the same {args.batch:,} distinct places "
          f"({plain_qps / batch_qps:.2f}x; target <= 2x)")
    ok = (load_s <= 2.0 and peak <= 300e6 and uncached_qps >= 2000
          and plain_qps <= 2 * batch_qps)
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
