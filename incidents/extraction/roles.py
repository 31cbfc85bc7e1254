"""Who acts and who is acted upon in a sentence: the perpetrator is the party before the
event word and not acted upon, after "by", or the one the report holds responsible."""

from __future__ import annotations

import re

from incidents.extraction.actors import UNIDENTIFIED, ActorMention, kind_of, parents
from incidents.extraction.events import is_riot
from incidents.extraction.groups import PEOPLES, militia_of_people
from incidents.extraction.reading import Read

_RESPONSIBILITY = re.compile(
    r"claim\w*\s+(?:responsibility|the\s+attack|the\s+assault)|"
    r"claimed\s+by|revendiqu\w*|"
    # who the report holds responsible: "the device was likely planted by X", "attributed
    # to X", "X were believed to be behind it"
    r"(?:planted|laid|placed)\s+by|attributed\s+to|blamed\s+on|imput[ée]e?s?\s+(?:à|au|aux)|"
    r"(?:believed|suspected|thought|said)\s+to\s+(?:be|have\s+been)\s+(?:behind|responsible)|"
    r"(?:were|was)\s+(?:likely\s+|probably\s+|allegedly\s+)?(?:behind|responsible\s+for)|"
    # who the report says the unnamed authors were: a noun for them, a verb of report and
    # the group ("... the raiders were said to be Kelbo Front fighters"); or the group said to
    # be suspected of laying the device
    r"(?:perpetrators?|attackers?|assailants?|authors?|culprits?|kidnappers?|group)\s+"
    r"(?:(?:is|are|was|were|has\s+been|have\s+been)\s+)(?:\w+\s+)?(?:alleged|believed|"
    r"suspected|thought|said|reported|confirmed|identified)\s+(?:to\s+be|as)\b|"
    r"(?:is|are|was|were)\s+suspected\s+(?:in|of)\s+(?:planting|placing|laying|carrying\s+out|"
    r"the\s+attack|being\s+behind)",
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


# A party named only as the one that speaks: "X claimed in a statement that they had seized
# the camp", "X said it had killed ...", "X a affirmé avoir ...".
_SPEAKS = re.compile(
    r"^[\s,]*(?:(?:has|have|had|also|later|then|further)\s+)?(?:claimed|claims|said|says|"
    r"stated|states|announced|asserted|affirmed|boasted|revendiqu\w*|a\s+(?:affirmé|déclaré|"
    r"annoncé|assuré)|affirme|déclare|annonce)\b", re.I)


def only_speaks(reads: list[Read], nos: list[int], group: str) -> bool:
    """Whether every mention of ``group`` in sentences ``nos`` is the one that speaks ("X
    claimed that they had ..."): a claimant of the acts, not a party told acting."""
    told = [(reads[n], a) for n in nos for a in reads[n].actors if a.group == group]
    return bool(told) and all(
        _SPEAKS.match(r.sentence.text[a.end - r.sentence.start:]) for r, a in told)


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
    r"^[)\"”]?\s*(?:\([^()]{0,60}\)\s*)?(?:"
    r"(?:[\w'’-]+\s+){0,5}?(?:was|were|been|being|got|a\s+été|ont\s+été|(?-i:sont|est))\s+"
    r"(?:\w+\s+){0,2}?(?!able\b)[\w'’-]+(?:ed|en|wn|t|ck|ot|it|é|ée|és|ées|us|is)\b"
    r"|(?:[\w'’-]+\s+){0,3}?(?:killed|wounded|injured|hurt|kidnapped|abducted|ambushed|"
    r"attacked|targeted|executed|assassinated|murdered|beheaded|lynched|died|captured|"
    r"tu[ée]s?|bless[ée]s?|enlev[ée]s?|attaqu[ée]s?|assassin[ée]s?)"
    r"(?=\s*(?:$|[,.;:(&]|\b(?:in|on|at|near|when|while|after|during|by|and|as|around|"
    r"overnight|dans|à|au|par|lors|près|et|between|outside|inside)\b))"
    r"|(?:[\w'’-]+\s+){0,5}?(?:struck|hit|ran\s+over|drove\s+over|stepped\s+on|"
    r"detonated|triggered|sauté|heurté)\s+(?:on\s+)?(?:a|an|the|one|two|une?|des)?\s*"
    r"(?:\w+\s+)?(?:IEDs?|mines?|landmines?|explosive|roadside|EEI|engins?|bomb)"
    r"|(?:subjected\s+to|came\s+under|under\s+(?:attack|fire)|victims?\s+of|fell\s+into|"
    r"caught\s+in)"
    r"|(?:[\w'’-]+\s+){0,5}?(?:was|were|went|are|is|been)\s+missing\b"
    # places and things of a party cannot act: "two MINUSMA checkpoints attacked near Kidal"
    r"|(?:[\w'’-]+\s+)?(?:checkpoints?|checkposts?|positions?|posts?|bases?|camps?|"
    r"stations?)\b"
    r"|(?:[\w'’-]+\s+)?(?:vehicles?|convoys?|patrols?|"
    r"trucks?|subcontractors?|contractors?|escorts?|helicopters?|"
    r"v[ée]hicules?|patrouilles?)\b(?!\s+(?:of\s+\w+\s+)?(?:(?:reportedly|allegedly|"
    r"presumably|then|also)\s+)?(?:attacked|opened|fired|"
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
    r"^[)\"”]?\s*(?:\([^()]{0,60}\)\s*)?(?:(?:militants?|fighters?|members?|elements?|gunmen|"
    r"men|forces|troops|soldiers|reportedly|allegedly|also|then|had|have|has|"
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
    r"(?:angry\s+|young\s+|local\s+|striking\s+|(?:high|secondary|middle)\s+school\s+|"
    r"university\s+)?(?:students?|pupils|schoolchildren|shopkeepers|traders|"
    r"merchants|vendors|youths?|young\s+people|activists|supporters|partisans|residents|"
    r"inhabitants|villagers|mob|crowd|people|population|parents|drivers|truckers|haulers|"
    r"miners|political\s+opponents|opponents|[ée]l[eè]ves|[ée]tudiants|jeunes|habitants|"
    r"locals|local\s+population|women|butchers|vigilantes|workers|"
    r"commer[cç]ants|militants\s+of|activists\s+of|members\s+of\s+the\s+\w+\s+party)\b"
)


