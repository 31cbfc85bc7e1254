"""The benchmark's upper bound on placing ACLED-style notes (``--ceiling``) counts what the
offline sources could place, independent of the extractor; checked on invented notes."""

from __future__ import annotations

import pandas as pd
import pytest

from incidents.geocoding import Geocoder
from tests.bench.extraction import ceiling


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder()


def _frame(rows):
    return pd.DataFrame(rows, columns=["notes", "latitude", "longitude", "iso3"])


def test_ceiling_sorts_notes_by_what_could_place_them(geocoder):
    frame = _frame([
        # a known town named, the point at it
        ("Gunmen attacked a checkpoint in Mopti.", "14.49", "-4.19", "MLI"),
        # the same point, a misspelt name
        ("Gunmen attacked a checkpoint in Moptti.", "14.49", "-4.19", "MLI"),
        # nothing named, the point at the capital (a national event)
        ("Teachers went on strike.", "12.3657", "-1.5339", "BFA"),
        # a distance from a place
        ("An ambush 40 km from a village left two dead.", "16.0", "-1.0", "MLI"),
        # nothing named, the point in the desert
        ("Two soldiers were killed in an ambush.", "20.0", "-1.0", "MLI"),
        # a town named, but the point 200 km from it
        ("Gunmen attacked a checkpoint in Mopti.", "16.2", "-3.0", "MLI"),
    ])
    assert ceiling(frame, geocoder) == {"name": 1, "capital": 1, "spelling": 1, "distance": 1,
                                        "none": 2}
