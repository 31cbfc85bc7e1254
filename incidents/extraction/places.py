"""Where: the place names of a sentence, with the facility words that go with them ("a
gendarmerie school in the Faladié district"), turned into the place text the project's
geocoder reads, and geocoded with the report as context.

A name counts as a place when the sentence puts it where places go (after "in", "at",
"near", "à", "près de" ..., before "district", "region", "airport" ..., inside the brackets
that follow a place, or as "the capital, Bamako") and the geocoder knows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from incidents.extraction.actors import find_actors
from incidents.extraction.facilities import FACILITIES, facility_kind, facility_spans
from incidents.extraction.names import (
    KIND_AFTER,
    NAME,
    is_cued,
    is_titled,
    left_for,
    name_spans,
)
from incidents.geocoding.model import GeoResult, haversine_km
from incidents.geocoding.normalize import normalize

__all__ = ["FACILITIES", "PlaceMention", "facility_kind", "find_places", "report_areas"]


Resolve = Callable[[str, str | None], GeoResult]


_DISTANCE = re.compile(
    r"^,?\s*(?:about\s+|some\s+|environ\s+|à\s+)?\d+(?:[.,]\d+)?\s*(?:km|kilometres?|"
    r"kilometers?|kilomètres?|miles?)\s*(?:\w+\s+){0,2}(?:of|from|de|du|d')\s*",
    re.I,
)


# "X, near Y", "X, close to Y", "X on the outskirts of Y", "X located 2 km from Y": the
# resolver reads the whole phrase (the point of X when it knows X near Y, else Y's).
_NEAR = re.compile(
    r"^,?\s*(?:(?:which\s+is\s+|located\s+|situated\s+|situ[ée]e?\s+)?(?:near|close\s+to|"
    r"not\s+far\s+from|outside|on\s+the\s+outskirts\s+of|in\s+the\s+vicinity\s+of|"
    r"près\s+de|non\s+loin\s+de|à\s+proximité\s+de|aux\s+environs\s+de)|"
    r"(?:located|situated|situ[ée]e?)\s+(?:about\s+|some\s+|around\s+|à\s+)?"
    r"(?:\d+|a\s+few|two|three|four|five|ten|quelques)\s*(?:km|kilometers?|kilometres?|"
    r"kilomètres?)\s+(?:\w+\s+){0,2}?(?:from|of|de|du))\s+(?:the\s+)?(?:(?:town|village|"
    r"city|commune|localité|ville)\s+(?:of\s+|de\s+)?)?",
    re.I,
)


# "the Tamaro-Kelbo road", "axis Tamaro-Kelbo", "l'axe Tamaro-Kelbo", "la route Tamaro–Kelbo":
# a stretch of road named by its two ends (an end may be two words, "Fada N'Gourma", or
# hyphenated in lower case, "I-n-Kelbo").
_END = r"[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[a-zà-ÿ][\w'’]*)*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’]*)?"
_ROAD_WORD = r"(?i:road|route|axis|axe|highway|track|piste|tronçon|troncon)"
_ROAD = re.compile(
    rf"\b{_ROAD_WORD}\s+(?:(?i:de|from|linking)\s+)?(?P<a>{_END})\s*[-–—/]\s*"
    rf"(?P<b>{_END})|(?P<c>{_END})\s*[-–—/]\s*(?P<d>{_END})\s+{_ROAD_WORD}\b"
)


# What names the spot on a road: "the Tamaro-Kelbo axis, 10 km from Sanibou", "the
# Tamaro-Kelbo road at Sorkende" (that place is read instead of the road).
_ROAD_SPOT = re.compile(
    r"^,?\s*(?:(?:about\s+|some\s+|environ\s+|à\s+)?\d+(?:[.,]\d+)?\s*(?:km|kilomet\w+|"
    r"kilomèt\w+|miles?)\b|(?:at|near|in|à|près\s+de)\s+(?:the\s+)?(?:(?:village|town|"
    r"locality|area|localité)\s+(?:of\s+|de\s+)?)?[A-ZÀ-ÖØ-Þ])"
)


def _roads(text: str) -> list[tuple[int, int, tuple[int, int], tuple[int, int]]]:
    """Return the roads a sentence names by their ends: (start, end, first end's span,
    second end's span)."""
    out = []
    for m in _ROAD.finditer(text):
        first, second = ("a", "b") if m.group("a") else ("c", "d")
        out.append((m.start(), m.end(), m.span(first), m.span(second)))
    return out


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a sentence: the words, the text sent to the geocoder, its answer."""

    start: int
    end: int
    text: str
    query: str
    facility: str | None  # kind of site ("airport", "gendarmerie" ...), None for a bare name
    result: GeoResult


def _tail(text: str, b: int, names: list[tuple[int, int]], distance: bool = True) -> int:
    """Return where the place phrase that ends a name at ``b`` ends: kind word, "of X",
    brackets "(A, B)", ", 20 km north of X"."""
    end = b
    while True:
        rest = text[end:]
        kind = KIND_AFTER.match(rest)
        if kind:
            end += kind.end()
            continue
        of = re.match(r"^\s+(?:of|de|du|d'|d’)\s*", rest)
        if of and any(a == end + of.end() for a, _ in names):
            end = next(y for a, y in names if a == end + of.end())
            continue
        edited = _EDITED.match(rest)
        if edited:
            end += edited.end()
            continue
        bracket = re.match(r"^\s*\(([^()]{1,80})\)", rest)
        if (
            bracket
            and re.match(r"\s*[A-ZÀ-Þ]", bracket.group(1))
            and not re.search(r"\d{4}|\b(?:JNIM|ISGS|EIGS)\b", bracket.group(1))
        ):
            end += bracket.end()
            continue
        apposed = _apposed(text, end, names)
        if apposed is not None:
            end = apposed
            continue
        distance = _DISTANCE.match(rest) if distance else None
        if distance and any(a == end + distance.end() for a, _ in names):
            end = next(y for a, y in names if a == end + distance.end())
            continue
        return end


# "Tamaro [Tamarou]": the editor's spelling of the name just before, in square brackets.
_EDITED = re.compile(r"^\s*\[([A-ZÀ-Þ][^\[\]\d]{1,60})\]")


_AREA_KIND = (r"(?:region|région|province|cercle|circle|department|département|commune|"
              r"prefecture|préfecture|municipality|area|zone|district)")


# ", Cercle of Bandiagara", ", in the commune of", ", Soum province", ", Youwarou": what may
# stand between a place and the area it is put in.
_APPOSED_LEAD = re.compile(
    rf"^,\s*(?:(?:in\s+|of\s+|dans\s+)?(?:the\s+|la\s+|le\s+|l'|l’)?{_AREA_KIND}\s+"
    r"(?:of\s+|de\s+|du\s+|d'|d’)?)?",
    re.I,
)


# After the area's name: the list goes on (", Kaya", "and Dori") or the name is a subject
# ("Bamako, President Keita said"): then the second name is no area of the first.
_LIST_GOES_ON = re.compile(r"^\s*(?:,\s*(?:and\s+|et\s+|or\s+|ou\s+)?[A-ZÀ-Þ]|"
                           r"(?:and|et|or|ou|&)\s)|^\s+[a-zà-ÿ]")


def _apposed(text: str, end: int, names: list[tuple[int, int]]) -> int | None:
    """Return where "X, Y" ends when Y is the area X is put in ("Ouo, Cercle of Bandiagara",
    "Boura, Sissili Province", "Karpala, Ouagadougou."), None when Y is the next item of a
    list ("Tenkodogo, Kaya, Dori and Dedougou") or no name follows."""
    lead = _APPOSED_LEAD.match(text[end:])
    if lead is None:
        return None
    at = end + lead.end()
    second = next((y for x, y in names if x == at), None)
    if second is None:
        return None
    kind = KIND_AFTER.match(text[second:])
    worded = re.search(_AREA_KIND, lead.group(0), re.I) is not None
    if kind and re.search(_AREA_KIND, kind.group(0), re.I):
        return second + kind.end()
    if worded or not _LIST_GOES_ON.match(text[second:]):
        return second
    return None


def _relation(
    text: str, a: int, b: int, names: list[tuple[int, int]]
) -> tuple[str, int, int, int] | None:
    """Return how the place named at ``a:b`` is tied to a second one: ("between", start of
    "between", second name's start, end of the phrase) for "between A and B (X, Y)", ("near",
    ...) for "A, near B (X)" / "A located 2 km from B"; None otherwise."""
    before = text[max(0, a - 40) : a]
    lead = re.search(
        r"\b(?:between|entre)\s+(?:the\s+)?(?:(?:villages?|towns?|localities|localités|de|"
        r"des)\s+)?(?:of\s+)?$",
        before,
        re.I,
    )
    own_end = _tail(text, b, names)
    if lead:
        join = re.match(
            r"^\s+(?:and|et)\s+(?:the\s+)?(?:(?:village|town|locality|localité|de|du)\s+)?"
            r"(?:of\s+)?",
            text[b:],
        )
        second = next(((x, y) for x, y in names if join and x == b + join.end()), None)
        if second:
            return "between", a - len(before) + lead.start(), second[0], _tail(
                text, second[1], names
            )
    near = _NEAR.match(text[own_end:])
    second = next(((x, y) for x, y in names if near and x == own_end + near.end()), None)
    if second:
        return "near", a, second[0], _tail(text, second[1], names)
    named = _named_facility(text, a, own_end)
    second = next(((x, y) for x, y in names if named is not None and x == named), None)
    if second:
        # "the Kelbo hospital in Tamaro", "the Kelbo market in Tamaro": the name is the
        # facility's, or a district of the town it is in
        return "in", a, second[0], _tail(text, second[1], names)
    bare_end = _tail(text, b, names, distance=False)
    offset = _DISTANCE.match(text[bare_end:])
    second = next(((x, y) for x, y in names if offset and x == bare_end + offset.end()), None)
    if second:
        # "Atara, 25 km from Niafunke": the phrase from the distance on is read by the
        # resolver (offset from the second place); the place's own name is checked against it
        lead = len(re.match(r"^,?\s*", text[bare_end:]).group(0))
        return "offset", a, bare_end + lead, _tail(text, second[1], names)
    return None


_IN_TOWN = re.compile(r"\s+(?:in|at|à|au)\s+(?:the\s+|la\s+|le\s+)?(?:(?:town|city|ville)\s+"
                      r"(?:of\s+|de\s+)?)?")


def _named_facility(text: str, a: int, own_end: int) -> int | None:
    """Where the town starts in "the Kelbo market in Tamaro" / "the Kelbo hospital in
    Tamaro" (the name at ``a`` ends its phrase at ``own_end``), else None."""
    end = own_end
    if not facility_kind(text[a:own_end].split()[-1]):
        # the facility words right after the name (a short window: the rest of a long
        # sentence is not read again for every name)
        fac = next((fb for fa, fb, _ in facility_spans(text[own_end : own_end + 60])
                    if not text[own_end : own_end + fa].strip()), None)
        if fac is None:
            return None
        end = own_end + fac
    town = _IN_TOWN.match(text, end)
    return town.end() if town else None


def find_places(
    text: str,
    resolve: Resolve,
    *,
    country: str | None,
    offset: int = 0,
    actor_spans: list[tuple[int, int]] = (),
    context: GeoResult | None = None,
    areas: str | None = None,
    loose: bool = False,
    lenient: bool = False,
    named: tuple[GeoResult, ...] = (),
    here: tuple[GeoResult, ...] = (),
) -> list[PlaceMention]:
    """Return the places of one sentence, geocoded.

    ``loose`` takes names wherever they stand ("raided Bamba", "air strikes over Tessalit"),
    for a report where no cued name is a place: only names the gazetteer knows as written,
    with confidence.

    ``areas`` names the administrative areas the report puts its events in ("Matiacoali,
    Gourma" from "in Boulgou (Matiacoali, Gourma)", "Soum Province"): a place named without
    areas of its own is looked for inside them first, so that a village is not read as a
    namesake hundreds of kilometres away.

    ``lenient`` keeps a cued name the geocoder matched only by a distant spelling, for a
    report that names no other place (a village the index spells differently).

    ``named`` are the places the report names (a first reading), ``here`` those of this
    sentence: a spelling match far from all of those it names exactly is read near them
    instead, or at one this sentence names (``_spelled_far``).

    ``context`` is the report's main place (the town most of it is about): a facility named
    without a place ("the airport") is looked for there, and a name several places bear
    ("Faladié") is read as the one near it when the plain reading is elsewhere.
    """
    local_actors = [(x - offset, y - offset) for x, y in actor_spans]
    names = name_spans(text, local_actors)
    facilities = facility_spans(text)
    mentions: list[PlaceMention] = []
    used_fac: set[int] = set()
    consumed_until = -1
    prev_end: int | None = None
    roads = _roads(text)
    for a, b in names:
        if a < consumed_until:
            continue
        road = next((r for r in roads if r[2][0] <= a < r[3][1]), None)
        if road is not None and not _ROAD_SPOT.match(text[road[1]:]):
            result = _road(resolve, text, road, country, context, areas)
            if result is not None:
                phrase = text[road[0]:road[1]]
                mentions.append(PlaceMention(road[0] + offset, road[1] + offset, phrase,
                                             _query(phrase), None, result))
                consumed_until = prev_end = road[1]
                continue
        if not (loose or is_cued(text, a, b, prev_end)):
            continue
        relation = _relation(text, a, b, names)
        if relation:
            start, second, end = relation[1], relation[2], relation[3]
        else:
            start, end = a, _tail(text, b, names)
        start, end, fac = _with_facility(text, a, start, end, facilities, used_fac)
        phrase = text[start:end]
        if relation:
            result = _related(resolve, text, a, b, second, end, names, relation[0], country,
                              context, areas)
        else:
            result = _geocode_edited(resolve, phrase, text[a:b], country, context, areas)
        if _dropped(result, text, a, fac, loose, lenient):
            prev_end = None
            continue
        result = _spelled_far(resolve, result, text[a:b], _query(phrase), country, named,
                              here)
        mentions.append(
            PlaceMention(start + offset, end + offset, phrase, _query(phrase), fac, result)
        )
        consumed_until = end
        prev_end = end
    titled = [m for m in mentions if is_titled(text, m.start - offset, m.start - offset
                                                + len(_first_name(m.text)))]
    if titled and any(m not in titled and not left_for(text, m.start - offset)
                      for m in mentions):
        # "the mayor of Tamaro was killed in Kelbo": the office is Tamaro's, the event Kelbo's
        # (but "the mayor of Tamaro, back from Kelbo" or "... who fled toward Kelbo" is
        # Tamaro's)
        mentions = [m for m in mentions if m not in titled]
    for i, (fa, fb, kind) in enumerate(facilities):
        if (
            i in used_fac
            or context is None
            or any(m.start - offset <= fa < m.end - offset for m in mentions)
        ):
            continue
        phrase = text[fa:fb]
        query = f"{_query(phrase)}, {context.matched_name or context.query}"
        result = resolve(query, country)
        if result.found:
            mentions.append(PlaceMention(fa + offset, fb + offset, phrase, query, kind, result))
    return sorted(mentions, key=lambda m: m.start)


def _first_name(phrase: str) -> str:
    """The first name of a place phrase ("Tamaro (Kelbo)" -> "Tamaro")."""
    at = re.match(rf"\s*{NAME}(?:[\s-]+{NAME})*", phrase)
    return at.group(0) if at else phrase


def _with_facility(text: str, a: int, start: int, end: int, facilities, used: set[int]
                   ) -> tuple[int, int, str | None]:
    """Widen the place phrase at ``start:end`` (name at ``a``) to the facility words that go
    with it ("the gendarmerie in X", "X airport"): its new bounds and the facility's kind."""
    fac = None
    for i, (fa, fb, kind) in enumerate(facilities):
        gap = text[fb:a]
        if fb <= a and re.fullmatch(
            r"\s*(?:(?:in|at|of|near|on|inside|within|à|a|au|de|du|des|d'|d’|dans|"
            r"près\s+de|the|la|le|les|l'|l’)\s*){1,3}",
            gap,
        ):
            start, fac = fa, kind
            used.add(i)
        elif a <= fa and fb <= end + 12 and fa < end + 12 and kind == "airport":
            end, fac = max(end, fb), kind
            used.add(i)
    return start, end, fac


def _dropped(result: GeoResult | None, text: str, a: int, fac: str | None, loose: bool,
             lenient: bool) -> bool:
    """Whether a reading is no place of the sentence: not found, a spelling match the
    geocoder barely trusts, a loose name not known as written, "the X" matched only by
    spelling."""
    spelled = result is not None and any("similar spelling" in n for n in result.notes)
    return (
        result is None
        or not result.found
        or (_far_fetched(result) and not lenient)
        or (loose and (result.confidence < 0.6 or spelled))
        or (fac is None and spelled
            and re.search(r"\bthe\s+$", text[max(0, a - 5) : a], re.I) is not None)
    )


def not_known_near(other: GeoResult, words: str, where: str) -> GeoResult:
    """The point of the place ``where`` stands for, when the report's ``words`` name no place
    the geocoder knows near it ("Tamaro in the Kelbo area", Tamaro read far away)."""
    return other.with_notes(f"'{words}' is not known near {where}; the point is "
                            f"{other.matched_name}'s")


def _related(resolve, text, a, b, second, end, names, how, country, context, areas):
    """Geocode "between A and B" / "A near B": A's point when A is known within 30 km of B
    (or B is unknown); else B's, with a note. The coding projects place an event "between A
    and B" at the first named end rather than at a midpoint that may be no place at all.
    "the A market in B" ("in"): A's point only when A is a district or a site of B."""
    own = _query(text[a : _tail(text, b, names, distance=False)])
    tail = text[second:end]
    bracket = re.search(r"\(([^()]+)\)", tail)
    where = bracket.group(1) if bracket else areas
    first = _geocode(resolve, own, text[a:b], country, context, where)
    other = _geocode(resolve, tail, text[second : second + len(tail.split("(")[0].rstrip())],
                     country, context, areas)
    km = re.search(r"\d+(?:[.,]\d+)?", tail) if how == "offset" else None
    reach = float(km.group(0).replace(",", ".")) + 15 if km else 30
    if how != "offset":
        first = _namesake_near(resolve, own, first, other, country,
                               _BETWEEN_KM if how == "between" else reach)
    if how == "in" and other is not None and other.found:
        return _in_town(resolve, text[a:b], _query(tail), first, other, country, reach)
    close = (
        first is not None
        and first.found
        and (
            how == "between"
            or other is None
            or not other.found
            or haversine_km(first.latitude, first.longitude, other.latitude, other.longitude)
            <= reach
        )
    )
    if close:
        word = {"between": "between it and", "near": "near"}.get(how, "at")
        return first.with_notes(f"{first.matched_name}: the report "
                                f"places the event {word} {_query(tail)}")
    if other is not None and other.found:
        return not_known_near(other, text[a:b], _query(tail))
    return first


def _road(resolve, text, road, country, context, areas) -> GeoResult | None:
    """"the Tamaro-Kelbo road": the point of its first named end, else of the other; None
    when the geocoder knows neither. Like "between A and B", the coding projects place an
    event on a road at a named end rather than at a midpoint that may be no place at all."""
    (a, b), (c, d) = road[2], road[3]
    ends = [_geocode(resolve, text[a:b], text[a:b], country, context, areas),
            _geocode(resolve, text[c:d], text[c:d], country, context, areas)]
    ends = [r for r in ends if r is not None and r.found and not _far_fetched(r)
            and r.geo_precision not in (*_AREAS, "country")]
    if not ends:
        return None
    first, second = _query(text[a:b]), _query(text[c:d])
    return ends[0].with_notes(f"{ends[0].matched_name}: the report places the event on the "
                              f"road between {first} and {second}, at its first known end")


def _in_town(resolve, words: str, town: str, first, other, country, reach: float):
    """"the Tamaro market in Kelbo" (``first`` is Tamaro's reading, ``other`` Kelbo's):
    Tamaro's point when it is a district or a site near Kelbo; else Kelbo's (the Kelbo near
    Tamaro when Tamaro is a town and Kelbo has a namesake there: Tamaro's market)."""
    found = first is not None and first.found
    near = found and haversine_km(first.latitude, first.longitude, other.latitude,
                                  other.longitude) <= reach
    if near and first.geo_precision in ("site", "neighbourhood"):
        return first.with_notes(f"{first.matched_name}: the report "
                                f"places the event in {town}")
    if near:
        return other.with_notes(f"'{words}' names a site in {town}; "
                                f"the point is {other.matched_name}'s")
    if found and first.geo_precision == "town" and not any(
            "similar spelling" in n or "part of the name" in n for n in first.notes):
        namesake = _namesake_near(resolve, town, other, first, country, reach)
        if namesake is not other:
            return namesake
    return not_known_near(other, words, town)


# How far apart the two ends of "between A and B" may be: a stretch of road between two
# villages, not two places in different regions.
_BETWEEN_KM = 60.0


def _namesake_near(resolve, own: str, first, other, country, reach: float):
    """"between Tamaro and Kelbo", "Tamaro near Kelbo": when the plain reading of the first
    place lies far from the second, the namesake of the first near the second (the resolver
    reads "A, B" with B as context) is the place meant; the plain reading otherwise."""
    if (
        first is None
        or not first.found
        or other is None
        or not other.found
        or other.geo_precision not in ("town", "neighbourhood", "site")
        or haversine_km(first.latitude, first.longitude, other.latitude, other.longitude)
        <= reach
    ):
        return first
    again = resolve(f"{own}, {other.matched_name or other.query}", country)
    if (
        again.found
        and again.place_id != other.place_id
        and again.geo_precision not in _AREAS
        and not any("similar spelling" in n or "not in the offline" in n for n in again.notes)
        and haversine_km(again.latitude, again.longitude, other.latitude, other.longitude)
        <= reach
    ):
        return again.with_notes(f"{again.matched_name}: the namesake "
                                f"near {other.matched_name}")
    return first


_AREAS = {"admin2": 150.0, "admin1": 400.0}


def _finer(bare: GeoResult, area: GeoResult, name: str) -> GeoResult:
    """"the gendarmerie in Kantchari (Kantchari, Tapoa)" read as the department: the
    name alone, when the geocoder places it inside that area, is the finer reading."""
    if (
        bare.found
        and bare.geo_precision not in (*_AREAS, "country")
        and not _far_fetched(bare)
        and haversine_km(bare.latitude, bare.longitude, area.latitude, area.longitude)
        <= _AREAS[area.geo_precision]
    ):
        return bare.with_notes(f"'{name}' read alone: the place inside "
                               f"{area.matched_name}")
    return area


# The least confidence of a spelling match taken for a place the text names: inside an area
# the text names, and anywhere in the country (a close spelling of an unknown village is
# as likely another village elsewhere: of the country-wide matches at 80-85% similarity only
# a few in ten were the place on the development notes).
_FAR_FETCHED = {"area": 0.3, "country": 0.42}


def _far_fetched(result: GeoResult) -> bool:
    """A spelling match the geocoder itself barely trusts ("Signal" read as the village Sina)
    is no place named in the text: a report's word is taken for a place only when the match
    is close (a misspelt "Bomako" still is Bamako), the more so with no area to look in."""
    if not any("similar spelling" in n for n in result.notes):
        return False
    return result.confidence < _FAR_FETCHED["area" if "," in result.query else "country"]


def _query(phrase: str) -> str:
    phrase = re.sub(r"\s*\[[^\[\]]*\]", "", phrase)
    return " ".join(phrase.replace("(", ", ").replace(")", " ").split()).strip(" ,")


def _edited(phrase: str, name: str) -> tuple[str, str] | None:
    """Return the phrase and name with the editor's spelling in place of the name ("Tamaro
    [Tamarou] (Kelbo)" -> "Tamarou (Kelbo)"), None when the name has none."""
    at = phrase.find(name)
    edited = _EDITED.match(phrase[at + len(name):]) if at >= 0 else None
    if edited is None:
        return None
    alt = edited.group(1).strip()
    return phrase[:at] + alt + phrase[at + len(name) + edited.end():], alt


def _geocode_edited(resolve, phrase, name, country, context, areas) -> GeoResult | None:
    """Geocode a name the way ``_geocode`` does, reading first the editor's spelling the text
    gives in square brackets ("Tamaro [Tamarou] (Kelbo)"), when the geocoder knows it as
    written; the name as the text writes it otherwise."""
    edited = _edited(phrase, name)
    if edited is not None:
        result = _geocode(resolve, *edited, country, context, areas)
        if result is not None and result.found and not _spelled(result):
            return result
    return _geocode(resolve, phrase, name, country, context, areas)


def _geocode(
    resolve: Resolve,
    phrase: str,
    name: str,
    country: str | None,
    context: GeoResult | None,
    areas: str | None = None,
) -> GeoResult | None:
    query = _query(phrase)
    if areas and "," not in query and normalize(name) not in normalize(areas):
        within = resolve(f"{query}, {areas}", country)
        if within.found:
            return within
    result = resolve(query, country)
    if not result.found and query != name:
        result = resolve(name, country)
    elif result.geo_precision in _AREAS and query != name:
        result = _finer(resolve(name, country), result, name)
    if context is None or not context.found or context.geo_precision in ("admin1", "country"):
        return result
    near = [
        c
        for c in result.candidates
        if haversine_km(c.latitude, c.longitude, context.latitude, context.longitude) <= 30
    ]
    here = (
        result.found
        and haversine_km(result.latitude, result.longitude, context.latitude, context.longitude)
        <= 30
    )
    if not result.found or (near and not here):
        again = resolve(f"{query}, {context.matched_name or context.query}", country)
        if (
            again.found
            and again.place_id != context.place_id
            and haversine_km(again.latitude, again.longitude, context.latitude, context.longitude)
            <= 30
        ):
            return again
    return result


# "Tamaro (Kelbo, Sanibou)", "Tamaro [Tamarou] (Kelbo)"
_AREA_BRACKET = re.compile(rf"{NAME}(?:\s*\[[^\[\]]{{1,60}}\])?\s*\(([A-ZÀ-Þ][^()\d]{{1,70}})\)")


_AREA_WORD = re.compile(
    rf"\b(?:{NAME}\s+(?:region|région|province|cercle|department|département|commune|"
    r"prefecture|préfecture)\b|(?:the\s+|la\s+|le\s+)?(?:region|région|province|cercle|"
    r"department|département|commune)\s+(?:of\s+|de\s+|du\s+)?"
    rf"{NAME}(?:[\s-]+{NAME})?)"
)


def report_areas(mentions: list[PlaceMention], text: str) -> str | None:
    """Return the administrative areas a report puts its events in: the brackets of its first
    place ("Boulgou (Matiacoali, Gourma)" -> "Matiacoali, Gourma"), else an area it names
    ("in the Soum Province"), else None."""
    for inner in _AREA_BRACKET.finditer(text):
        if not re.search(r"\b[A-Z]{2,}\b|\b(?:coded|approx|as)\b", inner.group(1)) and not any(
            a.group for a in find_actors(inner.group(1), 0)
        ):
            # "JNIM (Katiba Macina)" names a group, not the area of a place
            return inner.group(1).strip()
    for m in mentions:
        if m.result.geo_precision in ("admin2", "admin1") and _AREA_WORD.search(m.text):
            return _query(m.text)
    return None


# How far a spelling match may lie from every place the report names exactly before it is
# taken for another village than the one meant.
_SPELLED_FAR_KM = 100.0


def _spelled(result: GeoResult) -> bool:
    return any("similar spelling" in n for n in result.notes)


def _spelled_far(resolve, result: GeoResult, name: str, query: str, country,
                 named: tuple[GeoResult, ...], here: tuple[GeoResult, ...] = ()) -> GeoResult:
    """A spelling match far from every place the report names exactly ("Tamaro (Kelbo,
    Sanibou)" read as a village 400 km from Kelbo; "Tamaro ... fled to Kelbo") is another
    village: the place meant is the namesake or similar spelling near the named place
    (tried for the report's other places), else the named place itself when the same
    sentence names it (not a place another sentence names for another reason: "The
    government in Kelbo condemned the attack"), with a note."""
    if not result.found or not _spelled(result):
        return result
    anchors = []
    parts = [p.strip() for p in query.split(",")]
    for n in range(1, len(parts)):
        # the areas the phrase puts the place in, the smallest the geocoder knows
        own = resolve(", ".join(parts[n:]), country)
        if own.found and not any("similar spelling" in x or "not in the offline" in x
                                 for x in own.notes):
            anchors.append((own, False))
            break
    # then the other places the report names as written (the first is the fallback's)
    anchors += [(other, True) for other in named if other.found and not _spelled(other)]
    anchors = [(a, retry) for a, retry in anchors
               if a.geo_precision in ("town", "neighbourhood", "site", "admin2")]
    if not anchors or min(
        haversine_km(result.latitude, result.longitude, a.latitude, a.longitude)
        for a, _ in anchors
    ) <= _SPELLED_FAR_KM:
        return result
    anchor, retry = anchors[0]
    if retry:
        again = resolve(f"{name}, {anchor.matched_name or anchor.query}", country)
        if (again.found and again.place_id != anchor.place_id
                and again.geo_precision in ("town", "neighbourhood", "site")
                and not any(x.startswith("no place called") for x in again.notes)
                and haversine_km(again.latitude, again.longitude, anchor.latitude,
                                 anchor.longitude) <= _SPELLED_FAR_KM):
            return again.with_notes(f"{again.matched_name}: the namesake "
                                    f"near {anchor.matched_name}")
    if retry and not any(anchor.place_id == h.place_id and anchor.query == h.query
                         for h in here):
        return result
    return not_known_near(anchor, name, anchor.matched_name)
