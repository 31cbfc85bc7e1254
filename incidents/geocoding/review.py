"""Geocoding the store: place the incidents that lack coordinates, review doubtful places,
and apply a person's correction to every incident with the same place text.

What the app's Geocode page and scripts call::

    todo = unmapped(df)                                   # incidents with no point
    report = geocode_missing(engine, df, geocoder, progress=callback)
    queue = review_queue(df, geocoder)                    # low-confidence and unresolved places
    moved = apply_correction(engine, geocoder, "Faladié, Bamako", "ML", 12.59, -7.95, "site")

A point placed by hand (geocoder ``manual``) is never overwritten by an automatic run, and a
stored correction wins over the gazetteer for that place text from then on. A place nothing
resolves stays unmapped: a miss is never written as 0,0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from incidents.db import store_error
from incidents.errors import GeocodingError
from incidents.geocoding.model import GeoResult
from incidents.geocoding.service import Geocoder
from incidents.schema import GEO_PRECISIONS
from incidents.store import bump_version, incidents_table

__all__ = [
    "AUTOMATIC_GEOCODERS",
    "QUEUE_COLUMNS",
    "GeocodeRunReport",
    "apply_correction",
    "geocode_missing",
    "review_queue",
    "unmapped",
]

#: Geocoders whose points came from reading the place text automatically (reviewable).
AUTOMATIC_GEOCODERS: tuple[str, ...] = ("gazetteer", "airport", "online")

#: Columns of ``review_queue``, in order.
QUEUE_COLUMNS: tuple[str, ...] = (
    "location", "country", "incidents", "status", "matched_name", "latitude", "longitude",
    "geo_precision", "geocoder", "confidence", "result",
)

#: Review-queue statuses, in the order the queue lists them.
_STATUS_ORDER = {"unresolved": 0, "other country": 1, "low confidence": 2}

#: progress(done, total) after each distinct place.
Progress = Callable[[int, int], None]

_CHUNK = 500  # incident ids per UPDATE (well under SQLite's bound-parameter limit)


@dataclass(frozen=True)
class GeocodeRunReport:
    """What one run of ``geocode_missing`` did.

    ``unresolved`` lists (place text, country, incidents) for the places nothing resolved.
    """

    places: int = 0
    resolved_places: int = 0
    unresolved_places: int = 0
    resolved: int = 0  # incidents given a point
    unresolved: int = 0  # incidents left unmapped because their place resolved to nothing
    no_place_text: int = 0  # incidents without coordinates and without a place to read
    skipped_manual: int = 0  # incidents someone placed (or un-placed) by hand: left alone
    unresolved_places_list: tuple[tuple[str, str | None, int], ...] = ()

    def summary(self) -> str:
        """Return one sentence for the user."""
        text = (f"{_count(self.resolved, 'incident')} placed "
                f"({_count(self.resolved_places, 'place')}); {self.unresolved:,} left unmapped "
                f"({_count(self.unresolved_places, 'place')} not found)")
        if self.no_place_text:
            text += f"; {_count(self.no_place_text, 'incident')} without place text"
        if self.skipped_manual:
            text += f"; {self.skipped_manual:,} placed by hand left alone"
        return text + "."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _missing_point(df: pd.DataFrame) -> pd.Series:
    return df["latitude"].isna() | df["longitude"].isna()


def unmapped(df: pd.DataFrame) -> pd.DataFrame:
    """Return the incidents of ``df`` that have no coordinates."""
    return df[_missing_point(df)]


def _place_text(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().fillna("")


def _country(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().upper()
    return text or None


def geocode_missing(
    engine: Engine,
    df: pd.DataFrame,
    geocoder: Geocoder,
    progress: Progress | None = None,
) -> GeocodeRunReport:
    """Give the incidents of ``df`` that lack coordinates a point from their place text.

    Each distinct (place text, country) is resolved once; ``progress(done, total)`` follows the
    places. The points are written in one transaction (one data-version bump), only to rows
    that still have no point and were not placed by hand, so a concurrent correction is never
    overwritten. Places that resolve to nothing stay unmapped.
    """
    todo = unmapped(df)
    manual = (todo["geocoder"] == "manual").fillna(False).to_numpy(bool)
    todo = todo[~manual]
    text = _place_text(todo["location"])
    no_text = int((text == "").sum())
    todo = todo[(text != "").to_numpy(bool)]
    keys = list(zip(_place_text(todo["location"]), todo["country"].map(_country), strict=True))
    groups: dict[tuple[str, str | None], list[str]] = {}
    for key, incident_id in zip(keys, todo["incident_id"].astype(str), strict=True):
        groups.setdefault(key, []).append(incident_id)

    answers: dict[tuple[str, str | None], GeoResult] = {}
    total = len(groups)
    for done, key in enumerate(groups, start=1):
        answers[key] = geocoder.resolve(*key)
        if progress is not None:
            progress(done, total)

    resolved = resolved_places = 0
    unresolved_list: list[tuple[str, str | None, int]] = []
    try:
        with engine.begin() as conn:
            for key, ids in groups.items():
                answer = answers[key]
                if not answer.found:
                    unresolved_list.append((key[0], key[1], len(ids)))
                    continue
                resolved_places += 1
                resolved += _place(conn, ids, answer, only_unmapped=True)
            if resolved:
                bump_version(conn)
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot write the geocoded points", exc) from exc
    return GeocodeRunReport(
        places=total,
        resolved_places=resolved_places,
        unresolved_places=len(unresolved_list),
        resolved=resolved,
        unresolved=sum(n for *_, n in unresolved_list),
        no_place_text=no_text,
        skipped_manual=int(manual.sum()),
        unresolved_places_list=tuple(sorted(unresolved_list, key=lambda u: -u[2])),
    )


def _place(conn: Connection, ids: list[str], answer: GeoResult, *, only_unmapped: bool) -> int:
    """Write ``answer``'s point to the incidents ``ids``; return how many rows changed."""
    t = incidents_table
    values = {
        "latitude": float(answer.latitude),
        "longitude": float(answer.longitude),
        "geo_precision": answer.geo_precision,
        "geocoder": answer.geocoder,
    }
    changed = 0
    for start in range(0, len(ids), _CHUNK):
        where = [t.c.incident_id.in_(ids[start : start + _CHUNK])]
        if only_unmapped:
            where += [sa.or_(t.c.latitude.is_(None), t.c.longitude.is_(None)),
                      sa.or_(t.c.geocoder.is_(None), t.c.geocoder != "manual")]
        changed += conn.execute(t.update().where(*where).values(**values)).rowcount
    return changed


