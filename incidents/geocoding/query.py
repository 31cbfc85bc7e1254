"""Reading place text: split it, find the runs of words the gazetteer knows (exactly or by a
close spelling), attach kind words ("district", "region", "airport") to the names they
qualify, and the precision class a gazetteer entry supports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from incidents.geocoding.gazetteer import Gazetteer
from incidents.geocoding.normalize import normalize

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


CONNECTORS = frozenset((
    "of", "in", "at", "near", "de", "du", "des", "d", "la", "le", "les", "l", "the", "a", "an",
    "au", "aux", "en", "dans", "pres", "around", "outside", "inside", "from", "to", "and", "et",
    "on", "sur", "by", "within", "close", "next", "area", "zone", "outskirts", "environs",
    "vicinity", "proximite", "abords", "peripherie", "periphery", "between", "entre",
))


def _words(text: str) -> list[str]:
    return text.split()


# Words that describe what happened or which facility, never a place on their own (several
# are also the names of hamlets somewhere, which must not capture the query).
DESCRIPTORS = frozenset(_words(
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


CITY_CODES = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLG"})


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
        if code == "PPLX" or (in_city and code not in CITY_CODES and code != "PPLC"):
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
    return (token in CONNECTORS or token in _KIND_WORDS or token in DESCRIPTORS
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
        if words[-1] in CONNECTORS or (n > 1 and words[0] in CONNECTORS and not lead):
            continue
        if n == 1 and (words[0] in _KIND_WORDS or len(words[0]) < 2):
            continue
        key = " ".join(words)
        if not gazetteer.has_key(key):
            continue
        if n == 1 and words[0] in DESCRIPTORS and total_tokens > 1:
            # "Est", "Nord", "Sahel" are regions but also everyday words: accept them only
            # when a kind word says an area is meant ("Est region", "region du Sahel").
            j = i - 1
            while j >= 0 and tokens[j] in CONNECTORS and j not in kinds_at:
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
                if m.start >= pos + length and all(t in CONNECTORS for t in gap):
                    target = idx  # "region de Kidal", "aeroport de Gao"
                    break
        if target is None:
            loose.add(kind)
        else:
            m = seg_mentions[target]
            seg_mentions[target] = Mention(m.keys, m.segment, m.start, m.end, m.kinds | {kind},
                                           m.fuzzy)


# -- resolving -----------------------------------------------------------------------------------


PRECISION_ORDER = {p: i for i, p in enumerate(("site", "neighbourhood", "town", "admin2", "admin1",
                                      "country"))}


def coarser_of(precision: str, floor: str) -> str:
    """Return ``precision`` or ``floor``, whichever is coarser."""
    return precision if PRECISION_ORDER.get(precision, 0) >= PRECISION_ORDER[floor] else floor


def is_relative(parsed: ParsedQuery, primary: Mention) -> bool:
    """Whether the text places the event relative to the name ("15 km north of Gao")."""
    tokens = parsed.tokens[primary.segment][: primary.start]
    return any(t in _DIRECTIONS for t in tokens[-4:]) and bool(tokens) and (
        tokens[-1] in CONNECTORS
    )


BORDER_WORDS = frozenset(("border", "borders", "frontier", "frontiers", "frontiere", "frontieres",
                     "boundary", "tri", "triangle"))


_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")


def compass_word(bearing: float) -> str:
    """Return the compass word of a bearing in degrees."""
    return _COMPASS[round((bearing % 360) / 45) % 8]
