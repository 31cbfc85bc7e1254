"""About page: sources and attribution, the data dictionary, how precision is shown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.context import current
from incidents.schema import (
    COLUMN_DOCS,
    DTYPES,
    EVENT_TYPES,
    GEO_PRECISION_RADIUS_KM,
    GEO_PRECISIONS,
)

ctx = current()

st.markdown("### About Incident Atlas")
st.markdown(
    "Incident Atlas maps attacks and armed incidents for security analysts at NGOs, journalists "
    "and researchers. It shows where incidents happened and **how sure we are of each place and "
    "date**, lets you scrub through time, and keeps contested casualty figures **attributed to "
    "whoever claimed them**."
)

st.markdown("#### Data and attribution")
counts = ctx.incidents.groupby("dataset", observed=True).size().rename("incidents")
st.dataframe(counts.reset_index(), hide_index=True)
st.markdown(
    "- **UCDP Georeferenced Event Dataset (GED) 24.1**, Uppsala Conflict Data Program, "
    "CC BY 4.0: events in Mali, Burkina Faso and Niger, 1989–2023. Cite Sundberg & Melander "
    "(2013), *Journal of Peace Research* 50(4), and Davies, Engström, Pettersson & Öberg (2024), "
    "*JPR* 61(4). UCDP places events in Bamako at the city centroid.\n"
    "- **Founding reports** of the 17 September 2024 JNIM attacks in Bamako, from which the team "
    "wrote two incidents: Agenzia Fides (republished by allAfrica), 18 September 2024, *Mali: "
    "Terrorist Attacks in Bamako – a Signal to the Military Juntas of Niger and Burkina?*; "
    "Medafrica Times (Geraldine Boechat), September 2024, *Mali: Large-scale Jnim jihadist "
    "symbolic attacks in Bamako*. No source gives a casualty number, so fatalities stay "
    "unknown and each party's claim is kept, attributed.\n"
    "- **GeoNames** (CC BY 4.0, geonames.org) for places; **OurAirports** (public domain) for "
    "airports; country names from GeoNames.\n"
    "- Basemaps: © OpenStreetMap contributors; Esri. Tiles load only when online; offline, the "
    "map shows Natural Earth outlines (public domain) and GeoNames places instead.\n"
    "- Map libraries, shipped with the app: Leaflet and Leaflet.heat (BSD-2-Clause), "
    "Leaflet.markercluster and Leaflet.timeline (MIT).\n"
    "- **ACLED** and **GTD** data may not be redistributed under their terms: a public dashboard "
    "must not publish them raw."
)

st.markdown("#### How precision is shown")
st.markdown(
    "Each point says what it stands for. Exact sites and neighbourhoods are solid dots; town-"
    "precise points are faded; points that stand for a district, region or whole country are "
    "dashed rings. Hover or select a point to see its radius of uncertainty. Dates known only "
    "to a week, month or year, or to a range, are labelled so and are spread over their whole "
    "range in the timeline instead of being pinned to their first day."
)
st.dataframe(
    pd.DataFrame({
        "precision": list(GEO_PRECISIONS),
        "radius drawn (km)": [GEO_PRECISION_RADIUS_KM[p] for p in GEO_PRECISIONS],
    }),
    hide_index=True,
)

st.markdown("#### Event types")
# Tables whose text is read, not sorted: st.table wraps long descriptions instead of cutting.
st.table(
    pd.DataFrame([{"code": t.code, "label": t.label, "what it covers": t.description}
                  for t in EVENT_TYPES]).set_index("code"),
)

st.markdown("#### Data dictionary")
st.table(
    pd.DataFrame([{"column": c, "type": DTYPES[c], "meaning": COLUMN_DOCS[c]}
                  for c in DTYPES]).set_index("column"),
)
