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

from components import state
from components.filters import EVENT_TYPE_LABELS, PRECISION_LABELS, precision_label
from components.i18n import N_, _, date, formatter, language
from components.text import literal
from incidents.extraction import (
    Claim,
    Draft,
    KnownSites,
    Report,
    dateline_date,
    extract,
    read_report_file,
)
from incidents.extraction.merge import find_in_store, merge_drafts
from incidents.mapping import BASEMAPS, OFFLINE_MESSAGE, use_assets
from incidents.mapping.offline import add_offline_context
from incidents.notes import translate_note
from incidents.schema import EVENT_TYPE_CODES, GEO_PRECISIONS
from incidents.urlstate import parse_number

__all__ = ["DRAFTS", "REPORTS", "W_TEXT", "decode_upload", "forget_draft_widgets", "read_reports",
           "render_draft", "updated_draft"]

# Session-state and widget keys of the Intake page (defined in components/state.py).
W_FORM = state.W_INTAKE_FORM
W_TEXT = state.W_INTAKE_TEXT
W_FILES = state.W_INTAKE_FILES
W_PUBLISHED = state.W_INTAKE_PUBLISHED
W_COUNTRY = state.W_INTAKE_COUNTRY
W_TITLE = state.W_INTAKE_TITLE
W_PUBLISHER = state.W_INTAKE_PUBLISHER
W_URL = state.W_INTAKE_URL
W_SAVE = state.W_INTAKE_SAVE
DRAFTS = state.INTAKE_DRAFTS
REPORTS = state.INTAKE_REPORTS
FLASH = state.INTAKE_FLASH
MAP = state.INTAKE_MAP
LAST_CLICK = state.INTAKE_LAST_CLICK
W_KEEP, W_SEPARATE = state.W_INTAKE_KEEP, state.W_INTAKE_SEPARATE
W_DATE, W_LOCATION = state.W_INTAKE_DATE, state.W_INTAKE_LOCATION
W_ACTOR, W_TARGET = state.W_INTAKE_ACTOR, state.W_INTAKE_TARGET
W_TYPE, W_FATAL = state.W_INTAKE_TYPE, state.W_INTAKE_FATAL
W_PRECISION, W_CLAIMS = state.W_INTAKE_PRECISION, state.W_INTAKE_CLAIMS

_COLOURS = {"date": "#fde68a", "place": "#bfdbfe", "actor": "#fecaca", "event": "#e9d5ff",
            "fatalities": "#bbf7d0"}
#: What each highlight colour marks (translated where it is shown).
_KINDS = {"date": N_("date"), "place": N_("place"), "actor": N_("actor"), "event": N_("event"),
          "fatalities": N_("fatalities")}


def read_reports(sources: list[tuple[str, str, str | None]], published: dt.date | None,
                 country: str | None, meta: dict, geocoder, store: pd.DataFrame
                 ) -> list[Draft]:
    """Return the merged drafts of several reports, each matched against the store. With no
    publication day given, each report is dated by its dateline, else today."""
    actors = store["actor"].dropna().unique() if store is not None and len(store) else ()
    sites = KnownSites.from_frame(store)
    drafts: list[Draft] = []
    for n, (_name, text, title) in enumerate(sources):
        day = published or dateline_date(text) or dt.date.today()
        report = Report(text, day, title=meta.get("title") or title,
                        publisher=meta.get("publisher") or None, url=meta.get("url") or None,
                        country=country)
        drafts += extract(report, geocoder, known_actors=actors, known_sites=sites,
                          report_no=n)
    merged = merge_drafts(drafts)
    return [d.replace(merged_into=find_in_store(d, store)) for d in merged]


