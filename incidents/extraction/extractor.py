"""From one report to draft incidents: read every sentence, group the places it names into
distinct attacks, and give each its date, actor, target, event type and attributed toll."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

from incidents.extraction import actors as actors_mod
from incidents.extraction.actors import ActorMention, find_actors
from incidents.extraction.claims import find_claims
from incidents.extraction.clusters import find_clusters, stated_first, unplaced_cluster
from incidents.extraction.dates import DateMention, find_dates
from incidents.extraction.drafting import ReportFacts, build_draft, find_report_date
from incidents.extraction.events import (
    NOT_EVENT,
    find_triggers,
    is_event_sentence,
)
from incidents.extraction.model import Draft, Report
from incidents.extraction.names import passing
from incidents.extraction.places import (
    PlaceMention,
    find_places,
    report_areas,
)
from incidents.extraction.reading import Cluster, Read
from incidents.extraction.roles import find_report_actor
from incidents.extraction.sites import KnownSites
from incidents.extraction.text import Sentence, guess_source, sentences
from incidents.geocoding.model import GeoResult

__all__ = ["KnownSites", "Resolver", "dateline_date", "extract"]


class Resolver(Protocol):
    """Anything with the geocoder's ``resolve(query, country)``."""

    def resolve(self, query: str, country: str | None = None) -> GeoResult: ...


_COUNTRY_WORDS = {
    "ML": r"\bMali\b|\bMalian|\bmalien",
    "BF": r"\bBurkina\b|\bBurkinab",
    "NE": r"\bNiger\b|\bNig[eé]rien",
}


_COUNTRY_NAMES = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}


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
    report = _with_source(report)
    country = (report.country or infer_country(text) or "").upper() or None
    # relative dates ("yesterday", "mardi dernier") count from the day the text was written:
    # its dateline's day when it has one (not after publication), else the publication day
    written = dateline_date(text)
    reference = written if written is not None and written <= report.published \
        else report.published
    reads = _read_sentences(text, reference, country)

    def resolve(query: str, cc: str | None) -> GeoResult:
        return geocoder.resolve(query, cc)

    capital = _capital_of(geocoder, country)
    clusters = _place_clusters(reads, resolve, country, text, known_sites or KnownSites(),
                               capital)
    if not clusters:
        return []
    # toll statements and words that name no place of their own concern everything the
    # report tells ("Riots broke out.")
    general = [r for n, r in enumerate(reads)
               if not any(n in cl.sentence_nos for cl in clusters)]
    facts = ReportFacts(
        report,
        country,
        actors_mod.store_names(known_actors),
        find_report_actor(reads),
        tuple(c for r in general for c in r.claims),
        find_report_date(reads),
        " ".join(r.sentence.text for r in general),
        report_no,
        reference,
    )
    return [build_draft(cluster, reads, facts) for cluster in clusters]


def _with_source(report: Report) -> Report:
    """Return the report with the title, publisher and URL its text gives where none is set."""
    guessed = guess_source(report.text or "")
    return Report(
        report.text or "",
        report.published,
        report.title or guessed.get("title"),
        report.publisher or guessed.get("publisher"),
        report.url or guessed.get("url"),
        report.country,
    )


def _read_sentences(text: str, published, country: str | None) -> list[Read]:
    """Return what each sentence says: dates, parties, event words, whether it tells an event."""
    national = f"Military Forces of {_COUNTRY_NAMES[country]}" if country in _COUNTRY_NAMES \
        else None
    reads: list[Read] = []
    for sent in sentences(text):
        found_actors = [a if a.group != actors_mod.NATIONAL_FORCES else
                        ActorMention(a.start, a.end, a.text, national, "state" if national
                                     else "generic")
                        for a in find_actors(sent.text, sent.start)]
        triggers = find_triggers(sent.text, sent.start)
        dates = find_dates(sent.text, published, sent.start)
        reads.append(
            Read(
                sent,
                _not_dateline(sent, dates),
                found_actors,
                triggers,
                is_event_sentence(sent.text, triggers),
            )
        )
    if not any(read.event for read in reads):
        # no attack word: a report that tells only of a looting, a seizure or an arrest tells
        # that as its event
        for read in reads:
            read.event = bool(read.triggers) and not NOT_EVENT.search(read.sentence.text)
    for read in reads:
        read.claims = find_claims(
            read.sentence.text, read.sentence.start, [(a.start, a.end, a.group) for a in read.actors]
        )
    return reads


def _capital_of(geocoder: Resolver, country: str | None) -> str | None:
    """The country's capital as the geocoder knows it (the gazetteer's GeoNames ``PPLC``),
    else None (a geocoder that knows no capitals, or an unknown country)."""
    capital = getattr(geocoder, "capital", None)
    return capital(country) if capital is not None and country else None


