"""Streamlit pieces of the Intake page: reading reports into drafts, the review card of each
draft (highlighted text, small map with candidates and click-to-correct, claims table) and
saving the reviewed drafts."""

from __future__ import annotations

import datetime as dt
import html

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components.text import literal
from incidents.extraction import Claim, Draft, KnownSites, Report, extract, read_report_file
from incidents.extraction.merge import find_in_store, merge_drafts
from incidents.mapping import BASEMAPS, use_assets
from incidents.mapping.offline import add_offline_context
from incidents.schema import EVENT_TYPE_BY_CODE, EVENT_TYPE_CODES, GEO_PRECISIONS
from incidents.urlstate import parse_number

__all__ = ["DRAFTS", "REPORTS", "W_TEXT", "read_reports", "render_draft", "updated_draft"]

# Session-state and widget keys of the Intake page.
W_TEXT = "intake_text"
W_FILES = "intake_files"
W_PUBLISHED = "intake_published"
W_COUNTRY = "intake_country"
W_TITLE = "intake_title"
W_PUBLISHER = "intake_publisher"
W_URL = "intake_url"
W_READ = "intake_read"
W_SAVE = "intake_save"
DRAFTS = "intake_drafts"  # list[Draft] under review
REPORTS = "intake_reports"  # list[(name, text)] the drafts were read from
FLASH = "intake_flash"
MAP = "intake_map_"  # + draft number
LAST_CLICK = "intake_last_click_"  # + draft number
W_KEEP, W_SEPARATE = "intake_keep_", "intake_separate_"
W_DATE, W_LOCATION, W_ACTOR, W_TARGET = ("intake_date_", "intake_location_", "intake_actor_",
                                         "intake_target_")
W_TYPE, W_FATAL, W_PRECISION, W_CLAIMS = ("intake_type_", "intake_fatal_", "intake_precision_",
                                          "intake_claims_")

_COLOURS = {"date": "#fde68a", "place": "#bfdbfe", "actor": "#fecaca", "event": "#e9d5ff",
            "fatalities": "#bbf7d0"}


def read_reports(sources: list[tuple[str, str, str | None]], published: dt.date,
                 country: str | None, meta: dict, geocoder, store: pd.DataFrame
                 ) -> list[Draft]:
    """Return the merged drafts of several reports, each matched against the store."""
    actors = store["actor"].dropna().unique() if store is not None and len(store) else ()
    sites = KnownSites.from_frame(store)
    drafts: list[Draft] = []
    for n, (_name, text, title) in enumerate(sources):
        report = Report(text, published, title=meta.get("title") or title,
                        publisher=meta.get("publisher") or None, url=meta.get("url") or None,
                        country=country)
        drafts += extract(report, geocoder, known_actors=actors, known_sites=sites,
                          report_no=n)
    merged = merge_drafts(drafts)
    return [d.replace(merged_into=find_in_store(d, store)) for d in merged]


def decode_upload(upload) -> tuple[str, str, str | None]:
    """Return (name, text, title) of an uploaded report; raise ``DataError``."""
    text, title = read_report_file(upload.getvalue(), upload.name)
    return upload.name, text, title


def highlighted(text: str, draft: Draft) -> str:
    """Return the report text as HTML, escaped, with the draft's spans marked by kind."""
    spans = sorted((s for s in draft.spans if 0 <= s.start < s.end <= len(text)),
                   key=lambda s: (s.start, -s.end))
    out, pos = [], 0
    for s in spans:
        if s.start < pos:
            continue  # an overlapping span: the first one wins
        out.append(html.escape(text[pos:s.start]))
        colour = _COLOURS.get(s.kind, "#e5e7eb")
        out.append(f'<mark title="{html.escape(s.kind)}" style="background:{colour};'
                   f'padding:0 2px;border-radius:3px">{html.escape(text[s.start:s.end])}</mark>')
        pos = s.end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n", "<br>")
    legend = " ".join(f'<mark style="background:{c};padding:0 4px">{k}</mark>'
                      for k, c in _COLOURS.items())
    return (f'<div style="font-size:0.85rem;line-height:1.5;max-height:260px;overflow:auto;'
            f'border:1px solid #ddd;padding:8px;border-radius:6px">{body}</div>'
            f'<div style="font-size:0.75rem;margin-top:4px">{legend}</div>')


def draft_map(draft: Draft) -> folium.Map:
    """Return a small map of the draft's point (red) and the geocoder's candidates (blue)."""
    if draft.latitude is not None:
        center, zoom = (draft.latitude, draft.longitude), 12
    elif draft.candidates:
        center, zoom = (draft.candidates[0].latitude, draft.candidates[0].longitude), 9
    else:
        center, zoom = (15.0, -2.0), 5
    label, provider = BASEMAPS["osm"]
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True)
    folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution, name=label,
                     max_zoom=18).add_to(m)
    add_offline_context(m)  # outlines and town labels: placing by click works offline
    for i, c in enumerate(draft.candidates[:8], 1):
        folium.CircleMarker((c.latitude, c.longitude), radius=6, color="#1565c0", fill=True,
                            tooltip=html.escape(f"{i}. {c.name} ({c.geo_precision})")).add_to(m)
    if draft.latitude is not None:
        # A red disc, not folium.Icon: that needs Font Awesome and awesome-markers from CDNs.
        folium.CircleMarker((draft.latitude, draft.longitude), radius=9, color="#c62828",
                            weight=3, fill=True, fill_opacity=0.6,
                            tooltip=html.escape(f"{draft.location} ({draft.geo_precision})"),
                            ).add_to(m)
    return use_assets(m)


