"""One draft incident from a cluster of places and the sentences that tell of it: date,
actor, target, event type, attributed claims, description and highlighted spans."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from incidents.countries import name_for
from incidents.extraction import actors as actors_mod
from incidents.extraction.actors import UNIDENTIFIED, kind_of
from incidents.extraction.claims import ClaimMention
from incidents.extraction.dates import DateMention
from incidents.extraction.events import event_type_of, is_riot
from incidents.extraction.groups import country_adjective, state_adjective
from incidents.extraction.merge import toll_columns
from incidents.extraction.model import Claim, Draft, Report, Span
from incidents.extraction.reading import RANK, Cluster, Read
from incidents.extraction.roles import (
    agents_of,
    claimed_by,
    communal_party,
    crowd_acts,
    crowd_fights,
    disrupter,
    first_of_between,
    only_speaks,
    patients_of,
    unnamed_author,
    unnamed_communal,
)


def find_report_date(reads: list[Read]) -> DateMention | None:
    """Return the first date an event sentence gives (not an anniversary's, not "ago")."""
    for read in reads:
        if (
            read.event
            and read.dates
            and not re.search(
                r"anniversary|anniversaire|\bago\b|\bil y a\b", read.sentence.text, re.I
            )
        ):
            return read.dates[0]
    return None


@dataclass(frozen=True)
class ReportFacts:
    """What the whole report tells, shared by each of its drafts."""

    report: Report
    country: str | None
    spelling: dict[str, str]  # canonical group -> the store's spelling
    actor: str | None  # the group the report holds responsible, else its first actor
    general_claims: tuple[ClaimMention, ...]  # tolls stated in sentences with no place
    date: DateMention | None  # the report's event date
    general_told: str = ""  # what the sentences with no place of their own tell
    report_no: int = 0
    written: dt.date | None = None  # the day the text was written (its dateline), if known


def build_draft(cluster: Cluster, reads: list[Read], facts: ReportFacts) -> Draft:
    """Return the draft incident of one cluster of places."""
    report, country, spelling = facts.report, facts.country, facts.spelling
    report_actor, report_date, general_told = facts.actor, facts.date, facts.general_told
    source = report.source
    nos = cluster.sentence_nos
    main = cluster.main
    main_no = next(n for n, m in cluster.mentions if m is main)
    # date: a date written in the incident's own sentences, else the report's event date
    date = next((d for n in nos for d in reads[n].dates), None) or report_date
    if date is not None:
        start, end, precision = date.date_start, date.date_end, date.precision
    else:
        # no date told: the week before the text was written
        day = facts.written or report.published
        start, end, precision = day - dt.timedelta(days=7), day, "week"
    # actor and target
    triggers = [t for n in nos for t in reads[n].triggers]
    main_triggers = [t for t in reads[main_no].triggers if t.kind != "strategic"]
    subjects = [g for n in nos for g in agents_of(reads[n])]
    all_named = [a for n in nos for a in reads[n].actors]
    actor = _actor_of(reads, nos, main_no, subjects, general_told, report_actor)
    target_group = next(
        (
            a.group
            for a in all_named
            if a.group
            and a.group != actor
            and a.group not in actors_mod.parents(actor)
            and actor not in actors_mod.parents(a.group)
            and a.group not in subjects
        ),
        None,
    )
    target = spelling.get(target_group, target_group) if target_group else None
    facility_phrase = next((m.text for _, m in cluster.mentions if m.facility), None)
    if facility_phrase:
        target = f"{target}: {facility_phrase}" if target else facility_phrase
    event_type = event_type_of(main_triggers or triggers, kind_of(target_group))
    actor_name = spelling.get(actor, actor) if actor else None
    # claims
    mentions = [c for n in nos for c in reads[n].claims] + list(facts.general_claims)
    claims = []
    seen = set()
    for c in mentions:
        claimant = _claimant_name(c, actor_name, spelling, country, source.label)
        key = (claimant, c.text)
        if key in seen:
            continue
        seen.add(key)
        claims.append(Claim(claimant, c.text, source.label, c.toll.low, c.toll.high))
    toll = toll_columns(tuple(claims))
    # description: the sentence the place was read from
    told = [n for n in nos if reads[n].event and n != 0] or [main_no]
    description = reads[main_no if main_no in told else told[0]].sentence.text.strip()
    spans = _spans(cluster, reads, nos)
    r = main.result
    notes = tuple(r.notes)
    if toll["fatalities_low"] is None and len({c.claimant for c in claims if c.killed_low is not None}) > 1:
        notes += ("the sources disagree on the toll, so fatalities are left unknown",)
    return Draft(
        date_start=start,
        date_end=end,
        date_precision=precision,
        location=_location_text(cluster),
        latitude=r.latitude,
        longitude=r.longitude,
        geo_precision=r.geo_precision,
        geocoder=r.geocoder,
        country=r.country or country,
        actor=actor_name,
        target=target,
        event_type=event_type,
        **toll,
        claims=tuple(claims),
        sources=(source,),
        description=description,
        candidates=tuple(r.candidates),
        place_query=main.query,
        spans=spans,
        report=facts.report_no,
        notes=notes,
    )


# Words that name a crowd's event (a protest, a riot, a strike), unlike acts an armed party
# may also commit (vandalising, blocking a road).
_CROWD_EVENT = re.compile(
    r"protest|demonstrat|sit-in|rall|march|strik|riot|[ée]meut|manifest|gr[eè]ve|took\s+to|"
    r"work\s+stoppage|laid\s+down|en\s+gr[eè]ve|looted\s+and\s+burned",
    re.I,
)
_ARMED_KINDS = ("jihadist", "armed", "militia", "state", "international", "foreign")


def _same_organisation(a: str, b: str) -> bool:
    """Whether two groups belong to one organisation (Katiba Macina and JNIM; the Islamic
    State's Sahel and West Africa provinces)."""
    return actors_mod.parents(a)[-1] == actors_mod.parents(b)[-1]


def _actor_of(reads: list[Read], nos: list[int], main_no: int, subjects: list[str],
              general_told: str, report_actor: str | None) -> str | None:
    """Return the actor of an incident told in sentences ``nos`` (the place's own sentence
    ``main_no``), given the parties that act in them (``subjects``)."""
    triggers = [t for n in nos for t in reads[n].triggers]
    all_named = [a for n in nos for a in reads[n].actors]
    protest = any(t.kind == "protest_riot" for t in triggers)
    if protest and not any(_CROWD_EVENT.search(t.text) for t in triggers
                           if t.kind == "protest_riot") and any(
            kind_of(g) in _ARMED_KINDS for g in agents_of(reads[main_no])):
        # "JNIM militants vandalized the prefect's residence", "militants blocked the road":
        # an armed party's act, not a crowd's
        protest = False
    actor = None
    if protest:
        # the crowd: rioters when it turned violent, else protesters (a named crowd word
        # counts only when it says the same: "protesters ... set fire" are rioters)
        told = " ".join([*(reads[n].sentence.text for n in nos), general_told])
        actor = "Rioters" if is_riot(told) else "Protesters"
    if actor is None and crowd_acts(reads[nos[0]]):
        # a crowd that burns or ransacks with no protest word: "students ransacked the
        # school", "the party office was burned by angry students"
        actor = "Rioters"
    if actor is None:
        actor = disrupter(reads[main_no])
    claimed = claimed_by(reads)
    if actor is None and claimed:
        # the group that claimed the attack is its author; a unit of the same organisation
        # named as acting is the more precise ("ISGS militants ambushed ...; ISWAP claimed"),
        # not one named only as speaking ("JNIM's Katiba X claimed that they had ...")
        actor = next((g for g in subjects if g != claimed and _same_organisation(g, claimed)
                      and not only_speaks(reads, nos, g)), claimed)
    if actor is None and communal_party(reads[main_no]) is None and crowd_fights(reads[main_no]):
        # "clashes between students of two schools", "a man was beaten to death"
        actor = "Rioters"
    if actor is None:
        actor = first_of_between(reads[main_no])
    if actor is None and unnamed_author(reads[main_no]):
        actor = UNIDENTIFIED
    if actor is None and not agents_of(reads[main_no]):
        actor = next(filter(None, (communal_party(reads[n]) for n in nos)), None)
    if actor is None:
        actor = next(
            (g for g in subjects if kind_of(g) not in ("protesters", "rioters", "civilians")), None
        )
    if actor is None and report_actor:
        actor = report_actor
    if actor is None and not any(a.group is None for a in all_named):
        actor = unnamed_communal([reads[n] for n in nos])
    if actor is None and (
        any(a.group is None for a in all_named)
        or (
            not protest
            and any(t.kind in ("attack", "explosion", "abduction") for t in triggers)
            and any(patients_of(reads[n]) for n in nos)
        )
    ):
        # an attack whose author the report does not name ("gunmen"; "soldiers were ambushed")
        actor = UNIDENTIFIED
    return actor


def _location_text(cluster: Cluster) -> str:
    main = cluster.main
    words = main.text.strip()
    named = main.result.matched_name
    parts = [words[:1].upper() + words[1:]] if words else []
    if named and named.lower() not in words.lower():
        parts.append(named)
    for _, p in sorted(
        cluster.parents + cluster.mentions, key=lambda x: RANK.get(x[1].result.geo_precision, 9)
    ):
        name = p.result.matched_name
        if (
            p.result.geo_precision in ("town", "admin2")
            and name
            and p is not main
            and all(name.lower() not in x.lower() for x in parts)
        ):
            parts.append(name)
            break
    return ", ".join(parts)


def _claimant_name(
    c: ClaimMention,
    actor: str | None,
    spelling: dict[str, str],
    country: str | None,
    report_label: str,
) -> str:
    if c.claimant_kind == "group" and c.group:
        return spelling.get(c.group, c.group)
    if c.claimant_kind == "actor":
        return actor or "The attackers"
    if c.claimant_kind == "authorities":
        adj = state_adjective(c.group) or country_adjective(name_for(country))
        return f"{adj} authorities" if adj else "Authorities"
    return {
        "witnesses": "Eyewitnesses",
        "locals": "Local sources",
        "medical": "Medical sources",
    }.get(c.claimant_kind, report_label)


def _spans(cluster: Cluster, reads: list[Read], nos: list[int]) -> tuple[Span, ...]:
    out: list[Span] = []
    text_of = {n: reads[n].sentence for n in nos}
    for _n, m in cluster.mentions + cluster.parents:
        out.append(Span(m.start, m.end, "place", m.text))
    for n in nos:
        read = reads[n]
        out += [Span(d.start, d.end, "date", d.text) for d in read.dates]
        out += [Span(a.start, a.end, "actor", a.text) for a in read.actors]
        out += [Span(t.start, t.end, "event", t.text) for t in read.triggers]
        for c in read.claims:
            out += [
                Span(
                    a, b, "fatalities", text_of[n].text[a - text_of[n].start : b - text_of[n].start]
                )
                for a, b in c.toll.spans
            ]
    return tuple(sorted(set(out), key=lambda s: (s.start, -s.end)))
