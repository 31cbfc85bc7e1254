"""The incident schema: column names, enumerations and dtypes, defined once for the whole project.

One row is one incident. Unknown values stay unknown (``pd.NA``), never 0 or "".
The data dictionary in README.md is written from this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from incidents.errors import DataError
from incidents.i18n import N_

__all__ = [
    "COLUMNS",
    "COUNTRIES",
    "DATASET_FORMATS",
    "DATE_PRECISIONS",
    "DATE_PRECISION_LABELS",
    "DATE_PRECISION_NOTES",
    "DTYPES",
    "EVENT_TYPES",
    "FORMATS",
    "FORMAT_BY_CODE",
    "GEOCODERS",
    "GEO_PRECISIONS",
    "GEO_PRECISION_RADIUS_KM",
    "MARKER_STYLES",
    "POINT_PRECISIONS",
    "PRECISIONS",
    "PRECISION_BY_CODE",
    "RESTRICTED_FORMATS",
    "DatasetFormat",
    "EventType",
    "Precision",
    "conform",
    "empty_frame",
]

# --- enumerations -------------------------------------------------------------------------

#: How exactly the date is known, finest first.
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")

#: What each date precision is called in a table (translated where it is shown).
DATE_PRECISION_LABELS: dict[str, str] = {
    "day": N_("day"), "week": N_("week"), "month": N_("month"), "year": N_("year"),
}

#: How a date known to less than a day is qualified where it is shown (translated there).
DATE_PRECISION_NOTES: dict[str, str] = {
    "week": N_("known only to the week"),
    "month": N_("known only to the month"),
    "year": N_("known only to the year"),
}

#: Where a point came from.
GEOCODERS: tuple[str, ...] = ("source", "gazetteer", "airport", "online", "manual", "none")


@dataclass(frozen=True)
class Precision:
    """One class of how exactly a place is known, and how the app shows a point of it."""

    code: str
    label: str  # in filters, tables and cards: "Site (exact place)"
    map_label: str  # in the map's tooltips and legend: "exact site"
    radius_km: float  # radius of uncertainty drawn around the point
    style: str  # marker style: "solid", "faded" or "ring" (see ``MARKER_STYLES``)
    review_zoom: int  # map zoom that shows a point of this class with its surroundings
    phrase: str = ""  # how a sentence names a place of this class ("a town"), where one does


#: How exactly the place is known, finest first.
PRECISIONS: tuple[Precision, ...] = (
    Precision("site", N_("Site (exact place)"), N_("exact site"), 0.5, "solid", 13),
    Precision("neighbourhood", N_("Neighbourhood"), N_("neighbourhood"), 2.0, "solid", 13),
    Precision("town", N_("Town"), N_("town"), 5.0, "faded", 11, N_("a town")),
    Precision("admin2", N_("District (admin 2)"), N_("district (admin 2)"), 50.0, "ring", 8,
              N_("a district (admin 2)")),
    Precision("admin1", N_("Region (admin 1)"), N_("region (admin 1)"), 150.0, "ring", 7,
              N_("a region (admin 1)")),
    Precision("country", N_("Country only"), N_("country only"), 400.0, "ring", 5),
)
PRECISION_BY_CODE: dict[str, Precision] = {p.code: p for p in PRECISIONS}
GEO_PRECISIONS: tuple[str, ...] = tuple(p.code for p in PRECISIONS)

#: Radius of uncertainty drawn around a point of each precision class, in kilometres.
GEO_PRECISION_RADIUS_KM: dict[str, float] = {p.code: p.radius_km for p in PRECISIONS}

#: Marker styles, finest first, and what the map's legend calls the classes drawn with each.
MARKER_STYLES: dict[str, str] = {
    "solid": N_("site or neighbourhood"),
    "faded": N_("town"),
    "ring": N_("district, region or country"),
}

#: Classes whose point stands for a place rather than an area (drawn solid or faded).
POINT_PRECISIONS: tuple[str, ...] = tuple(p.code for p in PRECISIONS if p.style != "ring")


@dataclass(frozen=True)
class EventType:
    """One class of the event-type taxonomy that ACLED, UCDP and GTD types map into."""

    code: str
    label: str
    color: str
    description: str


#: The one event-type taxonomy. Colours are the Okabe-Ito colour-blind-safe palette.
EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        "battle",
        N_("Battle / armed clash"),
        "#D55E00",
        N_(
            "Armed clash between organised armed groups, state or not "
            "(ACLED Battles; UCDP state-based and non-state violence)."
        ),
    ),
    EventType(
        "attack",
        N_("Armed attack"),
        "#CC79A7",
        N_(
            "Armed assault on a position, facility, person or place by an organised group, such as "
            "a raid on a base or an assassination (GTD Armed Assault, Assassination, "
            "Facility/Infrastructure Attack)."
        ),
    ),
    EventType(
        "explosion",
        N_("Explosion / remote violence"),
        "#E69F00",
        N_(
            "IED, mine, suicide bombing, shelling, air or drone strike (ACLED Explosions/Remote "
            "violence; GTD Bombing/Explosion)."
        ),
    ),
    EventType(
        "violence_against_civilians",
        N_("Violence against civilians"),
        "#0072B2",
        N_(
            "Deliberate violence against unarmed civilians (ACLED Violence against civilians; "
            "UCDP one-sided violence; GTD Unarmed Assault)."
        ),
    ),
    EventType(
        "abduction",
        N_("Abduction / hostage-taking"),
        "#009E73",
        N_(
            "Kidnapping, forced disappearance, hostage-taking, hijacking (ACLED Abduction/forced "
            "disappearance; GTD Hostage Taking, Hijacking)."
        ),
    ),
    EventType(
        "protest_riot",
        N_("Protest / riot"),
        "#56B4E9",
        N_(
            "Demonstrations and riots (ACLED Protests, Riots)."
        ),
    ),
    EventType(
        "strategic",
        N_("Strategic development"),
        "#F0E442",
        N_(
            "Non-violent but significant events: looting, seizures, arrests, agreements "
            "(ACLED Strategic developments)."
        ),
    ),
    EventType("other", N_("Other / unknown"), "#7F7F7F", N_("Any event whose type is not known.")),
)

EVENT_TYPE_CODES: tuple[str, ...] = tuple(t.code for t in EVENT_TYPES)
EVENT_TYPE_BY_CODE: dict[str, EventType] = {t.code: t for t in EVENT_TYPES}

#: Countries the bundled data covers (ISO 3166-1 alpha-2 -> English name); others are allowed.
COUNTRIES: dict[str, str] = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}



@dataclass(frozen=True)
class DatasetFormat:
    """A format an import reads: a dataset's own export, or a spreadsheet of any layout."""

    code: str
    label: str  # what the Import page calls it (translated where it is shown)
    dataset: str  # the dataset's name, stored with its incidents ("" for spreadsheets)
    restricted: bool = False  # its terms forbid redistributing the data


