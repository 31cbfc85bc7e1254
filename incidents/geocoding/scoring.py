"""Scoring the places that bear a name: kind words, containment in the parents the text
names, the country, administrative rank, population, how well known the name is and where
armed violence has been recorded before; and the answer with its confidence."""

from __future__ import annotations

import math
from dataclasses import dataclass

from incidents.geocoding.model import TOLERANCE_KM, Candidate, GeoResult, haversine_km
from incidents.geocoding.query import CITY_CODES, SAHEL, Mention, precision_of

# -- feature codes -> base score and precision ---------------------------------------------------
_BASE: dict[str, float] = {
    "PCLI": 6.0, "PCLD": 5.0, "PCLIX": 4.0, "PCLS": 4.0, "PCLF": 4.0, "PCL": 4.0,
    "PPLC": 5.0, "PPLA": 4.0, "PPLA2": 3.5, "PPLA3": 3.0, "PPLA4": 2.6, "PPL": 2.5,
    "PPLX": 2.2, "PPLS": 2.0, "PPLF": 1.5, "PPLL": 1.5, "PPLR": 1.5, "PPLG": 1.5,
    "PPLQ": 0.0, "PPLH": 0.0, "PPLW": 0.0, "PPLCH": 0.0,
    "ADM1": 3.0, "ADM2": 2.6, "ADM3": 2.2, "ADM4": 1.5, "ADMD": 1.5,
    "AIRP": 0.5, "LCTY": 1.5, "WLL": 1.0, "CMP": 1.0, "MILB": 1.2, "SITE": 1.0,
}


_CLASS_BASE: dict[str, float] = {"P": 2.0, "A": 1.0, "S": 0.8, "L": 0.5, "H": 0.4, "T": 0.4}


#: Weight of the prior for places near recorded conflict events (see ``_conflict_prior``).
_CONFLICT_WEIGHT = 0.25


_FINE_WEIGHT = 0.2


#: Confidence factor by how surely the chosen place lies in the areas the text names:
#: inside all of them, near or probably inside, doubtful, outside.
CONTEXT_FACTOR = (1.0, 0.85, 0.6, 0.35)


_SEAT_AREAS = frozenset(("ADM3", "ADM2"))


# A commune's centroid lies near its seat: of the shipped Mali communes with a village of their
# name, the median distance is 7 km and 3 in 4 are within 15 km.
_SEAT_KM = 15.0


@dataclass
class Scored:
    row: int
    score: float
    precision: str


def country_bonus(cc: str, country_ctx: str | None, hint: str | None) -> float:
    """Score a candidate's country: one named in the text counts most, then the caller's hint,
    then, with neither, a small preference for the Sahel countries the data covers."""
    if country_ctx:
        return 5.0 if cc == country_ctx else -5.0
    if hint:
        return 3.0 if cc == hint else -1.5
    return 1.0 if cc in SAHEL else 0.0


