"""Names not in the index as written: a similar spelling among the places inside the area
the text names, or of the country, when one is close enough."""

from __future__ import annotations

import math
from dataclasses import replace

from rapidfuzz import fuzz, process

from incidents.geocoding.areas import AREA_RADIUS_KM
from incidents.geocoding.model import GeoResult, haversine_km
from incidents.geocoding.normalize import normalize, skeleton
from incidents.geocoding.query import CITY_MIN_POP, CONNECTORS, DESCRIPTORS, Mention, precision_of
from incidents.geocoding.scoring import Scored

_TYPO_CONFLICT = 2.0


# Typo matching: the least Levenshtein similarity (0-100, rapidfuzz ``fuzz.ratio``) inside a
# named cercle/province, inside a named region, and anywhere in the hinted country.
_TYPO_CUTOFF = {"admin2": 72.0, "admin1": 80.0, "country": 80.0}


_TYPO_CEILING = {"admin2": 0.85, "admin1": 0.75, "country": 0.65}


_TYPO_CLASSES = frozenset("PSLHT")


def _squash(key: str) -> str:
    # Compare spellings on their skeletons ("Talataye"/"Telatai", "In-Ates"/"Inatès"): what
    # is left differs by real letters, not by French or English transcription.
    return skeleton(key.replace(" ", ""))


class TypoReading:
    """Find a close spelling of a name the index lacks (mixed into
    ``OfflineResolver``)."""

    def _typo_entries(self, cc: str) -> dict:
        """Return the typo index of one country: squashed keys, their rows, and the positions
        of each admin1 and admin2 area (built on first use)."""
        entries = self._typo.get(cc)
        if entries is not None:
            return entries
        gaz = self.gazetteer
        keys: list[str] = []
        rows: list[int] = []
        areas: dict[tuple[str, ...], list[int]] = {}
        grid: dict[tuple[int, int], list[int]] = {}
        for row in range(len(gaz)):
            if gaz.field("cc", row) != cc:
                continue
            fclass, code = gaz.field("fclass", row), gaz.field("code", row)
            if not (fclass in _TYPO_CLASSES or code == "ADM3") or code == "AIRP":
                continue
            a1, a2 = gaz.field("admin1", row), gaz.field("admin2", row)
            for key in gaz.field("keys", row):
                if len(key) < 4:
                    continue
                areas.setdefault((a1,), []).append(len(keys))
                alt = gaz.field("alt_admin1", row)
                if alt:
                    areas.setdefault((alt,), []).append(len(keys))
                if a2:
                    areas.setdefault((a1, a2), []).append(len(keys))
                lat, lon = gaz.lat_lon(row)
                grid.setdefault((math.floor(lat * 4), math.floor(lon * 4)), []).append(len(keys))
                keys.append(_squash(key))
                rows.append(row)
        entries = {"keys": keys, "rows": rows, "areas": areas, "grid": grid}
        self._typo[cc] = entries
        return entries

    def _typo_area(
        self, mentions: list[Mention], cc: str
    ) -> tuple[str, tuple[str, ...], str, int]:
        """Return the level ("admin2", "admin1", "country"), the admin codes, the name and the
        row of the smallest area the parent names describe in country ``cc``."""
        gaz = self.gazetteer
        best: tuple[str, tuple[str, ...], str, int] = ("country", (), cc, -1)
        for mention in mentions:
            for row in self._parent_rows(mention)[:6]:
                if gaz.field("cc", row) != cc or not gaz.field("admin1", row).isdigit():
                    continue
                code, fclass = gaz.field("code", row), gaz.field("fclass", row)
                a1, a2 = gaz.field("admin1", row), gaz.field("admin2", row)
                name = gaz.field("name", row)
                if code == "ADM1":
                    if best[0] == "country":
                        best = ("admin1", (a1,), name, row)
                    break
                if (code in ("ADM2", "ADM3") or fclass == "P") and a2:
                    if best[0] != "admin2" or (best[1][0] != a1):
                        best = ("admin2", (a1, a2), name, row)
                    break
        return best

    @staticmethod
    def _positions_near(entries: dict, lat: float, lon: float, km: float) -> list[int]:
        """Return the typo-index positions of places within about ``km`` of a point."""
        reach = math.ceil(km / 27.0)  # a 0.25-degree cell is about 27 km high
        cy, cx = math.floor(lat * 4), math.floor(lon * 4)
        out: list[int] = []
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                out.extend(entries["grid"].get((cy + dy, cx + dx), ()))
        return out

    def _typo_answer(
        self, query: str, hint: str | None, text: str, area: list[Mention], cc: str | None
    ) -> GeoResult | None:
        """Return the place spelled most like ``text`` ("Bomako", "Koulikouro"), inside the
        area the parent names describe, or anywhere in the country; None when nothing is
        close enough. Ranked below exact and alternate names: called only when they fail."""
        key = _squash(normalize(text))
        if cc is None or len(key) < 4 or all(w in DESCRIPTORS or w in CONNECTORS
                                             for w in normalize(text).split()):
            return None
        level, codes, area_name, anchor = self._typo_area(area, cc)
        entries = self._typo_entries(cc)
        if level == "country":
            keys, rows = entries["keys"], entries["rows"]
        else:
            positions = entries["areas"].get(codes, [])
            if level == "admin2" and len(positions) < 20:
                # The gazetteer does not say which places lie in this department (Niger):
                # the places around its centre stand for it.
                positions = self._positions_near(entries, *self.gazetteer.lat_lon(anchor),
                                                 AREA_RADIUS_KM)
            keys = [entries["keys"][i] for i in positions]
            rows = [entries["rows"][i] for i in positions]
        if not keys:
            return None
        cutoff = _TYPO_CUTOFF[level]
        hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=12)
        if not hits:
            return None
        gaz = self.gazetteer
        scored: dict[int, float] = {}
        for _key, similarity, index in hits:
            row = rows[index]
            # Similarity first; a populated place and a better-known one break ties.
            value = similarity + (1.0 if gaz.field("fclass", row) == "P" else 0.0)
            value += 0.3 * math.log10(1 + gaz.field("population", row))
            value += 0.2 * min(gaz.field("n_alt", row), 5)
            value += _TYPO_CONFLICT * self._conflict_prior(row)
            scored[row] = max(scored.get(row, 0.0), value)
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        best_row, best_value = ranked[0]
        similarity = max(sim for _k, sim, i in hits if rows[i] == best_row)
        lat, lon = gaz.lat_lon(best_row)
        rival = next((v for r, v in ranked[1:] if haversine_km(lat, lon, *gaz.lat_lon(r)) > 10),
                     None)
        confidence = _TYPO_CEILING[level] * (0.5 + 0.5 * (similarity - cutoff) / (100 - cutoff))
        if rival is not None and best_value - rival < 5:
            confidence *= 0.7
        elif level == "country" and (gaz.field("population", best_row) >= CITY_MIN_POP
                                     or gaz.field("code", best_row) in ("PPLC", "PPLA")):
            # "Bomako": a misspelt city is far likelier than an obscure village next door.
            confidence = min(0.8, confidence * 1.4)
        precision = precision_of(gaz.field("fclass", best_row), gaz.field("code", best_row),
                                 gaz.city_row(best_row) >= 0)
        where = f"in {area_name}" if level != "country" else f"in {cc}"
        result = self._answer(query, hint, [Scored(r, v, precision if r == best_row else
                                                    "town") for r, v in ranked],
                              notes=[f"{text!r} matched {gaz.field('name', best_row)!r} by "
                                     f"similar spelling ({similarity:.0f}%) {where}"])
        return replace(result, confidence=round(confidence, 3))