CROWD = re.compile(
    r"^\W*(?:On\s+[^,]{3,30},\s*)?(?:(?:hundreds|dozens|thousands|a\s+group|groups|a\s+crowd|"
    r"some|several|many|the|an?|\d+|(?:a\s+)?(?:large\s+|small\s+)?numbers?|a\s+few|scores)\s+"
    r"(?:of\s+)?)*(?:(?-i:[A-Z]{2,})\s+)?" + _CROWD_NOUN
    + r"|\bby\s+(?:(?:hundreds|dozens|a\s+group|a\s+crowd)\s+of\s+)?" + _CROWD_NOUN,
    re.I,
)


# Between two parties' names, words that make them one phrase whose role the second names:
# "MINUSMA peacekeepers", "AQIM fighters", "seven soldiers and a civilian driver were
# killed", "MSA/GATIA position", "Dogon militiamen (Dan Na Ambassagou) attacked".
_JOINED = re.compile(
    r"^\s*(?:(?:,|and|et|&|/|\(|or|ou)\s*)?(?:(?:the|a|an|one|two|three|several|some|its|"
    r"their|les?|la|des|of\s+the|from\s+the|of|du|de\s+la)\s+)?$"
)
# Verbs after which the party named after "by" is not the one that carried out the event:
# "a convoy escorted by soldiers was attacked", "the attack was repelled by the police"
_NOT_DONE_BY = (r"escorted|accompanied|supported|backed|reinforced|surrounded|followed|"
                r"joined|replaced|chartered|owned|manned|commanded|organi[sz]ed|led|called|used|"
                r"transported|carried|driven|hosted|protected|guarded|escort[ée]e?s?|"
                r"accompagn[ée]e?s?|appuy[ée]e?s?|guided|repelled|repulsed|foiled|thwarted|"
                r"pushed\s+back|dispersed|rescued|freed|released|repouss[ée]e?s?|d[ée]jou[ée]e?s?")
