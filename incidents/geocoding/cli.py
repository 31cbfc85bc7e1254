"""``python -m incidents geocode``: one query, or a CSV batch (the path for big files)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TextIO

from incidents.csvsafe import csv_text
from incidents.errors import GeocodingError
from incidents.geocoding.model import GeoResult
from incidents.geocoding.service import RESULT_COLUMNS, Geocoder, geocode_batch

__all__ = ["format_result", "geocode_csv", "run_geocode"]


def format_result(result: GeoResult) -> str:
    """Return a short human-readable account of a result."""
    if not result.found:
        lines = [f"not found: {result.query!r}"]
    else:
        where = f"{result.place_id or result.geocoder}, {result.country or '?'}"
        lines = [
            f"{result.matched_name} ({where})",
            *([f"  point from: {result.source}"] if result.source else []),
            *([f"  in         {', '.join(a for a in (result.admin2, result.admin1) if a)}"]
              if result.admin1 or result.admin2 else []),
            f"  point      {result.latitude:.5f}, {result.longitude:.5f}",
            f"  precision  {result.geo_precision}",
            f"  geocoder   {result.geocoder}   confidence {result.confidence:.2f}",
        ]
        for c in result.candidates[:3]:
            lines.append(
                f"  or         {c.name} ({c.place_id}, {c.country}) {c.geo_precision} "
                f"{c.latitude:.4f}, {c.longitude:.4f}"
            )
    lines.extend(f"  note       {n}" for n in result.notes)
    return "\n".join(lines)


def _row_values(result: GeoResult) -> dict[str, str]:
    if not result.found:
        # Empty cells, never 0,0: a miss must not look like a place in the Gulf of Guinea.
        return {c: "" for c in RESULT_COLUMNS} | {"geocoder": "none", "confidence": "0"}
    return {
        "latitude": f"{result.latitude:.6f}",
        "longitude": f"{result.longitude:.6f}",
        "geo_precision": result.geo_precision or "",
        "matched_name": result.matched_name or "",
        "geocoder": result.geocoder,
        "confidence": f"{result.confidence:.3f}",
    }


def geocode_csv(
    geocoder: Geocoder,
    in_path: Path | str,
    out_path: Path | str,
    *,
    offline: bool = False,
    log: TextIO | None = None,
) -> tuple[int, int]:
    """Geocode IN.csv (``query,country``) into OUT.csv; return (rows, rows found).

    Every input column is kept; RESULT_COLUMNS are added (replaced if present).
    """
    try:
        with open(in_path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GeocodingError(f"cannot read {in_path}: {exc}") from exc
    if "query" not in fields:
        raise GeocodingError(f"{in_path} needs a 'query' column (and optionally 'country')")
    total = len(rows)
    step = max(1, total // 20)

    def progress(done: int, _total: int) -> None:
        if log is not None and (done % step == 0 or done == total):
            print(f"geocoded {done}/{total}", file=log)

    items = [(row.get("query") or "", row.get("country") or None) for row in rows]
    results = geocode_batch(geocoder, items, offline=offline, progress=progress)
    out_fields = fields + [c for c in RESULT_COLUMNS if c not in fields]
    try:
        lines = [out_fields] + [
            [{**row, **_row_values(result)}.get(f, "") for f in out_fields]
            for row, result in zip(rows, results, strict=True)]
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            fh.write(csv_text(lines))  # the one formula-safe writer
    except OSError as exc:
        raise GeocodingError(f"cannot write {out_path}: {exc}") from exc
    return total, sum(r.found for r in results)


def run_geocode(args: argparse.Namespace) -> int:
    """Run the ``geocode`` sub-command; return the exit code (0 ok/found, 1 not found)."""
    from incidents.db import get_engine
    from incidents.store import ensure_schema

    if not args.batch and not args.query:
        print("error: give a QUERY or --batch IN.csv --out OUT.csv", file=sys.stderr)
        return 2
    if args.batch and not args.out:
        print("error: --batch needs --out OUT.csv", file=sys.stderr)
        return 2
    engine = get_engine(getattr(args, "database_url", None))
    try:
        ensure_schema(engine)
        geocoder = Geocoder.from_env(
            engine, offline=args.offline,
            known_places=True if getattr(args, "known_places", False) else None)
        if args.offline is False and geocoder.online is None:
            print("note: no online geocoder configured; using the offline index only",
                  file=sys.stderr)
        if args.batch:
            total, found = geocode_csv(geocoder, args.batch, args.out, offline=args.offline,
                                       log=sys.stderr)
            print(f"{found}/{total} rows geocoded -> {args.out}", file=sys.stderr)
            return 0
        result = geocoder.resolve(args.query, args.country, offline=args.offline)
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(format_result(result))
        return 0 if result.found else 1
    finally:
        engine.dispose()
