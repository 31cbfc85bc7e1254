"""The usual Streamlit map app, for the browser benchmark: FastMarkerCluster in st_folium.

    INCIDENTS_DEMO_EVENTS=10000 streamlit run tests/bench/fast_marker_cluster_app.py

The same SYNTHETIC incidents as the app's demo mode (seed 0), loaded once per server; every
rerun builds the map and sends it, as such apps do. Streamlit serves ``static/`` from the
script's folder: ``tests/bench/static`` links the app's, where its vendored Leaflet is (the
browser benchmark cuts the network, so without it no map ever showed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st
from streamlit_folium import st_folium

from incidents.synthetic import synthetic_incidents
from tests.bench.fast_marker_cluster import fast_marker_cluster_map


@st.cache_resource
def incidents(n: int):
    return synthetic_incidents(n, seed=0)


n = int(os.environ.get("INCIDENTS_DEMO_EVENTS", "10000"))
st.title("FastMarkerCluster")
st_folium(fast_marker_cluster_map(incidents(n)), height=620, use_container_width=True,
          returned_objects=[])
