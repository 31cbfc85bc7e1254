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
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from incidents.geocoding.gazetteer import Gazetteer, Place
from incidents.geocoding.model import TOLERANCE_KM, Candidate, GeoResult, haversine_km
from incidents.geocoding.normalize import normalize, skeleton
from incidents.geocoding.spatial import Between, Offset, displace, midpoint, read_spatial

__all__ = ["Mention", "OfflineResolver", "ParsedQuery", "Unknown", "parse_query", "precision_of"]

SAHEL = frozenset({"ML", "BF", "NE"})
CITY_MIN_POP = 50_000

# -- vocabulary ------------------------------------------------------------------------------
# Kind words, English and French (already folded by ``normalize``).
_KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["airport", "airports", "aeroport", "aeroports", "airfield", "airstrip", "aerodrome",
         "airbase", "heliport"], "airport"),
    **dict.fromkeys(
        ["district", "districts", "quartier", "quartiers", "neighbourhood", "neighborhood",
         "neighbourhoods", "neighborhoods", "quarter", "suburb", "suburbs", "faubourg",
         "secteur", "sector", "banlieue"], "neighbourhood"),
    **dict.fromkeys(["region", "regions", "wilaya", "state", "governorate"], "admin1"),
    **dict.fromkeys(
        ["cercle", "circle", "province", "department", "departement", "prefecture", "county",
         "prefecture"], "admin2"),
    **dict.fromkeys(
        ["town", "village", "city", "ville", "locality", "localite", "hamlet", "hameau",
         "settlement", "bourg", "agglomeration"], "town"),
}
# Two-word kind phrases: "air base", "base aerienne".
_KIND_PHRASES: dict[tuple[str, str], str] = {
    ("air", "base"): "airport",
    ("base", "aerienne"): "airport",
    ("air", "field"): "airport",
    ("air", "strip"): "airport",
}
_CONNECTORS = frozenset((
    "of", "in", "at", "near", "de", "du", "des", "d", "la", "le", "les", "l", "the", "a", "an",
    "au", "aux", "en", "dans", "pres", "around", "outside", "inside", "from", "to", "and", "et",
    "on", "sur", "by", "within", "close", "next", "area", "zone", "outskirts", "environs",
    "vicinity", "proximite", "abords", "peripherie", "periphery", "between", "entre",
))


def _words(text: str) -> list[str]:
    return text.split()


# Words that describe what happened or which facility, never a place on their own (several
# are also the names of hamlets somewhere, which must not capture the query).
_DESCRIPTORS = frozenset(_words(
    # facilities and units
    "school ecole college lycee university universite madrasa gendarmerie brigade military "
    "militaire army armee soldiers troops camp base barracks caserne garrison outpost fob "
    "detachment battalion bataillon regiment squadron unit post poste checkpoint police "
    "commissariat customs douane douanes guard garde station market marche mosque mosquee "
    "church eglise hospital hopital clinic health centre center prison jail bridge pont "
    "road route axis axe highway mine mines site compound residence office bureau "
    "headquarters hq ministry embassy hotel restaurant bar bus terminal port harbour stadium "
    "palace palais court tribunal bank factory warehouse depot tower antenna mission "
    "minusma barkhane training academy forces force national nationale presidential "
    "zone industrial industrielle area secteur sector commune rural urban urbaine rurale "
    "town village city ville locality localite hamlet border frontier frontiere triangle "
    # armed forces, missions and groups whose names are also hamlets somewhere ("FAMa")
    "fama faman fds vdp minusma misma eutm eucap takuba serval sabre wagner "
    "koglweogo koglweogos dozo dozos jnim gsim eigs isgs iswap aqim aqmi mujao mnla hcua cma "
    "gatia msa platform plateforme katiba ecowas cedeao g5 "
    "gendarmes policemen militants jihadists jihadistes terrorists terroristes "
    "bush forest foret river fleuve lake lac well puits dam barrage gold mining "
    # events
    "attack attaque attacks attaques ambush embuscade convoy clash clashes affrontements "
    "raid strike frappe explosion ied bombing killing killings massacre kidnapping "
    "abduction enlevement incident incidents fighting combats protest manifestation "
    # directions and distances
    "north south east west nord sud est ouest northern southern eastern western central "
    "northeast northwest southeast southwest km kilometres kilometers miles about some "
    "approximately environ nearby new old grand petit great little upper lower haut bas "
    "haute basse saint st sainte mount mont hill colline island ile "
    "the of in at de du des la le les on"
))
_DIRECTIONS = frozenset(_words(
    "north south east west nord sud est ouest northeast northwest southeast southwest "
    "outskirts environs km kilometres kilometers miles northern southern eastern western"
))
_SPLIT = re.compile(r"[,;:()\[\]/|]+|\s[-\u2013\u2014]\s")

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
_CITY_CODES = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLG"})


