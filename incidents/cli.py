"""The ``python -m incidents`` command line: geocode, import, extract, export.

Each sub-command's arguments are declared here (they are a public interface that users'
scripts depend on); the work is done by the same domain functions the app's pages call.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from incidents.errors import IncidentsError
from incidents.schema import FORMATS

__all__ = ["build_parser", "main"]


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
            from incidents.importer import run_import_cli

            return run_import_cli(args)
        if args.command == "extract":
            from incidents.extraction.cli import run_extract_cli

            return run_extract_cli(args)
        if args.command == "export":
            from incidents.export import run_export_cli

            return run_export_cli(args)
    except IncidentsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1
