"""What happened: the words that tell an attack (or a clash, a bombing, a kidnapping, a
protest) in English and French, and the event type of the project's taxonomy they point to."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Trigger", "event_type_of", "find_triggers", "is_riot"]

# Most telling first: an IED that killed soldiers is an explosion, not an attack.
_TRIGGERS: tuple[tuple[str, str], ...] = (
    (
        "explosion",
        r"IEDs?|improvised\s+explosive|explosive\s+devices?|explosives|landmines?|"
        r"(?:struck|hit|ran\s+over)\s+(?:a|an)\s+(?:mine|IED|explosive)|explo(?:sion|ded|des)|"
        r"blasts?|detonations?|bomb(?:s|ing|ings|ed)?|suicide\s+(?:bomb\w*|attack\w*|car)|"
        r"air\s*strikes?|drone\s+strikes?|strikes?\s+by\s+(?:drones?|aircraft)|shell(?:ing|ed)|"
        r"mortars?|rockets?|artillery|bombard\w*|frappes?\s+a[ée]riennes?|"
        r"engins?\s+explosifs?|EEI|mines?\s+(?:artisanales?|antipersonnel)|"
        r"kamikazes?|obus|tirs?\s+de\s+mortiers?|v[ée]hicule\s+pi[ée]g[ée]",
    ),
    (
        "abduction",
        r"kidnap\w*|abduct\w*|hostages?|taken\s+captive|seized\s+and\s+took|"
        r"enlev\w*|kidnapp[ée]\w*|otages?|rapt|séquestr\w*",
    ),
    (
        "protest_riot",
        r"protest(?!ant)\w*|demonstrat\w*|sit-ins?|sit\s+ins?|"
        r"(?:went|go|going|walk\w*(?:\s+down)?)\s+(?:in)?to\s+the\s+streets?|"
        r"(?:march|marched|marching)\s+to\s+(?:the\s+)?(?:city|town)\s+hall|rall(?:y|ied|ies)|marched|"
        r"manifest(?:ation|ants?|é|er)\w*|marche\s+de\s+protestation|riot\w*|[ée]meut\w*|"
        r"looted\s+and\s+burned|(?:took|went|poured)\s+(?:out\s+)?(?:(?:to|in|into)\s+)?the\s+streets?|"
        # a crowd that gathers for a cause ("... gathered outside the Kelbo market to demand")
        r"gathered\s+(?:[^.;]{0,80}?\s)?to\s+(?:demand|protest|call\s+for|denounce|condemn|"
        r"express)|(?:decided|attempted|planned)\s+to\s+march|"
        r"(?:a|peaceful|staged|organi[sz]ed|held)\s+(?:a\s+)?march(?:es)?|marches|"
        r"barricad\w*|blocked\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,3}?"
        r"(?:roads?|route|highway|streets?|traffic|bridge|access|entrance)|"
        r"vandali[sz]\w*|barr[eè]rent\s+la\s+route|marche\s+pacifique|"
        # a strike is a protest (the coding projects' convention); "air strike" is taken
        # above as an explosion
        r"(?:on|partial|general|total|hunger|\d+[\s-](?:hours?|days?))\s+strikes?|"
        r"strik(?:e|ing)\s+(?:workers|employees|teachers|staff)|work\s+stoppages?|"
        r"laid\s+down\s+(?:their\s+)?tools|gr[eè]ves?|en\s+gr[eè]ve",
    ),
    (
        "battle",
        r"clash\w*|fighting|firefights?|exchanges?\s+of\s+fire|exchanged\s+fire|"
        r"battles?|fought|repel+ed|repulsed|affrontements?|accrochages?|combats?|"
        r"se\s+sont\s+affront[ée]s|riposte|repouss[ée]|"
        # a place taken or taken back by force ("rebels overtake Tamaro", "troops recapture
        # Tamaro", "JNIM seized control of Tamaro"; the coding projects code it as a battle)
        r"overt(?:ake[sn]?|ook|aking)|recaptur\w*|ret(?:ake[sn]?|ook|aking)|"
        r"(?:took|take[sn]?|taking|seiz\w*|gain\w*|wrest\w*|regain\w*)\s+"
        r"(?:full\s+)?control(?=\s+(?:of|over)\s+(?:the\s+)?(?-i:[A-ZÀ-Þ])|\s+(?:of|over)\s+"
        r"(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:town|city|village|locality|area|base|camp|airport|"
        r"region|district|military|army|checkpoint|post))|regain(?:s|ed)?(?=\s+(?-i:[A-ZÀ-Þ])|\s+the\s+(?:town|city|"
        r"village|locality|area|base|camp))|(?<!military\s)(?<!political\s)takeovers?|"
        r"(?:pris|prennent|prend|repris|reprend|reprennent)\s+le\s+contr[ôo]le|"
        r"(?:a|ont)\s+repris(?=\s+(?-i:[A-ZÀ-Þ])|\s+la\s+ville)|"
        r"(?:s['’]est|se\s+sont)\s+empar[ée]e?s?",
    ),
    (
        "attack",
        r"attack\w*|assault\w*|ambush\w*|raid\w*|storm(?:ed|ing)|"
        r"open(?:ed)?\s+fire|fired\s+(?:on|at|upon|into)|gunfire|gunshots?|shot\s+dead|shot|"
        r"shooting|targeting|targeted|overran|overrun|attaqu\w*|embuscade\w*|assauts?|"
        r"tirs?|ont\s+ouvert\s+le\s+feu|prise\s+d'assaut|offensive|hit\s+by\s+attacks?|"
        r"stabbed|stabbing|poignard\w*",
    ),
    (
        "violence_against_civilians",
        r"killed|killing|massacr\w*|executed|execution|"
        r"murder\w*|beheaded|slaughter\w*|burn(?:ed|t)\s+(?:down\s+)?(?:the\s+)?(?:village|houses|"
        r"homes)|tu[ée]s?|tuant|ex[ée]cut[ée]s?|assassin\w*|égorg\w*|massacre|"
        # executions, punishments and beatings ("given 40 lashes", "whipped two women",
        # "amputated the hand of", "stoned to death", "beaten to death", "tortured")
        r"executions|\d+\s+lashes|lashed(?!\s+out)|flogg\w*|whipp\w*|amputat\w*|stone[ds]?\s+to\s+death|"
        r"beat(?:en)?\s+(?:up|to\s+death)|tortur\w*|fouett\w*|lapid\w*|"
        r"pass[ée]s?\s+à\s+tabac|battu\w*\s+à\s+mort",
    ),
    (
        "strategic",
        r"arrest\w*|looted|loot(?:ing)?|pillag\w*|pill[ée]\w*|seized|burn(?:ed|t)|"
        r"set\s+fire|torched|destroyed|sabotag\w*|interpell\w*|incendi\w*|d[ée]truit",
    ),
)
_COMPILED = tuple(
    (kind, re.compile(rf"(?<![\w-])(?:{rx})(?![\w-])", re.I)) for kind, rx in _TRIGGERS
)
# Words that make an "attack" word talk about something other than an attack that happened.
NOT_EVENT = re.compile(
    r"\b(?:threat(?:en\w*)?|intend\w*|plan(?:ned|s)?\s+to|would|could|"
    r"menace\w*|anniversary|anniversaire|trial|procès)\b",
    re.I,
)


# What makes a crowd rioters rather than protesters (the coding projects' line: violence
# against people or property, or blocking roads by force).
_RIOT = re.compile(
    r"(?<![\w-])(?:riot\w*|[ée]meut\w*|vandali[sz]\w*|barricad\w*|blocked|bloqu[ée]\w*|"
    r"burn(?:ed|t|ing)?|set\s+(?:on\s+)?fire|torch\w*|loot\w*|ransack\w*|pillag\w*|"
    r"stones?|stoned|stoning|rocks|projectiles|clubs|machetes|broke|smashed|destroy\w*|"
    r"attacked|assaulted|assaulting|beat|lynch\w*|clash\w*|forcibly|violent\w*(?!\s+dispers)|"
    r"incendi\w*|br[uû]l[ée]\w*|saccag\w*|caillass\w*|pneus|tyres|tires|affrontements?|"
    r"arson|set\s+(?:[\w'’-]+\s+){1,3}?on\s+fire|fir(?:ed|ing)\s+(?:[\w'’-]+\s+){0,3}?(?:in|into)\s+the\s+air)"
    r"(?![\w-])",
    re.I,
)
# Violence a crowd did not commit: the police's ("police blocked them", "gendarmes beat
# protesters", "dispersed the crowd with gunshots fired in the air"), the one it protests ("in
# solidarity with teachers assaulted", "against the attempted lynching of"), one the text
# denies ("no clashes reported").
_NOT_THE_CROWDS = re.compile(
    r"(?:\b(?:police(?:men)?(?!\s+(?:stations?|posts?|offices?|headquarters|officers?['’]))|"
    r"policiers|gendarmes?|gendarmerie|security\s+forces|guards?|forces\s+de\s+l'ordre|"
    r"authorities)\s+(?:(?!and\b)[\w'’-]+\s+){0,2}?"
    r"|\bdispers\w*\s+(?:[\w'’-]+\s+){0,4}?(?:with|using|by)\s+(?:[\w'’-]+\s+){0,5}?"
    r"|\b(?:against|over|denounc\w*|condemn\w*|in\s+(?:reaction|response|solidarity)\s+"
    r"(?:to|with)|inciting|contre|d[ée]non[cç]\w*|(?:to\s+)?protest(?:ed|ing)?(?=\s+(?:the|an?|"
    r"their|his|her)\b))\s+"
    r"(?:(?:the|an?|their|his|her|recent|attempted|alleged|several|two|three|\w+'s)\s+)*"
    r"(?:(?!and\b|et\b)[\w'’-]+\s+)?"
    r"|\bno\s+(?:[\w'’-]+\s+){0,2}?)$",
    re.I,
)
_TO_DISPERSE = re.compile(r"^[^.;]{0,40}?\bto\s+disperse\b", re.I)


def is_riot(text: str) -> bool:
    """Whether a protest the text tells turned violent (burning, stones, barricades ...): a
    violent word the crowd's own act, not the police's, the cause of the protest, or denied."""
    return any(not _NOT_THE_CROWDS.search(text[max(0, m.start() - 60):m.start()])
               and not _TO_DISPERSE.match(text[m.end():]) for m in _RIOT.finditer(text))


@dataclass(frozen=True)
class Trigger:
    """A word that tells an event, and the event type it points to."""

    start: int
    end: int
    text: str
    kind: str


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    """Return the event words of ``text`` in order (overlaps go to the most telling kind)."""
    out: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            out.append(Trigger(a + offset, b + offset, match.group(0), kind))
    return sorted(out, key=lambda t: t.start)


def is_event_sentence(text: str, triggers: list[Trigger]) -> bool:
    """Whether a sentence tells an event (a trigger, and not only talk of threats or plans)."""
    strong = [t for t in triggers if t.kind != "strategic"]
    return bool(strong) and not (NOT_EVENT.search(text) and len(strong) <= 1)


def event_type_of(triggers: list[Trigger], target_kind: str | None) -> str:
    """Return the taxonomy code for an incident's event words and the kind of its target."""
    kinds = {t.kind for t in triggers}
    for kind in ("explosion", "abduction", "protest_riot"):
        if kind in kinds:
            return kind
    if "battle" in kinds and "attack" not in kinds:
        return "battle"
    if kinds & {"attack", "violence_against_civilians"}:
        if target_kind == "civilians":
            return "violence_against_civilians"
        if "attack" in kinds or target_kind in (
            "state",
            "jihadist",
            "armed",
            "militia",
            "international",
            "foreign",
        ):
            return "attack"
        return "violence_against_civilians"
    if "strategic" in kinds:
        return "strategic"
    return "other"
