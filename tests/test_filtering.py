import datetime as dt

import numpy as np
import pandas as pd
import pytest

from incidents.filtering import (
    FilterIndex,
    Filters,
    apply_filters,
    filter_options,
    newest_rows,
    timeline_bins,
)
from incidents.synthetic import synthetic_incidents
from incidents.timeline import bin_timeline


def ids(df):
    return sorted(df["incident_id"])


def test_no_filters_keep_everything(small_frame):
    assert len(apply_filters(small_frame, Filters())) == len(small_frame)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(countries=("BF", "NE")), ["t:3", "t:4"]),
        (Filters(actors=("IS Sahel",)), ["t:2"]),
        (Filters(event_types=("explosion",)), ["t:4"]),
        (Filters(precisions=("site",)), ["t:6"]),
        (Filters(admin1=("Tillabéri",)), ["t:4"]),
        (Filters(min_fatalities=5), ["t:1", "t:3", "t:6"]),  # unknown fatalities left out
        (Filters(text="AIRPORT"), ["t:6"]),
        (Filters(text="<script>"), ["t:5"]),  # literal, not a regex
        (Filters(text="(unbalanced["), []),
    ],
)
def test_each_filter(small_frame, filters, expected):
    assert ids(apply_filters(small_frame, filters)) == expected


def test_window_overlaps_imprecise_dates(small_frame):
    # t:3 is known only to March 2023; t:4 only to 2022.
    mid_march = Filters(start=dt.date(2023, 3, 15), end=dt.date(2023, 3, 15))
    assert ids(apply_filters(small_frame, mid_march)) == ["t:3"]
    june_2022 = Filters(start=dt.date(2022, 6, 1), end=dt.date(2022, 6, 30))
    assert ids(apply_filters(small_frame, june_2022)) == ["t:4"]
    day = Filters(start=dt.date(2024, 9, 17), end=dt.date(2024, 9, 17))
    assert ids(apply_filters(small_frame, day)) == ["t:1", "t:5", "t:6"]
    assert len(apply_filters(small_frame, day, skip_window=True)) == len(small_frame)


def test_filters_do_not_mutate_and_are_hashable(small_frame):
    before = small_frame.copy()
    f = Filters(countries=("ML",), text="x")
    apply_filters(small_frame, f)
    assert small_frame.equals(before)
    assert hash(f) == hash(Filters(countries=("ML",), text="x"))
    assert f.with_window(dt.date(2020, 1, 1), None).countries == ("ML",)


def test_filter_options(small_frame):
    options = filter_options(small_frame)
    assert options["country"] == ["BF", "ML", "NE"]
    assert "JNIM" in options["actor"]


def test_the_window_counts_the_same_days_the_timeline_shows(small_frame):
    """A year-dated incident stored mid-year is in the window anywhere in that year, as the
    timeline draws it; the metric, map and table then agree with the chart."""

    df = small_frame.copy()
    df.loc[df["incident_id"] == "t:4", ["date_start", "date_end"]] = [
        pd.Timestamp("2022-02-15"), pd.Timestamp("2022-05-26")]
    january = Filters(start=dt.date(2022, 1, 1), end=dt.date(2022, 1, 31))
    assert ids(apply_filters(df, january)) == ["t:4"]
    bins = bin_timeline(df, "month")
    in_january = bins[bins["period"] == pd.Timestamp("2022-01-01")]
    assert in_january["incidents"].sum() > 0


# -- the per-dataset index and its selections ---------------------------------------------



def test_search_ignores_accents_and_case(small_frame):
    assert ids(apply_filters(small_frame, Filters(text="FALADIE"))) == ids(
        apply_filters(small_frame, Filters(text="Faladié")))
    assert ids(apply_filters(small_frame, Filters(text="faladie")))  # "Faladié, Bamako"


@pytest.fixture(scope="module")
def synthetic():
    df = synthetic_incidents(3_000, seed=3)
    df.loc[df.index[::50], "date_start"] = pd.NaT  # undated: in no window
    df.loc[df.index[::70], "actor"] = pd.NA
    return df


