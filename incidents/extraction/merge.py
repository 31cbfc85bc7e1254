"""Drafts meet each other and the store: the same attack told by two reports becomes one
incident with both sources and all their claims; saving adds a report's sources and claims to
an incident the store already holds (the imports' duplicate rule) and inserts the rest."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.countries import name_for
from incidents.duplicates import Seen as _Seen
from incidents.duplicates import actor_day as _actor_day
from incidents.duplicates import place_key as _place_key
from incidents.errors import StoreError
from incidents.extraction.actors import canonical_group, parents
from incidents.extraction.model import Claim, Draft, Source
from incidents.geocoding.model import haversine_km
from incidents.schema import GEO_PRECISIONS, conform
from incidents.schema import POINT_PRECISIONS as _PRECISE

__all__ = [
    "SaveReport",
    "drafts_frame",
    "find_in_store",
    "merge_drafts",
    "save_drafts",
    "toll_columns",
    "toll_from_claims",
]

#: Key of draft ids made without a store (a preview): random per process.
_PROCESS_ID_KEY = secrets.token_bytes(32)

DATASET = "Incident Atlas report intake"
_RANK = {p: i for i, p in enumerate(GEO_PRECISIONS)}
_SAME_KM = 2.0


def _overlap(a: Draft, b: Draft) -> bool:
    if not (a.date_start and b.date_start):
        return False
    return a.date_start <= (b.date_end or b.date_start) and b.date_start <= (
        a.date_end or a.date_start
    )


def _same_actor(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    ga, gb = canonical_group(a) or a, canonical_group(b) or b
    return ga == gb or ga in parents(gb) or gb in parents(ga)


def _same_place(a: Draft, b: Draft) -> bool:
    if a.latitude is None or b.latitude is None:
        return bool(a.location and b.location and a.location.lower() == b.location.lower())
    km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
    fine = {a.geo_precision, b.geo_precision} <= {"site", "neighbourhood"}
    return km <= (_SAME_KM if fine else 0.5)


def same_incident(a: Draft, b: Draft) -> bool:
    """Whether two drafts tell the same attack: dates overlap, same actor, same place."""
    return _overlap(a, b) and _same_actor(a.actor, b.actor) and _same_place(a, b)


def toll_from_claims(claims: tuple[Claim, ...]) -> tuple[int | None, int | None, int | None]:
    """Return (low, best, high) deaths: the number when every claimant who states one agrees,
    else unknown (the claims keep what each said)."""
    by: dict[str, list[Claim]] = {}
    for c in claims:
        if c.killed_low is not None:
            by.setdefault(c.claimant, []).append(c)
    totals = set()
    for group in by.values():
        # one report's separate counts add up; the same count told twice is one count
        unique = {(c.killed_low, c.killed_high, c.claim) for c in group}
        low = sum(u[0] for u in unique)
        high = None if any(u[1] is None for u in unique) else sum(u[1] for u in unique)
        totals.add((low, high))
    if len(totals) != 1:
        return None, None, None
    low, high = next(iter(totals))
    return low, low, high


def toll_columns(claims: tuple[Claim, ...]) -> dict[str, int | None]:
    """Return the draft's ``fatalities_low/best/high`` columns read from its claims."""
    low, best, high = toll_from_claims(claims)
    return {"fatalities_low": low, "fatalities_best": best, "fatalities_high": high}


def _combine(a: Draft, b: Draft) -> Draft:
    finer = (
        a
        if _RANK.get(a.geo_precision or "country", 9) <= _RANK.get(b.geo_precision or "country", 9)
        else b
    )
    sources = tuple(dict.fromkeys(a.sources + b.sources))
    claims = tuple(dict.fromkeys(a.claims + b.claims))
    date_a = (a.date_end - a.date_start) if a.date_start and a.date_end else dt.timedelta(999)
    date_b = (b.date_end - b.date_start) if b.date_start and b.date_end else dt.timedelta(999)
    dated = a if date_a <= date_b else b
    description = (
        a.description if b.description in a.description else (f"{a.description}\n{b.description}")
    )
    return finer.replace(
        date_start=dated.date_start,
        date_end=dated.date_end,
        date_precision=dated.date_precision,
        actor=a.actor or b.actor,
        target=a.target or b.target,
        event_type=a.event_type if a.event_type != "other" else b.event_type,
        claims=claims,
        sources=sources,
        **toll_columns(claims),
        description=description,
        notes=tuple(dict.fromkeys(a.notes + b.notes)),
    )


