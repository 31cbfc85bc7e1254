"""Place-name keys shared by the gazetteer builder and the resolver.

Both sides fold text with the project's one normaliser (``incidents.text.normalize_text``), so
that "Ségou", "SEGOU" and "Segou" meet on one key.
"""

from __future__ import annotations

import re
import unicodedata

from incidents.text import normalize_text as normalize

__all__ = ["is_latin", "name_keys", "normalize", "skeleton"]


# Words that name the kind of a place rather than the place, dropped to form extra keys.
_ADMIN_PREFIXES = (
    "province de la ", "province de l ", "province du ", "province des ", "province de ",
    "region de la ", "region de l ", "region du ", "region des ", "region de ", "region d ",
    "cercle de ", "cercle du ", "cercle d ", "departement de ", "departement du ",
    "departement d ", "department of ", "commune de ", "commune rurale de ",
    "commune urbaine de ", "prefecture de ", "district de ", "district of ", "region of ",
    "province of ", "republic of ", "republique du ", "republique de ", "republique d ",
    "the ",
)
_ADMIN_SUFFIXES = (
    " region", " province", " cercle", " department", " departement", " commune",
    " prefecture", " district", " rural commune", " urban commune", " circle",
)
_AIRPORT_WORDS = re.compile(
    r"\b(international|internationale|intl|regional|municipal|domestic|airport|airfield|"
    r"airstrip|aerodrome|aeroport|air base|airbase|base aerienne|heliport|de|du|d)\b"
)


def name_keys(name: str, kind: str = "") -> tuple[str, ...]:
    """Return the lookup keys of a place name: the folded name and, for areas and airports,
    the name without the words that only say what kind of place it is."""
    key = normalize(name)
    if not key:
        return ()
    keys = [key]
    if kind == "AIRP":
        core = " ".join(_AIRPORT_WORDS.sub(" ", key).split())
        if core and core != key:
            keys.append(core)
    elif kind.startswith(("ADM", "PCL")) or kind in {"RGN", "AREA"}:
        core = key
        for prefix in _ADMIN_PREFIXES:
            if core.startswith(prefix):
                core = core[len(prefix):]
                break
        for suffix in _ADMIN_SUFFIXES:
            if core.endswith(suffix):
                core = core[: -len(suffix)]
                break
        core = core.strip()
        if core and core != key:
            keys.append(core)
    return tuple(keys)


def is_latin(text: str) -> bool:
    """Return True when every letter of ``text`` is in the Latin script."""
    return all(
        not char.isalpha() or unicodedata.name(char, "").startswith("LATIN") for char in text
    )


# French, English and local spellings of the same sound ("Diabaly"/"Diabali", "Inatès"/"Inatess",
# "Banibangou"/"Bani Bangou", "Ouagadougou"/"Wagadugu"): fold them to one skeleton.
_SKELETON_PAIRS: tuple[tuple[str, str], ...] = (
    (" ", ""), ("dj", "j"), ("dy", "j"), ("tch", "c"), ("ch", "c"), ("sh", "c"), ("ph", "f"),
    ("qu", "k"), ("ck", "k"), ("ou", "u"),
)
_SKELETON_CHARS = str.maketrans({"q": "k", "w": "u", "y": "i", "c": "k", "h": None, "z": "s",
                                 "x": "ks"})
_DOUBLE = re.compile(r"(.)\1+")


def skeleton(key: str) -> str:
    """Return a spelling-insensitive form of a normalised key, for fuzzy matching."""
    out = key
    for old, new in _SKELETON_PAIRS:
        if old in out:
            out = out.replace(old, new)
    out = out.translate(_SKELETON_CHARS).replace("ai", "e").replace("ei", "e")
    out = _DOUBLE.sub(r"\1", out)
    return out[:-1] if len(out) > 4 and out.endswith("e") else out
