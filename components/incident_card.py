"""The details of one incident, shown beside the map and under the table."""

from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st

from components.filters import PRECISION_LABELS
from components.text import literal
from incidents.schema import EVENT_TYPE_BY_CODE, GEO_PRECISION_RADIUS_KM


def _number(value) -> str:
    return "unknown" if value is None or pd.isna(value) else f"{int(value):,}"


def _date_text(row: pd.Series) -> str:
    start, end = row["date_start"], row["date_end"]
    precision = row["date_precision"] if pd.notna(row["date_precision"]) else "unknown"
    if pd.isna(start):
        return "date unknown"
    text = start.strftime("%d %B %Y")
    if pd.notna(end) and end != start:
        text += f" – {end.strftime('%d %B %Y')}"
    if precision != "day":
        text += f" (known only to the {precision})"
    return text


def _json_list(value) -> list[dict]:
    if value is None or pd.isna(value):
        return []
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return [{"title": str(value)}]
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _web_url(item: dict) -> str | None:
    url = str(item.get("url") or "")
    if url.startswith(("https://", "http://")) and not re.search(r"[\s()<>]", url):
        return url
    return None


def first_source_urls(sources: pd.Series) -> pd.Series:
    """Return the web address of each incident's first source that has one, else None."""
    def first(value) -> str | None:
        return next((u for u in map(_web_url, _json_list(value)) if u), None)

    return sources.map(first).astype("object")


def _source_line(item: dict) -> str:
    parts = [literal(item.get(k)) for k in ("publisher", "date") if item.get(k)]
    title = literal(item.get("title"))
    url = _web_url(item)
    if title and url:
        title = f"[{title}]({url})"
    elif title:
        title = f"*{title}*"
    if not url:  # say so, rather than leave the reader looking for a link
        title = (title + " " if title else "") + "(no link)"
    line = ", ".join(p for p in [*parts, title] if p)
    if item.get("original"):
        line += ("; " if line else "") + f"original source: {literal(item['original'])}"
    return line


def render_incident(row: pd.Series, *, others_here: int = 0) -> None:
    """Show everything known about one incident; every value from data is shown literally."""
    etype = EVENT_TYPE_BY_CODE.get(str(row["event_type"]), EVENT_TYPE_BY_CODE["other"])
    st.markdown(
        f"<span style='display:inline-block;width:.8em;height:.8em;border-radius:50%;"
        f"background:{etype.color};margin-right:.4em'></span>**{literal(etype.label)}**",
        unsafe_allow_html=True,  # only our own colour and label; data text is escaped
    )
    st.markdown(f"#### {literal(row['location']) or 'Place not named'}")
    precision = str(row["geo_precision"]) if pd.notna(row["geo_precision"]) else None
    if precision:
        radius = GEO_PRECISION_RADIUS_KM[precision]
        badge = f"{PRECISION_LABELS[precision]} · ±{radius:g} km"
        if precision in ("site", "neighbourhood"):
            st.caption(f":material/location_on: Place precision: {badge}")
        else:
            st.warning(f"Place precision: {badge}. The point stands for an area, not an exact "
                       "site.", icon=":material/warning:")
    where = ", ".join(literal(row[c]) for c in ("admin2", "admin1", "country_name") if pd.notna(row[c]))
    geocoder = literal(row["geocoder"]) if pd.notna(row["geocoder"]) else "unknown"
    if pd.notna(row["latitude"]):
        st.caption(f"{where} · {row['latitude']:.4f}, {row['longitude']:.4f} · point from: {geocoder}")
    else:
        st.caption(f"{where} · not mapped (no coordinates)")
    date_md = literal(_date_text(row))
    if pd.notna(row["date_precision"]) and row["date_precision"] != "day":
        st.warning(f"Date: {date_md}", icon=":material/event:")
    else:
        st.markdown(f"**Date:** {date_md}")
    st.markdown(f"**Actor:** {literal(row['actor']) or 'unknown'}  \n"
                f"**Target:** {literal(row['target']) or 'unknown'}")
    figures = [row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]]
    if all(pd.isna(v) for v in figures):
        st.markdown("**Fatalities:** unknown — no source states a number.")
    else:
        c1, c2, c3 = st.columns(3)
        c1.metric("Fatalities (low)", _number(row["fatalities_low"]))
        c2.metric("Best estimate", _number(row["fatalities_best"]))
        c3.metric("High", _number(row["fatalities_high"]))
    claims = _json_list(row["claims"])
    if claims:
        st.markdown("**Claims, as attributed**")
        st.markdown("\n".join(
            f"- **{literal(c.get('claimant')) or 'unattributed'}:** {literal(c.get('claim'))}"
            + (f" *(reported by {literal(c.get('source'))})*" if c.get("source") else "")
            for c in claims
        ))
    if pd.notna(row["description"]):
        st.markdown("**Description**")
        st.markdown(literal(row["description"]))
    sources = _json_list(row["sources"])
    if sources:
        st.markdown("**Sources**")
        st.markdown("\n".join(f"- {_source_line(s)}" for s in sources))
    st.caption(f"Dataset: {literal(row['dataset'])} · ID: {literal(row['incident_id'])}"
               + (f" · {others_here} other incidents share this point" if others_here else ""))
