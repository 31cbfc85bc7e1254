"""How the map's data travels to the browser: compact JSON, typed and delta-coded integers.

``encode_points`` packs incidents for the incident layer (``decode_points`` reads it back),
``encode_bins`` grid bins for the bin layer; ``pack_ints`` writes integers as base64 of zigzag
LEB128 varints (``unpack_ints``; the layers' scripts have their own readers). Everything is
safe inside <script> (``safe_json``).
"""

from __future__ import annotations

import base64
import itertools
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from incidents.schema import EVENT_TYPES, GEO_PRECISIONS
from incidents.timeline import effective_days

__all__ = [
    "DATE_QUALIFIERS",
    "decode_points",
    "encode_bins",
    "encode_points",
    "pack_ints",
    "safe_json",
    "unpack_ints",
    "varint_bytes",
]


def safe_json(value) -> str:
    """Return JSON that is safe inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _codes(series: pd.Series, categories: tuple[str, ...], default: int) -> list[int]:
    return _code_array(series, categories, default).tolist()


def _code_array(series: pd.Series, categories: tuple[str, ...], default: int) -> np.ndarray:
    """Return each value's index in ``categories`` (``default`` when absent or missing)."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # conform()ed frames: no string work
        lookup = pd.Index(categories).get_indexer(series.cat.categories.astype(str))
        lookup = np.append(np.where(lookup < 0, default, lookup), default)  # -1: missing
        return lookup[series.cat.codes.to_numpy()].astype(np.int64)
    codes = np.asarray(pd.Categorical(series.astype("string"), categories=categories).codes,
                       dtype=np.int64)
    return np.where(codes < 0, default, codes)


#: How a date is qualified in a tooltip, by the code ``encode_points`` sends.
DATE_QUALIFIERS = ("", "week", "month", "year", "range", "unknown")
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CANONICAL_INT = re.compile(r"^(0|[1-9][0-9]{0,14})$")


def _chars(codes: np.ndarray) -> str:
    """Return small codes (0..61) as one character each: no comma, no quote per incident."""
    return np.array(list(_DIGITS), dtype="<U1")[codes].tobytes().decode("utf-32-le") \
        if len(codes) else ""


