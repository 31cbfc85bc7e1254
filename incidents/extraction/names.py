"""Capitalised names that may be places: where a sentence puts a place ("in", "near",
"à", "district of" ...), and the words that are no place (months, peoples, organisations,
persons)."""

from __future__ import annotations

import re

from incidents.geocoding.normalize import normalize

__all__ = ["DESTINATION_BEFORE", "KIND_AFTER", "NAME", "ORIGIN_BEFORE", "STATED_CUE",
           "STATED_OFFSET", "is_cued", "is_titled", "left_for", "name_spans",
           "passing"]


KIND_AFTER = re.compile(
    r"^[\s-]*(?:district|neighbou?rhood|quarter|quartier|area|region|région|cercle|province|"
    r"commune|department|département|village|town|city|locality|localité|sector|secteur|"
    r"airport|aéroport|airfield|market|camp)\b",
    re.I,
)


_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|of|from|to|into|towards?|toward|around|outside|between|inside|"
    r"on\s+the\s+outskirts\s+of|close\s+to|à|au|aux|de|du|des|dans|près\s+de|vers|entre|"
    r"sur|en|par|capital|capitale|coded\s+as|cod[ée]e?\s+(?:à|comme)|such\s+as|tels?\s+que|"
    r"(?:control|strikes?|raids?|flights?|flew|flying)\s+over)|"
    r"\bd'|\bd’|\bl'|\bl’)"
    r"\s*(?:(?:the|la|le|les|l'|l’)\s+)?"
    r"(?:(?:village|town|city|commune|locality|localité|ville|area|district|region|région|"
    r"province|cercle|department|neighbou?rhood|quartier|secteur|sector|hamlet|hameau|camp|"
    r"site|market|mine|of|de|du|des|d'|d’)\s+){0,3}$|[,(]\s*$",
    re.I,
)


NAME = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"


#: "coded as Kelbo", "coded at approximate location as Kelbo", "coded as approximate location
# in the vicinity of Kelbo", "[unfound location, coded: Kelbo]", "codé à Kelbo"
STATED_CUE = (r"\b(?:(?:coded|placed|located|geolocated)\s+(?:as|at)|coded\s+(?:in|to))\s+"
              r"(?:(?:an\s+|the\s+)?approximate(?:\s+location)?\s*,?\s*"
              r"(?:(?:as|at|in)\s+)?(?:the\s+(?:vicinity|area)\s+of\s+)?)?(?:the\s+)?"
              r"|\bcoded\s*:\s*|\bcod[ée]e?\s+(?:à|comme)\s+")
_STATED_BEFORE = re.compile(rf"(?:{STATED_CUE})$", re.I)
#: "coded as Kelbo 30km N": the stated point is a distance away from the place named
STATED_OFFSET = re.compile(r"\s*(?:[NSEW]{1,3}\s+)?\d+(?:[.,]\d+)?\s*(?:km|kilomet)", re.I)


_NAME_RUN = re.compile(
    rf"(?<![\w'’-]){NAME}(?:(?:\s+|\s+(?:de|du|el|al|ag|ould|n'|N'|d')\s*|-){NAME})*"
    r"(?:\s+(?:I{1,3}|IV|V|VI))?"
)


_CALENDAR_WORDS = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Janvier",
        "Février",
        "Mars",
        "Avril",
        "Mai",
        "Juin",
        "Juillet",
        "Août",
        "Septembre",
        "Octobre",
        "Novembre",
        "Décembre",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
]