def merge_drafts(drafts: list[Draft]) -> list[Draft]:
    """Return the drafts with those that tell the same attack merged (sources and claims
    joined, the finer place and the narrower date kept), in first-seen order."""
    out: list[Draft] = []
    for draft in drafts:
        for i, kept in enumerate(out):
            if same_incident(kept, draft):
                out[i] = _combine(kept, draft)
                break
        else:
            out.append(draft)
    return out


def draft_id(draft: Draft, id_key: bytes | None = None) -> str:
    """Return a stable ``atlas:`` incident id for a draft (date, place, actor, first source).

    The hash is keyed (``id_key``, the store's ``store.id_key``; None: a key of this process)
    so that the id shown to viewers cannot be brute-forced back into the exact point.
    """
    src = draft.sources[0] if draft.sources else Source()
    key = "|".join(
        str(x)
        for x in (
            draft.date_start,
            draft.location,
            draft.actor,
            src.title,
            src.publisher,
            round(draft.latitude or 0, 4),
            round(draft.longitude or 0, 4),
        )
    )
    secret = id_key or _PROCESS_ID_KEY
    digest = hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()[:10]
    return f"atlas:{draft.date_start or 'undated'}-report-{digest}"


def drafts_frame(drafts: list[Draft], dataset: str = DATASET,
                 id_key: bytes | None = None) -> pd.DataFrame:
    """Return the drafts as conformed incident rows (claims and sources as JSON)."""
    rows = []
    for d in drafts:
        rows.append(
            {
                "incident_id": draft_id(d, id_key),
                "date_start": pd.Timestamp(d.date_start) if d.date_start else pd.NaT,
                "date_end": pd.Timestamp(d.date_end or d.date_start) if d.date_start else pd.NaT,
                "date_precision": d.date_precision,
                "country": d.country,
                "country_name": name_for(d.country) if d.country else None,
                "location": d.location,
                "latitude": d.latitude,
                "longitude": d.longitude,
                "geo_precision": d.geo_precision if d.latitude is not None else None,
                "geocoder": d.geocoder if d.latitude is not None else "none",
                "event_type": d.event_type,
                "source_event_type": "report (extracted)",
                "actor": d.actor,
                "target": d.target,
                "fatalities_low": d.fatalities_low,
                "fatalities_best": d.fatalities_best,
                "fatalities_high": d.fatalities_high,
                "claims": json.dumps([c.to_dict() for c in d.claims], ensure_ascii=False),
                "sources": json.dumps([s.to_dict() for s in d.sources], ensure_ascii=False),
                "description": d.description,
                "dataset": dataset,
                "imported_at": pd.Timestamp(dt.datetime.now(dt.UTC).replace(tzinfo=None)),
            }
        )
    if not rows:
        from incidents.schema import empty_frame

        return empty_frame()
    return conform(pd.DataFrame(rows))


def _seen_of(frame: pd.DataFrame) -> _Seen:
    seen = _Seen()
    if len(frame):
        seen.add_frame(frame, frame["incident_id"].astype(str))
    return seen


def find_in_store(draft: Draft, store: pd.DataFrame) -> str | None:
    """Return the id of the stored incident a draft duplicates (the imports' rule: same day,
    place and actor, by place text or by a precise point), else None."""
    if draft.date_start is None or store is None or store.empty:
        return None
    day = pd.Timestamp(draft.date_start)
    same_day = store[store["date_start"].dt.normalize() == day]
    if same_day.empty:
        return None
    row = drafts_frame([draft])
    key = _place_key(row["date_start"], row["location"], row["actor"]).iloc[0]
    actor_day = _actor_day(row["date_start"], row["actor"]).iloc[0]
    precise = bool(row["geo_precision"].isin(_PRECISE).iloc[0] and row["latitude"].notna().iloc[0])
    hit = _seen_of(same_day).match(
        key, actor_day, row["latitude"].iloc[0], row["longitude"].iloc[0], precise
    )
    if hit:
        return hit
    # Two reports place one site a little differently: same day and actor, fine points close.
    if precise and draft.geo_precision in ("site", "neighbourhood"):
        for r in same_day.itertuples(index=False):
            if (
                r.geo_precision in ("site", "neighbourhood")
                and pd.notna(r.latitude)
                and _same_actor(draft.actor, r.actor if isinstance(r.actor, str) else None)
                and haversine_km(r.latitude, r.longitude, draft.latitude, draft.longitude)
                <= _SAME_KM
            ):
                return str(r.incident_id)
    return None