_NOT_AGENT_BY = re.compile(rf"\b(?:{_NOT_DONE_BY})\s+(?:by|par)\s+(?:[\w'’-]+\s+){{0,4}}$",
                           re.I)
# Fighters killed by their own device act in the event: "two militants were killed while
# planting an IED"
_SELF_INFLICTED = re.compile(
    r"^\)?\s*(?:[\w'’-]+\s+){0,3}?(?:was|were)\s+(?:\w+\s+)?(?:killed|wounded|injured)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:while|when|as)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:planting|laying|placing|handling|making|assembling|manipulating|setting)\b"
    r"|^\)?\s*(?:[\w'’-]+\s+){0,3}?(?:planting|laying)\s+(?:an?\s+)?(?:IED|mine|bomb)",
    re.I,
)
# Unnamed fighters set a device off ("militants detonated an IED against a vehicle"; a
# vehicle that "detonated an IED" is the victim of it)
_SETS_OFF = re.compile(
    r"^\)?\s*(?:(?!vehicles?|trucks?|cars?|convoys?|patrols?|buses|bus)\w+\s+)?"
    r"(?:detonated|set\s+off|blew\s+up|planted)\b",
    re.I,
)
# A passive right after a name ("militants were killed", "opponents have been arrested"),
# stricter than _PATIENT_AFTER's forms: "militants gunshot wounded and abducted a man" acts.
_PASSIVE_NEAR = re.compile(
    r"^[)\"”]?\s*(?:[\w'’-]+\s+){0,2}?(?:was|were|had\s+been|have\s+been|has\s+been|are|is|"
    r"got|a\s+été|ont\s+été)\s+(?:\w+\s+)?\w+(?:ed|en|wn|ck|ot|it|é|ée|és|ées)\b",
    re.I,
)
# A party whose name is the act itself ("French airstrikes", "a Malian drone strike").
_ACT_NAME = re.compile(r"(?:air\s*strikes?|drone\s+strikes?|air\s+raids?)$", re.I)


# A participle that may be active or a shortened passive ("militants killed two civilians" /
# "two soldiers killed and one injured in an ambush"): passive when what follows is no object
# but a place, a time, an agent or a second toll.
_PARTICIPLE = re.compile(
    r"^[)\"”]?\s*(?:[\w'’-]+\s+){0,3}?(?:attacked|ambushed|killed|abducted|kidnapped|raided|"
    r"stormed|shot|executed|assaulted|shelled|bombed|targeted)\b", re.I)
_PASSIVE_TAIL = re.compile(
    r"^\s*(?:$|[.;:(]|,(?!\s*(?:and\s+)?\w+ed\b)|(?:in|on(?!\s+(?:\w+day|\d))|"
    r"at(?!\s+least)|near|during|when|while|by|overnight|after|as|between(?!\s+\d)|outside|"
    r"inside|yesterday|today|last|this|dans|à|au|par|lors|près)\b|"
    r"(?:and|&)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|some|"
    r"an?\s+other|another|others?|\w+\s+others)\b)", re.I)
# An active verb with its object after a party ("the army arrested and executed at least ten
# men", "soldiers presumably killed and dumped the body"): the party acts.
_ACTIVE_OBJECT = re.compile(
    r"^\)?\s*(?:(?:of|from)\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*){0,2}\s+)?"
    r"(?:(?:reportedly|allegedly|presumably|reputedly|also|then)\s+)?"
    r"(?:\w+ed\s+(?:and|then)\s+)?\w+ed\s+(?:dead\s+)?(?:at\s+least|more\s+than|about|"
    r"the|a|an|his|her|their|its|\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"several|dozens|hundreds|some|many)\b", re.I)