def precision_of(fclass: str, code: str, in_city: bool = False) -> str:
    """Return the precision class a gazetteer entry supports.

    Airports and other facilities are sites; a section of a populated place (PPLX, or a
    populated place that lies inside a city) is a neighbourhood; other populated places are
    towns; ADM1 is admin1; ADM2 and finer administrative areas are admin2 (a commune is
    smaller than a cercle, but a point in it is known no better than that); countries are
    countries. Regions (L RGN) are admin1, other areas admin2, localities towns.
    """
    if code.startswith("PCL"):
        return "country"
    if fclass == "A":
        return "admin1" if code == "ADM1" else "admin2"
    if fclass == "P":
        if code == "PPLX" or (in_city and code not in _CITY_CODES and code != "PPLC"):
            return "neighbourhood"
        return "town"
    if fclass == "L":
        return {"RGN": "admin1", "AREA": "admin2", "LCTY": "town"}.get(code, "site")
    return "site"


# -- parsing -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A run of words that names a place, with the kind words that qualify it.

    ``keys`` are the gazetteer keys it matched: one for an exact match, the similar spellings
    for a ``fuzzy`` one.
    """

    keys: tuple[str, ...]
    segment: int
    start: int
    end: int
    kinds: frozenset[str] = frozenset()
    fuzzy: bool = False

    @property
    def key(self) -> str:
        """The first key (the text itself for an exact match)."""
        return self.keys[0]


@dataclass(frozen=True)
class Unknown:
    """A run of words that looks like a place name but is not in the gazetteer."""

    text: str
    segment: int
    start: int
    end: int


@dataclass(frozen=True)
class ParsedQuery:
    """What the text says: the place names it contains and its kind words."""

    text: str
    mentions: tuple[Mention, ...]
    kinds: frozenset[str] = field(default_factory=frozenset)  # kind words not next to a name
    unknown: tuple[Unknown, ...] = ()
    tokens: tuple[tuple[str, ...], ...] = ()  # the words of each segment


def _kind_at(tokens: list[str], i: int) -> tuple[str | None, int]:
    """Return (kind, length) of a kind word or phrase starting at ``tokens[i]``."""
    if i + 1 < len(tokens):
        phrase = _KIND_PHRASES.get((tokens[i], tokens[i + 1]))
        if phrase:
            return phrase, 2
    return _KIND_WORDS.get(tokens[i]), 1


def _segment_tokens(raw: str) -> tuple[list[str], list[bool]]:
    """Return the folded words of a segment and whether each was capitalised in the text."""
    tokens: list[str] = []
    caps: list[bool] = []
    for word in re.split(r"[\s\-\u2010-\u2015]+", raw):
        folded = normalize(word).split()
        letters = [c for c in word if c.isalpha()]
        cap = bool(letters) and letters[0].isupper()
        tokens.extend(folded)
        caps.extend([cap] * len(folded))
    return tokens, caps


def _is_plain_word(token: str) -> bool:
    return (token in _CONNECTORS or token in _KIND_WORDS or token in _DESCRIPTORS
            or token.isdigit() or len(token) < 3)


def parse_query(text: str, gazetteer: Gazetteer) -> ParsedQuery:
    """Return the place names, kind words and unknown names of ``text``."""
    raw_segments = [s for s in _SPLIT.split(text or "") if s.strip()]
    segments = [_segment_tokens(s) for s in raw_segments]
    segments = [(t, c) for t, c in segments if t]
    total_tokens = sum(len(t) for t, _ in segments)
    any_caps = any(any(c) for _, c in segments)
    max_words = min(gazetteer.max_key_words, 7)
    mentions: list[Mention] = []
    unknown: list[Unknown] = []
    loose: set[str] = set()
    for seg_no, (tokens, caps) in enumerate(segments):
        kinds_at: dict[int, tuple[str, int]] = {}
        for i in range(len(tokens)):
            kind, length = _kind_at(tokens, i)
            if kind:
                kinds_at[i] = (kind, length)
        seg_mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = _exact_at(tokens, i, max_words, gazetteer, kinds_at, total_tokens,
                              lead=caps[i] if any_caps else i == 0)
            fuzzy = False
            if found is None and not _is_plain_word(tokens[i]) and (caps[i] or not any_caps):
                found = _fuzzy_at(tokens, i, gazetteer)
                fuzzy = found is not None
            if found is None:
                if not _is_plain_word(tokens[i]) and (caps[i] or not any_caps):
                    last = unknown[-1] if unknown else None
                    if last and last.segment == seg_no and last.end == i:
                        unknown[-1] = Unknown(f"{last.text} {tokens[i]}", seg_no, last.start, i + 1)
                    else:
                        unknown.append(Unknown(tokens[i], seg_no, i, i + 1))
                i += 1
                continue
            keys, n = found
            inner = {kinds_at[j][0] for j in range(i, i + n) if j in kinds_at}
            seg_mentions.append(Mention(keys, seg_no, i, i + n, frozenset(inner), fuzzy))
            i += n
        _attach_kinds(tokens, kinds_at, seg_mentions, loose)
        mentions.extend(seg_mentions)
    return ParsedQuery(text, tuple(mentions), frozenset(loose), tuple(unknown),
                       tuple(tuple(t) for t, _ in segments))


def _exact_at(
    tokens: list[str],
    i: int,
    max_words: int,
    gazetteer: Gazetteer,
    kinds_at: dict[int, tuple[str, int]],
    total_tokens: int,
    lead: bool = False,
) -> tuple[tuple[str, ...], int] | None:
    """Return the longest gazetteer key starting at ``tokens[i]``, or None.

    A name may begin with a word that is otherwise a connector when it is written as part of
    the name (capitalised; in a text without capitals, first in its segment): Saharan names with the Tamasheq/Arabic
    "In"/"Ine" ("In Khalil", "In Delimane"), "Tin", and French "La"/"Le"
    ("La Tapoa"), which the gazetteer holds whole.
    """
    for n in range(min(max_words, len(tokens) - i), 0, -1):
        words = tokens[i : i + n]
        if words[-1] in _CONNECTORS or (n > 1 and words[0] in _CONNECTORS and not lead):
            continue
        if n == 1 and (words[0] in _KIND_WORDS or len(words[0]) < 2):
            continue
        key = " ".join(words)
        if not gazetteer.has_key(key):
            continue
        if n == 1 and words[0] in _DESCRIPTORS and total_tokens > 1:
            # "Est", "Nord", "Sahel" are regions but also everyday words: accept them only
            # when a kind word says an area is meant ("Est region", "region du Sahel").
            j = i - 1
            while j >= 0 and tokens[j] in _CONNECTORS and j not in kinds_at:
                j -= 1
            before = kinds_at.get(j)
            after = kinds_at.get(i + 1)
            if not any(k and k[0] in ("admin1", "admin2") for k in (before, after)):
                continue
        return (key,), n
    return None


def _fuzzy_at(
    tokens: list[str], i: int, gazetteer: Gazetteer
) -> tuple[tuple[str, ...], int] | None:
    """Return keys spelled like the words at ``tokens[i]`` ("Diabaly" -> "diabali"), or None."""
    for n in range(min(3, len(tokens) - i), 0, -1):
        words = tokens[i : i + n]
        if any(_is_plain_word(w) for w in words):
            continue
        key = " ".join(words)
        if len(key.replace(" ", "")) < 4:
            continue
        similar = gazetteer.similar_keys(key)
        if similar:
            return tuple(similar), n
    return None


def _attach_kinds(
    tokens: list[str],
    kinds_at: dict[int, tuple[str, int]],
    seg_mentions: list[Mention],
    loose: set[str],
) -> None:
    """Attach each kind word to the name it qualifies, in place; others go to ``loose``."""
    used = {j for m in seg_mentions for j in range(m.start, m.end)}
    for pos, (kind, length) in sorted(kinds_at.items()):
        if pos in used:
            continue
        target = None
        for idx, m in enumerate(seg_mentions):
            if m.end == pos:  # "Kidal region", "Faladie district"
                target = idx
                break
        if target is None:
            for idx, m in enumerate(seg_mentions):
                gap = tokens[pos + length : m.start]
                if m.start >= pos + length and all(t in _CONNECTORS for t in gap):
                    target = idx  # "region de Kidal", "aeroport de Gao"
                    break
        if target is None:
            loose.add(kind)
        else:
            m = seg_mentions[target]
            seg_mentions[target] = Mention(m.keys, m.segment, m.start, m.end, m.kinds | {kind},
                                           m.fuzzy)


# -- resolving -----------------------------------------------------------------------------------

_ORDER = {p: i for i, p in enumerate(("site", "neighbourhood", "town", "admin2", "admin1",
                                      "country"))}


def _coarser(precision: str, floor: str) -> str:
    """Return ``precision`` or ``floor``, whichever is coarser."""
    return precision if _ORDER.get(precision, 0) >= _ORDER[floor] else floor


def _is_relative(parsed: ParsedQuery, primary: Mention) -> bool:
    """Whether the text places the event relative to the name ("15 km north of Gao")."""
    tokens = parsed.tokens[primary.segment][: primary.start]
    return any(t in _DIRECTIONS for t in tokens[-4:]) and bool(tokens) and (
        tokens[-1] in _CONNECTORS
    )


#: Weight of the prior for places near recorded conflict events (see ``_conflict_prior``).
_CONFLICT_WEIGHT = 0.25
_FINE_WEIGHT = 0.2
_TYPO_CONFLICT = 2.0
_BORDER = frozenset(("border", "borders", "frontier", "frontiers", "frontiere", "frontieres",
                     "boundary", "tri", "triangle"))
#: Confidence factor by how surely the chosen place lies in the areas the text names:
#: inside all of them, near or probably inside, doubtful, outside.
_CONTEXT_FACTOR = (1.0, 0.85, 0.6, 0.35)
_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")
# Typo matching: the least Levenshtein similarity (0-100, rapidfuzz ``fuzz.ratio``) inside a
# named cercle/province, inside a named region, and anywhere in the hinted country.
_TYPO_CUTOFF = {"admin2": 72.0, "admin1": 80.0, "country": 80.0}
_TYPO_CEILING = {"admin2": 0.85, "admin1": 0.75, "country": 0.65}
_TYPO_CLASSES = frozenset("PSLHT")
_AREA_RADIUS_KM = 60.0
_SEAT_AREAS = frozenset(("ADM3", "ADM2"))
# A commune's centroid lies near its seat: of the shipped Mali communes with a village of their
# name, the median distance is 7 km and 3 in 4 are within 15 km.
_SEAT_KM = 15.0
# Offsets beyond this are not local directions ("300 km north of Gao" is another region).
_MAX_OFFSET_KM = 300.0
_ADMIN_NAME = re.compile(
    r"^(?:(?:r[eé]gion|province|cercle|d[eé]partement|department|pr[eé]fecture|commune)"
    r"\s+(?:de\s+la|de\s+l'|du|des|de|d'|of)?\s*)|"
    r"\s+(?:r[eé]gion|province|cercle|department|d[eé]partement|pr[eé]fecture)$",
    re.IGNORECASE,
)


def _compass(bearing: float) -> str:
    """Return the compass word of a bearing in degrees."""
    return _COMPASS[round((bearing % 360) / 45) % 8]


def _squash(key: str) -> str:
    # Compare spellings on their skeletons ("Talataye"/"Telatai", "In-Ates"/"Inatès"): what
    # is left differs by real letters, not by French or English transcription.
    return skeleton(key.replace(" ", ""))


def admin_display_name(name: str) -> str:
    """Return an administrative area's name as data sets write it ("Mopti Region" -> "Mopti",
    "Province du Soum" -> "Soum")."""
    return _ADMIN_NAME.sub("", name.strip()).strip() or name.strip()


@dataclass
class _Scored:
    row: int
    score: float
    precision: str


def _country_bonus(cc: str, country_ctx: str | None, hint: str | None) -> float:
    """Score a candidate's country: one named in the text counts most, then the caller's hint,
    then, with neither, a small preference for the Sahel countries the data covers."""
    if country_ctx:
        return 5.0 if cc == country_ctx else -5.0
    if hint:
        return 3.0 if cc == hint else -1.5
    return 1.0 if cc in SAHEL else 0.0


class OfflineResolver:
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

    # -- public ------------------------------------------------------------------------------
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
        self._area_of_town([_Scored(0, 0.0, "town")], "admin1")

    # -- steps ---------------------------------------------------------------------------------
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
                precision = _coarser(ref.geo_precision or "town",
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
                geo_precision=_coarser(ref.geo_precision or "town", floor),
                matched_name=f"{spatial.km:g} km {_compass(spatial.bearing)} of "
                             f"{ref.matched_name}",
                confidence=round(min(ref.confidence * 0.85, 0.85), 3),
                notes=(*ref.notes, f"displaced {spatial.km:g} km {_compass(spatial.bearing)} "
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
                only, query=query, geo_precision=_coarser(only.geo_precision or "town",
                                                          "admin2"),
                confidence=round(min(only.confidence * 0.5, 0.5), 3),
                notes=(*only.notes, f"{what} two places of which only {only.matched_name} is "
                       "known: the point is that place"))
        lat, lon = midpoint(first.latitude, first.longitude, second.latitude, second.longitude)
        half = haversine_km(first.latitude, first.longitude, lat, lon)
        precision = "admin2" if half <= 50 else ("admin1" if half <= 240 else "country")
        precision = _coarser(precision, max((r.geo_precision or "town" for r in found),
                                            key=lambda p: _ORDER.get(p, 0)))
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

    def _resolve_names(self, query: str, hint: str | None) -> GeoResult:
        parsed = parse_query(query, self.gazetteer)
        if not parsed.mentions:
            notes = ["no known place name in the text"]
            if parsed.unknown:
                names = ", ".join(u.text for u in parsed.unknown)
                notes = [f"not in the offline gazetteer: {names}"]
                typo = self._typo_answer(query, hint, parsed.unknown[0].text, [], hint)
                if typo is not None:
                    return typo
            return GeoResult.miss(query, hint, *notes)
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
            # "Seno Bellabe" read as "Seno", or "Qwxzvbou, Mopti region": the name asked for
            # is not in the index as written. A similar name inside the named area is a better
            # answer than either the partial match or the whole area.
            wanted = (" ".join(parsed.tokens[missing.segment][missing.start:missing.end])
                      if missing is not None else partial)
            if missing is not None and missing.segment != primary.segment:
                # "In-Ates": the whole segment, connectors and all, is the name.
                wanted = " ".join(parsed.tokens[missing.segment])
            area = [primary, *parents] if missing is not None else [
                p for p in parents if p.segment != primary.segment]
            typo = self._typo_answer(query, hint, wanted, area, cc)
            if typo is not None:
                return self._outside_hint(typo, query, hint, country_ctx)
        if primary.fuzzy:
            notes.append("matched by a similar spelling")
            factor *= 0.75
        if _is_relative(parsed, primary):
            # "20 km north of Gao": the point is only the reference place.
            scored = [_Scored(s.row, s.score, _coarser(s.precision, "admin2")) for s in scored]
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
        if parents and missing is None:
            context = self._context(scored[0].row, parents)
            if context < 0.3:
                # The only places of that name lie outside the area the text names: a similar
                # name inside it, else the area itself, rather than a confident wrong point.
                typo = self._typo_answer(query, hint, " ".join(
                    parsed.tokens[primary.segment][primary.start:primary.end]), parents, cc)
                if typo is not None:
                    return self._outside_hint(typo, query, hint, country_ctx)
                area = self._area_answer(query, hint, parents, country_ctx, primary)
                if area is not None:
                    return self._outside_hint(area, query, hint, country_ctx)
                notes.append("the place lies outside the area the text names")
            factor *= _CONTEXT_FACTOR[0 if context >= 0.99 else 1 if context >= 0.6 else
                                      2 if context >= 0.3 else 3]
        elif not parents:
            factor *= self._bare_factor(scored)
        if not kinds & {"admin1", "admin2"} and _ORDER.get(scored[0].precision, 0) >= _ORDER[
                "admin2"] and missing is None:
            # A plain name read as an area (a commune with no village of that name known): the
            # point is the area's centre, not the place the text means.
            factor *= 0.6
        result = self._answer(query, hint, scored, notes=notes, factor=factor)
        return self._outside_hint(result, query, hint, country_ctx)

    def _keep_hinted(
        self, scored: list[_Scored], hint: str | None, country_ctx: str | None
    ) -> tuple[list[_Scored], str | None]:
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
                if len(mentions) > 1 and any(t in _BORDER for t in near):
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
                if all(t in _CONNECTORS for t in gap):
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

    def _context(self, row: int, parents: list[Mention]) -> float:
        """Return how surely ``row`` lies in every place the text names as its parent."""
        worst = 1.0
        for mention in parents:
            rows = self._parent_rows(mention)
            if row in rows:
                continue
            worst = min(worst, max((self._containment(row, p) for p in rows), default=0.0))
        return worst

    def _bare_factor(self, scored: list[_Scored]) -> float:
        """Return the confidence factor of a name given without any parent place."""
        gaz = self.gazetteer
        row = scored[0].row
        if gaz.field("pid", row).startswith("user:"):
            return 1.0
        known = gaz.field("population", row) > 0 or gaz.field("n_alt", row) > 0
        if gaz.field("code", row) in _CITY_CODES or gaz.field("code", row).startswith("PCL"):
            return 1.0
        return 0.95 if known else 0.85

    # -- typos -----------------------------------------------------------------------------------
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
        if cc is None or len(key) < 4 or all(w in _DESCRIPTORS or w in _CONNECTORS
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
                                                 _AREA_RADIUS_KM)
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
        result = self._answer(query, hint, [_Scored(r, v, precision if r == best_row else
                                                    "town") for r, v in ranked],
                              notes=[f"{text!r} matched {gaz.field('name', best_row)!r} by "
                                     f"similar spelling ({similarity:.0f}%) {where}"])
        return replace(result, confidence=round(confidence, 3))

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
        precision = _coarser(best.precision, "admin2")
        scored = [_Scored(best.row, best.score, precision), *scored[1:]]
        gaz = self.gazetteer
        name = " ".join(normalize(k) for k in primary.keys[:1])
        note = (f"no place called {name!r} is known in {gaz.field('name', best.row)}; "
                "the point stands for that area")
        result = self._answer(query, hint, scored, notes=[note], factor=0.45)
        return replace(result, confidence=min(result.confidence, 0.45))

    # -- administrative names ----------------------------------------------------------------------
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

    def _coarsen(self, scored: list[_Scored], mention: Mention) -> list[_Scored]:
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
                    return [_Scored(s.row, best.score, precision), *scored[1:]]
            return [_Scored(best.row, best.score, "admin2"), *scored[1:]]
        return scored

    def _area_of_town(self, scored: list[_Scored], level: str) -> list[_Scored]:
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
        return [_Scored(area, best.score, level), *scored[1:]]

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
        if fclass == "P" and code not in _CITY_CODES and self._seat_of_area(row, key):
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
    ) -> list[_Scored]:
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
                if code not in _CITY_CODES and code != "PPLC":
                    precision = "neighbourhood"
            if "town" in kinds:
                score += 2.0 if fclass == "P" else -2.0
            score += _country_bonus(cc, country_ctx, hint)
            for prow_list in parent_rows:
                contained = max((self._containment(row, p) for p in prow_list), default=0.0)
                score += 6.0 * contained
                if contained >= 0.99 and fclass == "P" and gaz.city_row(row) in prow_list:
                    precision = "neighbourhood"
            out.append(_Scored(row, score, precision))
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

    # -- airports ------------------------------------------------------------------------------
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
            score += _country_bonus(cc, country_ctx, hint)
            if gaz.field("pid", row).startswith("user:"):
                score += 20.0
            scored.append(_Scored(row, score, "site"))
        scored.sort(key=lambda s: -s.score)
        fuzzy = any(m.fuzzy for m in places)
        return self._answer(query, hint, scored, geocoder="airport",
                            factor=0.75 if fuzzy else 1.0)

    # -- answer -------------------------------------------------------------------------------
    def _answer(
        self,
        query: str,
        hint: str | None,
        scored: list[_Scored],
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