def _reviewable(df: pd.DataFrame) -> pd.Series:
    """Rows whose point a person may want to check: automatic ones, and unmapped ones."""
    geocoder = df["geocoder"].astype("string")
    automatic = geocoder.isin(AUTOMATIC_GEOCODERS).fillna(False)
    not_manual = (geocoder != "manual").fillna(True)
    has_text = _place_text(df["location"]) != ""
    return (automatic | (_missing_point(df) & not_manual)) & has_text


def review_queue(df: pd.DataFrame, geocoder: Geocoder, threshold: float = 0.6) -> pd.DataFrame:
    """Return the places to review: unresolved ones, then those matched in another country
    than the incidents' or with low confidence.

    Only place texts whose point came from an automatic geocoder (gazetteer, airport, online)
    or that have no point are considered; each distinct (place text, country) is re-resolved
    (offline, except places an online geocoder answered, whose answers are cached). A place
    with a stored correction resolves with confidence 1 and leaves the queue. Columns are
    ``QUEUE_COLUMNS``: ``incidents`` counts the incidents per place, ``status`` is
    "unresolved", "other country" (whatever the confidence) or "low confidence";
    ``result`` holds the ``GeoResult`` with its candidates.
    """
    rows = df[_reviewable(df)]
    if rows.empty:
        return pd.DataFrame({c: [] for c in QUEUE_COLUMNS})
    places = pd.DataFrame({
        "location": _place_text(rows["location"]).to_numpy(object),
        "country": rows["country"].map(_country).to_numpy(object),
        "online": (rows["geocoder"].astype("string") == "online").fillna(False).to_numpy(bool),
    })
    grouped = (places.groupby(["location", "country"], dropna=False, sort=False)
               .agg(incidents=("online", "size"), online=("online", "any")).reset_index())
    out = []
    corrections = geocoder.load_corrections()  # one read for the whole queue
    for place in grouped.itertuples(index=False):
        country = place.country if isinstance(place.country, str) else None
        result = geocoder.resolve(place.location, country, offline=not place.online,
                                  corrections=corrections)
        elsewhere = bool(result.found and country and result.country
                         and result.country.upper() != country)
        if result.found and result.confidence >= threshold and not elsewhere:
            continue
        status = ("unresolved" if not result.found else
                  "other country" if elsewhere else "low confidence")
        out.append({
            "location": place.location,
            "country": country,
            "incidents": int(place.incidents),
            "status": status,
            "matched_name": result.matched_name,
            "latitude": result.latitude,
            "longitude": result.longitude,
            "geo_precision": result.geo_precision,
            "geocoder": result.geocoder,
            "confidence": float(result.confidence),
            "result": result,
        })
    if not out:
        return pd.DataFrame({c: [] for c in QUEUE_COLUMNS})
    queue = pd.DataFrame(out, columns=list(QUEUE_COLUMNS))
    queue["_rank"] = queue["status"].map(_STATUS_ORDER)
    queue = queue.sort_values(["_rank", "incidents", "confidence", "location"],
                              ascending=[True, False, True, True], kind="stable")
    return queue.drop(columns="_rank").reset_index(drop=True)


def apply_correction(
    engine: Engine,
    geocoder: Geocoder,
    location: str,
    country: str | None,
    latitude: float,
    longitude: float,
    geo_precision: str,
    matched_name: str | None = None,
) -> int:
    """Store a manual point for ``location`` and move its incidents there; return how many.

    The correction is stored with ``Geocoder.correct`` (it wins over automatic answers for this
    place text from now on). Every incident whose place text is exactly ``location`` (after
    trimming spaces) in ``country`` (any country when None) gets the point with geocoder
    ``manual``, except incidents whose point came with their source dataset: those keep it.
    """
    text = (location or "").strip()
    if not text:
        raise GeocodingError("a correction needs a place text")
    if geo_precision not in GEO_PRECISIONS:
        raise GeocodingError(f"geo_precision must be one of {GEO_PRECISIONS}")
    stored = geocoder.correct(text, country, float(latitude), float(longitude), geo_precision,
                              matched_name=matched_name)
    cc = _country(country)
    t = incidents_table
    where = [sa.func.trim(t.c.location) == text,
             sa.or_(t.c.geocoder.is_(None), t.c.geocoder != "source",
                    t.c.latitude.is_(None), t.c.longitude.is_(None))]
    if cc is not None:
        where.append(sa.func.upper(sa.func.trim(t.c.country)) == cc)
    try:
        with engine.begin() as conn:
            ids = list(conn.execute(sa.select(t.c.incident_id).where(*where)).scalars())
            moved = _place(conn, ids, stored, only_unmapped=False)
            if moved:
                bump_version(conn)
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot move the incidents to the corrected point", exc) from exc
    return moved