#: The import formats, in the order the Import page offers them.
DATASET_FORMATS: tuple[DatasetFormat, ...] = (
    DatasetFormat("acled", N_("ACLED"), "ACLED", restricted=True),
    DatasetFormat("ucdp", N_("UCDP GED"), "UCDP GED"),
    DatasetFormat("gtd", N_("GTD"), "GTD", restricted=True),
    DatasetFormat("generic", N_("Spreadsheet (map the columns)"), ""),
)
FORMATS: tuple[str, ...] = tuple(f.code for f in DATASET_FORMATS)
FORMAT_BY_CODE: dict[str, DatasetFormat] = {f.code: f for f in DATASET_FORMATS}
#: Formats whose data may not be redistributed.
RESTRICTED_FORMATS: frozenset[str] = frozenset(f.code for f in DATASET_FORMATS if f.restricted)

# --- columns --------------------------------------------------------------------------------

#: Column name -> pandas dtype, in display order.
DTYPES: dict[str, str] = {
    "incident_id": "string",  # stable, prefixed by its source: "ucdp:235799"
    "date_start": "datetime64[s]",
    "date_end": "datetime64[s]",
    "date_precision": "category",
    "country": "category",  # ISO 3166-1 alpha-2
    "country_name": "string",
    "admin1": "string",
    "admin2": "string",
    "location": "string",  # the place as reported
    "latitude": "Float64",
    "longitude": "Float64",
    "geo_precision": "category",
    "geocoder": "category",
    "event_type": "category",
    "source_event_type": "string",  # the type as the source dataset names it
    "actor": "string",
    "target": "string",
    "fatalities_low": "Int64",
    "fatalities_best": "Int64",
    "fatalities_high": "Int64",
    "claims": "string",  # JSON list of {"claimant", "claim", "source"}
    "description": "string",
    "sources": "string",  # JSON list of {"title", "publisher", "date", "url"}
    "dataset": "string",
    "imported_at": "datetime64[s]",
}

COLUMNS: tuple[str, ...] = tuple(DTYPES)

_CATEGORIES: dict[str, tuple[str, ...]] = {
    "date_precision": DATE_PRECISIONS,
    "geo_precision": GEO_PRECISIONS,
    "geocoder": GEOCODERS,
    "event_type": EVENT_TYPE_CODES,
}


def empty_frame() -> pd.DataFrame:
    """Return an empty incident frame with every column and its dtype."""
    return conform(pd.DataFrame({c: [] for c in COLUMNS}))