_NOT_PLACES = frozenset(
    normalize(w)
    for w in [
        *_CALENDAR_WORDS,
        "The",
        "A",
        "An",
        "On",
        "In",
        "At",
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "Au",
        "Aux",
        "Islam",
        "Allah",
        "President",
        "Président",
        "Colonel",
        "General",
        "Général",
        "Minister",
        "Ministre",
        "God",
        "Muslims",
        "Christians",
        "Fulani",
        "Peul",
        "Peulh",
        "Dogon",
        "Tuareg",
        "Touareg",
        "Bambara",
        "Arab",
        "Songhai",
        "Mossi",
        "Dozo",
        "Fula",
        "Fulbe",
        "Gourmantche",
        "Lobi",
        "Imghad",
        "Idnane",
        "Dawsahak",
        "Koran",
        "Russian",
        "Russians",
        "French",
        "Malian",
        "Burkinabe",
        "Nigerien",
        "African",
        "Africa",
        "West",
        "East",
        "North",
        "South",
        "Sahel",
        "Sahara",
        "AES",
        "ECOWAS",
        "CEDEAO",
        "UN",
        "EU",
        "Army",
        "Force",
        "Forces",
        "Police",
        "Gendarmerie",
        "Commune",
        "Region",
        "Province",
        "Cercle",
        "District",
        "Village",
        "Airport",
        "Camp",
    ]
)


_CALENDAR = frozenset(normalize(w) for w in _CALENDAR_WORDS)


# Capitalised words that name an organisation or a person, not a place: "the Institute of
# Geography", "a gold mining company", "the death of Amadou Coulibaly", "President Keita".
_ORG_BEFORE = re.compile(
    r"\b(?:Institut\w*|Ministry|Minist[eè]re|Union|Directorate|Direction|Commission|Council|"
    r"Company|Society|Association|Party|Office|Agency|Bank|Federation|Conf[eé]d[eé]ration|"
    r"Committee|Comit[eé]|Syndicat|Academy|Movement|Mouvement|Front|Rally)\s+(?:of|for|de|du|des|d'|pour)\s+"
    r"(?:the\s+|la\s+|l')?$"
    r"|\b(?:death|murder|killing|assassination|funeral|trial|posters?|portraits?|supporters?)"
    r"\s+of\s+$"
    r"|\b(?:Mr|Mrs|Ms|Dr|President|Pr[eé]sident|Prime\s+Minister|Minister|Ministre|General|"
    r"G[eé]n[eé]ral|Colonel|Captain|Capitaine|Imam|Abbot|Father|Abb[eé]|Chief|Sheikh|Cheikh)"
    r"\.?\s+$",
    re.I,
)


_ORG_AFTER = re.compile(
    r"^['’]?\s+(?:(?:mining|gold|sugar|cotton|telecom)\s+)?(?:company|compagnie|soci[eé]t[eé]|"
    r"hotel|h[oô]tel|institute|corporation|group|party|union|factory|usine|"
    r"radio|television|t[eé]l[eé]vision|newspaper|journal)\b",
    re.I,
)


# A name before "community", "fraction", "tribe", "militiamen" ("members of the Kelbo
# community in Tamaro", "Kelbo militiamen", "members of Kelbo and Sorkende communities")
# names a people, not a place.
_PEOPLE_AFTER = re.compile(
    rf"^\s+(?:(?:and|et)\s+{NAME}\s+(?:communities|fractions|tribes|clans)|communit(?:y|ies)|"
    r"communaut[eé]s?|fractions?|tribes?|clans?|militiamen|militia|milice|herders|"
    r"éleveurs)\b",
    re.I,
)


# "the mayor of Tamaro", "the Governorate of Kelbo", "the Directorate of Water of Tamaro
# (DWT)", "the Kelbo village chief", "Kelbo residents": a person's office, an organisation
# or people named after a place. The place is where they are from, not necessarily where
# the event was.
_TITLE_BEFORE = re.compile(
    r"\b(?:(?:deputy|vice|former|first|second|third)\s+)?(?:mayor|major|prefect|sub-?prefect|"
    r"governor|chief|imam|nurse|prince|king|councilm[ae]n|councill?or|director|emir|"
    r"commander|secretary[\s-]general|maire|pr[ée]fet|sous-pr[ée]fet|gouverneur|chef|"
    r"directeur|governorate|gouvernorat|directorate)\s+(?:of|de|du|d'|d’)\s+"
    r"(?:the\s+|la\s+|le\s+|l'|l’)?(?:(?:village|town|city|commune|municipality|"
    r"department|ville)\s+(?:of\s+|de\s+)?)?$",
    re.I,
)
_TITLE_AFTER = re.compile(r"^['’]?s?\s+(?:village\s+)?(?:chief|mayor|prefect|imam|residents?|"
                          r"inhabitants?|villagers?|natives?|people)\b", re.I)
