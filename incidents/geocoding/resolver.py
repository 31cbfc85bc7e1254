"""The offline resolver: read place text the way reports write it and pick a gazetteer entry.

Reading order, each step general rather than tuned to particular places:

1. Split the text at commas and brackets and find every run of words that names a place in the
   gazetteer (longest first), skipping words that describe a facility ("gendarmerie school").
2. Attach kind words to the name they qualify: "Faladié district", "Kidal region",
   "aéroport de Gao"; words not next to a name apply to the whole text.
3. A name that is a country sets the country; the most specific other name is the place
   asked for and the rest are its parents ("… of Bamako", "Tessit, Gao region").
4. Score every place that bears the name: kind words, containment in the parents, the
   country, then administrative rank, population and how well known the name is.
5. Report the precision the chosen entry supports (airport -> site, quarter -> neighbourhood,
   populated place -> town, ADM2 -> admin2 ...), a confidence from the score margin over the
   best distinct runner-up, and the runner-ups.

Modules: ``query`` (steps 1-2 and the precision classes), ``scoring`` (step 4 and the answer),
``typos`` (a close spelling of a name the index lacks), ``areas`` (admin areas), ``airports``,
``relative`` ("20 km north of X", "between A and B"); this module holds step 3 and the order
of the steps.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from incidents.geocoding.airports import AirportReading
from incidents.geocoding.areas import AreaReading
from incidents.geocoding.gazetteer import Gazetteer, Place
from incidents.geocoding.model import Candidate, GeoResult
from incidents.geocoding.query import (
    BORDER_WORDS,
    CONNECTORS,
    PRECISION_ORDER,
    Mention,
    ParsedQuery,
    Unknown,
    coarser_of,
    is_relative,
    parse_query,
    precision_of,
)
from incidents.geocoding.relative import RelativeReading
from incidents.geocoding.scoring import CONTEXT_FACTOR, Scored, Scoring
from incidents.geocoding.spatial import read_spatial
from incidents.geocoding.typos import TypoReading

__all__ = ["Mention", "OfflineResolver", "ParsedQuery", "Unknown", "parse_query", "precision_of"]


class OfflineResolver(RelativeReading, AirportReading, TypoReading, AreaReading, Scoring):
    """Resolve place text against a ``Gazetteer`` without any network access."""

    def __init__(self, gazetteer: Gazetteer, *, cache_size: int = 50_000) -> None:
        self.gazetteer = gazetteer
        self._cache: OrderedDict[tuple[str, str | None], GeoResult] = OrderedDict()
        self._cache_size = cache_size
        self._airport_grid: dict[tuple[int, int], list[int]] | None = None
        self._areas: dict[tuple[str, ...], int] | None = None
        self._admins: dict[tuple[str, ...], str] | None = None
        self._coded_grid: dict[tuple[int, int], list[int]] | None = None
        self._typo: dict[str, dict] = {}
        self._conflict: dict[tuple[int, int], int] | None = None
        self._conflict_fine: dict[tuple[int, int], int] = {}
        self._priors: dict[int, float] = {}
        self._bases: dict[tuple[int, str], float] = {}
        self._admin_cache: dict[tuple, tuple[str | None, str | None]] = {}
        self.sources: dict[str, str] = {}  # place id -> data set, for "point from: ..."

    def add_known_places(self, places: list[Place], sources: dict[str, str]) -> int:
        """Add places stored incidents locate (``known.known_places``) as candidates, with the
        admin codes of the nearest coded place; return how many. Extends this resolver's
        gazetteer: give it a copy (``Gazetteer.copy``) when the index is shared."""
        coded = []
        for place in places:
            row = self._nearest_coded(place.lat, place.lon, place.cc or None)
            if row >= 0:
                place = replace(place, admin1=self.gazetteer.field("admin1", row),
                                admin2=self.gazetteer.field("admin2", row))
            coded.append(place)
        self.gazetteer.extend(coded)
        self.sources.update(sources)
        self._cache.clear()
        self._typo.clear()
        self._coded_grid = None
        self._admin_cache.clear()
        self._priors.clear()
        self._bases.clear()
        self._conflict = None
        return len(coded)

    def resolve(self, query: str, country: str | None = None) -> GeoResult:
        """Return the best reading of ``query`` (``country``: ISO alpha-2 hint or None)."""
        hint = (country or "").strip().upper() or None
        key = (query, hint)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        result = self._resolve(query, hint)
        self._cache[key] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result

    @staticmethod
    def _outside_hint(
        result: GeoResult, query: str, hint: str | None, country_ctx: str | None
    ) -> GeoResult:
        """A match outside the hinted country, when the text names no country, is no answer.

        An incident the data puts in Mali is not in Paris, France: rather than a confident
        point in the wrong country, the place stays unresolved for review, with the foreign
        match kept as a candidate. (A country named in the text overrides the hint before.)
        """
        if country_ctx or not (hint and result.found and result.country
                               and result.country != hint):
            return result
        foreign = Candidate(result.place_id or "", result.matched_name or "", result.latitude,
                            result.longitude, result.geo_precision or "", result.country, "",
                            result.confidence)
        in_country = tuple(c for c in result.candidates if c.country == hint)
        others = tuple(c for c in result.candidates if c.country != hint)
        miss = GeoResult.miss(
            query, hint,
            f"best match {result.matched_name!r} is in {result.country}, not in {hint}: "
            "left unresolved for review",
        )
        return replace(miss, candidates=(*in_country, foreign, *others)[:6])

    def warm(self) -> None:
        """Build the lazily built indexes now, so that first queries are as fast as later ones."""
        self.gazetteer.warm()
        self._airports_near(0.0, 0.0, 1.0)
        self._area_of_town([Scored(0, 0.0, "town")], "admin1")

    def _rows(self, mention: Mention) -> list[int]:
        gaz = self.gazetteer
        if len(mention.keys) == 1:
            return list(gaz.lookup(mention.key))
        rows: dict[int, None] = {}
        for key in mention.keys:
            rows.update(dict.fromkeys(gaz.lookup(key)))
        return list(rows)

    def _resolve(self, query: str, hint: str | None) -> GeoResult:
        spatial = read_spatial(query or "")
        if spatial is not None:
            result = self._resolve_spatial(query, hint, spatial)
        else:
            result = self._resolve_names(query, hint)
        return self.with_admin(result)

    def _resolve_names(self, query: str, hint: str | None) -> GeoResult:
        parsed = parse_query(query, self.gazetteer)
        if not parsed.mentions:
            return self._no_known_name(query, hint, parsed)
        country_ctx, places, shadowed = self._split_countries(parsed, hint)
        all_kinds = parsed.kinds.union(*(m.kinds for m in parsed.mentions))
        if "airport" in all_kinds:
            result = self._resolve_airport(query, hint, country_ctx, places)
            if result is not None:
                return self._outside_hint(result, query, hint, country_ctx)
        primary, parents = self._pick_primary(places)
        kinds = (primary.kinds | parsed.kinds) - {"airport"}
        scored = self._score(primary, kinds, parents, country_ctx, hint)
        if not scored:
            return GeoResult.miss(query, hint, "no known place name in the text")
        if kinds & {"admin1", "admin2"}:
            scored = self._area_of_town(scored, "admin1" if "admin1" in kinds else "admin2")
        notes = []
        factor = 1.0
        scored, abroad = self._keep_hinted(scored, hint, country_ctx)
        if abroad is not None:
            notes.append(abroad)
            factor *= 0.9
        cc = country_ctx or hint
        if "airport" in all_kinds:
            notes.append("the text names an airport but no airport matched; the place is used")
            factor *= 0.7
        partial = self._partial_words(parsed, primary)
        missing = self._unresolved_child(parsed, primary) or shadowed
        if missing is not None or partial is not None:
            typo = self._similar_inside(query, hint, parsed, primary, parents, missing, partial,
                                        cc)
            if typo is not None:
                return self._outside_hint(typo, query, hint, country_ctx)
        scored, weight = self._read_as_written(scored, parsed, primary, missing, partial, notes)
        factor *= weight
        if parents and missing is None:
            context = self._context(scored[0].row, parents)
            if context < 0.3:
                other = self._inside_parents(query, hint, parsed, primary, parents, country_ctx)
                if other is not None:
                    return self._outside_hint(other, query, hint, country_ctx)
                notes.append("the place lies outside the area the text names")
            factor *= CONTEXT_FACTOR[0 if context >= 0.99 else 1 if context >= 0.6 else
                                      2 if context >= 0.3 else 3]
        elif not parents:
            factor *= self._bare_factor(scored)
        if not kinds & {"admin1", "admin2"} and PRECISION_ORDER.get(scored[0].precision, 0) >= PRECISION_ORDER[
                "admin2"] and missing is None:
            scored, weight = self._plain_area(scored, primary, notes)
            factor *= weight
        result = self._answer(query, hint, scored, notes=notes, factor=factor)
        return self._outside_hint(result, query, hint, country_ctx)

    def _plain_area(self, scored: list[Scored], primary: Mention, notes: list[str]
                    ) -> tuple[list[Scored], float]:
        """A plain name read as an area (a commune with no village of that name known): the
        point is the area's centre, not the place the text means (confidence factor 0.6),
        unless a village spelled like it lies close by, the seat the area is named after
        ("Talataye" for Telataï): then that village, factor 0.8, with a note."""
        seat = self._seat_spelled_like(scored[0].row, primary.key)
        if seat is None:
            return scored, 0.6
        area = scored[0]
        gaz = self.gazetteer
        notes.append(f"{gaz.field('name', seat)!r}, spelled like the area "
                     f"{gaz.field('name', area.row)!r}, is taken for its seat")
        return [Scored(seat, area.score, "town"),
                Scored(area.row, area.score - 2.0, area.precision), *scored[1:]], 0.8

    def _no_known_name(self, query: str, hint: str | None, parsed: ParsedQuery) -> GeoResult:
        """Return the answer for a text with no name the index knows as written: a close
        spelling of its first unknown word, else a miss that says so."""
        notes = ["no known place name in the text"]
        if parsed.unknown:
            names = ", ".join(u.text for u in parsed.unknown)
            notes = [f"not in the offline gazetteer: {names}"]
            typo = self._typo_answer(query, hint, parsed.unknown[0].text, [], hint)
            if typo is not None:
                return typo
        return GeoResult.miss(query, hint, *notes)

    def _similar_inside(self, query, hint, parsed, primary, parents, missing, partial, cc):
        """"Seno Bellabe" read as "Seno", or "Qwxzvbou, Mopti region": the name asked for is
        not in the index as written. A similar name inside the named area is a better answer
        than either the partial match or the whole area (None when there is none)."""
        wanted = (" ".join(parsed.tokens[missing.segment][missing.start:missing.end])
                  if missing is not None else partial)
        if missing is not None and missing.segment != primary.segment:
            # "In-Ates": the whole segment, connectors and all, is the name.
            wanted = " ".join(parsed.tokens[missing.segment])
        area = [primary, *parents] if missing is not None else [
            p for p in parents if p.segment != primary.segment]
        return self._typo_answer(query, hint, wanted, area, cc)

    def _read_as_written(self, scored, parsed, primary, missing, partial, notes):
        """Return the scored places and the confidence factor for how the name was read (a
        similar spelling, relative to another place, only part of it, or only its area),
        adding a note for each to ``notes``."""
        factor = 1.0
        if primary.fuzzy:
            notes.append("matched by a similar spelling")
            factor *= 0.75
        if is_relative(parsed, primary):
            # "20 km north of Gao": the point is only the reference place.
            scored = [Scored(s.row, s.score, coarser_of(s.precision, "admin2")) for s in scored]
            notes.append("the place is given relative to another; the point is that place")
            factor *= 0.8
        if missing is not None:
            scored = self._coarsen(scored, primary)
            notes.append(
                f"{missing.text!r} is not in the offline gazetteer; the point stands for the "
                "larger area named with it"
            )
            factor *= 0.5
        elif partial is not None:
            notes.append(f"only part of the name matched ({partial!r} is not in the offline "
                         "gazetteer)")
            factor *= 0.5
        return scored, factor

    def _inside_parents(self, query, hint, parsed, primary, parents, country_ctx):
        """The only places of that name lie outside the area the text names: a similar name
        inside it, else the area itself, rather than a confident wrong point (None: neither)."""
        typo = self._typo_answer(query, hint, " ".join(
            parsed.tokens[primary.segment][primary.start:primary.end]), parents,
            country_ctx or hint)
        if typo is not None:
            return typo
        return self._area_answer(query, hint, parents, country_ctx, primary)

    def _keep_hinted(
        self, scored: list[Scored], hint: str | None, country_ctx: str | None
    ) -> tuple[list[Scored], str | None]:
        """Keep the namesakes in the hinted country when the best one lies abroad.

        "Sana", "Amani", "Bissa" in data about Mali are Malian villages, not Sanaa, Amman or
        Bissau: a capital's population and alternate names outweigh the hint, but the hint
        says where the place is (a foreign answer is never given under a hint anyway, see
        ``_outside_hint``). Returns the kept candidates and a note, or ``scored`` and None.
        """
        gaz = self.gazetteer
        if not hint or country_ctx or not scored or gaz.field("cc", scored[0].row) == hint:
            return scored, None
        inside = [s for s in scored if gaz.field("cc", s.row) == hint]
        if not inside:
            return scored, None
        best = scored[0].row
        return inside, (f"{gaz.field('name', best)!r} in {gaz.field('cc', best)} set aside: "
                        f"the place is read in {hint}")

    def _split_countries(
        self, parsed: ParsedQuery, hint: str | None
    ) -> tuple[str | None, list[Mention], Unknown | None]:
        """Return the country a name in the text sets, and the other names.

        A country named as a border ("Torodi, near the Burkina Faso border", "à la frontière
        du Niger") is neither the place nor its country: the hint keeps deciding.
        """
        gaz = self.gazetteer
        mentions = parsed.mentions
        country_ctx = None
        shadowed = None
        places = []
        for m in mentions:
            pcl = [r for r in self._rows(m) if gaz.field("code", r).startswith("PCL")]
            untyped = not (m.kinds - {"town"})
            if pcl and untyped and not m.fuzzy:
                tokens = parsed.tokens[m.segment]
                near = (*tokens[m.end : m.end + 2], *tokens[max(0, m.start - 4) : m.start])
                if len(mentions) > 1 and any(t in BORDER_WORDS for t in near):
                    continue
                if (hint and len(mentions) > 1 and m.segment == 0 and m.start == 0
                        and gaz.field("cc", pcl[0]) != hint
                        and any(o.segment > 0 for o in mentions)):
                    # "Salvador, Bilma, Agadez", "Perou, Bandiagara": a country's name where
                    # the text puts the place, contradicting the hint, is a village's name.
                    others = [r for r in self._rows(m) if not gaz.field("code", r).startswith(
                        "PCL")]
                    if others:
                        places.append(m)
                    else:
                        shadowed = Unknown(" ".join(parsed.tokens[m.segment][m.start:m.end]),
                                           m.segment, m.start, m.end)
                    continue
                if len(mentions) > 1 and country_ctx is None:
                    country_ctx = gaz.field("cc", pcl[0])
                    continue
            places.append(m)
        return country_ctx, places or list(mentions), shadowed

    @staticmethod
    def _pick_primary(places: list[Mention]) -> tuple[Mention, list[Mention]]:
        """Return the most specific name and the names that locate it."""
        order = {"airport": 0, "neighbourhood": 1, "town": 2, "admin2": 3, "admin1": 4}

        def rank(m: Mention) -> int:
            return min((order.get(k, 2) for k in m.kinds), default=2)

        best = min(places, key=lambda m: (rank(m), m.segment, m.start))
        return best, [m for m in places if m is not best]

    @staticmethod
    def _unresolved_child(parsed: ParsedQuery, primary: Mention) -> Unknown | None:
        """Return an unknown name the text gives as more specific than ``primary``, if any.

        "Inates, Tillabéri" or "Boulkessi near Mopti": a capitalised unknown word in an
        earlier segment that names nothing else, or just before the name with only
        connecting words between.
        """
        segments_with_names = {m.segment for m in parsed.mentions}
        for u in parsed.unknown:
            if u.segment < primary.segment and u.segment not in segments_with_names:
                return u
            first_word = u.segment == 0 and u.start == 0
            if u.segment == primary.segment and u.end <= primary.start and not first_word:
                gap = parsed.tokens[u.segment][u.end : primary.start]
                if all(t in CONNECTORS for t in gap):
                    return u
        return None

    @staticmethod
    def _partial_words(parsed: ParsedQuery, primary: Mention) -> str | None:
        """Return the whole name when the match covers only part of it ("Seno Bellabe" read as
        "Seno", "Kiri Kiri" as two "Kiri"): unknown words or other plain names right next to
        the name in the same segment."""
        before = after = None
        spans = [*parsed.unknown, *(m for m in parsed.mentions if m is not primary
                                    and not m.kinds and not primary.kinds)]
        for u in spans:
            if u.segment != primary.segment:
                continue
            if u.end == primary.start:
                before = u
            elif u.start == primary.end:
                after = u
        if before is None and after is None:
            return None
        tokens = parsed.tokens[primary.segment]
        start = before.start if before else primary.start
        end = after.end if after else primary.end
        return " ".join(tokens[start:end])
