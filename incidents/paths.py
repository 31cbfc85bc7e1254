"""Where the project's files are: shipped data, runtime files, served static files.

Every path a module reads data from is named here, so that moving a file is one edit.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BOUNDARIES_FILE",
    "COUNTRIES_FILE",
    "DATA_DIR",
    "DEFAULT_SQLITE_PATH",
    "GAZETTEER_FILE",
    "LOCALE_DIR",
    "PROJECT_DIR",
    "SEED_FILE",
    "STATIC_DIR",
    "SYNTHETIC_HOTSPOTS_FILE",
    "UCDP_DIR",
]

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: Shipped data (with attribution, README "Shipped data and licences") and runtime files.
DATA_DIR = PROJECT_DIR / "data"
#: The embedded store (git-ignored), unless $INCIDENTS_DATABASE_URL names another.
DEFAULT_SQLITE_PATH = DATA_DIR / "incidents.sqlite"
COUNTRIES_FILE = DATA_DIR / "countries.csv"
UCDP_DIR = DATA_DIR / "ucdp_ged"
SEED_FILE = DATA_DIR / "seed" / "bamako_2024-09-17.json"
GAZETTEER_FILE = DATA_DIR / "gazetteer" / "gazetteer.tsv.gz"
BOUNDARIES_FILE = DATA_DIR / "boundaries" / "sahel_context.geojson"
SYNTHETIC_HOTSPOTS_FILE = DATA_DIR / "synthetic" / "hotspots.csv"
#: Served by the app at app/static/: the maps' vendored libraries, the favicon.
STATIC_DIR = PROJECT_DIR / "static"
#: The gettext catalogues.
LOCALE_DIR = Path(__file__).resolve().with_name("locale")