class Scoring:
    """Score a name's places and turn the best into an answer (mixed into
    ``OfflineResolver``)."""

    def _context(self, row: int, parents: list[Mention]) -> float:
        """Return how surely ``row`` lies in every place the text names as its parent."""
        worst = 1.0
        for mention in parents:
            rows = self._parent_rows(mention)
            if row in rows:
                continue
            worst = min(worst, max((self._containment(row, p) for p in rows), default=0.0))
        return worst

    def _bare_factor(self, scored: list[Scored]) -> float:
        """Return the confidence factor of a name given without any parent place."""
        gaz = self.gazetteer
        row = scored[0].row
        if gaz.field("pid", row).startswith("user:"):
            return 1.0
        known = gaz.field("population", row) > 0 or gaz.field("n_alt", row) > 0
        if gaz.field("code", row) in CITY_CODES or gaz.field("code", row).startswith("PCL"):
            return 1.0
        return 0.95 if known else 0.85

    def _conflict_prior(self, row: int) -> float:
        """Return log2(1 + the number of UCDP GED event places within about 40 km), at most 3
        (a conflict zone is one; degrees among conflict zones say little about a name), plus
        a fifth of the same measure at about 15 km, which tells namesakes in one zone apart.

        Namesakes are many ("Dara", "Boura", "Amba"); an incident report more likely means the
        one where armed violence has been recorded before. UCDP GED ships with the project
        (CC BY 4.0); its places are in the gazetteer as ``ucdp:`` rows.
        """
        if self._conflict is None:
            gaz = self.gazetteer
            cells: dict[tuple[int, int], int] = {}
            fine: dict[tuple[int, int], int] = {}
            for r in range(len(gaz)):
                if gaz.field("pid", r).startswith("ucdp:"):
                    lat, lon = gaz.lat_lon(r)
                    cell = (math.floor(lat * 4), math.floor(lon * 4))
                    cells[cell] = cells.get(cell, 0) + 1
                    cell = (math.floor(lat * 10), math.floor(lon * 10))
                    fine[cell] = fine.get(cell, 0) + 1
            self._conflict = cells
            self._conflict_fine = fine
        prior = self._priors.get(row)
        if prior is None:
            lat, lon = self.gazetteer.lat_lon(row)
            cy, cx = math.floor(lat * 4), math.floor(lon * 4)
            n = sum(self._conflict.get((cy + dy, cx + dx), 0) for dy in (-1, 0, 1)
                    for dx in (-1, 0, 1))
            prior = min(3.0, math.log2(1 + n))
            # Among namesakes that are all in conflict zones, the one with events recorded
            # right around it (the 0.1-degree cells around it, about 30 km across) is the
            # likelier: a small term, mostly a tie-breaker.
            cy, cx = math.floor(lat * 10), math.floor(lon * 10)
            near = sum(self._conflict_fine.get((cy + dy, cx + dx), 0) for dy in (-1, 0, 1)
                       for dx in (-1, 0, 1))
            prior += _FINE_WEIGHT * min(3.0, math.log2(1 + near))
            self._priors[row] = prior
        return prior

    def _row_base(self, row: int, key: str) -> float:
        base = self._bases.get((row, key))
        if base is None:
            base = self._bases[(row, key)] = self._compute_base(row, key)
        return base

    def _compute_base(self, row: int, key: str) -> float:
        gaz = self.gazetteer
        code = gaz.field("code", row)
        fclass = gaz.field("fclass", row)
        base = _BASE.get(code, _CLASS_BASE.get(fclass, 0.0))
        if fclass == "P" and code not in CITY_CODES and self._seat_of_area(row, key):
            # The village a commune or department is named after is its seat: rank it as one
            # (GeoNames flags seats in Burkina Faso, PPLA3, but hardly in Mali or Niger).
            base += _BASE["PPLA3"] - _BASE["PPL"]
        base += 0.45 * math.log10(1 + gaz.field("population", row))
        base += 0.35 * math.sqrt(min(gaz.field("n_alt", row), 16))
        base += _CONFLICT_WEIGHT * self._conflict_prior(row)
        if gaz.is_primary(key, row):
            base += 0.4
        if fclass == "P" and not gaz.field("admin1", row).isdigit():
            base -= 0.6  # a record GeoNames could not place in a region is a weaker record
        if gaz.field("admin1", row) == "00":
            base -= 0.6
        pid = gaz.field("pid", row)
        if pid.startswith("user:"):
            base += 20.0  # the user's own places take precedence
        elif pid.startswith("data:"):
            base += 1.0  # a place the team's own data already locates
        elif pid.startswith("ucdp:"):
            # A place where a recorded conflict event happened is the likelier reading of a
            # name in an incident report (UCDP GED's exactly located events only: code PPL).
            base += 1.2 if gaz.field("code", row) == "PPL" else 0.4
        return base

    def _seat_of_area(self, row: int, key: str) -> bool:
        """Return True when a commune or department of the same name lies around ``row``."""
        gaz = self.gazetteer
        lat, lon = gaz.lat_lon(row)
        return any(
            gaz.field("code", other) in _SEAT_AREAS
            and haversine_km(lat, lon, *gaz.lat_lon(other)) <= _SEAT_KM
            for other in gaz.lookup(key)
        )

    def _score(
        self,
        mention: Mention,
        kinds: frozenset[str],
        parents: list[Mention],
        country_ctx: str | None,
        hint: str | None,
    ) -> list[Scored]:
        gaz = self.gazetteer
        all_rows = self._rows(mention)
        rows = [r for r in all_rows if gaz.field("code", r) != "AIRP"] or all_rows
        parent_rows = [self._parent_rows(p) for p in parents]
        out = []
        for row in rows:
            fclass = gaz.field("fclass", row)
            code = gaz.field("code", row)
            cc = gaz.field("cc", row)
            score = max(self._row_base(row, key) for key in mention.keys)
            in_city = gaz.city_row(row) >= 0
            precision = precision_of(fclass, code, in_city)
            is_admin = fclass == "A" and not code.startswith("PCL")
            if "admin1" in kinds:
                score += {"ADM1": 7.0, "ADM2": 3.5, "ADM3": 1.5}.get(code, 0.0)
                if fclass == "L" and code == "RGN":
                    score += 5.0
                if fclass == "P":
                    precision = "admin1"  # the region named after this town: a point in it
            elif "admin2" in kinds:
                score += {"ADM2": 7.0, "ADM3": 6.0, "ADM1": 2.5}.get(code, 0.0)
                if fclass == "P":
                    precision = "admin2"
            elif is_admin:
                score -= 3.0  # a bare name means the town before the area named after it
            if "neighbourhood" in kinds and fclass == "P":
                if in_city or code == "PPLX":
                    score += 4.0
                if code not in CITY_CODES and code != "PPLC":
                    precision = "neighbourhood"
            if "town" in kinds:
                score += 2.0 if fclass == "P" else -2.0
            score += country_bonus(cc, country_ctx, hint)
            for prow_list in parent_rows:
                contained = max((self._containment(row, p) for p in prow_list), default=0.0)
                score += 6.0 * contained
                if contained >= 0.99 and fclass == "P" and gaz.city_row(row) in prow_list:
                    precision = "neighbourhood"
            out.append(Scored(row, score, precision))
        out.sort(key=lambda s: -s.score)
        return out

    def _parent_rows(self, mention: Mention) -> list[int]:
        gaz = self.gazetteer
        rows = self._rows(mention)
        if mention.kinds & {"admin1", "admin2"}:
            admin = [r for r in rows if gaz.field("fclass", r) == "A"]
            rows = admin or rows
        rows.sort(key=lambda r: -self._row_base(r, mention.key))
        return rows[:12]

    def _containment(self, row: int, parent: int) -> float:
        """Return how surely ``row`` lies in ``parent``: 1 inside, 0 unrelated."""
        gaz = self.gazetteer
        if row == parent:
            return 0.0
        pcode = gaz.field("code", parent)
        pclass = gaz.field("fclass", parent)
        same_cc = gaz.field("cc", row) == gaz.field("cc", parent)
        if pcode.startswith("PCL"):
            return 1.0 if same_cc else 0.0
        lat, lon = gaz.lat_lon(row)
        plat, plon = gaz.lat_lon(parent)
        dist = haversine_km(lat, lon, plat, plon)
        a1 = gaz.field("admin1", parent)
        same_a1 = same_cc and a1 not in ("", "00") and (
            gaz.field("admin1", row) == a1 or gaz.field("alt_admin1", row) == a1)
        if pcode == "ADM1":
            return 1.0 if same_a1 else (0.3 if same_cc and dist < 150 else 0.0)
        if pcode == "ADM2":
            a2 = gaz.field("admin2", parent)
            if same_a1 and a2 and gaz.field("admin2", row) == a2:
                return 1.0
            return 0.6 if dist < 60 else (0.3 if same_a1 else 0.0)
        if pclass == "A":
            return 0.8 if dist < 30 else 0.0
        if gaz.city_row(row) == parent:
            return 1.0
        if pclass == "P":
            pop = gaz.field("population", parent)
            radius = min(12.0, max(1.5, 0.25 * math.sqrt(pop / 1000)))
            if dist <= 2.5 * radius:
                return 0.9
            if dist <= 30:
                return 0.6
            if pcode in ("PPLA", "PPLC") and same_a1:
                return 0.5  # "Tessit, Gao": the regional capital stands for its region
            if pcode == "PPLA2" and same_a1 and dist < 100:
                return 0.4
            return 0.0
        return 0.6 if dist < 15 else 0.0

    def _answer(
        self,
        query: str,
        hint: str | None,
        scored: list[Scored],
        *,
        geocoder: str = "gazetteer",
        notes: list[str] | None = None,
        factor: float = 1.0,
    ) -> GeoResult:
        gaz = self.gazetteer
        best = scored[0]
        lat, lon = gaz.lat_lon(best.row)
        tolerance = TOLERANCE_KM.get(best.precision, 5.0)
        runner_up = None
        for s in scored[1:]:
            if haversine_km(lat, lon, *gaz.lat_lon(s.row)) > tolerance:
                runner_up = s
                break
        margin = best.score - runner_up.score if runner_up else 6.0
        confidence = (1.0 - 0.5 * math.exp(-max(margin, 0.0) / 2.0)) * factor
        candidates = tuple(
            Candidate(
                place_id=gaz.field("pid", s.row),
                name=gaz.field("name", s.row),
                latitude=gaz.lat_lon(s.row)[0],
                longitude=gaz.lat_lon(s.row)[1],
                geo_precision=s.precision,
                country=gaz.field("cc", s.row),
                feature_code=gaz.field("code", s.row),
                score=round(s.score, 3),
            )
            for s in scored[1:6]
        )
        pid = gaz.field("pid", best.row)
        source = self.sources.get(pid)
        notes = [*(notes or ()), *([f"point from: {source}"] if source else [])]
        return GeoResult(
            query=query,
            country_hint=hint,
            latitude=lat,
            longitude=lon,
            geo_precision=best.precision,
            matched_name=gaz.field("name", best.row),
            place_id=pid,
            confidence=round(confidence, 3),
            geocoder=geocoder,
            country=gaz.field("cc", best.row) or None,
            candidates=candidates,
            notes=tuple(notes),
            source=source,
        )