@dataclass(frozen=True)
class SaveReport:
    """What saving did: incidents inserted, stored incidents completed, drafts unchanged."""

    inserted: tuple[str, ...]
    merged: tuple[str, ...]
    unchanged: tuple[str, ...]

    def to_dict(self) -> dict:
        """Return the report as a JSON-ready dict."""
        return {
            "inserted": list(self.inserted),
            "merged": list(self.merged),
            "unchanged": list(self.unchanged),
        }


def _union_json(stored: str | None, new: list[dict]) -> tuple[str, bool]:
    try:
        items = json.loads(stored) if stored else []
    except ValueError:
        items = []
    if not isinstance(items, list):
        items = []
    changed = False
    for item in new:
        if item not in items:
            items.append(item)
            changed = True
    return json.dumps(items, ensure_ascii=False), changed


def save_drafts(engine: Engine, drafts: list[Draft], *, dataset: str = DATASET) -> SaveReport:
    """Store reviewed drafts in one transaction.

    A draft that duplicates a stored incident (``find_in_store``, or its ``merged_into``
    set by the reviewer) adds its sources and claims to it; the others are inserted.
    """
    from incidents.db import store_error
    from incidents.store import (
        bump_version,
        ensure_store,
        id_key,
        incidents_table,
        insert_incidents,
        lock_for_write,
    )

    ensure_store(engine)
    t = incidents_table
    inserted, merged, unchanged = [], [], []
    try:
        with engine.begin() as conn:
            lock_for_write(conn)  # another save's duplicate check waits for these rows
            days = sorted(
                {pd.Timestamp(d.date_start).to_pydatetime() for d in drafts if d.date_start}
            )
            stored = (
                pd.DataFrame(
                    conn.execute(sa.select(t).where(t.c.date_start.in_(days))).mappings().all()
                )
                if days
                else pd.DataFrame()
            )
            if not stored.empty:
                stored = conform(stored)
            fresh = []
            for draft in drafts:
                target = draft.merged_into or find_in_store(draft, stored)
                if target is None:
                    fresh.append(draft)
                    continue
                row = conn.execute(
                    sa.select(t.c.claims, t.c.sources).where(t.c.incident_id == target)
                ).first()
                if row is None:
                    raise StoreError(f"no incident {target!r} to merge into")
                claims, c1 = _union_json(row.claims, [c.to_dict() for c in draft.claims])
                sources, c2 = _union_json(row.sources, [s.to_dict() for s in draft.sources])
                if c1 or c2:
                    conn.execute(
                        t.update()
                        .where(t.c.incident_id == target)
                        .values(claims=claims, sources=sources)
                    )
                    merged.append(target)
                else:
                    unchanged.append(target)
            frame = drafts_frame(merge_drafts(fresh), dataset, id_key(conn))
            if len(frame):
                known = set(
                    conn.execute(
                        sa.select(t.c.incident_id).where(
                            t.c.incident_id.in_(frame["incident_id"].tolist())
                        )
                    ).scalars()
                )
                frame = frame[~frame["incident_id"].isin(known)]
                unchanged += sorted(known)
                insert_incidents(conn, frame)
                inserted += frame["incident_id"].tolist()
            if merged and not len(frame):
                bump_version(conn)
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("the drafts could not be saved, nothing was stored", exc) from exc
    return SaveReport(tuple(inserted), tuple(dict.fromkeys(merged)), tuple(unchanged))
