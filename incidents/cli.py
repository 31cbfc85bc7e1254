"""The ``python -m incidents`` command line: geocode, import, extract, export.

Each sub-command's arguments are declared here (they are a public interface that users'
scripts depend on), and so are the import and export commands; the work is done by the same
domain functions the app's pages call.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.schema import FORMATS

__all__ = ["build_parser", "main", "run_export", "run_import"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m incidents``."""
    parser = argparse.ArgumentParser(
        prog="python -m incidents", description="Incident Atlas command line."
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: $INCIDENTS_DATABASE_URL, else the SQLite file in data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    geo = sub.add_parser("geocode", help="turn place text into a point with a precision")
    geo.add_argument("query", nargs="?", help="the place as written, e.g. 'Kati' or 'Faladié, Bamako'")
    geo.add_argument("--country", help="ISO 3166-1 alpha-2 hint, e.g. ML")
    geo.add_argument("--offline", action="store_true", help="never use the online geocoder")
    geo.add_argument("--json", action="store_true", help="print JSON")
    geo.add_argument("--known-places", action="store_true",
                     help="also use the points of incidents already in the database")
    geo.add_argument("--batch", metavar="IN.csv", help="CSV with columns query,country")
    geo.add_argument("--out", metavar="OUT.csv", help="where --batch writes its results")

    imp = sub.add_parser("import", help="import incidents from a file")
    imp.add_argument("file")
    imp.add_argument(
        "--format", default="auto", choices=["auto", *FORMATS]
    )
    imp.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")

    ext = sub.add_parser("extract", help="read news reports into draft incidents")
    ext.add_argument("report", nargs="?", help="report file: .txt, .html or .pdf (- for stdin)")
    ext.add_argument("--published", metavar="YYYY-MM-DD",
                     help="publication date; relative dates are read from it (default: today)")
    ext.add_argument("--country", help="ISO 3166-1 alpha-2 hint, e.g. ML")
    ext.add_argument("--title", help="the report's title (default: its first line)")
    ext.add_argument("--publisher", help="who published it")
    ext.add_argument("--url", help="where it was published")
    ext.add_argument("--json", action="store_true", help="print a JSON list of drafts")
    ext.add_argument("--batch", metavar="FILE.csv",
                     help="CSV with columns text, published (optional country, title, "
                     "publisher, url); prints one JSON line per row")
    ext.add_argument("--save", action="store_true",
                     help="store the drafts (a duplicate of a stored incident adds its "
                     "sources and claims to it)")

    exp = sub.add_parser("export", help="export the incidents a share-link query selects")
    exp.add_argument("--format", required=True, choices=["csv", "geojson", "html"])
    exp.add_argument("--query", default="", help='share-link query, e.g. "start=2024-01-01&country=ML"')
    exp.add_argument("--out", required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "geocode":
            from incidents.geocoding.cli import run_geocode

            return run_geocode(args)
        if args.command == "import":
            return run_import(args)
        if args.command == "extract":
            from incidents.extraction.cli import run_extract_cli

            return run_extract_cli(args)
        if args.command == "export":
            return run_export(args)
    except IncidentsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1


def run_import(args: argparse.Namespace) -> int:
    """Run ``python -m incidents import``: print the report (JSON with --json); return 0."""
    from incidents.db import get_engine
    from incidents.importer import LICENCE_NOTICE, import_file
    from incidents.schema import RESTRICTED_FORMATS
    from incidents.store import ensure_store

    engine = get_engine(args.database_url)
    try:
        ensure_store(engine)
        report = import_file(Path(args.file), engine, format=args.format, dry_run=args.dry_run)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return 0
    for line in report.summary_lines(Path(args.file).name):
        print(line)
    if report.format in RESTRICTED_FORMATS:
        print(f"note: {LICENCE_NOTICE}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Run ``python -m incidents export``: write what ``args.query`` selects; return 0.

    Applies ``$INCIDENTS_PUBLIC_PRECISION`` / ``$INCIDENTS_PUBLIC_HIDE`` when set, before the
    filters, as the app does for viewers. ``--out -`` writes CSV or GeoJSON to stdout.
    """
    from incidents import load_incidents
    from incidents.export import ExportError, export_bytes, to_standalone_html
    from incidents.filtering import apply_filters
    from incidents.i18n import ngettext
    from incidents.privacy import apply_public_view, describe_policy, policy_from_settings
    from incidents.urlstate import parse_query_string

    incidents = load_incidents(args.database_url)
    parsed = parse_query_string(args.query or "")
    for notice in parsed.notices:
        print(f"notice: {notice}", file=sys.stderr)
    policy = policy_from_settings(None, os.environ)
    selected = apply_filters(apply_public_view(incidents, policy), parsed.state.filters)
    lang = parsed.state.lang or "en"
    title = "Incident Atlas — " + ngettext("{n} incident", "{n} incidents", len(selected), lang)
    if args.format == "html":
        payload = to_standalone_html(selected, parsed.state, title=title,
                                     notice=describe_policy(policy, lang)).encode("utf-8")
    else:
        payload = export_bytes(selected, args.format, parsed.state)
    summary = f"{len(selected):,} incidents exported as {args.format} to {args.out}"
    if policy.active:
        summary += " (public view)"
    if args.out == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        print(summary, file=sys.stderr)
        return 0
    try:
        Path(args.out).write_bytes(payload)
    except OSError as exc:
        raise ExportError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(summary)
    return 0