def _acts(after: str, rest: str) -> bool:
    """Whether the words after a party (``after``, up to the next party; ``rest``, to the end
    of the sentence) make it act ("JNIM militants attacked a post"), not a shortened passive
    ("two soldiers killed in an ambush")."""
    hit = _AGENT_AFTER.match(after)
    if hit is None:
        return False
    participle = _PARTICIPLE.match(after)
    return not (participle and participle.end() == hit.end()
                and _PASSIVE_TAIL.match(rest[hit.end():]))


def _role_of(read: Read, a: ActorMention, nxt: int, first: int | None) -> str:
    base = read.sentence.start
    text = read.sentence.text
    after = text[a.end - base : min(nxt, a.end + 90) - base]
    before = text[max(0, a.start - base - 40) : a.start - base]
    rest = text[a.end - base :]
    if (_AGENT_BEFORE.search(before) and not _NOT_AGENT_BY.search(before)) or \
            _acts(after, rest) or ((first is None or a.start < first)
                                   and _ACTIVE_OBJECT.match(rest) and not _PASSIVE_NEAR.match(rest)):
        return "agent"
    if _SELF_INFLICTED.match(after) or (
            kind_of(a.group) in (None, "jihadist", "armed", "militia") and _SETS_OFF.match(after)):
        return "agent"
    if _PATIENT_AFTER.match(after):
        return "patient"
    if _ACT_NAME.search(a.text):
        return "agent"
    if first is None or a.start < first:
        return "patient" if _TARGET_BEFORE.search(before) else "agent"
    return "other"


# A heading before the sentence proper ("Arrests: special forces arrested ..."; "Security
# measures: ..."): its words name the kind of event, they do not start it.
_LABEL = re.compile(r"^\W*[A-Z][\w-]*(?:\s+[\w-]+){0,2}:\s")


def _event_words(read: Read) -> list:
    """The sentence's event words outside a leading heading, the strong ones (not arrests,
    looting ...) when there are any."""
    label = _LABEL.match(read.sentence.text)
    cut = read.sentence.start + (label.end() if label else 0)
    words = [t for t in read.triggers if t.start >= cut]
    return [t for t in words if t.kind != "strategic"] or words


def roles(read: Read) -> list[tuple[ActorMention, str]]:
    """Each named party of the sentence with its role: "agent" (it acts), "patient" (it is
    acted upon) or "other". Two names joined into one phrase ("MINUSMA peacekeepers", "A and
    B were killed") share the role the second one's words give."""
    text = read.sentence.text
    base = read.sentence.start
    strong = _event_words(read)
    first = strong[0].start if strong else None
    found = read.actors
    out: list[tuple[ActorMention, str]] = [None] * len(found)  # type: ignore[list-item]
    for i in range(len(found) - 1, -1, -1):
        a = found[i]
        nxt = found[i + 1].start if i + 1 < len(found) else read.sentence.end
        between = text[a.end - base : nxt - base]
        joined = i + 1 < len(found) and _JOINED.match(between) and not _AGENT_BEFORE.search(
            text[max(0, a.start - base - 40) : a.start - base])
        if joined and (out[i + 1][1] != "patient" or found[i + 1].group is not None
                       or _PASSIVE_NEAR.match(text[found[i + 1].end - base :])):
            out[i] = (a, out[i + 1][1])
        else:
            # a name before "militants" whose words after are no plain passive keeps the role
            # its place gives ("JNIM militants seized an ambulance while it was ...")
            out[i] = (a, _role_of(read, a, nxt if not joined else found[i + 1].end, first))
    return out


