"""Tabular exports of a set of incidents: CSV (formula-safe, for spreadsheets) and GeoJSON."""

from __future__ import annotations

import json

import pandas as pd

from incidents.csvsafe import frame_csv_bytes
from incidents.schema import COLUMNS
from incidents.text import is_missing

__all__ = ["json_list", "plain", "to_csv_bytes", "to_geojson", "to_geojson_bytes"]

_DATE_COLUMNS = ("date_start", "date_end")
_JSON_COLUMNS = ("claims", "sources")
# --- CSV ----------------------------------------------------------------------------------------


def _export_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in COLUMNS if c in df.columns]


def _is_text(series: pd.Series) -> bool:
    return (
        pd.api.types.is_string_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
        or series.dtype == object
    )


def _text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return the export columns as strings (NA stays NA): dates as ISO, text as text."""
    out = pd.DataFrame(index=df.index)
    for column in _export_columns(df):
        series = df[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            fmt = "%Y-%m-%d" if column in _DATE_COLUMNS else "%Y-%m-%dT%H:%M:%SZ"
            out[column] = series.dt.strftime(fmt).astype("string")
        elif _is_text(series):
            out[column] = series.astype("string")
        else:
            out[column] = series
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Return the incidents of ``df`` as CSV: UTF-8 with a BOM (for Excel), schema columns.

    Every text cell (ids included) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading single quote, so that no spreadsheet runs it as a formula.
    Numbers are left as they are (a negative longitude stays a number). Unknown is empty.
    Written by the project's one CSV writer (``incidents.csvsafe``).
    """
    return frame_csv_bytes(_text_frame(df))


# --- GeoJSON ------------------------------------------------------------------------------------


def plain(value: object) -> object:
    """Return a JSON-ready Python value: NA -> None, numpy scalars -> int/float."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def json_list(text: object) -> object:
    if text is None or text is pd.NA:
        return None
    try:
        return json.loads(str(text))
    except ValueError:
        return str(text)


def to_geojson(df: pd.DataFrame) -> dict:
    """Return the incidents of ``df`` as a GeoJSON FeatureCollection (RFC 7946).

    Each feature is one incident: ``id`` is its incident_id, the geometry its point (``null``
    when it is not mapped), the properties every other schema column, unknown as ``null``.
    Dates are ISO strings; claims and sources are JSON lists.
    """
    cols = [c for c in _export_columns(df) if c not in ("latitude", "longitude")]
    frame = df.loc[:, cols].astype(object)
    for column in cols:
        if pd.api.types.is_datetime64_any_dtype(df[column].dtype):
            fmt = "%Y-%m-%d" if column in _DATE_COLUMNS else "%Y-%m-%dT%H:%M:%SZ"
            frame[column] = df[column].dt.strftime(fmt).astype(object)
    lat = df["latitude"].astype("Float64")
    lon = df["longitude"].astype("Float64")
    features = []
    for (_, row), y, x in zip(frame.iterrows(), lat, lon, strict=True):
        props = {c: plain(row[c]) for c in cols}
        for column in _JSON_COLUMNS:
            if column in props:
                props[column] = json_list(props[column])
        geometry = None
        if y is not pd.NA and x is not pd.NA:
            geometry = {"type": "Point", "coordinates": [round(float(x), 6), round(float(y), 6)]}
        features.append({
            "type": "Feature", "id": props.get("incident_id"), "geometry": geometry,
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def to_geojson_bytes(df: pd.DataFrame) -> bytes:
    """Return ``to_geojson(df)`` as UTF-8 JSON bytes."""
    return json.dumps(to_geojson(df), ensure_ascii=False, allow_nan=False).encode("utf-8")