_ORG_TITLE_BEFORE = re.compile(r"[A-ZÀ-Þ][\w'’-]*\s+(?:of|for|in|on|de|du|des|pour|en)\s+"
                               r"(?:the\s+|la\s+|le\s+|l'|l’)?$")
_ACRONYM_AFTER = re.compile(r"^\s*\([A-Z][A-Z&-]+\)")


def is_titled(text: str, a: int, b: int) -> bool:
    """Whether the name at ``a:b`` is read in an office's or an organisation's title ("the
    mayor of Tamaro", "the Kelbo village chief", "the Union of Workers of Tamaro (UWT)")."""
    before = text[max(0, a - 60) : a]
    return bool(
        _TITLE_BEFORE.search(before)
        or _TITLE_AFTER.match(text[b : b + 30])
        or (_ACRONYM_AFTER.match(text[b : b + 20]) and _ORG_TITLE_BEFORE.search(before))
    )


# A run that is a company's or a unit's name ("Tamaro Gold", "the First Kelbo Regiment"), or
# that starts with an acronym joined by a hyphen ("GFSN-Tamaro", a unit; "IED-making").
_NOT_A_PLACE_RUN = re.compile(
    r"\s(?:Gold|Mining|Mines|Resources|Minerals|Ltd|Limited|Inc|SARL|Corporation|Company|"
    r"Regiment|Battalion|Brigade|Movement)$|^[A-Z]{2,}-",
)


