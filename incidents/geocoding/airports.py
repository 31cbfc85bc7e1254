"""Airports: the airport a text names ("aéroport de Gao", "Bamako-Sénou airport"), found
by its own names or by the places it serves."""

from __future__ import annotations

import math

from incidents.geocoding.model import GeoResult, haversine_km
from incidents.geocoding.query import Mention
from incidents.geocoding.scoring import Scored, country_bonus


class AirportReading:
    """Resolve the airport a text names (mixed into ``OfflineResolver``)."""

    def _airports_near(self, lat: float, lon: float, km: float) -> list[tuple[int, float]]:
        gaz = self.gazetteer
        if self._airport_grid is None:
            grid: dict[tuple[int, int], list[int]] = {}
            for row in gaz.rows_with_code("AIRP"):
                rlat, rlon = gaz.lat_lon(row)
                grid.setdefault((math.floor(rlat), math.floor(rlon)), []).append(row)
            self._airport_grid = grid
        out = []
        cy, cx = math.floor(lat), math.floor(lon)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for row in self._airport_grid.get((cy + dy, cx + dx), ()):
                    d = haversine_km(lat, lon, *gaz.lat_lon(row))
                    if d <= km:
                        out.append((row, d))
        return out

    def _resolve_airport(
        self,
        query: str,
        hint: str | None,
        country_ctx: str | None,
        places: list[Mention],
    ) -> GeoResult | None:
        """Return the airport the text names ("Gao airport", "aéroport de Bamako-Sénou")."""
        gaz = self.gazetteer
        scores: dict[int, float] = {}
        for m in places:
            hits: dict[int, float] = {}
            rows = self._rows(m)
            for row in rows:
                if gaz.field("code", row) == "AIRP":
                    named = 3.5 if any(gaz.is_primary(k, row) for k in m.keys) else 3.0
                    hits[row] = max(hits.get(row, 0), named)
            for key in m.keys:
                for row in gaz.served_by(key):
                    hits[row] = max(hits.get(row, 0), 2.5)
            # Airports near the best few places of that name, for records that name no town.
            towns = [r for r in rows if gaz.field("fclass", r) in ("P", "A")]
            towns.sort(key=lambda r: -self._row_base(r, m.key))
            for town in towns[:3]:
                for row, d in self._airports_near(*gaz.lat_lon(town), 25.0):
                    hits[row] = max(hits.get(row, 0), 2.0 * (1 - d / 25.0) + 0.5)
            for row, value in hits.items():
                scores[row] = scores.get(row, 0.0) + value
        if not scores:
            return None
        scored = []
        for row, value in scores.items():
            cc = gaz.field("cc", row)
            score = value + 0.5 * gaz.field("size", row)
            score += country_bonus(cc, country_ctx, hint)
            if gaz.field("pid", row).startswith("user:"):
                score += 20.0
            scored.append(Scored(row, score, "site"))
        scored.sort(key=lambda s: -s.score)
        fuzzy = any(m.fuzzy for m in places)
        return self._answer(query, hint, scored, geocoder="airport",
                            factor=0.75 if fuzzy else 1.0)
