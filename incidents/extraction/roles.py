"""Who acts and who is acted upon in a sentence: the perpetrator is the party before the
event word and not acted upon, after "by", or the one the report holds responsible."""

from __future__ import annotations

import re

from incidents.extraction.actors import UNIDENTIFIED, ActorMention, kind_of
from incidents.extraction.reading import Read

_RESPONSIBILITY = re.compile(
    r"claim\w*\s+(?:responsibility|the\s+attack|the\s+assault)|"
    r"claimed\s+by|revendiqu\w*|"
    # who the report holds responsible: "the device was likely planted by X", "attributed
    # to X", "X were believed to be behind it"
    r"(?:planted|laid|placed)\s+by|attributed\s+to|blamed\s+on|imput[ée]e?s?\s+(?:à|au|aux)|"
    r"(?:believed|suspected|thought|said)\s+to\s+(?:be|have\s+been)\s+(?:behind|responsible)|"
    r"(?:were|was)\s+(?:likely\s+|probably\s+|allegedly\s+)?(?:behind|responsible\s+for)",
    re.I,
)


def claimed_by(reads: list[Read]) -> str | None:
    for read in reads:
        if _RESPONSIBILITY.search(read.sentence.text):
            named = [a.group for a in read.actors
                     if a.group and kind_of(a.group) in ("jihadist", "armed", "militia")]
            if named:
                return named[0]
    return None


def find_report_actor(reads: list[Read]) -> str | None:
    """The group the report says claimed the attacks, else the first named armed group."""
    for read in reads:
        if _RESPONSIBILITY.search(read.sentence.text):
            named = [
                a.group
                for a in read.actors
                if a.group and kind_of(a.group) not in ("civilians", "protesters", "rioters")
            ]
            if named:
                return named[0]
    for read in reads:
        if read.event:
            named = agents_of(read)
            if named:
                return named[0]
    # no event word the rules know ("the army carried out forced disappearances"): the party
    # that opens the report's first sentence acts
    for read in reads[:1]:
        named = agents_of(read)
        if named:
            return named[0]
    return None


# What follows a party and makes it the one acted upon: a passive ("soldiers were killed",
# "a convoy was ambushed", "two soldiers killed in", "struck by an IED", "soldats tués"), an
# object of its own ("an army vehicle struck a mine"), or a thing of it that was hit ("a
# MINUSMA vehicle", "FAMa checkpoint", "an army patrol").
_PATIENT_AFTER = re.compile(
    r"^\s*(?:\([^()]{0,60}\)\s*)?(?:"
    r"(?:[\w'’-]+\s+){0,5}?(?:was|were|been|being|got|a\s+été|ont\s+été|sont|est)\s+"
    r"(?:\w+\s+){0,2}?(?!able\b)[\w'’-]+(?:ed|en|wn|t|ck|ot|it|é|ée|és|ées|us|is)\b"
    r"|(?:[\w'’-]+\s+){0,3}?(?:killed|wounded|injured|hurt|kidnapped|abducted|ambushed|"
    r"attacked|targeted|executed|assassinated|murdered|beheaded|lynched|died|captured|"
    r"tu[ée]s?|bless[ée]s?|enlev[ée]s?|attaqu[ée]s?|assassin[ée]s?)"
    r"(?=\s*(?:$|[,.;:(]|\b(?:in|on|at|near|when|while|after|during|by|and|as|around|"
    r"overnight|dans|à|au|par|lors|près|et|between|outside|inside)\b))"
    r"|(?:[\w'’-]+\s+){0,5}?(?:struck|hit|ran\s+over|drove\s+over|stepped\s+on|"
    r"detonated|triggered|sauté|heurté)\s+(?:on\s+)?(?:a|an|the|one|two|une?|des)?\s*"
    r"(?:\w+\s+)?(?:IEDs?|mines?|landmines?|explosive|roadside|EEI|engins?|bomb)"
    r"|(?:subjected\s+to|came\s+under|under\s+(?:attack|fire)|victims?\s+of|fell\s+into|"
    r"caught\s+in)"
    r"|(?:[\w'’-]+\s+)?(?:vehicles?|convoys?|patrols?|checkpoints?|positions?|posts?|"
    r"bases?|camps?|trucks?|subcontractors?|contractors?|escorts?|helicopters?|"
    r"v[ée]hicules?|patrouilles?)\b(?!\s+(?:of\s+\w+\s+)?(?:attacked|opened|fired|"
    r"killed|shot|clashed|ambushed|raided|carried|conducted|launched|arrested|engaged|"
    r"repelled|repulsed|neutralized|struck|hit\s+(?!an?\s+(?:IED|mine))))"
    r")",
    re.I,
)


_AGENT_BEFORE = re.compile(
    r"\b(?:by|par|planted\s+by|claimed\s+by|revendiqu\w*\s+par|attributed\s+to|"
    r"blamed\s+on|imput[ée]e?s?\s+(?:à|au|aux))\s+(?:[\w'’-]+\s+){0,4}$",
    re.I,
)