# What joins unnamed fighters to the group the report takes them for: "gunmen (believed to be
# JNIM)", "unknown gunmen, presumably ISGS militants", "militants of JNIM"; "gunmen and
# Malian soldiers exchanged fire" names two parties.
_NAMES_IT = re.compile(r"^[^.;]*\(|^(?![^.;]*\b(?:and|et|(?<!linked\s)(?<!associated\s)"
                       r"(?<!affiliated\s)with|avec|against|contre|on|at|near|in|à|dans|sur)\b)"
                       r"[^.;]*$", re.I)


def unnamed_author(read: Read) -> bool:
    """Whether the first party that acts in the sentence is one the report does not name
    ("unknown gunmen opened fire on the police station; the police repelled them"), with no
    named party before the event word ("JNIM militants", "militants of JNIM" name one)."""
    strong = _event_words(read)
    if not strong:
        return False  # no event word: nothing says the unnamed party acted
    first = strong[0].start
    agents = [a for a, role in roles(read) if role == "agent"]
    if not agents or agents[0].group is not None or agents[0].start >= first:
        return False
    lead, text, base = agents[0], read.sentence.text, read.sentence.start
    # a named party that names the unnamed one: "JNIM militants", "militants of JNIM",
    # "militants (JNIM)"; "gunmen and Malian soldiers exchanged fire" names another party
    return not any(
        a.group and kind_of(a.group) in ("jihadist", "armed", "militia") and (
            (a.end <= lead.start and re.fullmatch(r"[\s/-]*", text[a.end - base:lead.start - base]))
            or (lead.end <= a.start < first + 12 and _NAMES_IT.match(
                text[lead.end - base:a.start - base])))
        for a in read.actors)


# A name the report glosses in brackets: "Dogon militiamen (Dan Na Ambassagou)", "presumed
# AQIM militants (JNIM)", "Bambara hunters (Dozos)", "gunmen [believed to be Katiba Macina"
_GLOSS = re.compile(r"\s*(?:(?:militants?|fighters?|militiamen|members|elements)\s*)?[(\[]\s*"
                    r"(?:(?:believed|thought|said|suspected)\s+to\s+be\s+|presumably\s+|"
                    r"likely\s+|probably\s+)?")
_NON_STATE = ("jihadist", "armed", "militia")


def agents_of(read: Read) -> list[str]:
    """Named parties that act in the sentence: before its first event word and not acted upon
    ("soldiers were ambushed"), or the agent after "by"/"par". An agent named after a passive
    "by" ("killed by French forces") comes first; of a name and the one in brackets after it
    ("Dogon militiamen (Dan Na Ambassagou)"), the bracketed one is the more precise."""
    text, base = read.sentence.text, read.sentence.start
    found = [a for a, role in roles(read)
             if role == "agent" and a.group is not None and kind_of(a.group) != "civilians"]
    kept = []
    for i, a in enumerate(found):
        b = found[i + 1] if i + 1 < len(found) else None
        if b is not None and _GLOSS.fullmatch(text[a.end - base : b.start - base]) and (
                a.group in parents(b.group)
                or (kind_of(a.group) in _NON_STATE and kind_of(b.group) in _NON_STATE
                    and b.group not in parents(a.group))):
            continue
        kept.append(a)
    return [a.group for a in kept]


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


_ARMED = ("jihadist", "armed", "militia", "state", "international", "foreign")


def crowd_acts(read: Read) -> bool:
    """Whether a crowd opens the sentence and turns violent in it, before any armed party acts
    ("the local population ransacked the headquarters"; "youths ransacked the police station,
    the police dispersed them"), and is not itself acted upon ("villagers were attacked by
    gunmen who burned houses")."""
    text = read.sentence.text
    crowd = CROWD.search(text)
    if crowd is None or not is_riot(text) or _PASSIVE_NEAR.match(text[crowd.end():]):
        return False
    at, end = read.sentence.start + crowd.start(), read.sentence.start + crowd.end()
    return not any((role == "agent" and a.start < at and kind_of(a.group) != "civilians")
                   or (at <= a.start < end and kind_of(a.group) in _ARMED)
                   for a, role in roles(read))


