"""Group the places a report names into distinct incidents: a facility and the town it
is in are one incident, two sites far apart are two."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from incidents.extraction.names import (
    NAME,
    ORIGIN_BEFORE,
    STATED_CUE,
    STATED_OFFSET,
    is_cued,
    name_spans,
    passing,
)
from incidents.extraction.places import PlaceMention, not_known_near
from incidents.extraction.reading import RANK, Cluster, Read
from incidents.extraction.sites import KnownSites, upgrade
from incidents.geocoding.model import GeoResult, haversine_km
from incidents.geocoding.normalize import normalize

# How far a coarser place may be from a finer one and still be its parent (a city is wide).
_PARENT_KM = {"town": 20.0, "admin2": 150.0, "admin1": 400.0, "country": 1500.0}


_SAME_SITE_KM = 2.0


def _contains(parent: PlaceMention, child: PlaceMention) -> bool:
    p, c = parent.result, child.result
    if RANK[p.geo_precision] <= RANK[c.geo_precision]:
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


def find_clusters(reads: list[Read], sites: KnownSites) -> list[Cluster]:
    items = [
        (n, upgrade(m, sites))
        for n, r in enumerate(reads)
        for m in r.places
        if r.event or (r.sentence.paragraph == 0 and n == 0)
    ]
    fine = [x for x in items if x[1].result.geo_precision in ("site", "neighbourhood", "town")]
    coarse = [x for x in items if x not in fine]
    clusters: list[Cluster] = []
    # finest first, so that a city joins the sites in it rather than the reverse
    for n, m in sorted(fine, key=lambda x: (RANK.get(x[1].result.geo_precision, 9), x[0])):
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
            clusters.append(Cluster([(n, m)]))
        else:
            target.mentions.append((n, m))
    for n, m in coarse:
        inside = [c for c in clusters if _contains(m, c.main)]
        if inside:
            inside[0].parents.append((n, m))
    if not clusters and coarse:
        n, m = min(coarse, key=lambda x: (RANK.get(x[1].result.geo_precision, 9), x[0]))
        clusters.append(Cluster([(n, m)]))
    # keep only places that an event sentence tells of (a title alone is not an attack)
    clusters = [c for c in clusters if any(reads[n].event for n, _ in c.mentions)] or clusters
    clusters = _told_inside(clusters, reads)
    # the place of the event before the places its people or vehicles came from or went to;
    # then in the order the report tells them, within a sentence too (the clusters were built
    # finest place first, which put "the Faladié district" before the town named ahead of it)
    return sorted(clusters, key=lambda c: (_way(c, reads),
                                           min((n, m.start) for n, m in c.mentions)))


# "Tamaro in the Kelbo area", "Tamaro, in Kelbo Commune", "Tamaro (near Kelbo)": the report
# puts the first place inside or beside the second ("Tamaro, north of Kelbo" may lie far)
_INSIDE = re.compile(
    r"\s*(?:(?:village|hamlet|camp|neighbou?rhood|quarter|site|locality|area|town|city|"
    r"commune|district)\s*)?,?\s*\(?\s*"
    r"(?:in|inside|within|near|close\s+to|dans|près\s+de)"
    r"\s+(?:the\s+|la\s+|le\s+|l')?"
    r"(?:(?:town|village|city|commune|cercle|area|region|district|province|department|"
    r"locality|ville|localité)\s+(?:of\s+|de\s+)?)?",
    re.I,
)
# How far a place told inside or near another may lie from it: a wide margin (the area
# words are loose, a town's point is its centre)
_INSIDE_KM = {"town": 40.0, "admin2": 150.0, "admin1": 400.0}
_BETWEEN = re.compile(r"(?:between|entre)\b", re.I)


_AREA_WORD = re.compile(r"\b(?:town|village|city|commune|cercle|area|region|district|province|"
                        r"department|locality|ville|localité)\b", re.I)


def _told_in(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` puts the place before it inside or beside the one after it:
    "Tamaro in Kelbo", "Tamaro (near Kelbo)", "Tamaro, in the Kelbo area"; after a bare
    comma only with an area word ("killed two in Tamaro, in Kelbo three were wounded" tells
    two places)."""
    if not _INSIDE.fullmatch(text, a, b):
        return False
    gap = text[a:b]
    return "," not in gap or "(" in gap or _AREA_WORD.search(gap) is not None


