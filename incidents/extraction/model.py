"""Value objects of report extraction: a report, the spans read from it, claims and drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from incidents.geocoding.model import Candidate

__all__ = ["DRAFT_JSON_KEYS", "Claim", "Draft", "Report", "Source", "Span"]

#: The keys of a draft in ``--json`` output: the schema's column names the issue fixes, then
#: the other schema columns a draft fills.
DRAFT_JSON_KEYS: tuple[str, ...] = (
    "date_start",
    "date_end",
    "date_precision",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "actor",
    "target",
    "event_type",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "claims",
    "sources",
    "description",
    "country",
    "geocoder",
)


@dataclass(frozen=True)
class Source:
    """Where a draft comes from: the report (schema ``sources`` entry)."""

    publisher: str | None = None
    date: str | None = None  # ISO date of publication
    title: str | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        """Return the source as the schema's JSON entry (unknown fields left out)."""
        return {
            k: v
            for k, v in (
                ("publisher", self.publisher),
                ("date", self.date),
                ("title", self.title),
                ("url", self.url),
            )
            if v
        }

    @property
    def label(self) -> str:
        """A short name for the source: publisher, else title, else "the report"."""
        return self.publisher or self.title or "the report"


@dataclass(frozen=True)
class Report:
    """One report to read: its text, when it was published, and what is known of its source."""

    text: str
    published: dt.date
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    country: str | None = None  # ISO alpha-2 hint

    @property
    def source(self) -> Source:
        """The report as a ``Source``."""
        return Source(self.publisher, self.published.isoformat(), self.title, self.url)


@dataclass(frozen=True)
class Span:
    """A stretch of the report's text that an extracted value was read from."""

    start: int
    end: int
    kind: str  # date, place, actor, target, event, claim, fatalities
    text: str


@dataclass(frozen=True)
class Claim:
    """What one party said about an incident's toll, attributed.

    ``killed_low``/``killed_high`` are set only when the claim states a number of dead
    ("at least 12 killed" -> 12, None; "between 10 and 15" -> 10, 15; "dozens" -> None).
    """

    claimant: str
    claim: str
    source: str
    killed_low: int | None = None
    killed_high: int | None = None

    def to_dict(self) -> dict:
        """Return the claim as the schema's JSON entry."""
        return {"claimant": self.claimant, "claim": self.claim, "source": self.source}


@dataclass(frozen=True)
class Draft:
    """One incident read from one or more reports, to be reviewed before it is stored."""

    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str | None
    geocoder: str
    country: str | None
    actor: str | None
    target: str | None
    event_type: str
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    claims: tuple[Claim, ...]
    sources: tuple[Source, ...]
    description: str
    candidates: tuple[Candidate, ...] = ()
    place_query: str = ""
    spans: tuple[Span, ...] = ()
    report: int = 0  # index of the report it came from in a batch
    merged_into: str | None = None  # incident_id of the stored incident it completes
    notes: tuple[str, ...] = field(default=())

    def replace(self, **changes) -> Draft:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)

    def to_json(self) -> dict:
        """Return the draft keyed by the schema's column names (``DRAFT_JSON_KEYS``)."""
        values = {
            "date_start": self.date_start.isoformat() if self.date_start else None,
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "date_precision": self.date_precision,
            "location": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "actor": self.actor,
            "target": self.target,
            "event_type": self.event_type,
            "fatalities_low": self.fatalities_low,
            "fatalities_best": self.fatalities_best,
            "fatalities_high": self.fatalities_high,
            "claims": [c.to_dict() for c in self.claims],
            "sources": [s.to_dict() for s in self.sources],
            "description": self.description,
            "country": self.country,
            "geocoder": self.geocoder,
        }
        return {k: values[k] for k in DRAFT_JSON_KEYS}
