"""Filters: the value object that selects incidents, the per-dataset index they run on, and
the pure function that applies them.

``apply_filters(df, filters) -> DataFrame`` is the simple, public way. An app that filters
the same incidents again and again builds a ``FilterIndex`` once per dataset (day numbers of
each incident's effective dates, category codes, one folded search vocabulary, the sidebar's
option lists) and asks it for a ``Selection``: one boolean mask over the shared frame, from
which the metric, the map, the table and the timeline gather only the columns they need.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from incidents.i18n import N_
from incidents.schema import EVENT_TYPE_CODES, GEO_PRECISIONS
from incidents.selection import Selection, newest_rows, timeline_bins, window_counts
from incidents.timeline import _effective_days

__all__ = [
    "ACTOR_ROLES",
    "FilterIndex",
    "Filters",
    "Selection",
    "apply_filters",
    "filter_index",
    "filter_options",
    "fold_text",
    "newest_rows",
    "timeline_bins",
    "window_counts",
]


#: How a chosen actor must take part in an incident: key -> label. "either" is the default:
#: an analyst filtering on a group means every incident it took part in, on either side.
ACTOR_ROLES: dict[str, str] = {
    "either": N_("either"),
    "perpetrator": N_("as perpetrator"),
    "target": N_("as target"),
}


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples and None mean "no restriction".

    A dated incident passes the window when any day it may have happened on overlaps
    [start, end]: its [date_start, date_end], widened to the whole week, month or year when
    its date is known only to that (``incidents.timeline.effective_range``, the same days the
    timeline spreads it over). A month-precise incident is found from any day of that month.
    Incidents whose fatalities are unknown do not pass a ``min_fatalities`` above 0. ``text``
    is found in any of the text columns, ignoring case and accents ("segou" finds "Ségou").
    ``actors`` match the ``actor`` column (``actor_role="perpetrator"``), the ``target``
    column (``"target"``) or either of them (``"either"``, the default).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    min_fatalities: int | None = None
    precisions: tuple[str, ...] = ()
    text: str = ""
    actor_role: str = "either"

    def with_window(self, start: dt.date | None, end: dt.date | None) -> Filters:
        """Return a copy with another date window."""
        return replace(self, start=start, end=end)


#: The columns a free-text search looks in.
TEXT_COLUMNS = ("location", "actor", "target", "description", "admin1", "admin2", "incident_id")

#: Multi-choice filters: Filters field -> column (actors: by ``_ACTOR_COLUMNS``).
_CHOICES = (
    ("countries", "country"),
    ("admin1", "admin1"),
    ("event_types", "event_type"),
    ("precisions", "geo_precision"),
)
#: Actor role -> the columns a chosen actor is looked for in.
_ACTOR_COLUMNS = {"perpetrator": ("actor",), "target": ("target",)}

#: Day numbers that no window reaches: an undated incident never passes a window.
_NO_FIRST, _NO_LAST = np.iinfo(np.int32).max, np.iinfo(np.int32).min


def _fold_unicode(values: pa.Array) -> pa.Array:
    decomposed = pc.utf8_normalize(values, "NFKD")
    return pc.utf8_lower(pc.replace_substring_regex(decomposed, r"\p{Mn}+", ""))


def fold_text(values: pa.Array) -> pa.Array:
    """Return the strings lower-cased and without accents, as the search compares them."""
    ascii_only = pc.fill_null(pc.string_is_ascii(values), True)
    lowered = pc.ascii_lower(values)  # most strings: no accent to take off
    if pc.all(ascii_only).as_py():
        return lowered
    other = pc.invert(ascii_only)
    return pc.replace_with_mask(lowered, other, _fold_unicode(pc.filter(values, other)))


def _day(value: dt.date) -> int:
    return int(np.datetime64(value, "D").astype(np.int64))


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return (integer code per row, -1 for missing; sorted labels as strings)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = values.cat.categories
        codes = values.cat.codes.to_numpy()
        if not labels.is_monotonic_increasing:
            order = np.argsort(labels.astype(str).to_numpy())
            remap = np.empty(len(order) + 1, dtype=np.int64)
            remap[order] = np.arange(len(order))
            remap[-1] = -1
            codes, labels = remap[codes], labels[order]
        return codes.astype(np.int32), pd.Index(labels.astype(str), dtype=object)
    codes, labels = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype(np.int32), pd.Index([str(v) for v in labels], dtype=object)


class FilterIndex:
    """What filtering ``df`` needs, computed once per dataset and shared read-only.

    Every part is computed on first use, so a one-off ``apply_filters`` pays only for the
    filters it has; an app warms them all (``warm()``) once per dataset. ``df`` is never
    changed.
    """

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df
        self.n = len(df)
        self._codes: dict[str, tuple[np.ndarray, pd.Index]] = {}
        self._admin1: dict[tuple[str, ...], list[str]] = {}
        self._texts: dict[str, np.ndarray] = {}  # the last searches' hits
        self._lock = threading.Lock()

    # -- dates ---------------------------------------------------------------------------
    @functools.cached_property
    def _dates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        first = np.full(self.n, _NO_FIRST, dtype=np.int32)
        last = np.full(self.n, _NO_LAST, dtype=np.int32)
        precision = np.full(self.n, -1, dtype=np.int8)
        dated = self.df["date_start"].notna().to_numpy()
        if dated.any():
            start, end, codes = _effective_days(self.df if dated.all() else self.df[dated])
            first[dated], last[dated], precision[dated] = start, end, codes
        return first, last, precision, dated

    @property
    def days(self) -> tuple[np.ndarray, np.ndarray]:
        """Each incident's first and last possible day (int32 days since 1970), as
        ``incidents.timeline.effective_range``; undated incidents get a range no window hits."""
        return self._dates[0], self._dates[1]

    # -- choices -------------------------------------------------------------------------
    def codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """Return the integer code of each row's ``column`` (-1: missing) and the labels."""
        if column not in self._codes:
            self._codes[column] = _codes(self.df[column])
        return self._codes[column]

    def _choice(self, column: str, wanted: tuple[str, ...]) -> np.ndarray:
        codes, labels = self.codes(column)
        lookup = np.zeros(len(labels) + 1, dtype=bool)  # the last entry: missing (-1)
        hit = labels.get_indexer(pd.Index([str(w) for w in wanted], dtype=object))
        lookup[hit[hit >= 0]] = True
        return lookup[codes]

    def present(self, column: str, within: np.ndarray | None = None) -> list[str]:
        """Return the sorted values ``column`` takes (in the rows of ``within`` if given)."""
        codes, labels = self.codes(column)
        if within is not None:
            codes = codes[within]
        counts = np.bincount(codes[codes >= 0], minlength=len(labels))
        return labels[counts > 0].tolist()

    @functools.cached_property
    def options(self) -> dict[str, list[str]]:
        """The values each multi-choice filter can take, sorted, for the sidebar."""
        # Actors as either party: a group that only ever appears as the target is found too.
        actors = sorted(set(self.present("actor")) | set(self.present("target")))
        return {"country": self.present("country"), "admin1": self.present("admin1"),
                "actor": actors}

    def admin1_options(self, countries: tuple[str, ...] = ()) -> list[str]:
        """Return the regions of ``countries`` (all regions when empty)."""
        if not countries:
            return self.options["admin1"]
        if countries not in self._admin1:
            self._admin1[countries] = self.present("admin1", self._choice("country", countries))
        return self._admin1[countries]

    # -- numbers -------------------------------------------------------------------------
    @functools.cached_property
    def fatalities(self) -> np.ndarray:
        """Best estimates as float64, NaN where unknown."""
        return self.df["fatalities_best"].to_numpy(dtype="float64", na_value=np.nan)

    @functools.cached_property
    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude as float64, NaN where unknown."""
        return (self.df["latitude"].to_numpy(dtype="float64", na_value=np.nan),
                self.df["longitude"].to_numpy(dtype="float64", na_value=np.nan))

    @functools.cached_property
    def type_codes(self) -> np.ndarray:
        """Event type as its index in ``EVENT_TYPE_CODES`` (unknown: "other")."""
        return _fixed_codes(self.df["event_type"], EVENT_TYPE_CODES, "other")

    @functools.cached_property
    def precision_codes(self) -> np.ndarray:
        """Place precision as its index in ``GEO_PRECISIONS`` (unknown: "country")."""
        return _fixed_codes(self.df["geo_precision"], GEO_PRECISIONS, "country")

    # -- text ----------------------------------------------------------------------------
    @functools.cached_property
    def search_vocabulary(self) -> tuple[pa.Array, list[np.ndarray]]:
        """One folded text column of the distinct values of every text column, and per
        column the row -> vocabulary code (-1: missing). A search scans the vocabulary once."""
        uniques, row_codes = [], []
        offset = 0
        for column in TEXT_COLUMNS:
            codes, labels = pd.factorize(self.df[column], use_na_sentinel=True)
            row_codes.append(np.where(codes >= 0, codes + offset, -1).astype(np.int32))
            uniques.append(pa.array(np.asarray(labels, dtype=object), type=pa.large_string()))
            offset += len(labels)
        vocabulary = fold_text(pa.concat_arrays(uniques)) if uniques else pa.array([], pa.string())
        return vocabulary, row_codes

    def _text(self, text: str) -> np.ndarray:
        with self._lock:  # sessions share the index: one thread at a time edits the cache
            hit = self._texts.get(text)
        if hit is None:  # the map's mask and the timeline's share a search
            hit = self._search(text)
            with self._lock:
                self._texts[text] = hit
                while len(self._texts) > 4:
                    self._texts.pop(next(iter(self._texts)))
        return hit

    def _search(self, text: str) -> np.ndarray:
        needle = fold_text(pa.array([text], type=pa.large_string()))[0].as_py()
        vocabulary, row_codes = self.search_vocabulary
        found = pc.match_substring(vocabulary, needle).to_numpy(zero_copy_only=False)
        lookup = np.append(np.asarray(found, dtype=bool), False)  # -1 (missing) never hits
        hit = np.zeros(self.n, dtype=bool)
        for codes in row_codes:
            hit |= lookup[codes]
        return hit

    # -- masks ---------------------------------------------------------------------------
    def window_mask(self, start: dt.date | None, end: dt.date | None) -> np.ndarray | None:
        """Rows whose effective dates overlap [start, end]; None when there is no window."""
        if start is None and end is None:
            return None
        first, last = self.days
        mask = np.ones(self.n, dtype=bool)
        if start is not None:
            mask &= last >= _day(start)
        if end is not None:
            mask &= first <= _day(end)
        return mask

    def other_mask(self, filters: Filters) -> np.ndarray | None:
        """Rows passing every filter but the date window; None when nothing restricts."""
        mask = None

        def narrow(part: np.ndarray) -> None:
            nonlocal mask
            mask = part if mask is None else mask & part

        for field, column in _CHOICES:
            wanted = getattr(filters, field)
            if wanted:
                narrow(self._choice(column, wanted))
        if filters.actors:
            columns = _ACTOR_COLUMNS.get(filters.actor_role, ("actor", "target"))
            hit = self._choice(columns[0], filters.actors)
            for column in columns[1:]:
                hit = hit | self._choice(column, filters.actors)
            narrow(hit)
        if filters.min_fatalities:
            with np.errstate(invalid="ignore"):
                narrow(self.fatalities >= filters.min_fatalities)
        text = filters.text.strip()
        if text:
            narrow(self._text(text))
        return mask

    def mask(self, filters: Filters, *, skip_window: bool = False) -> np.ndarray:
        """Return the boolean mask of the rows that pass ``filters``."""
        parts = [self.other_mask(filters)]
        if not skip_window:
            parts.append(self.window_mask(filters.start, filters.end))
        parts = [p for p in parts if p is not None]
        if not parts:
            return np.ones(self.n, dtype=bool)
        return parts[0] if len(parts) == 1 else parts[0] & parts[1]

    def select(self, filters: Filters) -> Selection:
        """Return the incidents passing ``filters`` as a ``Selection`` (no copy of the frame)."""
        return Selection(self, self.mask(filters))

    def warm(self) -> FilterIndex:
        """Compute every part now (an app does this once per dataset); return self."""
        for column in ("country", "admin1", "actor", "target", "event_type", "geo_precision"):
            self.codes(column)
        _ = (self._dates, self.options, self.fatalities, self.coordinates, self.type_codes,
             self.precision_codes, self.search_vocabulary)
        return self

    @property
    def nbytes(self) -> int:
        """Bytes held by the parts computed so far (the frame itself not counted)."""
        total = 0
        for name in ("_dates", "coordinates"):
            total += sum(a.nbytes for a in self.__dict__.get(name, ()))
        for name in ("fatalities", "type_codes", "precision_codes"):
            total += getattr(self.__dict__.get(name), "nbytes", 0)
        if "search_vocabulary" in self.__dict__:
            vocabulary, codes = self.__dict__["search_vocabulary"]
            total += vocabulary.nbytes + sum(c.nbytes for c in codes)
        return total + sum(codes.nbytes for codes, _ in self._codes.values())


def _fixed_codes(values: pd.Series, categories: tuple[str, ...], default: str) -> np.ndarray:
    codes = pd.Categorical(values.astype("string"), categories=categories).codes
    return np.where(codes < 0, categories.index(default), codes).astype(np.int8)


def filter_index(df: pd.DataFrame) -> FilterIndex:
    """Return a (lazy) ``FilterIndex`` of ``df``."""
    return FilterIndex(df)


def apply_filters(df: pd.DataFrame, filters: Filters, *, skip_window: bool = False) -> pd.DataFrame:
    """Return the incidents of ``df`` that pass ``filters`` (``df`` is not changed).

    ``skip_window`` ignores the date window, for a timeline that shows the whole span.
    """
    return df[FilterIndex(df).mask(filters, skip_window=skip_window)]


def filter_options(df: pd.DataFrame) -> dict[str, list[str]]:
    """Return the values each multi-choice filter can take, sorted, for the sidebar."""
    return FilterIndex(df).options