def _text_categorical(values: pd.Series) -> bool:
    """Whether ``values`` is a categorical of strings (whose categories can be cast alone)."""
    return isinstance(values.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(
        values.cat.categories
    )


def _as_string(values: pd.Series) -> pd.Series:
    """Return ``values`` as the "string" dtype; a categorical converts its categories only."""
    if _text_categorical(values):
        # Same result as values.astype("string"), without a Python object per row.
        categories = pd.array(values.cat.categories.astype("string"))
        codes = values.cat.codes.to_numpy()
        return pd.Series(categories.take(codes, allow_fill=True), index=values.index)
    return values.astype("string")


def _as_category(col: str, values: pd.Series, cats: tuple[str, ...]) -> pd.Categorical:
    """Return ``values`` as a categorical with exactly ``cats``; raise on a value outside them."""
    if _text_categorical(values):
        # Recode the (few) categories instead of comparing every row's string.
        names = values.cat.categories.astype("string")
        codes = values.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(names)) > 0
        target = pd.Index(cats).get_indexer(names)
        bad = names[used & (target < 0)]
        if len(bad):
            raise DataError(f"{col}: {sorted(set(bad))[:5]} not in {list(cats)}")
        new_codes = np.where(codes >= 0, target[codes], -1)
        return pd.Categorical.from_codes(new_codes, categories=list(cats))
    values = values.astype("string")
    present = values.dropna()
    bad = present[~present.isin(cats)]
    if len(bad):
        raise DataError(f"{col}: {sorted(set(bad))[:5]} not in {list(cats)}")
    return pd.Categorical(values, categories=cats)


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` with exactly the schema's columns, dtypes and categories.

    Missing optional columns are added as NA. Raises ``DataError`` when a value does not
    fit its column (an unknown precision class, an event type outside the taxonomy, a
    non-numeric coordinate, a duplicate or empty ``incident_id``).
    """
    columns: dict[str, object] = {}
    for col, dtype in DTYPES.items():
        values = df[col] if col in df.columns else pd.Series(pd.NA, index=df.index)
        try:
            if dtype == "category":
                cats = _CATEGORIES.get(col)
                if cats is not None:
                    columns[col] = _as_category(col, values, cats)
                else:
                    columns[col] = _as_string(values).astype("category")
            elif dtype.startswith("datetime64"):
                columns[col] = pd.to_datetime(values, errors="raise").astype(dtype)
            elif dtype == "string":
                columns[col] = _as_string(values)
            else:
                columns[col] = values.astype(dtype)
        except (ValueError, TypeError) as exc:
            raise DataError(f"column {col!r} does not fit {dtype}: {exc}") from exc
    # Arrays, not Series: no index alignment (the index may hold duplicates).
    out = pd.DataFrame(
        {c: v.array if isinstance(v, pd.Series) else v for c, v in columns.items()},
        index=df.index,
    )
    ids = out["incident_id"]
    if ids.isna().any() or (ids.str.len() == 0).any():
        raise DataError("incident_id must be set on every row")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise DataError(f"duplicate incident_id: {list(dup.unique()[:5])}")
    lat, lon = out["latitude"], out["longitude"]
    if ((lat < -90) | (lat > 90)).any() or ((lon < -180) | (lon > 180)).any():
        raise DataError("latitude/longitude out of range")
    if (lat.isna() != lon.isna()).any():
        raise DataError("latitude and longitude must be both set or both unknown")
    return out.reset_index(drop=True)


#: One line per column: what it holds. The About page and README's data dictionary use it.
COLUMN_DOCS: dict[str, str] = {
    "incident_id": N_(
        "Stable identifier prefixed by its source: `ucdp:235799`, `acled:MLI1234`, "
        "`gtd:201709170001`, `atlas:…` for incidents written by the team."
    ),
    "date_start": N_("First day the incident may have happened on."),
    "date_end": N_("Last day it may have happened on (equal to date_start when known to the day)."),
    "date_precision": N_("How exactly the date is known: day, week, month or year."),
    "country": N_("ISO 3166-1 alpha-2 code (ML, BF, NE …)."),
    "country_name": N_("Country name in English."),
    "admin1": N_("First-order administrative unit (region), as the source names it."),
    "admin2": N_("Second-order administrative unit (cercle, province, department)."),
    "location": N_("The place as reported (free text)."),
    "latitude": N_("WGS 84 latitude of the point shown on the map; empty when not mapped."),
    "longitude": N_("WGS 84 longitude."),
    "geo_precision": N_(
        "What the point stands for: site, neighbourhood, town, admin2, admin1 or "
        "country. The map draws coarser points as faded or dashed rings and shows their radius."
    ),
    "geocoder": N_(
        "Where the point came from: source (the dataset), gazetteer (GeoNames), airport "
        "(airport list), online (online geocoder), manual (a person placed it), none."
    ),
    "event_type": N_("One taxonomy for all sources: the codes of the event-type table."),
    "source_event_type": N_("The event type as the source dataset names it."),
    "actor": N_("Who carried it out (UCDP side_a, ACLED actor1, GTD gname)."),
    "target": N_("Whom or what it was aimed at (UCDP side_b, ACLED actor2, GTD target)."),
    "fatalities_low": N_("Lowest credible number of deaths; empty when no source states one."),
    "fatalities_best": N_("Best estimate of deaths; empty (never 0) when unknown."),
    "fatalities_high": N_("Highest credible number of deaths."),
    "claims": N_("JSON list of claims, each attributed: {claimant, claim, source}."),
    "description": N_("What happened, in words."),
    "sources": N_("JSON list of sources: {publisher, date, title, url}."),
    "dataset": N_("Dataset the incident came from (UCDP GED 24.1, an import's name …)."),
    "imported_at": N_("When it was imported (UTC); empty for bundled data."),
}
