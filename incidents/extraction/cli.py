"""``python -m incidents extract``: read reports into draft incidents, print or store them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

from incidents.errors import DataError, IncidentsError

__all__ = ["run_extract_cli"]

MAX_BATCH_BYTES = 200 * 1024 * 1024


def _date(text: str | None, what: str) -> dt.date | None:
    if not text or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError as exc:
        raise DataError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from exc


def _context(args):
    """Return (geocoder, store frame or None, engine or None) for extraction."""
    from incidents.db import get_engine
    from incidents.geocoding import Geocoder
    from incidents.store import ensure_store, read_incidents

    engine = get_engine(args.database_url)
    try:
        ensure_store(engine)
        store = read_incidents(engine)
    except IncidentsError as exc:
        print(
            f"warning: the store could not be read ({exc}); actors and sites are matched "
            "against the built-in lists only",
            file=sys.stderr,
        )
        store = None
    geocoder = Geocoder.from_env(engine)
    return geocoder, store, engine


def _drafts_of(report, geocoder, store, report_no=0):
    from incidents.extraction import KnownSites, extract

    actors = store["actor"].dropna().unique() if store is not None else ()
    return extract(
        report,
        geocoder,
        known_actors=actors,
        known_sites=KnownSites.from_frame(store),
        report_no=report_no,
    )


def _print_human(drafts, out) -> None:
    if not drafts:
        print("No incident found in the report.", file=out)
    for i, d in enumerate(drafts, 1):
        when = d.date_start.isoformat() if d.date_start else "unknown date"
        if d.date_end and d.date_end != d.date_start:
            when += f" to {d.date_end.isoformat()}"
        print(f"Draft {i}: {when} ({d.date_precision})", file=out)
        point = (
            f"{d.latitude:.4f}, {d.longitude:.4f} ({d.geo_precision}, {d.geocoder})"
            if d.latitude is not None
            else "not placed"
        )
        print(f"  place:      {d.location} -> {point}", file=out)
        for c in d.candidates[:3]:
            print(
                f"              or {c.name} {c.latitude:.4f}, {c.longitude:.4f} "
                f"({c.geo_precision})",
                file=out,
            )
        print(f"  actor:      {d.actor or 'unknown'}", file=out)
        print(f"  target:     {d.target or 'unknown'}", file=out)
        print(f"  event type: {d.event_type}", file=out)
        toll = (
            "unknown"
            if d.fatalities_best is None
            else f"{d.fatalities_low}-{'?' if d.fatalities_high is None else d.fatalities_high}"
            f" (best {d.fatalities_best})"
        )
        print(f"  fatalities: {toll}", file=out)
        for c in d.claims:
            print(f"  claim:      {c.claimant}: {c.claim}", file=out)
        for s in d.sources:
            print(f"  source:     {', '.join(str(v) for v in s.to_dict().values())}", file=out)
        print(f"  text:       {d.description}", file=out)
        for note in d.notes:
            print(f"  note:       {note}", file=out)


def run_extract_cli(args) -> int:
    """Run ``python -m incidents extract`` and return the exit code."""
    from incidents.extraction import Report, dateline_date, read_report_file
    from incidents.extraction.merge import save_drafts

    country = (args.country or "").strip().upper() or None
    geocoder, store, engine = _context(args)
    try:
        if args.batch:
            return _run_batch(args, geocoder, store, engine, country)
        if not args.report:
            raise DataError("give a REPORT file (or - for standard input), or --batch FILE.csv")
        if args.report == "-":
            content, name = sys.stdin.buffer.read(), "stdin.txt"
        else:
            path = Path(args.report)
            if not path.is_file():
                raise DataError(f"{args.report}: no such file")
            content, name = path.read_bytes(), path.name
        text, title = read_report_file(content, name)
        given = _date(args.published, "--published")
        dateline = dateline_date(text)
        published = given or dateline or dt.date.today()
        report = Report(
            text,
            published,
            title=args.title or title,
            publisher=args.publisher,
            url=args.url,
            country=country,
        )
        drafts = _drafts_of(report, geocoder, store)
        if args.json:
            print(json.dumps([d.to_json() for d in drafts], ensure_ascii=False, indent=2))
        else:
            if not args.published:
                print(
                    f"note: no --published date; relative dates are read from the report's "
                    f"dateline ({published})" if dateline else
                    f"note: no --published date; relative dates are read from today ({published})",
                    file=sys.stderr,
                )
            _print_human(drafts, sys.stdout)
        if args.save:
            saved = save_drafts(engine, drafts)
            print(
                f"saved: {len(saved.inserted)} new, {len(saved.merged)} merged into stored "
                f"incidents ({', '.join(saved.merged) or '-'}), {len(saved.unchanged)} "
                "already stored",
                file=sys.stderr,
            )
        return 0
    finally:
        engine.dispose()


def _run_batch(args, geocoder, store, engine, country) -> int:
    from incidents.extraction import Report
    from incidents.extraction.merge import save_drafts

    path = Path(args.batch)
    if not path.is_file():
        raise DataError(f"{args.batch}: no such file")
    if path.stat().st_size > MAX_BATCH_BYTES:
        raise DataError(f"{args.batch} is larger than {MAX_BATCH_BYTES // 1024 // 1024} MB")
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(raw))
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        raise DataError(
            f"{args.batch}: needs a 'text' column (and 'published', optional "
            "'country', 'title', 'publisher', 'url')"
        )
    failed = 0
    all_drafts = []
    for n, row in enumerate(reader, start=1):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        try:
            published = _date(row.get("published"), f"row {n} published")
            if published is None:
                raise DataError(f"row {n}: no 'published' date")
            report = Report(
                row["text"],
                published,
                title=row.get("title") or None,
                publisher=row.get("publisher") or None,
                url=row.get("url") or None,
                country=(row.get("country") or country or "").upper() or None,
            )
            drafts = _drafts_of(report, geocoder, store, report_no=n)
            all_drafts += drafts
            print(
                json.dumps({"row": n, "drafts": [d.to_json() for d in drafts]}, ensure_ascii=False),
                flush=True,
            )
        except IncidentsError as exc:
            failed += 1
            print(
                json.dumps({"row": n, "drafts": [], "error": str(exc)}, ensure_ascii=False),
                flush=True,
            )
    if args.save and all_drafts:
        saved = save_drafts(engine, all_drafts)
        print(
            f"saved: {len(saved.inserted)} new, {len(saved.merged)} merged, "
            f"{len(saved.unchanged)} already stored",
            file=sys.stderr,
        )
    if failed:
        print(f"{failed} row(s) could not be read; see their 'error'", file=sys.stderr)
    return 1 if failed else 0