def _place_clusters(reads: list[Read], resolve, country, text: str, sites: KnownSites,
                    capital: str | None = None):
    """Return the report's places grouped into incidents, trying ever looser readings when
    the plain one finds none; an event told with no place the geocoder knows is one
    unplaced cluster."""
    # once to learn the report's main town and the areas it names, then with them as context
    for read in reads:
        read.places = _places(read, resolve, country, None, None)
    context = _main_town(reads)
    areas = report_areas([m for r in reads for m in r.places], text)
    named = tuple(m.result for r in reads for m in r.places)
    if context is not None or areas or named:
        for read in reads:
            read.places = _places(read, resolve, country, context, areas, named=named,
                                  here=tuple(m.result for m in read.places))
    clusters = find_clusters(reads, sites)
    # no cued name is a place: take the names the gazetteer knows wherever they stand; still
    # nothing: a cued name matched only by a distant spelling is the best reading of where
    for how in ({"loose": True}, {"lenient": True}):
        if clusters:
            break
        for read in reads:
            # a loose reading only where an event is told; a lenient one wherever the plain
            # reading looked (a lenient match stands for a place the plain reading dropped)
            if read.event or "lenient" in how:
                read.places = _places(read, resolve, country, context, areas, named=named,
                                      **how)
        clusters = find_clusters(reads, sites)
    if not clusters and _capital_places(reads, resolve, country, capital):
        clusters = find_clusters(reads, sites)
    clusters = stated_first(clusters, text)
    if not clusters:
        clusters = _told_beside(reads, resolve, country, context, areas)
    if not clusters:
        unplaced = unplaced_cluster(reads)
        if unplaced is not None:
            unplaced = (_national_protest(reads, resolve, country, capital, unplaced.main.text)
                        or unplaced)
        clusters = [unplaced] if unplaced is not None else []
    return clusters


def _told_beside(reads: list[Read], resolve, country, context, areas) -> list[Cluster]:
    """An event told with no place, beside a sentence of its paragraph that names one ("Two
    soldiers were killed. Their bodies were found in Tamaro."): the event is at the first
    town or finer place those sentences name (its date, parties and toll stay those of the
    event's sentence)."""
    event_no = next((n for n, r in enumerate(reads) if r.event), None)
    if event_no is None:
        return []
    paragraph = reads[event_no].sentence.paragraph
    for read in reads:
        if read.event or read.sentence.paragraph != paragraph:
            continue
        told = Read(read.sentence, read.dates, read.actors, read.triggers, True)
        # a country or a region is no place of the event ("in Mali", "across the region"),
        # nor a name only part of which is a place (a person's "Amadou Tamaro")
        # nor where people were taken or came from ("the wounded were evacuated to Tamaro")
        found = [m for m in _places(told, resolve, country, context, areas)
                 if m.result.geo_precision not in ("country", "admin1", "admin2")
                 and not any(n.startswith("only part of the name") for n in m.result.notes)
                 and not passing(read.sentence.text, m.start - read.sentence.start)]
        if found:
            return [Cluster([(event_no, found[0])])]
    return []


def _national_protest(reads: list[Read], resolve, country: str | None, capital: str | None,
                      unknown: str = "") -> Cluster | None:
    """A protest or strike told without a place the geocoder knows ("Teachers went on strike
    to demand ...", "a sit-in at the Ministry of Health") is read as a national event: by the
    coding projects' convention it is placed at the capital, with the precision class
    ``country`` (the point says "in this country", nothing finer) and a note saying so,
    naming the words that were not found (``unknown``). Other events stay unplaced."""
    if capital is None:
        return None
    for n, read in enumerate(reads):
        if not (read.event and any(t.kind == "protest_riot" for t in read.triggers)):
            continue
        found = resolve(capital, country)
        if not found.found:
            return None
        result = replace(
            found, geo_precision="country", confidence=min(found.confidence, 0.3),
            candidates=(),
            notes=((f"{unknown!r} is no place the geocoder knows" if unknown else
                    "the report names no place")
                   + f": a protest told without a known place is placed at the capital, "
                   f"{capital}, with precision 'country' (national events are coded "
                   "at the capital)",),
        )
        start = read.sentence.start
        return Cluster([(n, PlaceMention(start, start, "", "", None, result))])
    return None


def _capital_places(reads: list[Read], resolve, country: str | None,
                    capital: str | None) -> bool:
    """"in the capital", "dans la capitale": place the event at the country's capital."""
    if capital is None:
        return False
    for read in reads:
        hit = re.search(r"\b(?:the|la)\s+capital(?:e|\s+city)?\b", read.sentence.text, re.I)
        if read.event and hit:
            found = resolve(capital, country)
            if found.found:
                a = read.sentence.start + hit.start()
                read.places = [PlaceMention(a, a + len(hit.group(0)), hit.group(0),
                                            capital, None, found)]
                return True
    return False


def _places(read: Read, resolve, country, context, areas, loose=False,
            lenient=False, named=(), here=()) -> list[PlaceMention]:
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
        named=named,
        here=here,
    )
    if country:
        found = [m for m in found if m.result.country in (None, country)]
    return found


def _main_town(reads: list[Read]) -> GeoResult | None:
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


def _not_dateline(sent: Sentence, dates: list[DateMention]) -> list[DateMention]:
    """Drop the dateline's date ("Sévaré, 3 March 2025 — ..."): it is when the report was
    written, not when the attack happened."""
    return [d for d in dates if not _is_dateline(sent, d)]


def _is_dateline(sent: Sentence, d: DateMention) -> bool:
    after = sent.text[d.end - sent.start : d.end - sent.start + 4]
    before = sent.text[: d.start - sent.start]
    return bool(re.match(r"\s*(?:[\u2014\u2013]|--?)\s", after)) and len(before) < 60 \
        and "," in before


def dateline_date(text: str) -> dt.date | None:
    """Return the day a report's dateline gives ("Sévaré, 3 March 2025 — Gunmen ...",
    "Bamako, 12 mars 2025 — ..."), the day it was written; None when it has no dateline
    with a full date."""
    for sent in sentences(text or "")[:4]:
        for d in find_dates(sent.text, dt.date.today(), sent.start):
            # a day with its year: "12 mars" alone would be guessed in the current year
            if (d.precision == "day" and d.date_start == d.date_end
                    and re.search(r"\b(?:19|20)\d\d\b", d.text) and _is_dateline(sent, d)):
                return d.date_start
    return None