SELECTIONS = [
    Filters(),
    Filters(start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31)),
    Filters(countries=("BF", "NE"), event_types=("battle",)),
    Filters(admin1=("Sahel",), min_fatalities=3),
    Filters(actors=("Armed group B",), precisions=("town", "site")),
    Filters(actors=("Civilians", "Armed group B"), actor_role="target"),
    Filters(actors=("Armed group B",), actor_role="perpetrator"),
    Filters(text="djibo", start=dt.date(2020, 6, 1), end=dt.date(2020, 6, 1)),
    Filters(text="SYNTHETIC:12"),
    Filters(countries=("XX",)),
]


def _old_mask(df, f):
    """The first version's filter, one pandas expression per filter: the reference."""
    from incidents.timeline import effective_range

    mask = pd.Series(True, index=df.index)
    if f.start or f.end:
        first, last = effective_range(df)
        if f.start:
            mask &= (last >= pd.Timestamp(f.start)).fillna(False).astype(bool)
        if f.end:
            mask &= (first <= pd.Timestamp(f.end)).fillna(False).astype(bool)
    for column, wanted in (("country", f.countries), ("admin1", f.admin1),
                           ("event_type", f.event_types), ("geo_precision", f.precisions)):
        if wanted:
            mask &= df[column].isin(wanted).fillna(False).astype(bool)
    if f.actors:
        columns = {"perpetrator": ("actor",), "target": ("target",)}.get(
            f.actor_role, ("actor", "target"))
        hit = pd.Series(False, index=df.index)
        for column in columns:
            hit |= df[column].isin(f.actors).fillna(False).astype(bool)
        mask &= hit
    if f.min_fatalities:
        mask &= (df["fatalities_best"] >= f.min_fatalities).fillna(False).astype(bool)
    if f.text:
        hit = pd.Series(False, index=df.index)
        for c in ("location", "actor", "target", "description", "admin1", "admin2",
                  "incident_id"):
            hit |= df[c].str.contains(f.text, case=False, regex=False).fillna(False)
        mask &= hit
    return mask.to_numpy()


@pytest.mark.parametrize("filters", SELECTIONS)
def test_the_index_selects_what_the_plain_filter_selects(synthetic, filters):
    index = FilterIndex(synthetic).warm()
    selection = index.select(filters)
    assert np.array_equal(selection.mask, _old_mask(synthetic, filters))
    assert selection.count == int(selection.mask.sum())
    assert selection.frame.equals(synthetic[selection.mask])
    bins = timeline_bins(index.select(filters.with_window(None, None)), "month")
    want = bin_timeline(apply_filters(synthetic, filters, skip_window=True), "month")
    pd.testing.assert_frame_equal(bins.reset_index(drop=True), want.reset_index(drop=True),
                                  check_dtype=False)


def test_option_lists_come_from_the_index(synthetic):
    index = FilterIndex(synthetic)
    assert index.options["country"] == sorted(synthetic["country"].dropna().unique().astype(str))
    sahel = synthetic[synthetic["country"] == "BF"]["admin1"].dropna().unique()
    assert index.admin1_options(("BF",)) == sorted(sahel)


@pytest.mark.parametrize("limit", [1, 10, 1_000, 10_000])
def test_newest_rows_match_a_stable_sort(synthetic, limit):
    selection = FilterIndex(synthetic).select(Filters(countries=("ML", "BF")))
    got = selection.take(["incident_id"], newest_rows(selection, limit))["incident_id"]
    want = synthetic[selection.mask].sort_values("date_start", ascending=False, kind="stable")
    assert got.tolist() == want["incident_id"].head(limit).tolist()


def test_selecting_everything_copies_nothing(synthetic):
    selection = FilterIndex(synthetic).select(Filters())
    assert selection.everything and selection.frame is synthetic
def test_actor_matches_either_side_by_default_or_the_role_asked_for():
    df = pd.DataFrame({
        "actor": ["JNIM", "Government of Mali", "IS", None],
        "target": ["Civilians", "JNIM", "JNIM", "JNIM"],
    })
    df = df.assign(**{c: pd.NA for c in ("country", "admin1", "event_type", "geo_precision",
                                          "location", "description", "admin2", "incident_id")})
    df = df.astype("string").assign(fatalities_best=1)
    either = apply_filters(df, Filters(actors=("JNIM",)))
    assert len(either) == 4
    assert len(apply_filters(df, Filters(actors=("JNIM",), actor_role="perpetrator"))) == 1
    assert len(apply_filters(df, Filters(actors=("JNIM",), actor_role="target"))) == 3
    assert "Civilians" in filter_options(df)["actor"]  # a group seen only as a target is offered
