"""The duplicate rule of imports: which incoming incidents the store (or the file) already holds.

An incident is a duplicate when its id is already stored (the source's own id: ``acled:``,
``gtd:``, ``ucdp:``; for spreadsheets a keyed hash of the id column or of the row) or, for
spreadsheet rows, when an incident of the same day and actor is at the same place: the same
place text (compared without case, accents or punctuation), or a precise point within
``SAME_PLACE_KM`` (two ways of writing one place, "Faladié" and "Gendarmerie school, Faladié
district", geocode to one point). Rows from ACLED, GTD and UCDP are told apart by their ids
only: those datasets record distinct events on the same day, place and actor.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from incidents.distance import great_circle_km
from incidents.readers import RowRejection
from incidents.schema import POINT_PRECISIONS
from incidents.tables import incidents_table
from incidents.text import each, normalize_text

__all__ = ["SAME_PLACE_KM", "Seen", "actor_day", "place_key", "split_duplicates"]

#: Two precise points of the same day and actor this close are one place.
SAME_PLACE_KM = 1.0
_CHUNK = 500


def place_key(date: pd.Series, location: pd.Series, actor: pd.Series) -> pd.Series:
    """Return "day|place|actor" keys (NA when any is unknown), compared loosely."""
    loc = each(location, normalize_text).astype("string")
    act = each(actor, normalize_text).astype("string")
    day = pd.to_datetime(date).dt.strftime("%Y-%m-%d")
    key = day + "|" + loc.astype("string") + "|" + act.astype("string")
    return key.where((loc.fillna("") != "") & (act.fillna("") != "") & day.notna())


def actor_day(date: pd.Series, actor: pd.Series) -> pd.Series:
    """Return "day|actor" keys (NA when the actor is unknown), compared loosely."""
    act = each(actor, normalize_text).astype("string")
    day = pd.to_datetime(date).dt.strftime("%Y-%m-%d")
    return (day + "|" + act.astype("string")).where(act.fillna("") != "")


class Seen:
    """Incidents already known by day, place and actor: as place text, and as precise points."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.points: dict[str, list[tuple[float, float, str]]] = {}

    def add_frame(self, frame: pd.DataFrame, label: pd.Series) -> None:
        """Remember every incident of ``frame``, each under its ``label``."""
        keys = place_key(frame["date_start"], frame["location"], frame["actor"])
        days = actor_day(frame["date_start"], frame["actor"])
        precise = frame["geo_precision"].isin(POINT_PRECISIONS) & frame["latitude"].notna()
        for args in zip(keys, days, frame["latitude"], frame["longitude"], precise, label,
                        strict=True):
            self.add(*args)

    def add(self, key, day, lat, lon, precise: bool, name: str) -> None:
        """Remember one incident under ``name``."""
        if isinstance(key, str):
            self.texts.setdefault(key, name)
        if isinstance(day, str) and precise:
            self.points.setdefault(day, []).append((float(lat), float(lon), name))

    def match(self, key, day, lat, lon, precise: bool) -> str | None:
        """Return the name of a remembered incident this one repeats, else None."""
        if isinstance(key, str) and key in self.texts:
            return self.texts[key]
        if precise and isinstance(day, str):
            for plat, plon, name in self.points.get(day, ()):
                if great_circle_km(plat, plon, lat, lon) <= SAME_PLACE_KM:
                    return name
        return None


def _existing_ids(conn, ids: list[str]) -> set[str]:
    found: set[str] = set()
    col = incidents_table.c.incident_id
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update(conn.execute(sa.select(col).where(col.in_(chunk))).scalars())
    return found


def _stored_on(conn, days: list[dt.datetime]) -> pd.DataFrame:
    t = incidents_table
    cols = [t.c.incident_id, t.c.date_start, t.c.location, t.c.actor, t.c.latitude,
            t.c.longitude, t.c.geo_precision]
    rows = []
    for start in range(0, len(days), _CHUNK):
        chunk = days[start : start + _CHUNK]
        rows += conn.execute(sa.select(*cols).where(t.c.date_start.in_(chunk))).all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


def split_duplicates(conn, df: pd.DataFrame, rows: list[int], by_place: bool
                     ) -> tuple[pd.DataFrame, list[RowRejection]]:
    """Return the incidents the store lacks, and the rows that duplicate stored ones.

    ``rows`` are the data-row numbers of ``df``'s incidents; ``by_place`` also compares day,
    place and actor (spreadsheet rows, whose ids are no source's own).
    """
    ids = df["incident_id"].astype(str).tolist()
    stored = _existing_ids(conn, ids)
    dup: dict[int, str] = {i: f"already in the store as {v}" for i, v in enumerate(ids)
                           if v in stored}
    if by_place and len(df):
        days = sorted({d.to_pydatetime() for d in df["date_start"].dropna().dt.normalize()})
        known = _stored_on(conn, days)
        in_store, in_file = Seen(), Seen()
        in_store.add_frame(known, known["incident_id"] + " in the store")
        keys = place_key(df["date_start"], df["location"], df["actor"])
        actor_days = actor_day(df["date_start"], df["actor"])
        precise = (df["geo_precision"].isin(POINT_PRECISIONS) & df["latitude"].notna()).tolist()
        for pos in range(len(df)):
            if pos in dup:
                continue
            args = (keys.iloc[pos], actor_days.iloc[pos], df["latitude"].iloc[pos],
                    df["longitude"].iloc[pos], precise[pos])
            hit = in_store.match(*args) or in_file.match(*args)
            if hit:
                dup[pos] = f"same day, place and actor as {hit}"
            else:
                in_file.add(*args, f"row {rows[pos]} in the file")
    keep = [pos for pos in range(len(df)) if pos not in dup]
    duplicates = [RowRejection(rows[pos], reason) for pos, reason in sorted(dup.items())]
    return df.iloc[keep].reset_index(drop=True), duplicates
