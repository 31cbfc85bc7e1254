"""The toll as claims: who said how many died, in English and French.

A number is kept only where the text states one ("killed three soldiers", "12 morts", "at
least 20 dead"); "dozens", "a few casualties", "heavy losses" are kept as words in the claim
and give no number. "No casualties" is a stated zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.extraction.text import any_word

__all__ = ["ClaimMention", "Toll", "find_claims", "parse_count", "toll_of"]

_UNITS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "hundred": 100,
    "couple": 2,
    "pair": 2,
    "dizaine": 10,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "centaine": 100,
}
_NUMWORD = "|".join(
    sorted((k for k in _UNITS if k not in ("no", "a", "an")), key=len, reverse=True)
)
_NUM = rf"(?:\d[\d,.\s]*\d|\d|(?:(?:{_NUMWORD})(?:[\s-]+(?:and\s+)?(?:{_NUMWORD}))*))"
_QUAL = (
    r"(?:at\s+least|au\s+moins|more\s+than|over|plus\s+de|près\s+de|nearly|almost|"
    r"about|around|some|approximately|environ|up\s+to|jusqu'à|a|an|une?|another|"
    r"d'au\s+moins)"
)
_NOUN_GAP = r"(?:[\w'’-]+\s+){0,6}?"
_KILLED_PASSIVE = (
    r"(?:were|was|have\s+been|has\s+been|had\s+been|are|reportedly|allegedly|"
    r"also|later|were\s+reportedly|reportedly\s+)?\s*(?:killed|dead|died|"
    r"shot\s+dead|executed|slain|massacred|murdered|beheaded|lost\s+their\s+"
    r"lives|found\s+dead|perished|burned\s+to\s+death|tu[ée]s?|morts?|"
    r"abattus?|ex[ée]cut[ée]s?|d[ée]c[ée]d[ée]s?|ont\s+p[ée]ri|ont\s+[ée]t[ée]\s+"
    r"tu[ée]s|sont\s+morts|ont\s+trouv[ée]\s+la\s+mort|ont\s+perdu\s+la\s+vie)"
)
_KILL_VERB = (
    r"(?:killed|killing|kills|shot\s+dead|shooting\s+dead|executed|executing|"
    r"massacred|murdered|beheaded|slaughtered|left|leaving|claimed\s+the\s+lives\s+of|"
    r"tuant|tu[ée]|tuent|abattu|abattant|ex[ée]cut[ée]|faisant|a\s+fait|ont\s+fait|"
    r"co[uû]t[ée]\s+la\s+vie\s+[àa])"
)
_VICTIM = (
    r"(?:people|persons?|civilians?|soldiers?|troops?|militants?|jihadists?|"
    r"assailants?|attackers?|men|women|children|villagers?|members?|fighters?|"
    r"gendarmes?|policem[ae]n|police\s+officers?|officers?|guards?|herders?|farmers?|"
    r"traders?|students?|teachers?|worshippers?|others?|individuals?|victims?|"
    r"terrorists?|bandits?|militiam[ae]n|hunters?|residents?|drivers?|passengers?|"
    r"personnes?|civils?|soldats?|militaires?|villageois|hommes|femmes|enfants|"
    r"éléments?|terroristes?|assaillants?|membres?|combattants?|dozos?|VDPs?|"
    r"[A-Z][\w-]*)"
)

_PASSIVE_RE = re.compile(
    rf"(?<![\w-])(?P<q>{_QUAL}\s+)?(?P<n>{_NUM})\s+(?P<gap>{_NOUN_GAP}){_KILLED_PASSIVE}\b", re.I
)
_ACTIVE_RE = re.compile(
    rf"\b{_KILL_VERB}\s+(?:(?:at\s+least|au\s+moins|some|about|around|nearly|up\s+to|"
    rf"more\s+than|plus\s+de|environ|près\s+de)\s+)?(?P<n>{_NUM}|an?|une?)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?P<v>{_VICTIM})(?P<dead>\s+dead|\s+morts?)?\b",
    re.I,
)
_TOLL_RE = re.compile(
    rf"\b(?:death\s+toll|toll|bilan)\s+(?:of|de|rose\s+to|stands\s+at|s'élève\s+à|est\s+de)"
    rf"\s+(?:at\s+least\s+|au\s+moins\s+)?(?P<n>{_NUM})\b|(?P<n2>{_NUM})\s+(?:deaths|fatalities|"
    rf"bodies|corpses|morts|décès|tués)\b",
    re.I,
)
_ZERO_RE = re.compile(
    r"\b(?:no\s+(?:casualties|fatalities|deaths|victims|loss\s+of\s+life|one\s+was\s+killed|"
    r"injuries\s+or\s+deaths|deaths\s+or\s+injuries)|without\s+(?:casualties|causing\s+"
    r"casualties|loss\s+of\s+life)|nobody\s+was\s+killed|no-one\s+was\s+killed|"
    r"aucune\s+(?:victime|perte)|pas\s+(?:eu\s+)?de\s+(?:victimes?|morts?|pertes)|sans\s+faire\s+de\s+"
    r"victimes?|sans\s+faire\s+de\s+morts?|n'a\s+fait\s+aucune\s+victime|"
    r"did\s+not\s+(?:cause|result\s+in)\s+(?:any\s+)?(?:casualties|deaths))\b",
    re.I,
)
_INJURED_AFTER = re.compile(r"^\s*(?:were\s+|was\s+)?(?:injured|wounded|hurt|blessés?)", re.I)
_TOLL_WORDS = re.compile(
    r"\b(?:kill\w*|dead|deaths?|died|casualt\w*|loss(?:es)?\s+(?:of\s+life|on)|heavy\s+losses|"
    r"losses|wound\w*|injur\w*|victims?|toll|destroy\w*|fatalit\w*|bodies|lives|executed|"
    r"shot\s+dead|tu[ée]s?|tuant|morts?|bless[ée]s?|victimes?|pertes|bilan|d[ée]truit\w*|"
    r"d[ée]c[èe]s|abattu\w*)\b",
    re.I,
)


def parse_count(text: str) -> int | None:
    """Return the number written in ``text`` ("12", "twelve", "vingt-cinq", "a dozen")."""
    raw = text.strip().lower().replace("\u00a0", " ")
    digits = re.sub(r"[\s,.]", "", raw)
    if digits.isascii() and digits.isdigit():  # "²".isdigit() is True, int("²") fails
        return int(digits)
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", raw):
        if word in ("and", "et", ""):
            continue
        value = _UNITS.get(word)
        if value is None:
            return None
        seen = True
        if value == 100:
            current = max(current, 1) * 100
        elif word in ("dozen",) and current:
            current *= 12
        else:
            current += value
    total += current
    return total if seen else None


@dataclass(frozen=True)
class Toll:
    """Deaths a clause states: lowest and highest (equal when exact); None when unstated."""

    low: int | None
    high: int | None
    spans: tuple[tuple[int, int], ...] = ()


def toll_of(text: str) -> Toll:
    """Return the deaths ``text`` states: the sum of its separate counts, or a stated zero."""
    found: list[tuple[int, int, int, bool]] = []  # start, end, count, lower bound only

    def add(match: re.Match, group: str, qual: str = "") -> None:
        count = parse_count(match.group(group))
        if count is None or count > 100_000:
            return
        a, b = match.span()
        if any(a < y and x < b for x, y, _, _ in found):
            return
        open_ended = bool(
            re.match(
                r"(?:at\s+least|au\s+moins|more\s+than|over|plus\s+de|"
                r"d'au\s+moins)",
                qual.strip(),
                re.I,
            )
        )
        found.append((a, b, count, open_ended))

    for match in _ACTIVE_RE.finditer(text):
        if _INJURED_AFTER.match(text[match.end() :]):
            continue
        verb = match.group(0).split()[0].lower()
        if verb in ("left", "leaving", "faisant", "a", "ont") and not match.group("dead"):
            continue
        add(match, "n", match.group(0))
    for match in _PASSIVE_RE.finditer(text):
        gap = match.group("gap") or ""
        if re.search(r"\b(?:wounded|injured|blessés?|and|et|while|but)\b", gap, re.I):
            continue
        add(match, "n", match.group("q") or "")
    for match in _TOLL_RE.finditer(text):
        add(match, "n" if match.group("n") else "n2")
    if not found:
        zero = _ZERO_RE.search(text)
        if zero:
            return Toll(0, 0, (zero.span(),))
        return Toll(None, None)
    low = sum(c for _, _, c, _ in found)
    high = None if any(o for *_, o in found) else low
    return Toll(low, high, tuple((a, b) for a, b, _, _ in found))


# -- attribution -----------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(
    r";|,?\s+(?:while|whereas|but|although|alors\s+que|tandis\s+que|"
    r"mais)\s+",
    re.I,
)
_SAYS = (
    r"(?:said|says|stated|states|reported|reports|claimed|claims|claim|claiming|announced|"
    r"announces|told|confirmed|confirms|indicated|affirmed|denied|put\s+the\s+toll|"
    r"counted|a\s+déclaré|ont\s+déclaré|a\s+annoncé|ont\s+annoncé|a\s+revendiqué|"
    r"ont\s+revendiqué|revendique|affirme|affirment|indique|indiquent|a\s+indiqué|"
    r"rapporte|rapportent|a\s+confirmé|fait\s+état|font\s+état)"
)
_AUTHORITIES = any_word(
    "authorities", "government", "army", "military", "ministry", "minister", r"officials?",
    r"spokes(?:man|woman|person)", "governor", "prefect", "mayor", r"general\s+staff", "junta",
    r"security\s+sources?", r"military\s+sources?", "autorités", "gouvernement", "armée",
    "ministère", "ministre", "porte-parole", "gouverneur", "préfet", "maire", "état-major",
    r"sources?\s+sécuritaires?", r"communiqué\s+officiel",
)
_WITNESSES = any_word(r"eye-?witness\w*", r"witness(?:es)?", "témoins?", "survivors?",
                      "survivants?")
_LOCALS = any_word(
    "residents?", "locals?", r"local\s+sources?", "inhabitants", "villagers", "habitants",
    r"sources?\s+locales?", "population", "notables?", r"elected\s+official", r"élu\s+local",
)
_MEDICAL = re.compile(
    r"\b(?:hospital|medical|doctors?|hôpital|médicales?|médecins?)\b\s*"
    r"(?:sources?|staff|officials?)?",
    re.I,
)
_CLAIMED_BY = re.compile(
    r"\b(?:according\s+to|selon|d'après|per|cited\s+by|reported\s+by|"
    r"de\s+source)\s+(?P<who>[^,.;]{2,80})",
    re.I,
)


@dataclass(frozen=True)
class ClaimMention:
    """One clause about the toll, who it is attributed to, and the deaths it states."""

    start: int
    end: int
    text: str
    claimant_kind: str  # authorities, witnesses, locals, medical, actor, group, report
    group: str | None  # the group named as claimant, when one is
    toll: Toll


def find_claims(
    text: str, offset: int, actor_groups: list[tuple[int, int, str | None]]
) -> list[ClaimMention]:
    """Return the toll clauses of one sentence with their claimant.

    ``actor_groups`` are the parties named in the sentence (start, end, canonical group or
    None for "the jihadists"), with offsets in the whole text.
    """
    out: list[ClaimMention] = []
    pos = 0
    pieces = []
    for match in _CLAUSE_SPLIT.finditer(text):
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, len(text)))
    carried: tuple[str, str | None] | None = None
    for a, b in pieces:
        clause = text[a:b]
        if not clause.strip():
            continue
        kind, group = _claimant(clause, a + offset, actor_groups)
        if kind == "report" and carried and not re.match(r"\s*(?:and|et)\b", clause):
            kind, group = "report", None
        if not _TOLL_WORDS.search(clause):
            carried = (kind, group) if kind != "report" else carried
            continue
        toll = toll_of(clause)
        stripped = clause.strip(" ,;")
        lead = clause.index(stripped[:1]) if stripped else 0
        out.append(
            ClaimMention(
                offset + a + lead,
                offset + a + lead + len(stripped),
                stripped,
                kind,
                group,
                Toll(
                    toll.low,
                    toll.high,
                    tuple((x + offset + a, y + offset + a) for x, y in toll.spans),
                ),
            )
        )
    return out


def _claimant(clause: str, offset: int, actor_groups) -> tuple[str, str | None]:
    windows = [(m.start("who"), m.end("who"), None) for m in _CLAIMED_BY.finditer(clause)]
    windows += [
        (max(0, m.start() - 80), m.end() + 12, m.start())
        for m in re.finditer(rf"\b{_SAYS}\b", clause, re.I)
    ]
    for window in windows:
        found = _speaker(clause, offset, actor_groups, window)
        if found[0] != "report":
            return found
    return "report", None


def _speaker(clause: str, offset: int, actor_groups, window) -> tuple[str, str | None]:
    from incidents.extraction.actors import kind_of

    wa, wb, verb = window
    segment = clause[wa:wb]
    groups = [(s - offset, e - offset, g) for s, e, g in actor_groups if wa <= s - offset < wb]
    if verb is not None:
        # French puts the speaker after the verb: "a indiqué l'armée"
        after = clause[verb : verb + 60]
        verb_end = re.match(rf"{_SAYS}", after, re.I)
        after = after[verb_end.end() if verb_end else 0 :][:25]
        if _AUTHORITIES.match(after.strip(" ,'’").removeprefix("l").strip(" '’")):
            return "authorities", None
        # the speaker is the party nearest before the verb
        groups = [g for g in groups if g[1] <= verb + 1][-1:]
        segment = clause[wa:verb]
    for _s, _e, g in groups:
        if g is None:
            return "actor", None
        if kind_of(g) == "state":
            return "authorities", g
        if kind_of(g) in ("civilians", "protesters", "rioters"):
            return "locals", None
        return "group", g
    if _WITNESSES.search(segment):
        return "witnesses", None
    if _MEDICAL.search(segment):
        return "medical", None
    if _AUTHORITIES.search(segment):
        return "authorities", None
    if _LOCALS.search(segment):
        return "locals", None
    return "report", None