def _int_or_none(text: str) -> int | None:
    text = (text or "").strip()
    value = parse_number(text, 0, 10_000_000, whole=True)  # ASCII digits only: not "²"
    return None if value is None else int(value)


def updated_draft(i: int, draft: Draft) -> Draft:
    """Return the draft with the editor's corrections from the card's widgets."""
    ss = st.session_state
    changes: dict = {}
    date = ss.get(W_DATE + str(i))
    if isinstance(date, tuple) and date:
        start, end = date[0], date[-1]
        if (start, end) != (draft.date_start, draft.date_end):
            changes.update(date_start=start, date_end=end,
                           date_precision="day" if start == end else (
                               "week" if (end - start).days <= 7 else "month"))
    for key, field in ((W_LOCATION, "location"), (W_ACTOR, "actor"), (W_TARGET, "target")):
        value = ss.get(key + str(i))
        if value is not None:
            changes[field] = value.strip() or None
    if ss.get(W_TYPE + str(i)):
        changes["event_type"] = ss[W_TYPE + str(i)]
    fatal = ss.get(W_FATAL + str(i))
    if fatal is not None:
        best = _int_or_none(fatal)
        changes.update(fatalities_low=best, fatalities_best=best, fatalities_high=best)
    claims = ss.get(W_CLAIMS + str(i) + "_df")
    if isinstance(claims, pd.DataFrame):
        changes["claims"] = tuple(
            Claim(str(r.claimant), str(r.claim), str(r.source))
            for r in claims.itertuples(index=False)
            if isinstance(r.claimant, str) and isinstance(r.claim, str) and r.claim.strip())
    if ss.get(W_SEPARATE + str(i)):
        changes["merged_into"] = None
    return draft.replace(**changes) if changes else draft


def _click(i: int, draft: Draft) -> Draft:
    """Move the draft's point where the editor clicked on its map (once per click)."""
    clicked = (st.session_state.get(MAP + str(i)) or {}).get("last_clicked")
    if clicked and clicked != st.session_state.get(LAST_CLICK + str(i)):
        st.session_state[LAST_CLICK + str(i)] = clicked
        precision = st.session_state.get(W_PRECISION + str(i)) or "site"
        return draft.replace(latitude=round(float(clicked["lat"]), 6),
                             longitude=round(float(clicked["lng"]), 6),
                             geo_precision=precision, geocoder="manual",
                             notes=(*draft.notes, "point placed by hand on the map"))
    return draft


def render_draft(i: int, draft: Draft, reports: list[tuple[str, str, str | None]]) -> Draft:
    """Draw the review card of one draft; return it with the clicks on its map applied."""
    draft = _click(i, draft)
    with st.container(border=True):
        when = draft.date_start.isoformat() if draft.date_start else "undated"
        st.markdown(f"**Draft {i + 1}** · {literal(when)} · {literal(draft.location or '?')}")
        if draft.merged_into:
            st.info(f"Same attack as the stored incident {literal(draft.merged_into)}: saving "
                    "adds this report's sources and claims to it.", icon=":material/merge:")
            st.checkbox("Save as a separate incident instead", key=W_SEPARATE + str(i))
        left, right = st.columns([3, 2])
        with left:
            if draft.date_start:
                st.date_input("Date", value=(draft.date_start, draft.date_end or draft.date_start),
                              key=W_DATE + str(i))
            st.text_input("Place", value=draft.location or "", key=W_LOCATION + str(i))
            a, b = st.columns(2)
            a.text_input("Actor", value=draft.actor or "", key=W_ACTOR + str(i))
            b.text_input("Target", value=draft.target or "", key=W_TARGET + str(i))
            a, b = st.columns(2)
            a.selectbox("Event type", EVENT_TYPE_CODES,
                        index=EVENT_TYPE_CODES.index(draft.event_type),
                        format_func=lambda c: EVENT_TYPE_BY_CODE[c].label, key=W_TYPE + str(i))
            b.text_input("Deaths (empty: unknown)",
                         value="" if draft.fatalities_best is None else str(draft.fatalities_best),
                         key=W_FATAL + str(i),
                         help="A number only where a source states one; the claims keep "
                         "what each party said.")
            text = reports[draft.report][1] if draft.report < len(reports) else ""
            st.html(highlighted(text, draft))
        with right:
            point = (f"{draft.latitude:.4f}, {draft.longitude:.4f} · {draft.geo_precision} · "
                     f"{draft.geocoder}" if draft.latitude is not None else "not placed")
            st.caption(f"Point: {literal(point)}. Click the map to move it.")
            st.selectbox("Precision of a clicked point", GEO_PRECISIONS, index=0,
                         key=W_PRECISION + str(i))
            st_folium(draft_map(draft), key=MAP + str(i), height=300,
                      use_container_width=True, returned_objects=["last_clicked"])
            for note in draft.notes:
                st.caption(literal(note))
        claims = pd.DataFrame([c.to_dict() for c in draft.claims],
                              columns=["claimant", "claim", "source"])
        edited = st.data_editor(claims, num_rows="dynamic", hide_index=True,
                                key=W_CLAIMS + str(i), use_container_width=True,
                                column_config={"claim": st.column_config.TextColumn(width="large")})
        st.session_state[W_CLAIMS + str(i) + "_df"] = edited
        sources = "; ".join(", ".join(str(v) for v in s.to_dict().values()) for s in draft.sources)
        st.caption(f"Sources: {literal(sources)}")
        st.checkbox("Save this draft", value=True, key=W_KEEP + str(i))
    return draft
