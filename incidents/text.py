"""Text helpers every reader and the geocoder share: "is missing", folding and normalising.

One normaliser for the whole project, so that a header, a place, an actor and a gazetteer name
written "Ségou", "SEGOU" or "Segou" meet on one key, and "l'aéroport de Gao" splits into words a
rule can read ("l aeroport de gao").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

import pandas as pd
from unidecode import unidecode

__all__ = ["each", "fold", "is_missing", "normalize_text"]


def is_missing(value: object) -> bool:
    """Return whether a cell holds no value: None, NA, NaT or a float NaN."""
    return (value is None or value is pd.NA or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


def fold(text: str) -> str:
    """Return ``text`` in lower-case ASCII, accents and other scripts transliterated."""
    return unidecode(text).lower()


# French elision ("l'aéroport", "d'Agadez", "jusqu'au") keeps a word boundary; any other
# apostrophe joins the letters it sits between, as in "N'Guigmi" or "Fada N'gourma".
_ELISION = re.compile(r"\b(l|d|qu|jusqu|lorsqu|puisqu)'(?=[a-z])")
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bc\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_POSSESSIVE = re.compile(r"(?<=[a-z])'s\b")


@lru_cache(maxsize=65536)
def _normalize(text: str) -> str:
    folded = _APOSTROPHES.sub("'", fold(text))
    folded = _POSSESSIVE.sub("", folded)  # "Niamey's airport" -> "niamey airport"
    folded = _ELISION.sub(r"\1 ", folded)
    folded = folded.replace("'", "")
    return _NON_ALNUM.sub(" ", folded).strip()


def normalize_text(text: object) -> str:
    """Return ``text`` folded to lower-case ASCII words separated by single spaces ('' when
    missing): no accents, no punctuation."""
    if is_missing(text) or text == "":
        return ""
    return _normalize(str(text))


def each(values: pd.Series, func: Callable) -> pd.Series:
    """Return ``func`` of each non-missing value as an object Series (None where missing).

    ``Series.map`` would let pandas infer an Arrow list type from tuples.
    """
    return pd.Series([None if pd.isna(v) else func(v) for v in values], index=values.index,
                     dtype="object")
