"""Persistent geocoding tables: the online answer cache and the user's place corrections.

Both are declared with every other table in ``incidents.tables``.
Keys are the folded place text (``normalize``) and the country hint ("" when none), so
"Ségou" and "SEGOU" share one entry. The online cache keeps misses as well as hits: no query
is ever sent to a provider twice. A correction (geocoder ``manual``) wins over every automatic
answer for the same place text from then on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from incidents.db import store_error
from incidents.errors import GeocodingError
from incidents.geocoding.model import GeoResult
from incidents.geocoding.normalize import normalize
from incidents.schema import GEO_PRECISIONS
from incidents.tables import KEY_LENGTH as _KEY_LENGTH
from incidents.tables import geocode_cache_table, place_corrections_table

__all__ = [
    "cache_key",
    "cached_answer",
    "correction_from",
    "delete_correction",
    "geocode_cache_table",
    "get_correction",
    "list_corrections",
    "load_corrections",
    "place_corrections_table",
    "save_correction",
    "store_answer",
]

def cache_key(query: str, country: str | None) -> tuple[str, str]:
    """Return the (folded text, country) key a query is stored under."""
    return normalize(query)[:_KEY_LENGTH], (country or "").strip().upper()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def cached_answer(
    engine: Engine, provider: str, query: str, country: str | None
) -> GeoResult | None:
    """Return the stored online answer (a hit, or a miss with geocoder ``none``), or None."""
    key, cc = cache_key(query, country)
    t = geocode_cache_table
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(t).where(t.c.provider == provider, t.c.query_key == key,
                                   t.c.country == cc)
            ).mappings().first()
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read the geocode cache", exc) from exc
    if row is None:
        return None
    if not row["found"]:
        return GeoResult.miss(query, country or None, f"{provider}: no match (cached)")
    return GeoResult(
        query=query,
        country_hint=country or None,
        latitude=row["latitude"],
        longitude=row["longitude"],
        geo_precision=row["geo_precision"],
        matched_name=row["matched_name"],
        place_id=row["place_id"],
        confidence=row["confidence"] or 0.0,
        geocoder="online",
        country=row["answer_country"],
        notes=(f"{provider} (cached)",),
    )


def store_answer(
    engine: Engine, provider: str, query: str, country: str | None, answer: GeoResult | None
) -> None:
    """Store an online answer; ``answer`` None (or not found) records a miss."""
    key, cc = cache_key(query, country)
    found = answer is not None and answer.found
    values = {
        "query": query,
        "found": found,
        "latitude": answer.latitude if found else None,
        "longitude": answer.longitude if found else None,
        "geo_precision": answer.geo_precision if found else None,
        "matched_name": answer.matched_name if found else None,
        "place_id": answer.place_id if found else None,
        "confidence": answer.confidence if found else None,
        "answer_country": answer.country if found else None,
        "created_at": _now(),
    }
    t = geocode_cache_table
    where = (t.c.provider == provider, t.c.query_key == key, t.c.country == cc)
    _upsert(engine, t, where, {"provider": provider, "query_key": key, "country": cc}, values)


def _upsert(engine: Engine, table: sa.Table, where, keys: dict, values: dict) -> None:
    try:
        with engine.begin() as conn:
            if not conn.execute(table.update().where(*where).values(**values)).rowcount:
                conn.execute(table.insert().values(**keys, **values))
    except sa.exc.IntegrityError:
        # Another process inserted the same key between our update and insert: update it.
        with engine.begin() as conn:
            conn.execute(table.update().where(*where).values(**values))
    except sa.exc.SQLAlchemyError as exc:
        raise store_error(f"cannot write {table.name}", exc) from exc


def save_correction(
    engine: Engine,
    query: str,
    country: str | None,
    latitude: float,
    longitude: float,
    geo_precision: str,
    matched_name: str | None = None,
    note: str | None = None,
) -> GeoResult:
    """Store a manual point for a place text and return it as a ``GeoResult`` (``manual``)."""
    if geo_precision not in GEO_PRECISIONS:
        raise GeocodingError(f"geo_precision must be one of {GEO_PRECISIONS}")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise GeocodingError("latitude/longitude out of range")
    key, cc = cache_key(query, country)
    if not key:
        raise GeocodingError("a correction needs a place text")
    values = {
        "query": query,
        "latitude": float(latitude),
        "longitude": float(longitude),
        "geo_precision": geo_precision,
        "matched_name": matched_name,
        "note": note,
        "updated_at": _now(),
    }
    t = place_corrections_table
    _upsert(engine, t, (t.c.query_key == key, t.c.country == cc),
            {"query_key": key, "country": cc}, values)
    return _correction_result(query, country, values)


def _correction_result(query: str, country: str | None, row) -> GeoResult:
    return GeoResult(
        query=query,
        country_hint=(country or "").upper() or None,
        latitude=row["latitude"],
        longitude=row["longitude"],
        geo_precision=row["geo_precision"],
        matched_name=row["matched_name"] or row["query"],
        place_id=None,
        confidence=1.0,
        geocoder="manual",
        notes=tuple(n for n in (row.get("note"),) if n),
    )


def get_correction(engine: Engine, query: str, country: str | None) -> GeoResult | None:
    """Return the correction for this place text: the one for this country, else any-country."""
    key, cc = cache_key(query, country)
    t = place_corrections_table
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(t).where(t.c.query_key == key, t.c.country.in_({cc, ""}))
            ).mappings().all()
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read place corrections", exc) from exc
    if not rows:
        return None
    row = max(rows, key=lambda r: r["country"] == cc)
    return _correction_result(query, country, dict(row))


def load_corrections(engine: Engine) -> dict[tuple[str, str], GeoResult]:
    """Return every correction keyed by ``cache_key`` (one read, for a batch)."""
    out: dict[tuple[str, str], GeoResult] = {}
    for row in list_corrections(engine):
        out[(row["query_key"], row["country"])] = _correction_result(
            row["query"], row["country"] or None, row)
    return out


def correction_from(
    corrections: dict[tuple[str, str], GeoResult], query: str, country: str | None
) -> GeoResult | None:
    """Return the correction for this place text from a loaded table (as ``get_correction``)."""
    key, cc = cache_key(query, country)
    found = corrections.get((key, cc)) or corrections.get((key, ""))
    if found is None:
        return None
    return replace(found, query=query, country_hint=cc or None)


def delete_correction(engine: Engine, query: str, country: str | None) -> bool:
    """Delete the correction stored for exactly this place text and country; return if any."""
    key, cc = cache_key(query, country)
    t = place_corrections_table
    try:
        with engine.begin() as conn:
            done = conn.execute(t.delete().where(t.c.query_key == key, t.c.country == cc))
            return bool(done.rowcount)
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot delete a place correction", exc) from exc


def list_corrections(engine: Engine) -> list[dict]:
    """Return every stored correction as plain dicts, newest first."""
    t = place_corrections_table
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.updated_at.desc())).mappings().all()
    except sa.exc.SQLAlchemyError as exc:
        raise store_error("cannot read place corrections", exc) from exc
    return [{k: v for k, v in row.items()} for row in rows]
