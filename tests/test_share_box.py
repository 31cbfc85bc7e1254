"""The Export popover offers CSV, GeoJSON and HTML of exactly the frame it is given."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from incidents.urlstate import parse_query_string
from components.share_box import render_exports
df = st.session_state["frame"]
render_exports(df, parse_query_string("start=2024-01-01&basemap=osm").state)
"""


@pytest.fixture(autouse=True)
def no_public_env(monkeypatch):
    monkeypatch.delenv("INCIDENTS_PUBLIC_PRECISION", raising=False)
    monkeypatch.delenv("INCIDENTS_PUBLIC_HIDE", raising=False)


def test_downloads_are_built_from_the_given_frame(small_frame, monkeypatch):
    shown = small_frame[small_frame["country"] == "ML"]
    offered = {}
    real = streamlit.download_button

    def record(label, data, file_name=None, mime=None, **kwargs):
        offered[file_name.rsplit(".", 1)[1]] = (data, mime, kwargs)
        return real(label, data, file_name=file_name, mime=mime, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", record)
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.session_state["frame"] = shown
    at.run()
    assert not at.exception
    assert f"**{len(shown)} incidents**" in at.markdown[0].value
    assert set(offered) == {"csv", "geojson", "html"}
    for data, _mime, kwargs in offered.values():
        assert callable(data)  # built on click only
        assert kwargs["on_click"] == "ignore"
    csv = pd.read_csv(io.BytesIO(offered["csv"][0]()), encoding="utf-8-sig")
    assert sorted(csv["incident_id"]) == sorted(shown["incident_id"])
    features = json.loads(offered["geojson"][0]())["features"]
    assert sorted(f["id"] for f in features) == sorted(shown["incident_id"])
    page = offered["html"][0]().decode()
    assert "L.timeline(" in page and "tile.openstreetmap.org" in page
    assert offered["geojson"][1] == "application/geo+json"
    assert "internet" in " ".join(c.value for c in at.caption)  # the CDN note


def test_the_public_view_is_named_in_the_popover(small_frame, monkeypatch):
    from components import auth

    monkeypatch.setattr(auth, "_no_request", lambda: False)  # a visitor of a hosted copy
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.session_state["frame"] = small_frame
    at.secrets["public"] = {"precision": "admin1"}
    at.run()
    assert any("Public view" in c.value for c in at.caption)


def test_an_empty_frame_disables_the_downloads(small_frame):
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.session_state["frame"] = small_frame.iloc[0:0]
    at.run()
    assert all(b.proto.disabled for b in at.get("download_button"))