def _told_inside(clusters: list[Cluster], reads: list[Read]) -> list[Cluster]:
    """"Tamaro in the Kelbo area" where the Tamaro read lies far from Kelbo: that reading is
    a namesake elsewhere, the report's place is unknown to the geocoder near Kelbo; the
    event is placed at Kelbo (with a note) rather than at the namesake."""
    out = list(clusters)
    for c in clusters:
        n, m = next(x for x in c.mentions if x[1] is c.main)
        sent = reads[n].sentence
        for o in out:
            if o is c:
                continue
            inner = next((x for x in o.mentions + o.parents
                          if x[0] == n and x[1].start >= m.end
                          and _told_in(sent.text, m.end - sent.start,
                                       x[1].start - sent.start)), None)
            if inner is None:
                continue
            p, r = inner[1].result, m.result
            reach = _INSIDE_KM.get(p.geo_precision)
            if (reach is None or RANK[p.geo_precision] < RANK[r.geo_precision]
                    or haversine_km(r.latitude, r.longitude, p.latitude, p.longitude) <= reach
                    # a place of the same region may lie far from a town named for it
                    or not (r.admin1 and p.admin1) or normalize(r.admin1) == normalize(p.admin1)
                    or _BETWEEN.match(m.text)):
                break
            main = o.main
            at = next(i for i, x in enumerate(o.mentions) if x[1] is main)
            o.mentions[at] = (o.mentions[at][0],
                              replace(main, result=not_known_near(main.result, m.text,
                                                                  p.matched_name)))
            o.parents.extend(c.mentions)
            out.remove(c)
            break
    return out



# "from Timbuktu to Goudam": a route, placed at its first end like "between A and B"
_ROUTE_ON = re.compile(r"^[^,.;]{0,40}?\s(?:to|towards?|vers|à|jusqu'à)\s", re.I)


def _way(cluster: Cluster, reads: list[Read]) -> float:
    """Return 1 when every name of the cluster is only where people or vehicles came from or
    went to ("coming from Gao", "evacuated to Tamaro"; not "2 km from Gao", a distance),
    0.5 when one is the start of a route ("from Timbuktu to Goudam": placed at its first end
    unless the report names where on it the event was), else 0."""
    way = 1.0
    for n, m in cluster.mentions:
        sent = reads[n].sentence
        m = _list_head(m, reads[n].places, sent.text, sent.start)
        at, end = m.start - sent.start, m.end - sent.start
        if ORIGIN_BEFORE.search(sent.text[max(0, at - 50) : at]) and _ROUTE_ON.match(
                sent.text[end:]):
            way = 0.5
        elif not passing(sent.text, at):
            return 0
    return way


_LIST_GAP = re.compile(r"\s*(?:,|,?\s*(?:and|et|or|ou))\s*")


def _list_head(m: PlaceMention, places: list[PlaceMention], text: str,
               offset: int) -> PlaceMention:
    """The first place of the list ``m`` ends ("to Tamaro and Kelbo": Tamaro for Kelbo)."""
    by_end = sorted(places, key=lambda p: p.end)
    ends = [p.end for p in by_end]
    while True:
        # only the place ending nearest before ``m`` can be joined to it by ", " / " and "
        at = bisect.bisect_right(ends, m.start) - 1
        prev = by_end[at] if at >= 0 else None
        if prev is None or prev is m or not _LIST_GAP.fullmatch(
                text, prev.end - offset, m.start - offset):
            return m
        m = prev