_PERSONS = (r"(?:farmers|herders|pastoralists|hunters|youths?|villagers|men|people|members|"
            r"militiamen|communit(?:y|ies)|groups?|herdsmen|cultivators|traders)")
# "clashes between Bambara and Fulani", "violence between the Dogon and Fulani communities",
# "a dispute between villagers from A and B", "clashes between the villages of A and B"
_COMMUNAL_BETWEEN = re.compile(
    r"\b(?:clash\w*|fight\w*|fought|violence|confrontations?|tensions?|disputes?|conflicts?|"
    r"attacks?|battles?|skirmish\w*|affrontements?|heurts|violences)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:between|entre)\s+(?:the\s+|les\s+)?(?:members\s+(?:of|from)\s+the\s+|ethnic\s+)?"
    rf"(?:(?P<people>{PEOPLES})(?![\w-])(?!\s+(?:rebels|separatists|movements?))"
    r"|(?P<village>(?:(?:local\s+)?(?:villagers|residents|inhabitants|locals|people|youths?|"
    r"farmers|herders)\s+(?:of|from|in)\s+(?:the\s+village\s+of\s+)?[A-Z]"
    r"|villages\s+of\s+[A-Z]|communities\s+of\s+[A-Z]|two\s+(?:villages|communities))))",
    re.I,
)
# "Gourmantche farmers and Fulani pastoralists clashed", "members of the Bwaba community
# attacked", "Fulani attacked and burned huts"
_COMMUNAL_SUBJECT = re.compile(
    r"^\W*(?:(?:On|Around|Overnight)\s+[^,]{3,40},\s*)?(?:(?:members\s+(?:of|from)(?:\s+the)?|"
    rf"the|some|several|armed)\s+)?(?P<people>{PEOPLES})(?![\w-])(?:\s+{_PERSONS})?\s+"
    # two peoples' members acting together, or armed with something, before the verb
    r"(?:(?:and\s+(?:the\s+)?[A-Z][\w'’-]+\s+)?communit(?:y|ies)\s+)?"
    r"(?:(?:equipped|armed)\s+with\s+[^.;,]{0,40}?\s)?"
    r"(?:and\s+[^.;]{0,60}?\b(?:clashed|fought)|clashed|attacked|raided|fought|killed|burned|"
    r"set\s+fire|torched)\b",
    re.I,
)


def communal_party(read: Read) -> str | None:
    """The community militia that opens a fight between communities the sentence tells: the
    militia of the first people named (Fulani militia, Dogon militia, another people's ethnic
    militia), or a communal militia for villages or villagers; None when it tells none."""
    text = read.sentence.text
    hit = _COMMUNAL_BETWEEN.search(text) or _COMMUNAL_SUBJECT.search(text)
    if hit is None:
        return None
    if hit.group("people"):
        return militia_of_people(hit.group("people"))
    return "Communal militia"


# Violence between communities the report tells without naming them: a fight called
# intercommunal, communal or ethnic, or one between farmers and herders
_UNNAMED_COMMUNAL = re.compile(
    r"\b(?:(?P<ethnic>ethnic)|inter-?communal|communal)\s+"
    r"(?:violence|clash\w*|conflicts?|fighting|confrontations?)\b"
    # French puts the adjective after the noun: "des affrontements intercommunautaires"
    r"|\b(?:affrontements?|violences?|conflits?|heurts|combats?)\s+"
    r"(?:(?:inter-?)?communautaires?|(?P<ethnique>ethniques?))\b"
    r"|\b(?:clash\w*|conflicts?|violence|disputes?|fighting|confrontations?)\s+between\s+"
    r"(?:the\s+)?(?:farmers|agriculturalists|cultivators)\s+and\s+(?:\w+\s+)?(?:herders|"
    r"pastoralists|herdsmen)\b|\b(?:clash\w*|conflicts?|violence|disputes?|fighting)\s+between\s+"
    r"(?:the\s+)?(?:herders|pastoralists|herdsmen)\s+and\s+(?:\w+\s+)?(?:farmers|"
    r"agriculturalists|cultivators)\b",
    re.I,
)


