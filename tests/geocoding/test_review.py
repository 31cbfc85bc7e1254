"""Geocoding the store: unmapped incidents, geocode runs, the review queue, manual corrections."""

from __future__ import annotations

import pandas as pd
import pytest

from incidents.db import get_engine
from incidents.errors import GeocodingError
from incidents.geocoding import Geocoder, load_gazetteer
from incidents.geocoding.review import (
    QUEUE_COLUMNS,
    apply_correction,
    geocode_missing,
    review_queue,
    unmapped,
)
from incidents.schema import conform
from incidents.store import data_version, ensure_schema, insert_incidents, read_incidents
from tests.conftest import make_incident

NA = {"latitude": pd.NA, "longitude": pd.NA, "geo_precision": pd.NA, "geocoder": "none"}


@pytest.fixture(scope="module")
def gazetteer():
    """The shipped gazetteer, loaded once for the module."""
    return load_gazetteer()


@pytest.fixture()
def frame(small_frame) -> pd.DataFrame:
    """``small_frame`` plus unmapped incidents: a clear place twice, a vague one, no text,
    one un-placed by hand, and one whose point came with its source."""
    extra = [
        make_incident(incident_id="u:1", location="Kati", **NA),
        make_incident(incident_id="u:2", location="Kati", **NA),
        make_incident(incident_id="u:3", location="near Boni", **NA),
        make_incident(incident_id="u:4", location="", **NA),
        make_incident(incident_id="u:5", location="Kati", **{**NA, "geocoder": "manual"}),
        make_incident(incident_id="s:1", location="near Boni", latitude=15.1, longitude=-2.2,
                      geo_precision="admin2", geocoder="source"),
    ]
    return conform(pd.concat([small_frame, conform(pd.DataFrame(extra))], ignore_index=True))


@pytest.fixture()
def engine(db_url, frame):
    eng = get_engine(db_url)
    ensure_schema(eng)
    with eng.begin() as conn:
        insert_incidents(conn, frame)
    yield eng
    eng.dispose()


@pytest.fixture()
def geocoder(engine, gazetteer) -> Geocoder:
    return Geocoder(gazetteer, engine=engine)  # offline only: no online configuration


def _row(df: pd.DataFrame, incident_id: str) -> pd.Series:
    return df.set_index("incident_id").loc[incident_id]


def test_unmapped_lists_incidents_without_coordinates(frame):
    assert sorted(unmapped(frame)["incident_id"]) == ["t:5", "u:1", "u:2", "u:3", "u:4", "u:5"]


def test_geocode_missing_places_what_resolves_and_never_writes_zero(engine, geocoder):
    before = data_version(engine)
    calls = []
    report = geocode_missing(engine, read_incidents(engine), geocoder,
                             progress=lambda done, total: calls.append((done, total)))
    # Kati, near Boni and "somewhere unnamed": each distinct place resolved once.
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert (report.places, report.resolved_places, report.unresolved_places) == (3, 2, 1)
    assert (report.resolved, report.unresolved) == (3, 1)
    assert (report.no_place_text, report.skipped_manual) == (1, 1)
    assert report.unresolved_places_list == (("somewhere unnamed", "ML", 1),)
    assert "3 incidents placed" in report.summary()
    assert data_version(engine) == before + 1  # one transaction

    after = read_incidents(engine)
    kati = _row(after, "u:1")
    assert kati["geocoder"] == "gazetteer" and kati["geo_precision"] == "town"
    assert kati["latitude"] == pytest.approx(12.744, abs=0.01)
    for incident_id in ("t:5", "u:4", "u:5"):  # a miss, no text, placed by hand: no point
        row = _row(after, incident_id)
        assert pd.isna(row["latitude"]) and pd.isna(row["longitude"])
    assert not ((after["latitude"] == 0) & (after["longitude"] == 0)).any()
    assert _row(after, "u:5")["geocoder"] == "manual"


def test_geocode_missing_with_nothing_to_do_changes_nothing(engine, geocoder):
    geocode_missing(engine, read_incidents(engine), geocoder)
    version = data_version(engine)
    report = geocode_missing(engine, read_incidents(engine), geocoder)
    assert report.resolved == 0 and report.unresolved == 1
    assert data_version(engine) == version


def test_review_queue_lists_unresolved_then_low_confidence(engine, geocoder, frame):
    queue = review_queue(frame, geocoder)
    assert tuple(queue.columns) == QUEUE_COLUMNS
    # "Faladié, Bamako" (gazetteer), Djibo and the airport resolve with confidence; the
    # source's own point for "near Boni" (s:1) is not counted; u:5 was placed by hand.
    assert list(zip(queue["location"], queue["status"], queue["incidents"], strict=True)) == [
        ("somewhere unnamed", "unresolved", 1),
        ("near Boni", "low confidence", 1),
    ]
    boni = queue.iloc[1]
    assert boni["confidence"] < 0.6 and boni["matched_name"] == "Boni"
    assert len(boni["result"].candidates) >= 1
    assert pd.isna(queue.iloc[0]["latitude"])


