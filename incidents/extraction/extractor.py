"""From one report to draft incidents: read every sentence, group the places it names into
distinct attacks, and give each its date, actor, target, event type and attributed toll."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from incidents.extraction import actors as actors_mod
from incidents.extraction.actors import UNIDENTIFIED, ActorMention, find_actors, kind_of
from incidents.extraction.claims import ClaimMention, find_claims
from incidents.extraction.dates import DateMention, find_dates
from incidents.extraction.events import (
    _NOT_EVENT,
    Trigger,
    event_type_of,
    find_triggers,
    is_event_sentence,
    is_riot,
)
from incidents.extraction.merge import toll_from_claims
from incidents.extraction.model import Claim, Draft, Report, Span
from incidents.extraction.places import (
    PlaceMention,
    _cued,
    _names,
    facility_kind,
    find_places,
    report_areas,
)
from incidents.extraction.text import Sentence, guess_source, sentences
from incidents.geocoding.model import GeoResult, haversine_km
from incidents.schema import GEO_PRECISIONS

__all__ = ["KnownSites", "Resolver", "extract"]


class Resolver(Protocol):
    """Anything with the geocoder's ``resolve(query, country)``."""

    def resolve(self, query: str, country: str | None = None) -> GeoResult: ...


_RANK = {p: i for i, p in enumerate(GEO_PRECISIONS)}
_COUNTRY_WORDS = {
    "ML": r"\bMali\b|\bMalian|\bmalien",
    "BF": r"\bBurkina\b|\bBurkinab",
    "NE": r"\bNiger\b|\bNig[eé]rien",
}
_COUNTRY_NAMES = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}
_CAPITALS = {"ML": "Bamako", "BF": "Ouagadougou", "NE": "Niamey"}
_ADJECTIVE = {"ML": "Malian", "BF": "Burkinabe", "NE": "Nigerien"}
# How far a coarser place may be from a finer one and still be its parent (a city is wide).
_PARENT_KM = {"town": 20.0, "admin2": 150.0, "admin1": 400.0, "country": 1500.0}
_SAME_SITE_KM = 2.0
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


@dataclass(frozen=True)
class KnownSite:
    """A facility the store already places (from an incident's location)."""

    kind: str
    location: str
    latitude: float
    longitude: float
    geo_precision: str
    geocoder: str
    incident_id: str


@dataclass
class KnownSites:
    """Facilities named in stored incidents ("Gendarmerie school, Faladié district, Bamako"):
    when a report names the facility but not its district, the store's point is used."""

    sites: list[KnownSite] = field(default_factory=list)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> KnownSites:
        """Return the sites of the stored incidents whose location names a facility."""
        if frame is None or frame.empty:
            return cls()
        fine = frame[
            frame["geo_precision"].isin(["site", "neighbourhood"])
            & frame["latitude"].notna()
            & frame["location"].notna()
        ]
        out = []
        for row in fine.itertuples(index=False):
            kind = facility_kind(str(row.location).split(",")[0])
            if kind and kind != "site":
                out.append(
                    KnownSite(
                        kind,
                        str(row.location),
                        float(row.latitude),
                        float(row.longitude),
                        str(row.geo_precision),
                        str(row.geocoder) if isinstance(row.geocoder, str) else "gazetteer",
                        str(row.incident_id),
                    )
                )
        return cls(out)

    def find(self, kind: str | None, lat: float, lon: float, km: float = 25.0) -> KnownSite | None:
        """Return the one known site of ``kind`` within ``km`` of a point (None if 0 or many)."""
        if not kind or kind == "site":
            return None
        near = [
            s
            for s in self.sites
            if s.kind == kind and haversine_km(s.latitude, s.longitude, lat, lon) <= km
        ]
        distinct = {(round(s.latitude, 2), round(s.longitude, 2)) for s in near}
        return near[0] if len(distinct) == 1 else None


@dataclass
class _Read:
    """What one sentence says."""

    sentence: Sentence
    dates: list[DateMention]
    actors: list[ActorMention]
    triggers: list[Trigger]
    event: bool
    places: list[PlaceMention] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)


