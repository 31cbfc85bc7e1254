"""Facility words ("gendarmerie school", "military camp", "airport") and the kind of site
they name, English and French."""

from __future__ import annotations

import re

from incidents.geocoding.normalize import normalize

__all__ = ["FACILITIES", "facility_kind", "facility_spans"]


# Facility words (head nouns) and the kind of site they name, English and French.
FACILITIES: dict[str, str] = {
    **dict.fromkeys(
        [
            "airport",
            "airports",
            "aéroport",
            "aeroport",
            "airfield",
            "aerodrome",
            "aérodrome",
            "airstrip",
            "airbase",
        ],
        "airport",
    ),
    **dict.fromkeys(["gendarmerie"], "gendarmerie"),
    **dict.fromkeys(
        [
            "camp",
            "camps",
            "barracks",
            "caserne",
            "casernes",
            "base",
            "bases",
            "garrison",
            "garnison",
            "outpost",
            "detachment",
            "détachement",
        ],
        "military",
    ),
    **dict.fromkeys(
        ["checkpoint", "checkpoints", "barrage", "poste", "post", "position", "positions"], "post"
    ),
    **dict.fromkeys(["commissariat"], "police"),
    **dict.fromkeys(
        [
            "school",
            "schools",
            "école",
            "ecole",
            "lycée",
            "lycee",
            "college",
            "collège",
            "university",
            "université",
            "madrasa",
        ],
        "school",
    ),
    **dict.fromkeys(["market", "marché", "marche"], "market"),
    **dict.fromkeys(["mosque", "mosquée", "mosquee", "church", "église", "eglise"], "worship"),
    **dict.fromkeys(["hospital", "hôpital", "hopital", "clinic", "dispensary"], "health"),
    **dict.fromkeys(["prison", "jail"], "prison"),
    **dict.fromkeys(["mine", "mines"], "mine"),
    **dict.fromkeys(["bridge", "pont"], "bridge"),
    **dict.fromkeys(["palace", "palais", "residence", "résidence"], "residence"),
    **dict.fromkeys(
        [
            "zone",
            "compound",
            "headquarters",
            "quartier-général",
            "platform",
            "centre",
            "center",
            "centres",
            "facility",
            "facilities",
            "installations",
        ],
        "site",
    ),
}


# Modifiers a facility phrase may start with.
_MODIFIERS = [
    "military",
    "militaire",
    "militaires",
    "army",
    "armée",
    "air",
    "force",
    "aérienne",
    "training",
    "education",
    "formation",
    "gendarmerie",
    "police",
    "customs",
    "douane",
    "security",
    "sécurité",
    "presidential",
    "présidentiel",
    "présidentielle",
    "national",
    "nationale",
    "drone",
    "drones",
    "gold",
    "mining",
    "artisanal",
    "weekly",
    "cattle",
    "central",
    "main",
    "new",
    "old",
    "nearby",
    "forward",
    "operating",
    "fob",
    "minusma",
    "un",
    "police-station",
]


_FACILITY_RE = re.compile(
    r"(?<![\w-])(?:(?:{})(?:\s+(?:and|et))?[\s-]+){{0,4}}(?:{})(?:\s+(?:and|et)\s+(?:{}))?"
    r"(?:\s+(?:of|de|du|des|d')\s*(?:the\s+|la\s+|l')?(?:{})(?:\s+(?:{}))?)?(?![\w-])".format(
        "|".join(map(re.escape, _MODIFIERS)),
        "|".join(map(re.escape, FACILITIES)),
        "|".join(map(re.escape, _MODIFIERS)),
        "|".join(map(re.escape, [*_MODIFIERS, "army", "police", "gendarmerie"])),
        "|".join(map(re.escape, FACILITIES)),
    ),
    re.I,
)


_WEAK = frozenset(
    {
        "zone",
        "compound",
        "centre",
        "center",
        "centres",
        "facility",
        "facilities",
        "platform",
        "position",
        "positions",
        "post",
        "poste",
        "base",
        "bases",
        "installations",
        "headquarters",
        "residence",
        "résidence",
        "mine",
        "mines",
        "barrage",
        "camp",
        "camps",
    }
)


def facility_kind(phrase: str) -> str | None:
    """Return the kind of site a facility phrase names ("gendarmerie school" -> gendarmerie)."""
    words = normalize(phrase).split()
    kinds = [FACILITIES.get(w) or FACILITIES.get(w.rstrip("s")) for w in words]
    for strong in (
        "airport",
        "gendarmerie",
        "police",
        "military",
        "school",
        "market",
        "worship",
        "health",
        "prison",
        "bridge",
        "residence",
        "mine",
        "post",
    ):
        if strong in kinds:
            return strong
    if "military" in words or "militaire" in words or "army" in words:
        return "military"
    return "site" if "site" in kinds else None


def facility_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for match in _FACILITY_RE.finditer(text):
        phrase = match.group(0)
        words = normalize(phrase).split()
        if words and all(w in _WEAK for w in words[-1:]) and len(words) == 1:
            continue  # a bare "zone", "post" or "camp" says too little on its own
        kind = facility_kind(phrase)
        if kind:
            out.append((match.start(), match.end(), kind))
    return out
