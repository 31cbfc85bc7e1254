"""AppTest: every page runs, filters drive the ``Incidents`` metric, details show literally."""

import datetime as dt

import pytest

import incidents
from components import state
from incidents.filtering import Filters, apply_filters
from incidents.mapping.elements import decode_points

PAGES = ["views/map.py", "views/incidents.py", "views/about.py"]


def metric(at, label="Incidents") -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


@pytest.fixture(scope="module")
def all_incidents(seeded_sqlite_url):
    return incidents.load_incidents(seeded_sqlite_url)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app_test, all_incidents, page):
    at = app_test().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert metric(at) == len(all_incidents)


def test_metric_follows_filters(app_test, all_incidents):
    at = app_test().run()
    at.multiselect(key=state.W_COUNTRY).set_value(["BF"]).run()
    at.multiselect(key=state.W_TYPE).set_value(["violence_against_civilians"]).run()
    at.number_input(key=state.W_MIN_FATALITIES).set_value(10).run()
    want = apply_filters(all_incidents, Filters(countries=("BF",),
                         event_types=("violence_against_civilians",), min_fatalities=10))
    assert not at.exception
    assert metric(at) == len(want) > 0


def test_date_and_text_filters(app_test, all_incidents):
    at = app_test().run()
    at.date_input(key=state.W_DATES).set_value((dt.date(2024, 9, 1), dt.date(2024, 9, 17))).run()
    assert metric(at) == 2
    at.text_input(key=state.W_TEXT).input("sénou").run()
    assert metric(at) == 1
    at.button(key=state.W_RESET).click().run()
    assert metric(at) == len(all_incidents)


def test_selecting_an_incident_shows_its_details_escaped(app_test):
    at = app_test()
    at.session_state[state.SELECTED] = "atlas:2024-09-17-bamako-faladie"
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Gendarmerie school, Faladié district, Bamako" in text
    # Markdown characters from the data are escaped, so they show as typed: the target
    # "… centre (gendarmerie school), Faladié" and the description's "5 a.m.".
    assert r"centre \(gendarmerie school\), Faladié" in text
    assert "(gendarmerie school)" not in text
    assert r"Around 5 a\.m\. on 17 September" in text
    assert "JNIM" in text
    assert "Eyewitnesses" in text
    assert "Fatalities:** unknown" in text  # no number is made up
    assert "Best estimate" not in [m.label for m in at.metric]