@dataclass
class _Cluster:
    mentions: list[tuple[int, PlaceMention]] = field(default_factory=list)  # (sentence no, m)
    parents: list[tuple[int, PlaceMention]] = field(default_factory=list)

    @property
    def main(self) -> PlaceMention:
        return min(self.mentions, key=lambda x: (_RANK.get(x[1].result.geo_precision, 9), x[0]))[1]

    @property
    def sentence_nos(self) -> list[int]:
        return sorted({n for n, _ in self.mentions})

    @property
    def kind(self) -> str | None:
        kinds = [m.facility for _, m in self.mentions if m.facility and m.facility != "site"]
        return kinds[0] if kinds else None


def infer_country(text: str) -> str | None:
    """Return the Sahel country a text names most (ISO alpha-2), None when it names none."""
    counts = {cc: len(re.findall(rx, text)) for cc, rx in _COUNTRY_WORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def extract(
    report: Report,
    geocoder: Resolver,
    *,
    known_actors: Iterable[str] = (),
    known_sites: KnownSites | None = None,
    report_no: int = 0,
) -> list[Draft]:
    """Return one draft per distinct attack the report describes, in the order it tells them.

    Parameters
    ----------
    report
        The text, its publication date and what is known of its source.
    geocoder
        The project's geocoder (``incidents.geocoding.Geocoder``) or any object with its
        ``resolve(query, country)``.
    known_actors
        Actor names already in the store: a matched group is written the way the store
        writes it.
    known_sites
        Facilities the store already places (``KnownSites.from_frame(store)``).
    """
    text = report.text or ""
    guessed = guess_source(text)
    report = Report(
        text,
        report.published,
        report.title or guessed.get("title"),
        report.publisher or guessed.get("publisher"),
        report.url or guessed.get("url"),
        report.country,
    )
    country = (report.country or infer_country(text) or "").upper() or None
    spelling = actors_mod.store_names(known_actors)
    sites = known_sites or KnownSites()

    def resolve(query: str, cc: str | None) -> GeoResult:
        return geocoder.resolve(query, cc)

    national = f"Military Forces of {_COUNTRY_NAMES[country]}" if country in _COUNTRY_NAMES \
        else None
    reads: list[_Read] = []
    for sent in sentences(text):
        found_actors = [a if a.group != actors_mod.NATIONAL_FORCES else
                        ActorMention(a.start, a.end, a.text, national, "state" if national
                                     else "generic")
                        for a in find_actors(sent.text, sent.start)]
        triggers = find_triggers(sent.text, sent.start)
        reads.append(
            _Read(
                sent,
                _not_dateline(sent, find_dates(sent.text, report.published, sent.start))
                if "\n" in text.strip()
                else find_dates(sent.text, report.published, sent.start),
                found_actors,
                triggers,
                is_event_sentence(sent.text, triggers),
            )
        )
    if not any(read.event for read in reads):
        # no attack word: a report that tells only of a looting, a seizure or an arrest tells
        # that as its event
        for read in reads:
            read.event = bool(read.triggers) and not _NOT_EVENT.search(read.sentence.text)
    # Places: once to learn the report's main town and the areas it names, then with them
    # as context.
    for read in reads:
        read.places = _places(read, resolve, country, None, None)
    context = _main_town(reads)
    areas = report_areas([m for r in reads for m in r.places], text)
    if context is not None or areas:
        for read in reads:
            read.places = _places(read, resolve, country, context, areas)
    for read in reads:
        read.claims = find_claims(
            read.sentence.text,
            read.sentence.start,
            [(a.start, a.end, a.group) for a in read.actors if True],
        )
    clusters = _clusters(reads, sites)
    if not clusters:
        # no cued name is a place: take the names the gazetteer knows wherever they stand
        for read in reads:
            if read.event:
                read.places = _places(read, resolve, country, context, areas, loose=True)
        clusters = _clusters(reads, sites)
    if not clusters:
        # still nothing: a cued name the geocoder matched only by a distant spelling is the
        # best reading the report gives of where (a note says how it was matched)
        for read in reads:
            if read.event:
                read.places = _places(read, resolve, country, context, areas, lenient=True)
        clusters = _clusters(reads, sites)
    if not clusters and country in _CAPITALS:
        # "in the capital", "dans la capitale": the country's capital
        for read in reads:
            hit = re.search(r"\b(?:the|la)\s+capital(?:e|\s+city)?\b", read.sentence.text, re.I)
            if read.event and hit:
                found = resolve(_CAPITALS[country], country)
                if found.found:
                    a = read.sentence.start + hit.start()
                    read.places = [PlaceMention(a, a + len(hit.group(0)), hit.group(0),
                                                _CAPITALS[country], None, found)]
                    break
        clusters = _clusters(reads, sites)
    clusters = _stated_first(clusters, text)
    if not clusters:
        unplaced = _unplaced(reads)
        if unplaced is None:
            return []
        clusters = [unplaced]
    report_actor = _report_actor(reads)
    source = report.source
    drafts = []
    # toll statements that name no place of their own concern everything the report tells
    general_claims = [
        c
        for n, r in enumerate(reads)
        for c in r.claims
        if not any(n in cl.sentence_nos for cl in clusters)
    ]
    report_date = _report_date(reads)
    # what the sentences that name no place of their own tell ("Riots broke out.")
    general_told = " ".join(r.sentence.text for n, r in enumerate(reads)
                            if r.event and not any(n in cl.sentence_nos for cl in clusters))
    for cluster in clusters:
        drafts.append(
            _draft(
                cluster,
                reads,
                report,
                source,
                country,
                spelling,
                report_actor,
                general_claims,
                report_date,
                report_no,
                general_told,
            )
        )
    return drafts


def _places(read: _Read, resolve, country, context, areas, loose=False,
            lenient=False) -> list[PlaceMention]:
    if not (read.event or read.sentence.paragraph == 0):
        return []
    spans = [(a.start, a.end) for a in read.actors]
    found = find_places(
        read.sentence.text,
        resolve,
        country=country,
        offset=read.sentence.start,
        actor_spans=spans,
        context=context,
        areas=areas,
        loose=loose,
        lenient=lenient,
    )
    if country:
        found = [m for m in found if m.result.country in (None, country)]
    return found


def _main_town(reads: list[_Read]) -> GeoResult | None:
    towns = Counter()
    first: dict[str, GeoResult] = {}
    for read in reads:
        for m in read.places:
            if m.result.geo_precision == "town" and m.facility is None:
                key = m.result.place_id or m.result.matched_name
                towns[key] += 1
                first.setdefault(key, m.result)
    if not towns:
        return None
    key, _ = towns.most_common(1)[0]
    return first[key]


def _contains(parent: PlaceMention, child: PlaceMention) -> bool:
    p, c = parent.result, child.result
    if _RANK[p.geo_precision] <= _RANK[c.geo_precision]:
        return False
    if p.geo_precision == "country" and p.country == c.country:
        return True
    return haversine_km(p.latitude, p.longitude, c.latitude, c.longitude) <= _PARENT_KM.get(
        p.geo_precision, 0
    )


def _same_site(a: PlaceMention, b: PlaceMention) -> bool:
    if a.facility and b.facility and a.facility == b.facility and a.facility != "site":
        return (
            haversine_km(
                a.result.latitude, a.result.longitude, b.result.latitude, b.result.longitude
            )
            <= _PARENT_KM["town"]
        )
    if a.result.geo_precision == b.result.geo_precision or {
        a.result.geo_precision,
        b.result.geo_precision,
    } <= {"site", "neighbourhood"}:
        if (
            a.result.place_id
            and a.result.place_id == b.result.place_id
            and not (a.facility and b.facility and a.facility != b.facility)
        ):
            return True
        if a.facility != b.facility and a.facility and b.facility:
            return False
        return (
            haversine_km(
                a.result.latitude, a.result.longitude, b.result.latitude, b.result.longitude
            )
            <= _SAME_SITE_KM
        )
    return False


def _upgrade(m: PlaceMention, sites: KnownSites) -> PlaceMention:
    """A facility placed only at town level takes the store's point for that facility."""
    r = m.result
    if not m.facility or _RANK[r.geo_precision] < _RANK["town"]:
        return m
    site = sites.find(m.facility, r.latitude, r.longitude)
    if site is None:
        return m
    better = GeoResult(
        m.query,
        r.country_hint,
        site.latitude,
        site.longitude,
        site.geo_precision,
        site.location,
        site.incident_id,
        r.confidence,
        site.geocoder,
        r.country,
        candidates=r.candidates,
        notes=(
            *r.notes,
            f"placed at the {m.facility} site already in the store "
            f"({site.location}, {site.incident_id}); the report names no finer place",
        ),
    )
    return PlaceMention(m.start, m.end, m.text, m.query, m.facility, better)


def _clusters(reads: list[_Read], sites: KnownSites) -> list[_Cluster]:
    items = [
        (n, _upgrade(m, sites))
        for n, r in enumerate(reads)
        for m in r.places
        if r.event or (r.sentence.paragraph == 0 and n == 0)
    ]
    fine = [x for x in items if x[1].result.geo_precision in ("site", "neighbourhood", "town")]
    coarse = [x for x in items if x not in fine]
    clusters: list[_Cluster] = []
    # finest first, so that a city joins the sites in it rather than the reverse
    for n, m in sorted(fine, key=lambda x: (_RANK.get(x[1].result.geo_precision, 9), x[0])):
        target = next((c for c in clusters if any(_same_site(m, o) for _, o in c.mentions)), None)
        if (
            target is None
            and m.result.geo_precision == "town"
            and (
                m.facility in (None, "site")
                or not any(o.facility == m.facility for c in clusters for _, o in c.mentions)
            )
        ):
            inside = [c for c in clusters if _contains(m, c.main)]
            if inside:
                inside[0].parents.append((n, m))
                continue
        if target is None:
            clusters.append(_Cluster([(n, m)]))
        else:
            target.mentions.append((n, m))
    for n, m in coarse:
        inside = [c for c in clusters if _contains(m, c.main)]
        if inside:
            inside[0].parents.append((n, m))
    if not clusters and coarse:
        n, m = min(coarse, key=lambda x: (_RANK.get(x[1].result.geo_precision, 9), x[0]))
        clusters.append(_Cluster([(n, m)]))
    # keep only places that an event sentence tells of (a title alone is not an attack)
    clusters = [c for c in clusters if any(reads[n].event for n, _ in c.mentions)] or clusters
    return sorted(clusters, key=lambda c: min(n for n, _ in c.mentions))


_STATED = re.compile(r"\b(?:coded|placed|located|geolocated)\s+(?:as|at)\s+(?:the\s+)?$|"
                     r"\bcod[ée]e?\s+(?:à|comme)\s+$", re.I)


def _stated_first(clusters: list[_Cluster], text: str) -> list[_Cluster]:
    """"Hombori and Boni (coded as Boni)": when the report says which place stands for
    the event, that place's draft comes first and the other places of its sentences join it."""
    for cluster in clusters:
        if any(_STATED.search(text[max(0, m.start - 30) : m.start]) for _, m in cluster.mentions):
            told = set(cluster.sentence_nos)
            rest = [c for c in clusters if c is not cluster and not set(c.sentence_nos) <= told]
            cluster.parents.extend(x for c in clusters if c is not cluster and c not in rest
                                   for x in c.mentions)
            return [cluster, *rest]
    return clusters


def _not_dateline(sent: Sentence, dates: list[DateMention]) -> list[DateMention]:
    """Drop the dateline's date ("Sévaré, 3 March 2025 — ..."): it is when the report was
    written, not when the attack happened."""
    out = []
    for d in dates:
        after = sent.text[d.end - sent.start : d.end - sent.start + 4]
        before = sent.text[: d.start - sent.start]
        if re.match(r"\s*[\u2014\u2013-]\s", after) and len(before) < 60 and "," in before:
            continue
        out.append(d)
    return out


def _unplaced(reads: list[_Read]) -> _Cluster | None:
    """An event the report tells without a place the geocoder knows: one draft, not placed,
    with the place text as written."""
    for n, read in enumerate(reads):
        if not read.event:
            continue
        spans = [(a.start - read.sentence.start, a.end - read.sentence.start)
                 for a in read.actors]
        names = [(a, b) for a, b in _names(read.sentence.text, spans)
                 if _cued(read.sentence.text, a, b, None)]
        a, b = names[0] if names else (0, 0)
        words = read.sentence.text[a:b]
        miss = GeoResult.miss(words, None, "no place the geocoder knows" if words else
                              "the report names no place")
        start = read.sentence.start + a
        return _Cluster([(n, PlaceMention(start, start + len(words), words, words, None, miss))])
    return None


def _claimed_by(reads: list[_Read]) -> str | None:
    for read in reads:
        if _RESPONSIBILITY.search(read.sentence.text):
            named = [a.group for a in read.actors
                     if a.group and kind_of(a.group) in ("jihadist", "armed", "militia")]
            if named:
                return named[0]
    return None


def _report_actor(reads: list[_Read]) -> str | None:
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
            named = _subjects(read)
            if named:
                return named[0]
    # no event word the rules know ("the army carried out forced disappearances"): the party
    # that opens the report's first sentence acts
    for read in reads[:1]:
        named = _subjects(read)
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
_CROWD = re.compile(
    r"^\W*(?:On\s+[^,]{3,30},\s*)?(?:(?:hundreds|dozens|thousands|a\s+group|groups|a\s+crowd|"
    r"some|several|many|\d+)\s+(?:of\s+)?)*" + _CROWD_NOUN
    + r"|\bby\s+(?:(?:hundreds|dozens|a\s+group|a\s+crowd)\s+of\s+)?" + _CROWD_NOUN,
    re.I,
)


def _roles(read: _Read) -> list[tuple[ActorMention, str]]:
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


def _unnamed_author(read: _Read) -> bool:
    """Whether the first party that acts in the sentence is one the report does not name
    ("unknown gunmen opened fire on the police station; the police repelled them"), with no
    named party before the event word ("JNIM militants", "militants of JNIM" name one)."""
    strong = [t.start for t in read.triggers if t.kind != "strategic"]
    first = strong[0] if strong else read.sentence.end
    agents = [a for a, role in _roles(read) if role == "agent"]
    named = any(a.group and a.start < first + 12 and kind_of(a.group) != "civilians"
                for a in read.actors)
    return bool(agents) and agents[0].group is None and agents[0].start < first and not named


def _subjects(read: _Read) -> list[str]:
    """Named parties that act in the sentence: before its first event word and not acted upon
    ("soldiers were ambushed"), or the agent after "by"/"par"."""
    return [
        a.group
        for a, role in _roles(read)
        if role == "agent" and a.group is not None and kind_of(a.group) != "civilians"
    ]


def _patients(read: _Read) -> list[str]:
    return [a.group for a, role in _roles(read) if role == "patient" and a.group is not None]


def _report_date(reads: list[_Read]) -> DateMention | None:
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


def _draft(
    cluster: _Cluster,
    reads: list[_Read],
    report: Report,
    source,
    country,
    spelling: dict[str, str],
    report_actor: str | None,
    general_claims: list[ClaimMention],
    report_date: DateMention | None,
    report_no: int,
    general_told: str = "",
) -> Draft:
    nos = cluster.sentence_nos
    main = cluster.main
    main_no = next(n for n, m in cluster.mentions if m is main)
    # date: a date written in the incident's own sentences, else the report's event date
    date = next((d for n in nos for d in reads[n].dates), None) or report_date
    if date is not None:
        start, end, precision = date.date_start, date.date_end, date.precision
    else:
        start, end, precision = report.published - dt.timedelta(days=7), report.published, "week"
    # actor and target
    triggers = [t for n in nos for t in reads[n].triggers]
    main_triggers = [t for t in reads[main_no].triggers if t.kind != "strategic"]
    subjects = [g for n in nos for g in _subjects(reads[n])]
    all_named = [a for n in nos for a in reads[n].actors]
    protest = any(t.kind == "protest_riot" for t in triggers)
    actor = None
    if protest:
        # the crowd: rioters when it turned violent, else protesters (a named crowd word
        # counts only when it says the same: "protesters ... set fire" are rioters)
        told = " ".join([*(reads[n].sentence.text for n in nos), general_told])
        actor = "Rioters" if is_riot(told) else "Protesters"
    if actor is None and not _subjects(reads[main_no]):
        told = reads[nos[0]].sentence.text
        if _CROWD.search(told) and is_riot(told):
            # a crowd that burns or ransacks with no protest word: "students ransacked the
            # school", "the party office was burned by angry students"
            actor = "Rioters"
    claimed = _claimed_by(reads)
    if actor is None and claimed:
        actor = claimed  # the group that claimed the attack is its author
    if actor is None and _unnamed_author(reads[main_no]):
        actor = UNIDENTIFIED
    if actor is None:
        actor = next(
            (g for g in subjects if kind_of(g) not in ("protesters", "rioters", "civilians")), None
        )
    if actor is None and report_actor:
        actor = report_actor
    if actor is None and (
        any(a.group is None for a in all_named)
        or (
            not protest
            and any(t.kind in ("attack", "explosion", "abduction") for t in triggers)
            and any(_patients(reads[n]) for n in nos)
        )
    ):
        # an attack whose author the report does not name ("gunmen"; "soldiers were ambushed")
        actor = UNIDENTIFIED
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
    mentions = [c for n in nos for c in reads[n].claims] + general_claims
    claims = []
    seen = set()
    for c in mentions:
        claimant = _claimant_name(c, actor_name, spelling, country, source.label)
        key = (claimant, c.text)
        if key in seen:
            continue
        seen.add(key)
        claims.append(Claim(claimant, c.text, source.label, c.toll.low, c.toll.high))
    low, best, high = toll_from_claims(tuple(claims))
    # description: the sentence the place was read from
    told = [n for n in nos if reads[n].event and n != 0] or [main_no]
    description = reads[main_no if main_no in told else told[0]].sentence.text.strip()
    spans = _spans(cluster, reads, nos)
    r = main.result
    notes = tuple(r.notes)
    if low is None and len({c.claimant for c in claims if c.killed_low is not None}) > 1:
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
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        claims=tuple(claims),
        sources=(source,),
        description=description,
        candidates=tuple(r.candidates),
        place_query=main.query,
        spans=spans,
        report=report_no,
        notes=notes,
    )


def _location_text(cluster: _Cluster) -> str:
    main = cluster.main
    words = main.text.strip()
    named = main.result.matched_name
    parts = [words[:1].upper() + words[1:]]
    if named and named.lower() not in words.lower():
        parts.append(named)
    for _, p in sorted(
        cluster.parents + cluster.mentions, key=lambda x: _RANK.get(x[1].result.geo_precision, 9)
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
        adj = _ADJECTIVE.get((c.group and _country_of_state(c.group)) or country or "")
        return f"{adj} authorities" if adj else "Authorities"
    return {
        "witnesses": "Eyewitnesses",
        "locals": "Local sources",
        "medical": "Medical sources",
    }.get(c.claimant_kind, report_label)


def _country_of_state(group: str) -> str | None:
    return {
        "Military Forces of Mali": "ML",
        "Military Forces of Burkina Faso": "BF",
        "Military Forces of Niger": "NE",
    }.get(group)


def _spans(cluster: _Cluster, reads: list[_Read], nos: list[int]) -> tuple[Span, ...]:
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
