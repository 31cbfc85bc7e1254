import datetime as dt

import pandas as pd
import pytest

from incidents.filtering import Filters, apply_filters, filter_options


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
    import pandas as pd

    from incidents.timeline import bin_timeline

    df = small_frame.copy()
    df.loc[df["incident_id"] == "t:4", ["date_start", "date_end"]] = [
        pd.Timestamp("2022-02-15"), pd.Timestamp("2022-05-26")]
    january = Filters(start=dt.date(2022, 1, 1), end=dt.date(2022, 1, 31))
    assert ids(apply_filters(df, january)) == ["t:4"]
    bins = bin_timeline(df, "month")
    in_january = bins[bins["period"] == pd.Timestamp("2022-01-01")]
    assert in_january["incidents"].sum() > 0


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
