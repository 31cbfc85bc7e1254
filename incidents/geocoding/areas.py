"""Administrative areas: the region and cercle/province of a point, an area named after a
town, and the area itself as the answer when the place named inside it is unknown."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from rapidfuzz import fuzz

from incidents.geocoding.model import GeoResult, haversine_km
from incidents.geocoding.normalize import normalize, skeleton
from incidents.geocoding.query import Mention, coarser_of, precision_of
from incidents.geocoding.scoring import Scored

AREA_RADIUS_KM = 60.0


# A commune named after a village whose spelling the gazetteer writes otherwise: how far from
# the commune's point the village may be, and how alike the two spellings must be.
SEAT_RADIUS_KM = 40.0
SEAT_SIMILARITY = 80.0


_ADMIN_NAME = re.compile(
    r"^(?:(?:r[eé]gion|province|cercle|d[eé]partement|department|pr[eé]fecture|commune)"
    r"\s+(?:de\s+la|de\s+l'|du|des|de|d'|of)?\s*)|"
    r"\s+(?:r[eé]gion|province|cercle|department|d[eé]partement|pr[eé]fecture)$",
    re.IGNORECASE,
)


def admin_display_name(name: str) -> str:
    """Return an administrative area's name as data sets write it ("Mopti Region" -> "Mopti",
    "Province du Soum" -> "Soum")."""
    return _ADMIN_NAME.sub("", name.strip()).strip() or name.strip()


class AreaReading:
    """Admin areas of points, areas named after towns, areas as answers (mixed
    into ``OfflineResolver``)."""

    def _area_answer(
        self, query: str, hint: str | None, parents: list[Mention], country_ctx: str | None,
        primary: Mention,
    ) -> GeoResult | None:
        """Return the area the parent names describe, coarsened, when the place itself is not
        known inside it."""
        head, rest = parents[0], parents[1:]
        scored = self._score(head, frozenset(), rest, country_ctx, hint)
        if not scored:
            return None
        scored = self._coarsen(scored, head)
        best = scored[0]
        precision = coarser_of(best.precision, "admin2")
        scored = [Scored(best.row, best.score, precision), *scored[1:]]
        gaz = self.gazetteer
        name = " ".join(normalize(k) for k in primary.keys[:1])
        note = (f"no place called {name!r} is known in {gaz.field('name', best.row)}; "
                "the point stands for that area")
        result = self._answer(query, hint, scored, notes=[note], factor=0.45)
        return replace(result, confidence=min(result.confidence, 0.45))

    def _seat_spelled_like(self, row: int, key: str) -> int | None:
        """Return the populated place within ``SEAT_RADIUS_KM`` of the area ``row`` spelled
        most like ``key`` (skeleton similarity at least ``SEAT_SIMILARITY``: "Talataye" for
        the village Telatai, "Ntillit" for I-n-Tillit), or None."""
        gaz = self.gazetteer
        cc = gaz.field("cc", row)
        if not cc or gaz.field("fclass", row) != "A":
            return None
        entries = self._typo_entries(cc)
        lat, lon = gaz.lat_lon(row)
        wanted = skeleton(key.replace(" ", ""))
        if len(wanted) < 5 or re.search(r"\b(?:[ivx]+|\d+)$", key):
            return None  # "Commune I", "Secteur 12": a numbered district has no namesake seat
        best: tuple[float, int, int] | None = None
        for i in self._positions_near(entries, lat, lon, SEAT_RADIUS_KM):
            other = entries["rows"][i]
            if gaz.field("fclass", other) != "P" or haversine_km(
                    lat, lon, *gaz.lat_lon(other)) > SEAT_RADIUS_KM:
                continue
            similarity = fuzz.ratio(wanted, entries["keys"][i])
            value = (similarity, gaz.field("population", other), -other)
            if similarity >= SEAT_SIMILARITY and (best is None or value > best):
                best = value
        return -best[2] if best else None

    def _admin_names(self) -> dict[tuple[str, ...], str]:
        if self._admins is None:
            gaz = self.gazetteer
            names: dict[tuple[str, ...], str] = {}
            for code in ("ADM1", "ADM2"):
                for row in gaz.rows_with_code(code):
                    key = (gaz.field("cc", row), gaz.field("admin1", row))
                    if code == "ADM2":
                        key += (gaz.field("admin2", row),)
                    names.setdefault(key, admin_display_name(gaz.field("name", row)))
            self._admins = names
        return self._admins

    def _nearest_coded(self, lat: float, lon: float, cc: str | None) -> int:
        """Return the nearest populated place with admin codes (same country), or -1."""
        gaz = self.gazetteer
        if self._coded_grid is None:
            grid: dict[tuple[int, int], list[int]] = {}
            for row in range(len(gaz)):
                if gaz.field("fclass", row) == "P" and gaz.field("admin1", row).isdigit():
                    rlat, rlon = gaz.lat_lon(row)
                    grid.setdefault((math.floor(rlat * 4), math.floor(rlon * 4)), []).append(row)
            self._coded_grid = grid
        cy, cx = math.floor(lat * 4), math.floor(lon * 4)
        shrink = math.cos(math.radians(lat)) ** 2
        lats, lons, ccs = (gaz.column(c) for c in ("lat", "lon", "cc"))
        for radius in (1, 3):
            best, best_d = -1, float("inf")
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    for row in self._coded_grid.get((cy + dy, cx + dx), ()):
                        if cc and ccs[row] != cc:
                            continue
                        # Equirectangular distance: enough to rank neighbours this close.
                        d = (lats[row] - lat) ** 2 + shrink * (lons[row] - lon) ** 2
                        if d < best_d:
                            best, best_d = row, d
            if best >= 0:
                return best
        return -1

    def admin_of(
        self, latitude: float, longitude: float, country: str | None,
        precision: str | None = None, place_id: str | None = None,
    ) -> tuple[str | None, str | None]:
        """Return the (admin1, admin2) names of a point: from the gazetteer's hierarchy of the
        place it is, else of the nearest populated place of the same country. None for a level
        coarser than the point's precision."""
        if precision == "country":
            return None, None
        key = (round(latitude, 4), round(longitude, 4), country, precision, place_id)
        hit = self._admin_cache.get(key)
        if hit is None:
            hit = self._admin_cache[key] = self._admin_of(latitude, longitude, country,
                                                          precision, place_id)
        return hit

    def _admin_of(
        self, latitude: float, longitude: float, country: str | None, precision: str | None,
        place_id: str | None,
    ) -> tuple[str | None, str | None]:
        gaz = self.gazetteer
        row = gaz.row_of(place_id) if place_id else -1
        if row < 0 or not gaz.field("admin1", row).isdigit() or (
                gaz.field("cc", row) != (country or gaz.field("cc", row))):
            row = self._nearest_coded(latitude, longitude, country)
        if row < 0:
            return None, None
        names = self._admin_names()
        cc, a1, a2 = (gaz.field(f, row) for f in ("cc", "admin1", "admin2"))
        admin1 = names.get((cc, a1))
        admin2 = names.get((cc, a1, a2)) if a2 and precision != "admin1" else None
        return admin1, admin2

    def with_admin(self, result: GeoResult) -> GeoResult:
        """Return ``result`` with the admin1/admin2 names of its point filled in."""
        if not result.found or result.admin1 is not None:
            return result
        admin1, admin2 = self.admin_of(result.latitude, result.longitude, result.country,
                                       result.geo_precision, result.place_id)
        if admin1 is None and admin2 is None:
            return result
        return replace(result, admin1=admin1, admin2=admin2)

    def _coarsen(self, scored: list[Scored], mention: Mention) -> list[Scored]:
        """Return the scores re-read as "somewhere in this place's area"."""
        gaz = self.gazetteer
        best = scored[0]
        if gaz.field("fclass", best.row) == "P":
            # A town named as the parent of an unknown place stands for the area around it:
            # prefer an administrative area of the same name that contains it.
            for s in scored[1:]:
                if (gaz.field("fclass", s.row) == "A" and gaz.field("code", s.row) in
                        ("ADM1", "ADM2", "ADM3")
                        and gaz.field("admin1", s.row) == gaz.field("admin1", best.row)):
                    precision = precision_of("A", gaz.field("code", s.row))
                    return [Scored(s.row, best.score, precision), *scored[1:]]
            return [Scored(best.row, best.score, "admin2"), *scored[1:]]
        return scored

    def _area_of_town(self, scored: list[Scored], level: str) -> list[Scored]:
        """"Timbuktu region": when the best reading is a town, answer with the area that
        contains it at the level the text names, if the gazetteer has it."""
        gaz = self.gazetteer
        best = scored[0]
        if gaz.field("fclass", best.row) != "P":
            return scored
        if self._areas is None:
            areas: dict[tuple[str, ...], int] = {}
            for code in ("ADM1", "ADM2"):
                for row in gaz.rows_with_code(code):
                    key = (code, gaz.field("cc", row), gaz.field("admin1", row))
                    if code == "ADM2":
                        key += (gaz.field("admin2", row),)
                    areas.setdefault(key, row)
            self._areas = areas
        cc, a1, a2 = (gaz.field(f, best.row) for f in ("cc", "admin1", "admin2"))
        key = ("ADM1", cc, a1) if level == "admin1" else ("ADM2", cc, a1, a2)
        area = self._areas.get(key) if a1.isdigit() and (level == "admin1" or a2) else None
        if area is None:
            return scored
        return [Scored(area, best.score, level), *scored[1:]]