_STATED = re.compile(rf"(?:{STATED_CUE})$", re.I)
_STATED_NAME = re.compile(rf"(?i:{STATED_CUE})({NAME}(?:[\s-]+{NAME})*)")


def stated_first(clusters: list[Cluster], text: str) -> list[Cluster]:
    """"Tamaro and Kelbo (coded as Kelbo)": when the report says which place stands for
    the event, that place's draft comes first and the other places of its sentences join it."""
    for cluster in clusters:
        stated = next((m for _, m in cluster.mentions
                       if _STATED.search(text[max(0, m.start - 60) : m.start])
                       and not STATED_OFFSET.match(text, m.start + len(_first_word_run(m.text)))),
                      None)
        if stated is None:
            continue
        cluster = _told_before(stated, cluster, clusters)
        return _first_with_its_sentences(cluster, clusters)
    # the stated name was not read as a place of its own ("toward Kelbo ... (coded as Kelbo)",
    # the name told twice): the draft of a place that name names
    for hit in _STATED_NAME.finditer(text):
        if STATED_OFFSET.match(text, hit.end()):
            continue
        name = normalize(hit.group(1))
        cluster = next((c for c in clusters if name and any(
            _first_key(m) == name or normalize(m.result.matched_name or "") == name
            for _, m in c.mentions)), None)
        if cluster is not None:
            return _first_with_its_sentences(cluster, clusters)
    return clusters


def _first_word_run(text: str) -> str:
    """The text up to the end of its first run of capitalised names."""
    at = re.search(rf"{NAME}(?:[\s-]+{NAME})*", text)
    return text[: at.end()] if at else text


def _first_key(m: PlaceMention) -> str:
    """The mention's words from its first capitalised name ("the village of Kelbo" -> kelbo)."""
    at = re.search(NAME, m.text)
    return normalize(re.split(r"\s*[(\[,]", m.text[at.start():])[0]) if at else ""


def _first_with_its_sentences(cluster: Cluster, clusters: list[Cluster]) -> list[Cluster]:
    """The stated place's draft first; the other places of its sentences join it."""
    told = set(cluster.sentence_nos)
    rest = [c for c in clusters if c is not cluster and not set(c.sentence_nos) <= told]
    cluster.parents.extend(x for c in clusters if c is not cluster and c not in rest
                           for x in c.mentions)
    return [cluster, *rest]


def _told_before(stated: PlaceMention, cluster: Cluster, clusters: list[Cluster]) -> Cluster:
    """"between Tamaro and Kelbo (coded as Tamaro)": the name stated alone was read with no
    context; where the report told it before as the first name of a phrase (the one that
    phrase is placed at), that reading stands."""
    name = normalize(stated.text)
    if not name:
        return cluster

    def first_name(m: PlaceMention) -> str:
        at = re.search(NAME, m.text)
        return normalize(m.text[at.start():]) if at else ""

    return next((c for c in clusters if c is not cluster and any(
        m.start < stated.start
        and re.match(rf"{re.escape(name)}(?:$|\s+(?:and|et|near|pres|or|ou)\b)", first_name(m))
        for _, m in c.mentions)), cluster)


def unplaced_cluster(reads: list[Read]) -> Cluster | None:
    """An event the report tells without a place the geocoder knows: one draft, not placed,
    with the place text as written."""
    for n, read in enumerate(reads):
        if not read.event:
            continue
        spans = [(a.start - read.sentence.start, a.end - read.sentence.start)
                 for a in read.actors]
        names = [(a, b) for a, b in name_spans(read.sentence.text, spans)
                 if is_cued(read.sentence.text, a, b, None)]
        a, b = names[0] if names else (0, 0)
        words = read.sentence.text[a:b]
        miss = GeoResult.miss(words, None, "no place the geocoder knows" if words else
                              "the report names no place")
        start = read.sentence.start + a
        return Cluster([(n, PlaceMention(start, start + len(words), words, words, None, miss))])
    return None
