"""The details of one incident, shown beside the map and under the table."""

from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st

from components.filters import precision_label
from components.i18n import N_, _, _n, date, number
from components.text import literal
from incidents.schema import DATE_PRECISION_NOTES, EVENT_TYPE_BY_CODE, GEO_PRECISION_RADIUS_KM


def _number(value) -> str:
    return _("unknown") if value is None or pd.isna(value) else number(int(value))


def _date_text(row: pd.Series) -> str:
    start, end = row["date_start"], row["date_end"]
    precision = row["date_precision"] if pd.notna(row["date_precision"]) else None
    if pd.isna(start):
        return _("date unknown")
    text = date(start)  # « 17 septembre 2024 »
    if pd.notna(end) and end != start:
        text += f" – {date(end)}"
    if precision is None:
        text += f" ({_('date precision unknown')})"
    elif precision in DATE_PRECISION_NOTES:
        text += f" ({_(DATE_PRECISION_NOTES[precision])})"
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
        title = (title + " " if title else "") + _("(no link)")
    line = ", ".join(p for p in [*parts, title] if p)
    if item.get("original"):
        line += ("; " if line else "") + _("original source: {source}",
                                          source=literal(item["original"]))
    return line


#: Table headings of incident columns (translated where they are shown).
COLUMN_LABELS = {
    "incident_id": N_("ID"), "date_start": N_("Date"), "date_precision": N_("Date known to"),
    "country": N_("Country"), "admin1": N_("Region"), "admin2": N_("District"),
    "location": N_("Place (as reported)"), "geo_precision": N_("Place known to"),
    "event_type": N_("Event type"), "actor": N_("Actor"), "target": N_("Target"),
    "fatalities_best": N_("Fatalities (best)"), "dataset": N_("Dataset"),
    "geocoder": N_("Point from"), "description": N_("Description"),
}


def column_config(columns: list[str]) -> dict:
    """Return ``st.dataframe`` column settings for incident ``columns``: translated headings,
    dates written the language's way, fatalities as whole numbers."""
    config = {}
    for column in columns:
        label = _(COLUMN_LABELS[column]) if column in COLUMN_LABELS else column
        if column.startswith("date_") and column != "date_precision":
            config[column] = st.column_config.DateColumn(label, format=_("YYYY-MM-DD"))
        elif column.startswith("fatalities_"):
            config[column] = st.column_config.NumberColumn(label, format="%d")
        else:
            config[column] = st.column_config.TextColumn(label)
    return config


def render_incident(row: pd.Series, *, others_here: int = 0) -> None:
    """Show everything known about one incident; every value from data is shown literally."""
    etype = EVENT_TYPE_BY_CODE.get(str(row["event_type"]), EVENT_TYPE_BY_CODE["other"])
    st.markdown(
        f"<span style='display:inline-block;width:.8em;height:.8em;border-radius:50%;"
        f"background:{etype.color};margin-right:.4em'></span>**{literal(_(etype.label))}**",
        unsafe_allow_html=True,  # only our own colour and label; data text is escaped
    )
    st.markdown(f"#### {literal(row['location']) or _('Place not named')}")
    precision = str(row["geo_precision"]) if pd.notna(row["geo_precision"]) else None
    if precision:
        radius = GEO_PRECISION_RADIUS_KM[precision]
        badge = f"{precision_label(precision)} · ±{number(radius, 1 if radius % 1 else 0)} km"
        if precision in ("site", "neighbourhood"):
            st.caption(":material/location_on: " + _("Place precision: {badge}", badge=badge))
        else:
            st.warning(_("Place precision: {badge}. The point stands for an area, not an exact "
                         "site.", badge=badge), icon=":material/warning:")
    where = ", ".join(literal(row[c]) for c in ("admin2", "admin1", "country_name") if pd.notna(row[c]))
    geocoder = literal(row["geocoder"]) if pd.notna(row["geocoder"]) else _("unknown")
    if pd.notna(row["latitude"]):
        st.caption(f"{where} · {row['latitude']:.4f}, {row['longitude']:.4f} · "
                   + _("point from: {geocoder}", geocoder=geocoder))
    else:
        st.caption(f"{where} · " + _("not mapped (no coordinates)"))
    date_md = literal(_date_text(row))
    if pd.notna(row["date_precision"]) and row["date_precision"] != "day":
        st.warning(_("Date: {date}", date=date_md), icon=":material/event:")
    else:
        st.markdown(_("**Date:** {date}", date=date_md))
    unknown = _("unknown")
    st.markdown(_("**Actor:** {actor}", actor=literal(row["actor"]) or unknown) + "  \n"
                + _("**Target:** {target}", target=literal(row["target"]) or unknown))
    figures = [row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]]
    if all(pd.isna(v) for v in figures):
        st.markdown(_("**Fatalities:** unknown — no source states a number."))
    else:
        c1, c2, c3 = st.columns(3)
        c1.metric(_("Fatalities (low)"), _number(row["fatalities_low"]))
        c2.metric(_("Best estimate"), _number(row["fatalities_best"]))
        c3.metric(_("High"), _number(row["fatalities_high"]))
    claims = _json_list(row["claims"])
    if claims:
        st.markdown("**" + _("Claims, as attributed") + "**")
        st.markdown("\n".join(
            f"- **{literal(c.get('claimant')) or _('unattributed')}:** {literal(c.get('claim'))}"
            + (" *" + _("(reported by {source})", source=literal(c.get("source"))) + "*"
               if c.get("source") else "")
            for c in claims
        ))
    if pd.notna(row["description"]):
        st.markdown("**" + _("Description") + "**")
        st.markdown(literal(row["description"]))
    sources = _json_list(row["sources"])
    if sources:
        st.markdown("**" + _("Sources") + "**")
        st.markdown("\n".join(f"- {_source_line(s)}" for s in sources))
    st.caption(_("Dataset: {dataset} · ID: {id}", dataset=literal(row["dataset"]),
                 id=literal(row["incident_id"]))
               + (" · " + _n("{n} other incident shares this point",
                             "{n} other incidents share this point", others_here)
                  if others_here else ""))