def test_about_page_lists_sources_and_dictionary(app_test):
    at = app_test().run()
    at.switch_page("views/about.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert "UCDP" in text and "CC BY 4.0" in text and "Medafrica" in text
    assert len(at.dataframe) + len(at.table) >= 4


def test_viewers_of_a_hosted_copy_get_the_public_view(app_test, monkeypatch):
    from components import auth
    from incidents.schema import GEO_PRECISIONS

    monkeypatch.setattr(auth, "_no_request", lambda: False)
    at = app_test()
    at.secrets["public"] = {"precision": "admin1", "hide": "sources,description"}
    at.secrets["auth"] = {"editor_password": "not-this-one"}
    at.session_state[state.SELECTED] = "atlas:2024-09-17-bamako-airport"
    at.run()
    assert not at.exception
    ctx = at.session_state[state.CONTEXT]
    seen = ctx.filtered
    finest = min(GEO_PRECISIONS.index(p) for p in seen["geo_precision"].dropna().astype(str))
    assert finest >= GEO_PRECISIONS.index("admin1")  # no point finer than a region
    assert seen["sources"].isna().all() and seen["description"].isna().all()
    airport = seen.set_index("incident_id").loc["atlas:2024-09-17-bamako-airport"]
    assert (airport["latitude"], airport["longitude"]) != (12.5335, -7.94994)
    shown = " ".join(i.value for i in at.info)
    assert "coarsen" in shown.lower() or "public" in shown.lower()


def test_synthetic_demo_data_is_marked_and_the_table_is_capped(app_test, monkeypatch):
    monkeypatch.setenv("INCIDENTS_DEMO_EVENTS", "12000")
    at = app_test().run()
    assert not at.exception
    assert any("SYNTHETIC" in w.value for w in at.warning)
    assert metric(at) == 12000
    at.switch_page("views/incidents.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 10_000
    assert any("10,000 most recent" in c.value for c in at.caption)


@pytest.fixture
def map_payloads(monkeypatch) -> list:
    """The map layer payloads the app builds, in order (what reaches the browser)."""
    import components.map_view as map_view

    sent: list = []
    original = map_view.build_incident_layer

    def spy(df, view, **kwargs):
        sent.append(kwargs["payload"].data)
        return original(df, view, **kwargs)

    monkeypatch.setattr(map_view, "build_incident_layer", spy)
    return sent


def test_the_map_never_serves_a_viewer_the_editors_cached_points(app_test, monkeypatch,
                                                                 map_payloads):
    """The layer payload cache is keyed on the public-view policy, not only on the filters."""
    from components import auth

    sent = map_payloads
    app_test().run()  # an editor (no password configured, no remote request) opens the map
    monkeypatch.setattr(auth, "_no_request", lambda: False)
    viewer = app_test()
    viewer.secrets["public"] = {"precision": "admin1"}
    viewer.secrets["auth"] = {"editor_password": "pw"}
    viewer.run()
    assert not viewer.exception
    payload = decode_points(sent[-1])
    points = zip(payload["lat"], payload["lon"], strict=True)
    assert not any(abs(a / 1e5 - 12.5335) < 1e-4 and abs(b / 1e5 + 7.94994) < 1e-4
                   for a, b in points)
    assert sent[-1] != sent[0]


def test_a_selected_incident_without_coordinates_shows_its_details(app_test, monkeypatch,
                                                                   tmp_path):
    import pandas as pd

    from incidents.db import get_engine
    from incidents.schema import conform
    from incidents.store import ensure_store, insert_incidents
    from tests.conftest import make_incident

    url = f"sqlite:///{tmp_path / 'unmapped.sqlite'}"
    engine = get_engine(url)
    ensure_store(engine)
    with engine.begin() as conn:
        insert_incidents(conn, conform(pd.DataFrame([make_incident(
            incident_id="u:1", latitude=pd.NA, longitude=pd.NA, geo_precision=pd.NA,
            geocoder="none", location="a hamlet no gazetteer knows")])))
    engine.dispose()
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", url)
    at = app_test()
    at.session_state[state.SELECTED] = "u:1"
    at.run()
    assert not at.exception
    assert "not mapped" in " ".join(c.value for c in at.caption)


def test_actor_filter_matches_either_side_and_the_link_says_which(app_test, all_incidents):
    at = app_test().run()
    at.multiselect(key=state.W_COUNTRY).set_value(["BF"]).run()
    at.multiselect(key=state.W_ACTOR).set_value(["JNIM"]).run()
    either = apply_filters(all_incidents, Filters(countries=("BF",), actors=("JNIM",)))
    as_actor = apply_filters(all_incidents, Filters(countries=("BF",), actors=("JNIM",),
                                                    actor_role="perpetrator"))
    assert metric(at) == len(either) > len(as_actor) > 0
    assert at.query_params["actor_role"] in ("either", ["either"])
    at.segmented_control(key=state.W_ACTOR_ROLE).set_value("perpetrator").run()
    assert metric(at) == len(as_actor)
    assert at.query_params["actor_role"] in ("perpetrator", ["perpetrator"])


def test_a_link_keeps_an_actor_whose_name_has_a_comma(app_test, all_incidents):
    at = app_test()
    at.query_params.update({"actor": '"GATIA, MSA"', "actor_role": "perpetrator"})
    at.run()
    assert not at.exception
    want = apply_filters(all_incidents, Filters(actors=("GATIA, MSA",), actor_role="perpetrator"))
    assert metric(at) == len(want) > 0
    assert at.multiselect(key=state.W_ACTOR).value == ["GATIA, MSA"]


def test_reset_filters_resets_every_widget(app_test, all_incidents):
    at = app_test().run()
    at.multiselect(key=state.W_COUNTRY).set_value(["ML"]).run()
    at.multiselect(key=state.W_ACTOR).set_value(["JNIM"]).run()
    at.segmented_control(key=state.W_ACTOR_ROLE).set_value("target").run()
    at.text_input(key=state.W_TEXT).input("Gao").run()
    at.number_input(key=state.W_MIN_FATALITIES).set_value(5).run()
    assert metric(at) < len(all_incidents)
    at.button(key=state.W_RESET).click().run()
    assert metric(at) == len(all_incidents)
    assert at.text_input(key=state.W_TEXT).value == ""
    assert at.multiselect(key=state.W_COUNTRY).value == []
    assert at.multiselect(key=state.W_ACTOR).value == []
    assert at.segmented_control(key=state.W_ACTOR_ROLE).value == "either"
    assert at.number_input(key=state.W_MIN_FATALITIES).value == 0
    at.switch_page("views/incidents.py").run()  # nothing comes back on the next page
    assert metric(at) == len(all_incidents)
    assert at.text_input(key=state.W_TEXT).value == ""


def test_incidents_table_shows_what_analysts_scan_first(app_test):
    at = app_test().run()
    at.switch_page("views/incidents.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns[:8]) == ["date_start", "location", "admin1", "country",
                                       "event_type", "fatalities_best", "actor", "target"]
    bamako = table[table["incident_id"].str.startswith("atlas:")]
    assert bamako["source_link"].isna().all()  # the founding reports give no address


def test_counts_read_as_people_write_them(app_test):
    from components.header import fatalities_text

    at = app_test().run()
    at.text_input(key=state.W_TEXT).input("atlas:2024-09-17-bamako-faladie").run()
    at.switch_page("views/incidents.py").run()
    assert any(m.value.startswith("#### 1 incident") and "incidents" not in m.value
               for m in at.markdown)
    at.text_input(key=state.W_TEXT).input("no such place anywhere").run()
    assert next(m for m in at.metric if m.label.startswith("Fatalities")).value == "0"
    import pandas as pd

    assert fatalities_text(pd.Series([None, None], dtype="Float64")) == ("unknown", None)
    assert fatalities_text(pd.Series([3, None], dtype="Float64")) == ("3", "1 unknown")


def test_about_tables_show_their_descriptions_whole(app_test):
    at = app_test().run()
    at.switch_page("views/about.py").run()
    assert not at.exception
    assert len(at.table) == 2  # wrapped text tables, not grids that cut long cells
    assert at.sidebar.multiselect == [] or len(at.sidebar.multiselect) == 0  # no filters here


# --- issue 11: a typed exact site never reaches a viewer -----------------------------------------

SECRET = (b"date,lieu,latitude,longitude,auteur,morts\n"
          b"2024-03-02,Exact secret site ALPHA-7,12.6393,-8.0028,JNIM,4\n")


@pytest.fixture
def store_with_a_secret_site(monkeypatch, seeded_sqlite_url, tmp_path):
    import shutil

    import sqlalchemy as sa

    from incidents.db import get_engine
    from incidents.importer import import_file

    path = tmp_path / "incidents.sqlite"
    shutil.copy(sa.engine.make_url(seeded_sqlite_url).database, path)
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    report = import_file(SECRET, engine, filename="secret.csv", geocoder=lambda q, c: None)
    engine.dispose()
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", url)
    return report.incident_ids[0]


def _readable(layer_data: str) -> str:
    """The map layer's data as text with its points in degrees (the payload packs them)."""
    import json

    payload = decode_points(layer_data)
    if isinstance(payload.get("lat"), list) and "n" in payload:
        payload["points"] = [f"{a / 1e5:.5f},{b / 1e5:.5f}"
                             for a, b in zip(payload["lat"], payload["lon"], strict=True)]
    return json.dumps(payload, ensure_ascii=False)


@pytest.mark.parametrize("level", ["town", "admin2", "admin1"])
def test_a_viewer_never_gets_a_typed_point_or_its_place_text(app_test, monkeypatch, level,
                                                               store_with_a_secret_site,
                                                               map_payloads):

    from components import auth
    from incidents.export import to_csv_bytes, to_geojson_bytes, to_standalone_html

    sent = map_payloads
    monkeypatch.setattr(auth, "_no_request", lambda: False)
    secret_id = store_with_a_secret_site
    at = app_test()
    at.secrets["public"] = {"precision": level}
    at.secrets["auth"] = {"editor_password": "pw"}
    at.query_params["incident"] = secret_id  # a shared link selecting it
    at.run()
    assert not at.exception, at.exception
    seen = at.session_state[state.CONTEXT].filtered
    row = seen.set_index("incident_id").loc[secret_id]
    assert (round(row["latitude"], 4), round(row["longitude"], 4)) != (12.6393, -8.0028)
    documents = {
        "csv": to_csv_bytes(seen).decode("utf-8-sig"),  # what the Export buttons are given
        "geojson": to_geojson_bytes(seen).decode(),
        "html": to_standalone_html(seen, None),
        "map": _readable(sent[-1]) if sent else "",
        "page": " ".join(str(e.value) for kind in (at.markdown, at.caption, at.code, at.info)
                         for e in kind),
    }
    for name, text in documents.items():
        assert "ALPHA" not in text and "12.6393" not in text and "-8.0028" not in text, name
    assert secret_id not in documents["page"] or "12.63" not in documents["page"]
    # the search box cannot probe the hidden place name
    at.text_input(key=state.W_TEXT).input("ALPHA-7").run()
    assert not at.exception, at.exception
    assert metric(at) == 0


def test_a_corrupt_database_is_named_in_the_message(app_test, monkeypatch, tmp_path):
    bad = tmp_path / "elsewhere" / "broken.sqlite"
    bad.parent.mkdir()
    bad.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", f"sqlite:///{bad}")
    at = app_test().run()
    message = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "elsewhere/broken.sqlite" in message and "data/incidents.sqlite" not in message
    assert "[SQL" not in message


def test_a_superscript_digit_in_a_link_does_not_crash_the_app(app_test, all_incidents):
    at = app_test()
    at.query_params["min_fatalities"] = "²"
    at.query_params["zoom"] = "١٢"
    at.run()
    assert not at.exception, at.exception
    assert metric(at) == len(all_incidents)