# What follows a party that acts: an attack verb in the active voice ("when FLM attacked
# their post"), or its responsibility ("MUJAO was responsible for placing the mine").
_AGENT_AFTER = re.compile(
    r"^\s*(?:\([^()]{0,60}\)\s*)?(?:(?:militants?|fighters?|members?|elements?|gunmen|"
    r"men|forces|troops|soldiers|reportedly|allegedly|reportedly|also|then|had|have|has|"
    r"militiamen|jihadists?)\s+){0,3}"
    r"(?:attacked|ambushed|killed|abducted|kidnapped|raided|stormed|opened\s+fire|fired|"
    r"shot|clashed|executed|assaulted|overran|shelled|bombed|planted|launched|carried\s+out|"
    r"conducted|claimed|(?:was|were|is|are)\s+(?:\w+\s+)?(?:responsible|behind|blamed)|"
    r"ont\s+attaqu[ée]|a\s+attaqu[ée]|attaquent|ont\s+tu[ée]|a\s+revendiqu[ée]|"
    r"ont\s+enlev[ée])\b"
    # "a JNIM suicide bomber detonated", "Ansar Dine militants set off": a person of the
    # party sets the device off (a vehicle that "detonated an IED" is its victim, below)
    r"|^\s*(?:\w+\s+)?(?:militants?|fighters?|members?|elements?|(?:suicide\s+)?bombers?|"
    r"assailants?|jihadists?)\s+(?:\w+\s+)?(?:detonated|set\s+off|exploded|blew\s+up)\b",
    re.I,
)


_TARGET_BEFORE = re.compile(
    r"\b(?:against|targeting|on|upon|at|contre|visant|sur|ambushed|attacked|killed|"
    r"abducted|kidnapped)\s+(?:[\w'’-]+\s+){0,4}$",
    re.I,
)


_CROWD_NOUN = (
    r"(?:angry\s+|young\s+|local\s+)?(?:students?|pupils|schoolchildren|shopkeepers|traders|"
    r"merchants|vendors|youths?|young\s+people|activists|supporters|partisans|residents|"
    r"inhabitants|villagers|mob|crowd|people|population|parents|drivers|truckers|haulers|"
    r"miners|political\s+opponents|opponents|[ée]l[eè]ves|[ée]tudiants|jeunes|habitants|"
    r"commer[cç]ants|militants\s+of|activists\s+of|members\s+of\s+the\s+\w+\s+party)\b"
)


CROWD = re.compile(
    r"^\W*(?:On\s+[^,]{3,30},\s*)?(?:(?:hundreds|dozens|thousands|a\s+group|groups|a\s+crowd|"
    r"some|several|many|\d+)\s+(?:of\s+)?)*" + _CROWD_NOUN
    + r"|\bby\s+(?:(?:hundreds|dozens|a\s+group|a\s+crowd)\s+of\s+)?" + _CROWD_NOUN,
    re.I,
)


def roles(read: Read) -> list[tuple[ActorMention, str]]:
    """Each named party of the sentence with its role: "agent" (it acts), "patient" (it is
    acted upon) or "other"."""
    text = read.sentence.text
    base = read.sentence.start
    strong = [t for t in read.triggers if t.kind != "strategic"] or read.triggers
    first = strong[0].start if strong else None
    out = []
    for i, a in enumerate(read.actors):
        nxt = read.actors[i + 1].start if i + 1 < len(read.actors) else read.sentence.end
        after = text[a.end - base : min(nxt, a.end + 90) - base]
        before = text[max(0, a.start - base - 40) : a.start - base]
        if _AGENT_BEFORE.search(before) or _AGENT_AFTER.match(after):
            role = "agent"
        elif _PATIENT_AFTER.match(after):
            role = "patient"
        elif first is None or a.start < first:
            role = "patient" if _TARGET_BEFORE.search(before) else "agent"
        else:
            role = "other"
        out.append((a, role))
    return out


def unnamed_author(read: Read) -> bool:
    """Whether the first party that acts in the sentence is one the report does not name
    ("unknown gunmen opened fire on the police station; the police repelled them"), with no
    named party before the event word ("JNIM militants", "militants of JNIM" name one)."""
    strong = [t.start for t in read.triggers if t.kind != "strategic"]
    first = strong[0] if strong else read.sentence.end
    agents = [a for a, role in roles(read) if role == "agent"]
    named = any(a.group and a.start < first + 12 and kind_of(a.group) != "civilians"
                for a in read.actors)
    return bool(agents) and agents[0].group is None and agents[0].start < first and not named


def agents_of(read: Read) -> list[str]:
    """Named parties that act in the sentence: before its first event word and not acted upon
    ("soldiers were ambushed"), or the agent after "by"/"par"."""
    return [
        a.group
        for a, role in roles(read)
        if role == "agent" and a.group is not None and kind_of(a.group) != "civilians"
    ]


def patients_of(read: Read) -> list[str]:
    return [a.group for a, role in roles(read) if role == "patient" and a.group is not None]


_BETWEEN = re.compile(
    r"\b(?:clash\w*|fighting|fights?|battles?|exchanges?\s+of\s+fire|firefights?|"
    r"affrontements?|accrochages?|combats?)\s+(?:[\w'’-]+\s+){0,3}?(?:between|entre)\s+",
    re.I,
)


def first_of_between(read: Read) -> str | None:
    """"Clashes between the Malian army and unknown gunmen": the first party named is the one
    the coding projects put first (the unnamed one when it is "gunmen"); None when the sentence
    tells no clash between parties."""
    hit = _BETWEEN.search(read.sentence.text)
    if hit is None:
        return None
    at = read.sentence.start + hit.end()
    after = [a for a in read.actors if a.start >= at]
    if not after or after[0].start > at + 20:
        return None
    first = after[0]
    if first.group is None:
        return UNIDENTIFIED
    return first.group if kind_of(first.group) != "civilians" else None