def forget_draft_widgets() -> None:
    """Forget the widgets of the draft cards shown so far (new reports make new drafts)."""
    for key in [k for k in st.session_state if str(k).startswith(state.INTAKE_DRAFT_KEYS)]:
        del st.session_state[key]


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
        kind = _(_KINDS[s.kind]) if s.kind in _KINDS else s.kind
        out.append(f'<mark title="{html.escape(kind)}" style="background:{colour};'
                   f'padding:0 2px;border-radius:3px">{html.escape(text[s.start:s.end])}</mark>')
        pos = s.end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n", "<br>")
    legend = " ".join(f'<mark style="background:{c};padding:0 4px">{html.escape(_(_KINDS[k]))}'
                      "</mark>" for k, c in _COLOURS.items())
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
    folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution, name=_(label),
                     max_zoom=18).add_to(m)
    # Outlines and town labels: placing by click works offline.
    add_offline_context(m, message=_(OFFLINE_MESSAGE), lang=language())
    for i, c in enumerate(draft.candidates[:8], 1):
        folium.CircleMarker((c.latitude, c.longitude), radius=6, color="#1565c0", fill=True,
                            tooltip=html.escape(f"{i}. {c.name} ({precision_label(c.geo_precision)})")
                            ).add_to(m)
    if draft.latitude is not None:
        # A red disc, not folium.Icon: that needs Font Awesome and awesome-markers from CDNs.
        folium.CircleMarker((draft.latitude, draft.longitude), radius=9, color="#c62828",
                            weight=3, fill=True, fill_opacity=0.6,
                            tooltip=html.escape(f"{draft.location} "
                                                f"({precision_label(draft.geo_precision)})"),
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
        when = date(draft.date_start, "medium") if draft.date_start else _("undated")
        st.markdown(_("**Draft {n}**", n=i + 1)
                    + f" · {literal(when)} · {literal(draft.location or '?')}")
        if draft.merged_into:
            st.info(_("Same attack as the stored incident {id}: saving adds this report's "
                      "sources and claims to it.", id=literal(draft.merged_into)),
                    icon=":material/merge:")
            st.checkbox(_("Save as a separate incident instead"), key=W_SEPARATE + str(i))
        left, right = st.columns([3, 2])
        with left:
            if draft.date_start:
                st.date_input(_("Date"),
                              value=(draft.date_start, draft.date_end or draft.date_start),
                              key=W_DATE + str(i), format=_("YYYY/MM/DD"))
            st.text_input(_("Place"), value=draft.location or "", key=W_LOCATION + str(i))
            a, b = st.columns(2)
            a.text_input(_("Actor"), value=draft.actor or "", key=W_ACTOR + str(i))
            b.text_input(_("Target"), value=draft.target or "", key=W_TARGET + str(i))
            a, b = st.columns(2)
            a.selectbox(_("Event type"), EVENT_TYPE_CODES,
                        index=EVENT_TYPE_CODES.index(draft.event_type),
                        format_func=formatter(EVENT_TYPE_LABELS, W_TYPE + str(i)),
                        key=W_TYPE + str(i))
            b.text_input(_("Deaths (empty: unknown)"),
                         value="" if draft.fatalities_best is None else str(draft.fatalities_best),
                         key=W_FATAL + str(i),
                         help=_("A number only where a source states one; the claims keep "
                                "what each party said."))
            text = reports[draft.report][1] if draft.report < len(reports) else ""
            st.html(highlighted(text, draft))
        with right:
            point = (f"{draft.latitude:.4f}, {draft.longitude:.4f} · "
                     f"{precision_label(draft.geo_precision)} · {draft.geocoder}"
                     if draft.latitude is not None else _("not placed"))
            st.caption(_("Point: {point}. Click the map to move it.", point=literal(point)))
            st.selectbox(_("Precision of a clicked point"), GEO_PRECISIONS, index=0,
                         key=W_PRECISION + str(i),
                         format_func=formatter(PRECISION_LABELS, W_PRECISION + str(i)))
            st_folium(draft_map(draft), key=MAP + str(i), height=300,
                      use_container_width=True, returned_objects=["last_clicked"])
            for note in draft.notes:
                st.caption(literal(translate_note(note, language())))
        claims = pd.DataFrame([c.to_dict() for c in draft.claims],
                              columns=["claimant", "claim", "source"])
        edited = st.data_editor(
            claims, num_rows="dynamic", hide_index=True, key=W_CLAIMS + str(i),
            use_container_width=True,
            column_config={"claimant": st.column_config.TextColumn(_("Claimant")),
                           "claim": st.column_config.TextColumn(_("Claim"), width="large"),
                           "source": st.column_config.TextColumn(_("Source"))})
        st.session_state[W_CLAIMS + str(i) + "_df"] = edited
        sources = "; ".join(", ".join(str(v) for v in s.to_dict().values()) for s in draft.sources)
        st.caption(_("Sources: {sources}", sources=literal(sources)))
        st.checkbox(_("Save this draft"), value=True, key=W_KEEP + str(i))
    return draft
