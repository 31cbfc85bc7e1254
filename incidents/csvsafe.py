"""The one CSV writer of the project: every CSV the app or the command line writes uses it.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=cmd|' /C calc'!A0``, ``@SUM(1)``, ``=HYPERLINK(…)``). Every
text cell that would be read so gets a leading single quote; a plain number (``-7.94706``) is
left as it is, since it is no formula. Files are UTF-8 with a BOM (for Excel), CRLF lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from incidents.text import is_missing

__all__ = ["FORMULA_PREFIXES", "csv_bytes", "csv_text", "frame_csv_bytes", "neutralise_cell"]

#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def neutralise_cell(value: str) -> str:
    """Return ``value`` with a leading single quote when a spreadsheet would run it as a formula."""
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if is_missing(value):
        return ""
    return neutralise_cell(value) if isinstance(value, str) else value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Return ``rows`` (the header first) as CSV text, every text cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Return ``csv_text(rows)`` as UTF-8 with a BOM."""
    return csv_text(rows).encode("utf-8-sig")


def frame_csv_bytes(df: pd.DataFrame) -> bytes:
    """Return ``df`` as CSV bytes, every text cell neutralised (vectorised for large frames).

    Text columns (string, object, categorical) are neutralised cell by cell; numbers are
    written as numbers; unknown is empty.
    """
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        series = df[column]
        if (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object
                or isinstance(series.dtype, pd.CategoricalDtype)):
            text = series.astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False) & ~text.str.fullmatch(
                _PLAIN_NUMBER.pattern).fillna(False)
            out[column] = text.where(~risky, "'" + text)
        else:
            out[column] = series
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