# A sentence's first word that opens a noun phrase ("Some traders protested"), not a place.
_QUANTIFIERS = frozenset({"some", "several", "many", "most", "all", "both", "few", "other",
                          "others", "these", "those", "such", "any", "each", "every"})


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Drop the calendar words of a name run ("Bamako Monday" -> "Bamako")."""
    words = list(re.finditer(r"[^\s]+", text[a:b]))
    while len(words) > 1 and normalize(words[-1].group(0)) in _CALENDAR:
        words.pop()
    while len(words) > 1 and normalize(words[0].group(0)) in _CALENDAR:
        words.pop(0)
    return a + words[0].start(), a + words[-1].end()


def name_spans(text: str, actor_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for match in _NAME_RUN.finditer(text):
        a, b = _trim(text, *match.span())
        word = text[a:b]
        # "Mali’s" -> "Mali"
        if re.search(r"['’]s$", word):
            b -= 2
        if any(a < y and x < b for x, y in actor_spans):
            continue
        if (_ORG_BEFORE.search(text[max(0, a - 40) : a]) or _ORG_AFTER.match(text[b : b + 30])
                or _PEOPLE_AFTER.match(text[b : b + 40])):
            continue
        if _NOT_A_PLACE_RUN.search(text[a:b]) or (
                normalize(text[a:b]) in _QUANTIFIERS and not text[:a].strip()
                and re.match(r"\s+[a-z]", text[b : b + 3])):
            continue
        folded = normalize(text[a:b])
        if not folded or folded in _NOT_PLACES or all(w in _NOT_PLACES for w in folded.split()):
            continue
        out.append((a, b))
    return out


# French written without accents ("a Bamako"): "a" is a preposition only in French text,
# where in English it is the article of "a Boni councilman".
_FRENCH = re.compile(r"\b(?:les|des|une|dans|sont|ont|été|par)\b", re.I)


def is_cued(text: str, a: int, b: int, prev_end: int | None) -> bool:
    before = text[max(0, a - 60) : a]
    if _PREP_BEFORE.search(before):
        return True
    if _STATED_BEFORE.search(before) and not STATED_OFFSET.match(text, b):
        return True
    if re.search(r"\ba\s+$", before) and _FRENCH.search(text):
        return True
    if KIND_AFTER.match(text[b : b + 20]):
        return True
    if re.search(r"\s(?:Airport|Aéroport|Aeroport|Airfield|Market|Marché)$", text[a:b]):
        return True  # "the Tamaro Airport": the name says it is a place
    return bool(prev_end is not None and re.fullmatch(r"\s*(?:,|and|et|or|ou)\s*", text[prev_end:a]))


# "coming from Gao", "en provenance de Gao"; "heading toward Kelbo", "evacuated to Tamaro":
# the origin and the destination of the people or vehicles a report tells of.
ORIGIN_BEFORE = re.compile(
    r"(?<!km )(?<!kms )(?<!kilometers )(?<!kilometres )(?<!miles )(?<!metres )(?<!meters )"
    r"(?<!away )(?<!far )(?<!distance )(?<!\dkm )"
    r"\b(?:from|de\s+retour\s+de|en\s+provenance\s+d[eu]|venant\s+d[eu]|originaires?\s+d[eu])"
    r"\s+(?:the\s+|la\s+|le\s+|l')?"
    r"(?:(?:town|village|city|hamlet|locality|commune|ville|localité)\s+(?:of\s+|de\s+)?)?$",
    re.I,
)
DESTINATION_BEFORE = re.compile(
    r"(?<!close )(?<!next )(?<!due )(?<!fire )(?<!according )(?<!belonging )(?<!near )"
    r"\b(?:to|towards?|heading\s+(?:to|for)|bound\s+for|vers|en\s+direction\s+d[eu]|"
    r"à\s+destination\s+d[eu])\s+(?:the\s+|la\s+|le\s+|l')?"
    r"(?:(?:town|village|city|hamlet|locality|ville|localité)\s+(?:of\s+|de\s+)?"
    # where the wounded were taken: "to the health centre in Tamaro"
    r"|(?:(?:regional\s+|district\s+)?(?:hospital|(?:health|medical)\s+(?:center|centre)|clinic|"
    r"morgue|hôpital|centre\s+(?:de\s+santé|médical))\s+(?:in|at|of|de|du|d')\s*))?$",
    re.I,
)


_LEFT = re.compile(r"\b(?:fled|flee(?:s|ing)?|escaped|withdr[ea]w\w*|retreat\w*|evacuated|"
                   r"taken|transported|rushed|heading|headed|bound|returned|back|"
                   r"ont\s+fui|s'est\s+enfui\w*|se\s+sont\s+enfui\w*|évacué\w*|transporté\w*)\b",
                   re.I)


def left_for(text: str, at: int) -> bool:
    """Whether the name at ``at`` is where people came from, or where they fled or were
    taken ("gunmen who then fled toward Kelbo", "evacuated to Tamaro"); not where a crowd
    marched to protest ("marched to Kelbo to protest" happened at Kelbo)."""
    before = text[max(0, at - 50) : at]
    if ORIGIN_BEFORE.search(before):
        return True
    hit = DESTINATION_BEFORE.search(before)
    return hit is not None and _LEFT.search(before[: hit.start() + 1]) is not None


def passing(text: str, at: int) -> bool:
    """Whether the name at ``at`` is only where people or vehicles came from or went to
    ("coming from Gao", "fled toward Kelbo", "evacuated to the hospital in Tamaro"; not "2 km
    from Gao", a distance)."""
    before = text[max(0, at - 50) : at]
    return bool(ORIGIN_BEFORE.search(before) or DESTINATION_BEFORE.search(before))
