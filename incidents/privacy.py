"""The public view of sensitive data: coarser points and hidden fields for viewers without edit rights.

A ``PublicPolicy`` says how coarse a point a viewer may see (town, admin2 or admin1) and which
fields they may not see. ``apply_public_view`` returns the frame that everything a viewer gets is
built from: the map, its tooltips and selection, the table, the exports and the shared links.

Points are coarsened by snapping them to the centre of a fixed grid cell (``GRID_DEGREES``). A
grid is deterministic, needs no data file and never leaks the original point: every incident in a
cell lands on the same centre, whatever its exact place was. The cell sizes are chosen so that the
radius the map draws for the target class (``GEO_PRECISION_RADIUS_KM``) always holds the true
place: a cell's half-diagonal (at most 3.9 km, 39 km, 118 km) is smaller than 5, 50 and 150 km.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from incidents.errors import IncidentsError
from incidents.i18n import format_number, gettext
from incidents.schema import COLUMNS, GEO_PRECISIONS, PRECISION_BY_CODE

__all__ = [
    "COARSEN_LEVELS",
    "GRID_DEGREES",
    "HIDE_ENV",
    "PRECISION_ENV",
    "PROTECTED_FIELDS",
    "PolicyError",
    "PublicPolicy",
    "apply_public_view",
    "describe_policy",
    "policy_from_settings",
]

#: Grid cell size in degrees for each class a public view may coarsen points to (about
#: 5.5 km, 55 km and 165 km at the equator).
GRID_DEGREES: dict[str, float] = {"town": 0.05, "admin2": 0.5, "admin1": 1.5}

#: Classes a public view may coarsen points to, finest first.
COARSEN_LEVELS: tuple[str, ...] = tuple(p for p in GEO_PRECISIONS if p in GRID_DEGREES)

#: Fields a policy cannot hide: the id and what the map and the date filters are built from.
PROTECTED_FIELDS: frozenset[str] = frozenset(
    {"incident_id", "latitude", "longitude", "geo_precision", "date_start", "date_end"}
)

PRECISION_ENV = "INCIDENTS_PUBLIC_PRECISION"
HIDE_ENV = "INCIDENTS_PUBLIC_HIDE"

_OFF = {"", "none", "off", "exact", "false", "0"}


class PolicyError(IncidentsError):
    """The public-view settings name an unknown precision class or field."""


@dataclass(frozen=True)
class PublicPolicy:
    """What viewers without edit rights may see. The default shows everything."""

    coarsen_to: str | None = None  # None, "town", "admin2" or "admin1"
    hidden_fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.coarsen_to is not None and self.coarsen_to not in COARSEN_LEVELS:
            raise PolicyError(
                f"public precision {self.coarsen_to!r} is not one of {', '.join(COARSEN_LEVELS)}"
            )
        unknown = [f for f in self.hidden_fields if f not in COLUMNS]
        if unknown:
            raise PolicyError(f"cannot hide unknown fields: {', '.join(unknown)}")
        protected = [f for f in self.hidden_fields if f in PROTECTED_FIELDS]
        if protected:
            raise PolicyError(
                f"cannot hide {', '.join(protected)}: coarsen the points with the precision "
                "setting instead"
            )

    @property
    def active(self) -> bool:
        """True when the policy changes anything."""
        return self.coarsen_to is not None or bool(self.hidden_fields)


def _fields(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def policy_from_settings(
    settings: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
) -> PublicPolicy:
    """Return the policy set by ``settings`` (``precision``, ``hide``) or else by the environment.

    ``settings`` is the ``[public]`` table of the app's secrets; a key it does not set is read
    from ``$INCIDENTS_PUBLIC_PRECISION`` / ``$INCIDENTS_PUBLIC_HIDE`` (comma-separated fields).
    Raises ``PolicyError`` for a value it does not know, so that a typo never shows exact points.
    """
    settings = settings or {}
    environ = environ if environ is not None else {}
    precision = settings.get("precision", environ.get(PRECISION_ENV))
    hide = settings.get("hide", environ.get(HIDE_ENV))
    level = None if precision is None else str(precision).strip().lower()
    return PublicPolicy(
        coarsen_to=None if level in _OFF or level is None else level,
        hidden_fields=_fields(hide),
    )


def _snap(values: pd.Series, cell: float, low: float, high: float) -> pd.Series:
    x = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    centre = np.floor(x / cell) * cell + cell / 2
    centre = np.clip(centre, low, high)
    return pd.Series(np.round(centre, 4), index=values.index).astype("Float64")


def _area_label(df: pd.DataFrame, level: str) -> pd.Series:
    """Return the name of the area a coarsened incident is shown at, e.g. "Kati, Koulikoro"."""
    columns = ["admin1", "country_name"] if level == "admin1" else ["admin2", "admin1",
                                                                    "country_name"]
    first = pd.Series(pd.NA, index=df.index, dtype="string")
    second = first.copy()
    for column in columns:  # the first two names that are known, finest first
        name = df[column].astype("string").replace("", pd.NA)
        second = second.mask(second.isna() & first.notna(), name)
        first = first.fillna(name)
    return first.where(second.isna(), first + ", " + second)


def apply_public_view(df: pd.DataFrame, policy: PublicPolicy) -> pd.DataFrame:
    """Return ``df`` as a viewer may see it under ``policy`` (``df`` is not changed).

    With ``policy.coarsen_to`` set, **every** point moves to the centre of its grid cell,
    whatever precision it is labelled with: a label is a claim, not a guarantee (a spreadsheet
    can call an exact site "town" or "admin1"), so only the grid protects the site. The cell is
    the policy's, or the label's own when that is coarser (an admin 1 centroid keeps an admin 1
    ring). The precision becomes the coarser of the label and the policy; every place text,
    which may name the exact site, becomes the name of its admin 2 (admin 1 when coarsening to
    admin 1, which also drops admin 2) and the geocoder, which may hint at the site
    ("airport"), becomes unknown. Hidden fields become NA. ``incident_id`` is kept: ids are
    never derived from hidden fields (``incidents.readers.generic``).
    """
    if not policy.active:
        return df
    out = df.copy()
    if policy.coarsen_to is not None:
        target = GEO_PRECISIONS.index(policy.coarsen_to)
        rank = out["geo_precision"].astype("string").map(
            {p: i for i, p in enumerate(GEO_PRECISIONS)}).astype("Float64")
        shown = rank.fillna(target).clip(lower=target).astype(int)
        located = out["latitude"].notna().to_numpy(dtype=bool)
        # Each class coarser than the policy snaps to its own, coarser grid (country: admin1).
        for level in COARSEN_LEVELS[COARSEN_LEVELS.index(policy.coarsen_to):]:
            level_rank = GEO_PRECISIONS.index(level)
            last = level == COARSEN_LEVELS[-1]
            on_level = ((shown >= level_rank) if last else (shown == level_rank)).to_numpy()
            move = on_level & located
            if move.any():
                cell = GRID_DEGREES[level]
                out.loc[move, "latitude"] = _snap(out.loc[move, "latitude"], cell, -90.0, 90.0)
                out.loc[move, "longitude"] = _snap(out.loc[move, "longitude"], cell,
                                                   -180.0, 180.0)
        labels = pd.Categorical([GEO_PRECISIONS[i] for i in shown],
                                categories=out["geo_precision"].cat.categories
                                if isinstance(out["geo_precision"].dtype, pd.CategoricalDtype)
                                else GEO_PRECISIONS)
        out["geo_precision"] = pd.Series(labels, index=out.index).where(
            pd.Series(located, index=out.index) | out["geo_precision"].notna())
        out.loc[located, "geocoder"] = pd.NA  # "airport" or "manual" would hint at the site
        has_text = out["location"].notna().to_numpy(dtype=bool)
        relabel = located | has_text
        if relabel.any():
            out.loc[relabel, "location"] = _area_label(out, policy.coarsen_to)[relabel]
            if policy.coarsen_to == "admin1":
                out.loc[relabel, "admin2"] = pd.NA
    for column in policy.hidden_fields:
        if column in out.columns:
            if isinstance(out[column].dtype, pd.CategoricalDtype):
                out[column] = pd.Categorical([None] * len(out),
                                             categories=out[column].cat.categories)
            else:
                out[column] = pd.Series(pd.NA, index=out.index).astype(out[column].dtype)
    return out


def describe_policy(policy: PublicPolicy, lang: str = "en") -> str:
    """Return one sentence telling a viewer how their view differs from the data, or '',
    in ``lang``."""
    if not policy.active:
        return ""
    parts = []
    if policy.coarsen_to is not None:
        km = GRID_DEGREES[policy.coarsen_to] * 111.32
        what = PRECISION_BY_CODE[policy.coarsen_to].phrase
        parts.append(gettext(
            "places are shown no more precisely than {what} (points moved to the centre of a "
            "grid cell of about {km} km)", lang, what=gettext(what, lang),
            km=format_number(math.ceil(km), lang)))
    if policy.hidden_fields:
        parts.append(gettext("these fields are hidden: {fields}", lang,
                             fields=", ".join(policy.hidden_fields)))
    return gettext("Public view: {parts}.", lang, parts="; ".join(parts))