def unnamed_communal(reads: list[Read]) -> str | None:
    """The militia of a fight between communities the sentences tell without naming a people
    or an armed party: an ethnic militia for ethnic violence, else a communal militia."""
    for read in reads:
        hit = _UNNAMED_COMMUNAL.search(read.sentence.text)
        if hit and not any(a.group is None or kind_of(a.group) in _ARMED for a in read.actors):
            return ("Ethnic militia" if hit.group("ethnic") or hit.group("ethnique")
                    else "Communal militia")
    return None


# People with no arms of their own who fight each other: the coding projects' rioters ("clashes
# between students of two schools", "opposing political groups clashed", "two camps began
# fighting"); villagers and peoples are communities (above), armed parties are named.
_CROWD_PARTY = (r"(?:students|pupils|youths|youngsters|young\s+people|supporters|partisans|"
                r"activists|political\s+(?:groups|opponents|rivals)|opponents|camps|factions|"
                r"parents|teachers|gold\s+miners|miners|traders|worshippers|brotherhoods|"
                r"(?:two|rival|opposing)\s+(?:(?!armed\b)[\w'’-]+\s+)?(?:groups|camps|factions|clans))")
_CROWD_FIGHT = re.compile(
    r"\b(?:clash\w*|fight\w*|fought|violence|confrontations?|brawls?|scuffles?)\s+"
    r"(?:[\w'’-]+\s+){0,3}?between\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?" + _CROWD_PARTY +
    r"|\b" + _CROWD_PARTY + r"\s+(?:[^.;]{0,60}?\s)?(?:clashed|fought|began\s+fighting|"
    r"came\s+to\s+blows)\b",
    re.I,
)
# A beating or lynching the report tells in the passive and with no author: mob violence
_MOB_PASSIVE = re.compile(r"\b(?:was|were)\s+(?:\w+\s+)?(?:beaten|lynched|stoned)\b"
                          r"(?![^.;]{0,40}\bby\b)", re.I)


def crowd_fights(read: Read) -> bool:
    """Whether the sentence tells a fight between unarmed people (students, political
    groups, two camps) or a beating with no author, and no armed party acts in it."""
    text = read.sentence.text
    if not (_CROWD_FIGHT.search(text) or _MOB_PASSIVE.search(text)):
        return False
    return not any(a.group is None or kind_of(a.group) in _ARMED for a in read.actors)


# Forces that find and make safe an explosive device ("MINUSMA forces dismantled an anti-tank
# mine; it was likely planted by JNIM"): the event is theirs, not the planter's.
_DISRUPTS = re.compile(
    r"^\)?\s*(?:(?:forces|troops|soldiers|units?|teams?|experts|reportedly|also|have|had|has)"
    r"\s+)*(?:discovered|found|detected|dismantled|defused|neutrali[sz]ed|destroyed|"
    r"disposed\s+of|cleared|deactivated|d[ée]samorc[ée]|d[ée]truit)\s+(?!by\b|par\b)"
    r"(?:and\s+\w+\s+)?(?:an?\s+|the\s+|two\s+|three\s+|several\s+|\d+\s+|une?\s+|des\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:IEDs?|mines?|landmines?|explosives?|devices?|bombs?|EEI|engins?)\b",
    re.I,
)


def disrupter(read: Read) -> str | None:
    """The state or international force that found and made safe an explosive device the
    sentence tells of, else None."""
    text, base = read.sentence.text, read.sentence.start
    for a in read.actors:
        if kind_of(a.group) in ("state", "international") and _DISRUPTS.match(
                text[a.end - base:]):
            return a.group
    return None