def test_a_match_in_another_country_is_left_for_review(frame, geocoder):
    """An incident in Mali named "Paris" is not put in France: it waits, with Paris as a
    candidate, for a person to decide."""
    paris = conform(pd.DataFrame([make_incident(incident_id="p:1", location="Paris", **NA)]))
    queue = review_queue(pd.concat([frame, paris], ignore_index=True), geocoder)
    row = queue[queue["location"] == "Paris"].iloc[0]
    assert row["status"] == "unresolved"
    assert not row["result"].found
    assert any(c.country == "FR" for c in row["result"].candidates)


def test_review_queue_threshold_and_empty(frame, geocoder):
    everything = review_queue(frame, geocoder, threshold=1.01)
    assert "Kati" in set(everything["location"]) and "Faladié, Bamako" in set(
        everything["location"])
    kati = everything[everything["location"] == "Kati"].iloc[0]
    assert kati["incidents"] == 2  # u:1 and u:2, not u:5 (manual)
    empty = review_queue(frame[frame["incident_id"] == "t:3"], geocoder)
    assert empty.empty and tuple(empty.columns) == QUEUE_COLUMNS


def test_manual_correction_moves_every_incident_and_wins_over_later_runs(
        engine, geocoder, frame):
    geocode_missing(engine, read_incidents(engine), geocoder)
    # A later import brings one more unmapped "near Boni".
    with engine.begin() as conn:
        insert_incidents(conn, conform(pd.DataFrame([
            make_incident(incident_id="u:6", location="near Boni", **NA)])))
    version = data_version(engine)
    moved = apply_correction(engine, geocoder, "near Boni", "ML", 15.01, -2.3, "admin2",
                             matched_name="Boni area")
    assert moved == 2  # u:3 (gazetteer) and u:6 (unmapped); s:1 keeps its source point
    assert data_version(engine) == version + 1
    after = read_incidents(engine)
    for incident_id in ("u:3", "u:6"):
        row = _row(after, incident_id)
        assert (row["latitude"], row["longitude"]) == (15.01, -2.3)
        assert row["geocoder"] == "manual" and row["geo_precision"] == "admin2"
    assert _row(after, "s:1")["geocoder"] == "source"
    assert _row(after, "s:1")["latitude"] == 15.1

    # The correction wins from then on: for new incidents with the same place text ...
    with engine.begin() as conn:
        insert_incidents(conn, conform(pd.DataFrame([
            make_incident(incident_id="u:7", location="near Boni", **NA)])))
    report = geocode_missing(engine, read_incidents(engine), geocoder)
    assert report.resolved == 1
    row = _row(read_incidents(engine), "u:7")
    assert row["geocoder"] == "manual" and row["latitude"] == 15.01
    # ... and the place leaves the review queue.
    assert "near Boni" not in set(review_queue(read_incidents(engine), geocoder)["location"])


def test_manual_points_are_not_overwritten_by_automatic_runs(engine, geocoder):
    apply_correction(engine, geocoder, "Kati", "ML", 12.75, -8.1, "site")
    geocoder.forget_correction("Kati", "ML")  # even without the stored correction
    report = geocode_missing(engine, read_incidents(engine), geocoder)
    after = read_incidents(engine)
    assert _row(after, "u:1")["latitude"] == 12.75
    assert _row(after, "u:1")["geocoder"] == "manual"
    assert report.resolved == 1  # only "near Boni"


def test_correction_of_an_unresolved_place(engine, geocoder, frame):
    moved = apply_correction(engine, geocoder, "somewhere unnamed", "ML", 14.0, -4.0, "town")
    assert moved == 1
    assert geocoder.resolve("somewhere unnamed", "ML").geocoder == "manual"
    queue = review_queue(read_incidents(engine), geocoder)
    assert "somewhere unnamed" not in set(queue["location"])


def test_correction_in_another_country_moves_nothing_there(engine, geocoder):
    assert apply_correction(engine, geocoder, "Kati", "BF", 12.0, -1.0, "town") == 0
    assert pd.isna(_row(read_incidents(engine), "u:1")["latitude"])


@pytest.mark.parametrize("location, precision", [("", "town"), ("Kati", "village")])
def test_bad_correction_is_refused(engine, geocoder, location, precision):
    with pytest.raises(GeocodingError):
        apply_correction(engine, geocoder, location, "ML", 12.0, -8.0, precision)
