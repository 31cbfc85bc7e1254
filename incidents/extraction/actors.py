"""Who did it and to whom: the parties of ``incidents.extraction.groups`` found in text by
their English and French names, and matched against the actors already in the store."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from incidents.extraction.groups import (
    GENERIC_ARMED,
    GROUPS,
    NATIONAL,
    NATIONAL_FORCES,
    UNIDENTIFIED,
    Group,
)
from incidents.geocoding.normalize import normalize

__all__ = [
    "GROUPS",
    "NATIONAL_FORCES",
    "UNIDENTIFIED",
    "ActorMention",
    "Group",
    "canonical_group",
    "find_actors",
    "kind_of",
    "parents",
    "store_names",
]


_ACCENTS = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]"}


def _pattern(alias: str) -> str:
    if alias.startswith("re:"):
        return alias[3:]
    out = []
    for ch in alias:
        low = ch.lower()
        if low in _ACCENTS:
            out.append(_ACCENTS[low])
        elif ch in "'’":
            out.append("['’]?")
        elif ch == " ":
            out.append(r"[\s-]+")
        elif ch == "-":
            out.append(r"[\s-]?")
        elif low in "éèêë":
            out.append(_ACCENTS["e"])
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(alias) <= 8 and sum(c.isupper() for c in letters) >= 2


@dataclass(frozen=True)
class ActorMention:
    """A party named in the text."""

    start: int
    end: int
    text: str
    group: str | None  # canonical group name, None for a generic armed party
    kind: str


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, str | None, str, bool], ...]:
    entries: list[tuple[str, str | None, str, bool]] = []
    for group in GROUPS:
        for alias in group.aliases:
            entries.append((alias, group.name, group.kind, _is_acronym(alias)))
    for alias in GENERIC_ARMED:
        entries.append((alias, None, "generic", alias.isupper()))
    for alias in NATIONAL:
        entries.append((alias, NATIONAL_FORCES, "state", alias.isupper()))
    # written-out names before patterns, longest first (ties in match length go to the first)
    entries.sort(key=lambda e: (e[0].startswith("re:"), -len(e[0])))
    return tuple(
        (re.compile(rf"(?<![\w-]){_pattern(a)}(?![\w-])", re.I), g, k, acro)
        for a, g, k, acro in entries
    )


def find_actors(text: str, offset: int = 0) -> list[ActorMention]:
    """Return the parties named in ``text``, longest matches first, without overlaps (of two
    names matching the same words, the one written out beats a pattern)."""
    found = []
    for rank, (pattern, group, kind, acronym) in enumerate(_compiled()):
        for match in pattern.finditer(text):
            if acronym and not match.group(0)[:1].isupper():
                continue
            found.append((match.start() - match.end(), rank, match, group, kind))
    taken: list[tuple[int, int]] = []
    out: list[ActorMention] = []
    for _length, _rank, match, group, kind in sorted(found, key=lambda f: f[:2]):
        a, b = match.span()
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        out.append(ActorMention(a + offset, b + offset, match.group(0), group, kind))
    return sorted(out, key=lambda m: m.start)


_BY_NAME = {g.name: g for g in GROUPS}


@lru_cache(maxsize=4096)
def canonical_group(name: str) -> str | None:
    """Return the canonical group a party's name stands for ("JNIM: Group for Support of Islam
    and Muslims" -> "JNIM"; "Unidentified Armed Group (Mali)" -> the unidentified party)."""
    text = re.sub(r"\s*\([^)]*\)\s*", " ", name or "").strip()
    if not text:
        return None
    if normalize(text).startswith("unidentified armed group"):
        return UNIDENTIFIED
    if normalize(name) in ("islamic state", "etat islamique"):
        return "Islamic State"
    head = text.split(":")[0].strip()
    for candidate in (name.strip(), text, head):
        found = [m for m in find_actors(candidate) if m.group]
        whole = [m for m in found if m.start == 0 and m.end >= len(candidate) - 1]
        if whole:
            return whole[0].group
    found = [m for m in find_actors(text) if m.group]
    return found[0].group if found else None


def parents(group: str | None) -> list[str]:
    """Return ``group`` and the groups it belongs to, nearest first."""
    out: list[str] = []
    while group and group not in out:
        out.append(group)
        parent = _BY_NAME.get(group)
        group = parent.parent if parent else None
    return out


def kind_of(group: str | None) -> str | None:
    """Return the kind of a canonical group (jihadist, state, civilians ...)."""
    found = _BY_NAME.get(group or "")
    return found.kind if found else None


def store_names(actors: Iterable[str]) -> dict[str, str]:
    """Return canonical group -> the spelling the store already uses for it (most used first).

    Only a store name that is wholly one of the group's names counts ("JNIM" -> "JNIM";
    "Government of Mali" -> the Malian forces); a list of several actors does not.
    """
    out: dict[str, str] = {}
    for name in actors:
        if not isinstance(name, str) or "," in name:
            continue
        group = canonical_group(name)
        if group and group != UNIDENTIFIED:
            out.setdefault(group, name)
    return out