def _text_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _id_parts(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return each id's prefix up to its last ":" (included) and the rest, vectorised."""
    values = pa.array(ids.astype("string").fillna("").to_numpy(dtype=object), type=pa.string())
    parts = pc.extract_regex(values, r"^(?P<prefix>(?s:.*):)?(?P<suffix>[^:]*)$")
    prefix = parts.field("prefix").to_pandas(types_mapper=pd.ArrowDtype).astype("string")
    suffix = parts.field("suffix").to_pandas(types_mapper=pd.ArrowDtype).astype("string")
    return prefix.fillna(""), suffix.fillna("")


def pack_ints(values: np.ndarray, *, delta: bool = False) -> str:
    """Return integers as base64 of LEB128 varints of their zigzag code (of the differences
    from the previous value when ``delta``): 1 byte for |v| < 64, 2 below 8,192, 3 below
    a million. ``unpack_ints`` and the layer's script (``ints``) read them back."""
    return base64.b64encode(varint_bytes(values, delta=delta)).decode("ascii")


def varint_bytes(values: np.ndarray, *, delta: bool = False) -> bytes:
    """Return the bytes ``pack_ints`` writes in base64: zigzag LEB128 varints."""
    v = np.asarray(values, dtype=np.int64)
    if delta and v.size:
        v = np.diff(v, prepend=0)
    z = ((v << 1) ^ (v >> 63)).astype(np.uint64)  # zigzag: small magnitudes, small codes
    size = np.ones(z.size, dtype=np.int64)
    for k in range(1, 10):
        size += z >= np.uint64(1 << (7 * k))
    out = np.empty(int(size.sum()), dtype=np.uint8)
    start = np.cumsum(size) - size
    for k in range(int(size.max()) if size.size else 0):
        sel = size > k
        byte = (z[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = np.where(size[sel] > k + 1, 0x80, 0).astype(np.uint64)
        out[start[sel] + k] = (byte | more).astype(np.uint8)
    return out.tobytes()


def unpack_ints(text: str, *, delta: bool = False) -> list[int]:
    """Return the integers ``pack_ints`` packed (for tests and tools; the browser has its own)."""
    out, value, shift = [], 0, 0
    for byte in base64.b64decode(text):
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append((value >> 1) ^ -(value & 1))
            value, shift = 0, 0
    return list(itertools.accumulate(out)) if delta else out


#: Payload fields packed by ``pack_ints``: name -> delta-coded.
PACKED_FIELDS = {"lat": True, "lon": True, "f": False, "d": True, "loc": True, "idi": True,
                 "idn": True}


def decode_points(text: str) -> dict:
    """Return an ``encode_points`` payload with its packed fields as lists of integers (``lo``
    and ``hi`` as days since ``d0``, -1 for an undated incident, as the browser reads them)."""
    payload = json.loads(text)
    for name, delta in PACKED_FIELDS.items():
        if isinstance(payload.get(name), str):
            payload[name] = unpack_ints(payload[name], delta=delta)
    if isinstance(payload.get("lo"), str):
        before, after = unpack_ints(payload["lo"]), unpack_ints(payload["hi"])
        payload["lo"] = [d - b if d >= 0 else -1 for d, b in zip(payload["d"], before, strict=True)]
        payload["hi"] = [d + a if d >= 0 else -1 for d, a in zip(payload["d"], after, strict=True)]
    if "idi" not in payload:
        payload["idi"] = [0] * payload["n"]
    return payload


def encode_points(df: pd.DataFrame) -> str:
    """Return the located incidents of ``df`` as compact JSON for the browser (safe in <script>).

    The per-incident facts the browser needs, packed: coordinates as integers of 1e-5 degrees,
    dates as days since the first possible day (the start date ``d``, and how many days
    before and after it the incident may fall, ``lo`` and ``hi``, for time windows),
    fatalities, place codes and numeric id suffixes as typed, delta-coded varints in base64
    (``pack_ints``); event type and precision as one character; place names and id prefixes
    as tables of distinct strings, each sent once. About 30 bytes an incident (the place
    names aside) instead of about 110 for FastMarkerCluster's rows with the same fields and
    1,200 for a folium.Marker with a tooltip and a popup. ``decode_points`` reads it back.
    """
    lat = df["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = df["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    keep = ~(np.isnan(lat) | np.isnan(lon))
    rows = df.iloc[np.flatnonzero(keep)]  # in the frame's order, as the markers are added
    ilat = np.rint(lat[keep] * 1e5).astype(np.int64)
    ilon = np.rint(lon[keep] * 1e5).astype(np.int64)
    n = len(rows)
    t = _code_array(rows["event_type"], tuple(t.code for t in EVENT_TYPES), len(EVENT_TYPES) - 1)
    p = _code_array(rows["geo_precision"], GEO_PRECISIONS, GEO_PRECISIONS.index("country"))
    fat = rows["fatalities_best"].to_numpy(dtype="float64", na_value=np.nan)
    start = rows["date_start"].to_numpy(dtype="datetime64[D]")
    end = rows["date_end"].to_numpy(dtype="datetime64[D]")
    day = start.astype(np.int64)
    known = ~np.isnat(start)
    # The first and last day each incident may have happened on, so that the browser can
    # filter the layer by a time window itself (playback without a server round trip).
    lo, hi = effective_days(rows)
    d0 = int(lo[known].min()) if known.any() else 0
    dp = _code_array(rows["date_precision"], ("day", "week", "month", "year"), 5)
    dp = np.where((dp == 0) & ~np.isnat(end) & known & (end > start), 4, dp)
    loc, locs = _text_codes(rows["location"].fillna("").str.slice(0, 80))
    prefix, suffix = _id_parts(rows["incident_id"])
    idi, idp = _text_codes(prefix)
    payload: dict = {
        "n": n,
        "lat": pack_ints(ilat, delta=True),
        "lon": pack_ints(ilon, delta=True),
        "tp": _chars(t * len(GEO_PRECISIONS) + p),
        "f": pack_ints(np.where(np.isnan(fat), -1, fat).astype(np.int64)),
        "d0": d0,
        "d": pack_ints(np.where(known, day - d0, -1), delta=True),
        # Days before and after the start date: 0 for most, small for the others.
        "lo": pack_ints(np.where(known, day - lo, 0)),
        "hi": pack_ints(np.where(known, hi - day, 0)),
        "dp": _chars(dp),
        "locs": locs,
        "loc": pack_ints(loc, delta=True),
        "idp": idp,
    }
    if len(idp) > 1:  # one prefix (one dataset): no per-incident code at all
        payload["idi"] = pack_ints(idi, delta=True)
    if n and bool(suffix.str.fullmatch(_CANONICAL_INT.pattern).all()):
        payload["idn"] = pack_ints(suffix.astype("int64").to_numpy(), delta=True)
    else:
        payload["ids"] = suffix.tolist()
    return safe_json(payload)


def encode_bins(bins: pd.DataFrame, *, timed: dict | None = None) -> str:
    """Return grid bins (``aggregate.grid_bins``) as compact JSON for the browser: centroids
    as integers of 1e-4 degrees and counts, packed (``pack_ints``), with ``timed``
    (``timed_bins``' answer, its key and first window) as ``t`` when given."""
    codes = [t.code for t in EVENT_TYPES]
    return safe_json({
        **({"t": timed} if timed is not None else {}),
        "lat": pack_ints(np.rint(bins["lat"].to_numpy(dtype=float) * 1e4), delta=True),
        "lon": pack_ints(np.rint(bins["lon"].to_numpy(dtype=float) * 1e4), delta=True),
        "n": pack_ints(bins["incidents"].to_numpy(dtype=np.int64)),
        "f": pack_ints(bins["fatalities"].to_numpy(dtype=np.int64)),
        "c": pack_ints(bins[codes].to_numpy(dtype=np.int64).ravel()),
    })
