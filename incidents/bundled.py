"""The data shipped under ``data/``: UCDP GED for Mali, Burkina Faso and Niger, and the founding
incidents written from the reports of the 17 September 2024 attacks in Bamako."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from incidents.errors import DataError
from incidents.paths import SEED_FILE, UCDP_DIR
from incidents.readers.ucdp import read_ucdp
from incidents.schema import conform

__all__ = ["SEED_FILE", "UCDP_FILES", "read_bundled", "read_seed"]

UCDP_FILES = tuple(sorted(UCDP_DIR.glob("ged_*.csv")))
UCDP_DATASET = "UCDP GED 24.1 (CC BY 4.0)"
SEED_DATASET = "Incident Atlas founding reports"


def read_seed(path: Path = SEED_FILE) -> pd.DataFrame:
    """Return the hand-written incidents of a seed JSON file, with sources and claims as JSON."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for item in doc["incidents"]:
        row = dict(item)
        row["claims"] = json.dumps(item.get("claims", []), ensure_ascii=False)
        row["sources"] = json.dumps(item.get("sources", doc.get("sources", [])), ensure_ascii=False)
        row.setdefault("dataset", SEED_DATASET)
        rows.append(row)
    return conform(pd.DataFrame(rows))


def read_bundled() -> pd.DataFrame:
    """Return all bundled incidents: the founding incidents, then UCDP GED."""
    frames = [read_seed()]
    for path in UCDP_FILES:
        result = read_ucdp(path, dataset=UCDP_DATASET)
        if result.rejected:
            raise DataError(f"{path.name}: {len(result.rejected)} rows rejected: {result.rejected[:3]}")
        frames.append(result.incidents)
    return conform(pd.concat(frames, ignore_index=True))
