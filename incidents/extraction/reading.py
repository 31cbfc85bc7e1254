"""What one sentence of a report says (dates, parties, event words, places, claims),
and the places grouped into one incident's cluster."""

from __future__ import annotations

from dataclasses import dataclass, field

from incidents.extraction.actors import ActorMention
from incidents.extraction.claims import ClaimMention
from incidents.extraction.dates import DateMention
from incidents.extraction.events import Trigger
from incidents.extraction.places import PlaceMention
from incidents.extraction.text import Sentence
from incidents.schema import GEO_PRECISIONS

RANK = {p: i for i, p in enumerate(GEO_PRECISIONS)}


@dataclass
class Read:
    """What one sentence says."""

    sentence: Sentence
    dates: list[DateMention]
    actors: list[ActorMention]
    triggers: list[Trigger]
    event: bool
    places: list[PlaceMention] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)


@dataclass
class Cluster:
    mentions: list[tuple[int, PlaceMention]] = field(default_factory=list)  # (sentence no, m)
    parents: list[tuple[int, PlaceMention]] = field(default_factory=list)

    @property
    def main(self) -> PlaceMention:
        return min(self.mentions, key=lambda x: (RANK.get(x[1].result.geo_precision, 9), x[0]))[1]

    @property
    def sentence_nos(self) -> list[int]:
        return sorted({n for n, _ in self.mentions})

    @property
    def kind(self) -> str | None:
        kinds = [m.facility for _, m in self.mentions if m.facility and m.facility != "site"]
        return kinds[0] if kinds else None
