"""URL state: round trips, and hostile parameters that never crash and say what was ignored."""

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.filtering import ACTOR_ROLES, Filters
from incidents.schema import EVENT_TYPE_CODES, GEO_PRECISIONS
from incidents.urlstate import (
    BASEMAP_KEYS,
    LAYERS,
    PARAMS,
    ViewState,
    encode_query,
    encode_query_string,
    parse_query,
    parse_query_string,
)

# Names as they come in data: any letters, commas and quotes included ("GATIA, MSA"), and
# always a few with a comma, so that every run tries one. Links must keep them whole.
_name_chars = st.characters(blacklist_categories=("Cc", "Cs"))
words = (st.text(alphabet=_name_chars, min_size=1, max_size=20)
         | st.builds(lambda a, b: f"{a}, {b}", st.text(_name_chars, min_size=1, max_size=8),
                     st.text(_name_chars, min_size=1, max_size=8))).map(str.strip).filter(bool)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))


@st.composite
def view_states(draw):
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start and end and start > end:
        start, end = end, start
    has_center = draw(st.booleans())
    return ViewState(
        filters=Filters(
            start=start, end=end,
            countries=tuple(draw(st.lists(st.sampled_from(["ML", "BF", "NE", "CI"]),
                                          unique=True, max_size=3))),
            admin1=tuple(draw(st.lists(words, unique=True, max_size=2))),
            actors=tuple(draw(st.lists(words, unique=True, max_size=2))),
            event_types=tuple(draw(st.lists(st.sampled_from(EVENT_TYPE_CODES), unique=True,
                                            max_size=3))),
            min_fatalities=draw(st.none() | st.integers(1, 10_000)),
            precisions=tuple(draw(st.lists(st.sampled_from(GEO_PRECISIONS), unique=True,
                                           max_size=2))),
            text=draw(st.text(alphabet=string.printable.strip(), max_size=30)).strip(),
            actor_role=draw(st.sampled_from(list(ACTOR_ROLES))),
        ),
        lat=round(draw(st.floats(-89, 89)), 5) if has_center else None,
        lon=round(draw(st.floats(-179, 179)), 5) if has_center else None,
        zoom=draw(st.none() | st.integers(1, 18)),
        incident=draw(st.none() | st.from_regex(r"[a-z]{2,6}:[0-9A-Za-z_\-]{1,12}",
                                                fullmatch=True)),
        layer=draw(st.sampled_from(LAYERS)),
        basemap=draw(st.sampled_from(BASEMAP_KEYS)),
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(view_states())
def test_round_trip_through_the_query_string(view):
    parsed = parse_query_string(encode_query_string(view))
    assert parsed.notices == ()
    assert parsed.state == view


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(PARAMS) | st.text(max_size=10),
                       st.text(max_size=400) | st.lists(st.text(max_size=30), max_size=5)))
def test_any_parameters_parse_without_raising(params):
    result = parse_query(params)
    assert isinstance(result.state, ViewState)
    f = result.state.filters
    assert not (f.start and f.end and f.start > f.end)
    assert set(f.event_types) <= set(EVENT_TYPE_CODES)
    assert result.state.layer in LAYERS and result.state.basemap in BASEMAP_KEYS
    assert all(len(n) < 600 for n in result.notices)


def test_hostile_parameters_are_ignored_with_notices_and_the_rest_applies():
    query = ("start=2024-13-45&end=2024-09-17&country=ML,<script>,xx&type=attack,evil"
             "&lat=abc&lon=-8&zoom=99&incident=<img src=x onerror=alert(1)>"
             "&layer=javascript:alert(1)&min_fatalities=1e9&q=" + "a" * 301
             + "&basemap=satellite&utm_source=newsletter")
    result = parse_query_string(query, countries=lambda c: c in {"ML", "BF", "NE"})
    state = result.state
    assert state.filters.end == dt.date(2024, 9, 17)
    assert state.filters.start is None
    assert state.filters.countries == ("ML",)
    assert state.filters.event_types == ("attack",)
    assert state.basemap == "satellite"
    assert (state.lat, state.lon, state.zoom, state.incident) == (None, None, None, None)
    assert state.layer == "clusters"
    text = " ".join(result.notices)
    for key in ("start", "country", "type", "lat", "zoom", "incident", "layer",
                "min_fatalities", "q"):
        assert f"'{key}'" in text, key
    assert "utm_source" not in text  # other tools' parameters are none of our business


def test_reversed_dates_are_refused_together():
    result = parse_query_string("start=2024-09-17&end=2024-01-01")
    assert result.state.filters.start is None and result.state.filters.end is None
    assert "after" in result.notices[0]


def test_defaults_are_left_out_of_links():
    first, last = dt.date(1989, 1, 1), dt.date(2024, 9, 17)
    default = ViewState(filters=Filters(start=first, end=last))
    assert encode_query(default, default=default) == {}
    view = ViewState(filters=Filters(start=dt.date(2024, 9, 1), end=last, countries=("ML",)))
    assert encode_query(view, default=default) == {"start": "2024-09-01", "country": "ML"}


def test_link_parameter_names_are_the_published_ones():
    """Shared links depend on these names: written out here, not read from the code."""
    assert set(PARAMS) == {"start", "end", "country", "admin1", "actor", "type",
                           "min_fatalities", "precision", "q", "lat", "lon", "zoom", "incident",
                           "layer", "basemap", "actor_role", "lang"}
    assert len(PARAMS) == len(set(PARAMS))


def test_names_with_commas_round_trip_and_old_links_still_split():
    view = ViewState(filters=Filters(actors=("GATIA, MSA", "JNIM"), actor_role="target"))
    query = encode_query_string(view)
    assert "actor_role=target" in query
    assert parse_query_string(query).state == view
    old = parse_query_string("actor=JNIM,IS&country=ML,BF").state.filters
    assert old.actors == ("JNIM", "IS") and old.countries == ("ML", "BF")
    assert old.actor_role == "either"  # a link without a role matches either side
    repeated = parse_query({"actor": ['"GATIA, MSA"', "JNIM"]}).state.filters
    assert repeated.actors == ("GATIA, MSA", "JNIM")


def test_an_unknown_actor_role_is_ignored_with_a_notice():
    result = parse_query_string("actor=JNIM&actor_role=victim")
    assert result.state.filters.actor_role == "either"
    assert "'actor_role' ignored" in result.notices[0]


@pytest.mark.parametrize("value", ["²", "١٢", "１２", "1_000", "nan", "inf", "1e3", "0x10",
                                   "٣", "𝟓", "1.5e1"])
def test_numbers_in_links_are_ascii_digits_only(value):
    """``str.isdigit`` takes "²", ``int`` does not: one strict parser for every number."""
    result = parse_query({"min_fatalities": value, "zoom": value, "lat": value, "lon": value})
    f = result.state.filters
    assert f.min_fatalities is None and result.state.zoom is None
    assert result.state.lat is None and "min_fatalities" not in result.applied
    assert any("min_fatalities" in n for n in result.notices)


def test_export_query_with_a_superscript_digit_does_not_crash(seeded_sqlite_url, tmp_path,
                                                              capsys):
    from incidents import cli

    out = tmp_path / "x.csv"
    code = cli.main(["--database-url", seeded_sqlite_url, "export", "--format", "csv",
                     "--query", "min_fatalities=²&zoom=١٢", "--out", str(out)])
    assert code == 0 and out.exists()
    assert "min_fatalities" in capsys.readouterr().err
