"""Places given relative to others: "20 km north of X", "between A and B", "the A-B road"."""

from __future__ import annotations

from dataclasses import replace

from incidents.geocoding.model import GeoResult, haversine_km
from incidents.geocoding.query import PRECISION_ORDER, coarser_of, compass_word
from incidents.geocoding.spatial import Between, Offset, displace, midpoint

# Offsets beyond this are not local directions ("300 km north of Gao" is another region).
_MAX_OFFSET_KM = 300.0


class RelativeReading:
    """Resolve offsets and between-places (mixed into ``OfflineResolver``)."""

    def _resolve_spatial(
        self, query: str, hint: str | None, spatial: Offset | Between
    ) -> GeoResult:
        """Return the point of "20 km north of X" or "between A and B" / "the A-B road"."""
        if isinstance(spatial, Offset):
            ref = self._resolve_names(spatial.reference, hint)
            if not ref.found:
                return replace(ref, query=query)
            if spatial.bearing is None or spatial.km > _MAX_OFFSET_KM:
                # "20 km from Gao": somewhere on a circle; the reference stands for the area.
                precision = coarser_of(ref.geo_precision or "town",
                                     "admin2" if spatial.km <= 60 else "admin1")
                if spatial.km > _MAX_OFFSET_KM:
                    precision = "country"
                return replace(
                    ref, query=query, geo_precision=precision,
                    confidence=round(min(ref.confidence * 0.6, 0.6), 3),
                    notes=(*ref.notes, f"{spatial.km:g} km from {ref.matched_name} "
                           + ("is too far to place" if spatial.km > _MAX_OFFSET_KM else
                              "in no given direction") + ": the point is that place"))
            lat, lon = displace(ref.latitude, ref.longitude, spatial.km, spatial.bearing)
            floor = "town" if spatial.km <= 2 else ("admin2" if spatial.km <= 120 else "admin1")
            return replace(
                ref, query=query, latitude=lat, longitude=lon,
                geo_precision=coarser_of(ref.geo_precision or "town", floor),
                matched_name=f"{spatial.km:g} km {compass_word(spatial.bearing)} of "
                             f"{ref.matched_name}",
                confidence=round(min(ref.confidence * 0.85, 0.85), 3),
                notes=(*ref.notes, f"displaced {spatial.km:g} km {compass_word(spatial.bearing)} "
                       f"of {ref.matched_name} ({ref.latitude:.4f}, {ref.longitude:.4f})"))
        first = self._resolve_end(spatial.first, hint)
        second = self._resolve_end(spatial.second, hint)
        found = [r for r in (first, second) if r.found]
        what = "on the road between" if spatial.road else "between"
        if not found:
            return replace(first, query=query)
        if len(found) == 1:
            only = found[0]
            return replace(
                only, query=query, geo_precision=coarser_of(only.geo_precision or "town",
                                                          "admin2"),
                confidence=round(min(only.confidence * 0.5, 0.5), 3),
                notes=(*only.notes, f"{what} two places of which only {only.matched_name} is "
                       "known: the point is that place"))
        lat, lon = midpoint(first.latitude, first.longitude, second.latitude, second.longitude)
        half = haversine_km(first.latitude, first.longitude, lat, lon)
        precision = "admin2" if half <= 50 else ("admin1" if half <= 240 else "country")
        precision = coarser_of(precision, max((r.geo_precision or "town" for r in found),
                                            key=lambda p: PRECISION_ORDER.get(p, 0)))
        return replace(
            first, query=query, latitude=lat, longitude=lon, geo_precision=precision,
            matched_name=f"{what} {first.matched_name} and {second.matched_name}",
            place_id=None, candidates=(),
            confidence=round(min(first.confidence, second.confidence, 0.85) * 0.9, 3),
            notes=(*first.notes, *second.notes,
                   f"midpoint {what} {first.matched_name} and {second.matched_name} "
                   f"({2 * half:.0f} km apart)"))

    def _resolve_end(self, text: str, hint: str | None) -> GeoResult:
        """Return one end of a road or a between-phrase: with the areas the text names, or,
        when that fails, alone (a road leaves the cercle it is reported in)."""
        result = self._resolve_names(text, hint)
        name = text.split(",")[0].strip()
        if name != text.strip() and (not result.found or result.confidence < 0.5):
            alone = self._resolve_names(name, hint)
            if alone.found and alone.confidence > result.confidence:
                return alone
        return result
