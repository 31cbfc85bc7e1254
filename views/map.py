"""Map page: where incidents happened, how sure we are of each place, and what happened."""

from __future__ import annotations

import numpy as np
import streamlit as st

from components import data, state
from components.context import current
from components.filters import data_span
from components.i18n import _, _n, formatter, language
from components.incident_card import render_incident
from components.map_view import incidents_here, map_view_state, position_of, render_map
from components.player import playback, render_player
from components.share_box import render_exports
from components.timeline_panel import render_timeline_panel
from components.url_sync import current_state
from incidents.i18n import format_date
from incidents.mapping import BASEMAPS, LAYER_MODES, MapView

ctx = current()
sel = ctx.selection  # a mask over all incidents: gather only what each part needs
latitude = sel.values(ctx.index.coordinates[0])

selected = st.session_state.get(state.SELECTED)
selected_row = position_of(sel, selected) if selected is not None else None
if selected_row is None:
    selected = None

# The map first (on a phone too), the player right under it; the map's settings and the
# details beside it on a wide screen, under it on a phone. No scroll box: the page scrolls.
reported = map_view_state()
center = (reported["lat"], reported["lon"]) if "lat" in reported else None
left, right = st.columns([5, 2], gap="medium")  # wide enough to frame the Sahel at zoom 5
with right:
    layer = st.segmented_control(
        _("Layer"), list(LAYER_MODES), format_func=formatter(LAYER_MODES, state.W_LAYER),
        default=None if state.W_LAYER in st.session_state else "clusters",
        key=state.W_LAYER, label_visibility="collapsed",
    ) or "clusters"
    basemap = st.selectbox(_("Basemap"), list(BASEMAPS),
                           format_func=formatter({k: v[0] for k, v in BASEMAPS.items()}, state.W_BASEMAP),
                           key=state.W_BASEMAP)
    with st.container(horizontal=True, gap="small"):  # wraps, never cuts a label
        fit = st.button(_("Zoom to results"), icon=":material/fit_screen:", key=state.W_FIT,
                        help=_("Frame the map on the incidents that match the filters."),
                        disabled=bool(np.isnan(latitude).all()))
        render_exports(lambda: sel.frame, current_state(ctx.filters), key=state.W_MAP_EXPORT,
                       rows=sel.count)
    unmapped = int(np.isnan(latitude).sum())
    if unmapped:
        st.caption(_n("{n} matching incident without coordinates is not on the map (see the "
                      "Incidents page).",
                      "{n} matching incidents without coordinates are not on the map (see the "
                      "Incidents page).", unmapped))
first, last = data_span(ctx.incidents)
with left:
    clicked = render_map(sel, MapView(center=center, zoom=reported.get("zoom"), basemap=basemap,
                                      layer=layer, selected=selected, lang=language()),
                         fit_results=fit, playback=playback(first, last))
    render_player(
        lambda windows: data.window_counts(ctx.index, ctx.data_version, ctx.policy, ctx.filters,
                                           windows),
        first, last, client_side=bool(st.session_state.get(state.MAP_TIME_CLIENT)))
if clicked and clicked != selected:
    st.session_state[state.SELECTED] = clicked
    st.rerun()

with right:
    if selected is None:
        st.markdown("##### " + _("Incident details"))
        st.info(_("Click a point on the map to read what is known about it: dates and their "
                  "precision, place and its precision, actor, target, fatalities, the claims "
                  "made and by whom, and the sources."))
    else:
        row = sel.df.iloc[selected_row]
        here = incidents_here(sel, row)
        if len(here) > 1:
            options = here["incident_id"].tolist()
            lang = language()  # bound now: a format_func may run outside this script run
            days = here.set_index("incident_id")["date_start"]
            pick = st.selectbox(
                _n("{n} incident at this point", "{n} incidents at this point", len(here)),
                options, index=options.index(selected),
                format_func=lambda i: f"{format_date(days.at[i], lang, 'medium')} · {i}",
            )
            if pick != selected:
                st.session_state[state.SELECTED] = pick
                st.rerun()
        render_incident(row, others_here=len(here) - 1)
        if st.button(_("Clear selection")):
            st.session_state.pop(state.SELECTED, None)
            st.rerun()

render_timeline_panel(
    lambda freq: data.timeline_bins(ctx.index, ctx.data_version, ctx.policy, ctx.filters, freq),
    first, last,
)
