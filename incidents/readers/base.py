"""The base of every reader: it owns the row accounting, subclasses only map columns.

As geopy's geocoders leave the network call to their base class and only build a query and
parse the answer, a reader here says which columns it needs and turns a frame of text cells into
incident columns, refusing rows through ``Rejections``; ``Reader.read`` checks the header,
counts every data row (accepted, or rejected with a reason) and conforms the result to the schema.
"""

from __future__ import annotations

from typing import ClassVar

import pandas as pd

from incidents.errors import ReaderError
from incidents.readers import ReadResult, RowRejection, row_rejections
from incidents.readers.detect import RawTable, read_table
from incidents.schema import FORMAT_BY_CODE, conform
from incidents.text import each

__all__ = ["Reader", "Rejections", "shown", "table_parts", "text_column"]


def table_parts(
    table: RawTable | pd.DataFrame, required: tuple[str, ...] = (), what: str = "",
    *, fold_headers: bool = True,
) -> tuple[pd.DataFrame, int, list[RowRejection]]:
    """Return a reader's input as (frame, total rows, rows refused before the reader),
    headers lower-cased unless ``fold_headers`` is False, checking that ``required`` columns
    are there."""
    if isinstance(table, RawTable):
        raw, total, pre_rejected = table.frame, table.total, list(table.rejected)
    else:
        raw, total, pre_rejected = table, len(table), []
    if fold_headers:
        raw = raw.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise ReaderError(f"not {what}: missing columns {missing}")
    return raw, total, pre_rejected


def text_column(raw: pd.DataFrame, column: str) -> pd.Series:
    """Return a column as text, or all NA when the file lacks it."""
    if column in raw.columns:
        return raw[column].astype("string")
    return pd.Series(pd.NA, index=raw.index, dtype="string")


def shown(values: pd.Series, limit: int = 60) -> pd.Series:
    """Return values quoted for a rejection reason, long ones cut (a reason is not a dump)."""
    return each(values, lambda v: repr(v if len(v) <= limit else v[:limit] + "…")).fillna("''")


class Rejections:
    """Why each refused row of a frame was refused; the first reason given for a row stands."""

    def __init__(self, index: pd.Index) -> None:
        self.reasons = pd.Series(pd.NA, index=index, dtype="string")

    def reject(self, mask: pd.Series, reason: str | pd.Series) -> None:
        """Refuse the rows of ``mask`` not refused yet, for ``reason`` (one, or one per row)."""
        mask = mask.fillna(False).astype(bool) & self.reasons.isna()
        self.reasons[mask] = reason[mask] if isinstance(reason, pd.Series) else reason

    @property
    def accepted(self) -> pd.Series:
        """Whether each row is still accepted."""
        return self.reasons.isna()

    def repeats(self, ids: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return which accepted rows repeat the id of an earlier accepted row, and for each
        row the data-row number of the first accepted row with its id.

        Rows already refused do not shadow a later copy of themselves.
        """
        alive = self.accepted
        first = pd.Series(ids.index + 1, index=ids.index).where(alive)
        first_of = first.groupby(ids.fillna("").values).transform("min").astype("Int64")
        return ids.where(alive).duplicated() & alive & ids.notna(), first_of


class Reader:
    """Turns one format's table of text cells into incidents, accounting for every row.

    Subclasses set ``format`` (a code of ``schema.DATASET_FORMATS``), ``required`` (the
    columns without which the file is not of the format) and ``what`` (the format in a
    sentence), and implement ``convert``.
    """

    format: ClassVar[str]
    required: ClassVar[tuple[str, ...]] = ()
    what: ClassVar[str] = ""
    #: Whether headers are compared lower-cased (datasets' exports) or as written (spreadsheets).
    fold_headers: ClassVar[bool] = True
    #: Whether the user maps the file's columns (spreadsheets): a remembered mapping applies,
    #: and rows, which carry no id of their source, are also told apart by day, place and actor.
    maps_columns: ClassVar[bool] = False

    def __init__(self, *, dataset: str | None = None) -> None:
        self.dataset = dataset or FORMAT_BY_CODE[self.format].dataset

    @classmethod
    def for_import(cls, *, dataset: str, mapping: dict[str, str] | None = None,
                   id_key: bytes | None = None) -> Reader:
        """Return the reader an import uses; only spreadsheets take a mapping and an id key."""
        return cls(dataset=dataset)

    @classmethod
    def looks_like(cls, columns: set[str]) -> bool:
        """Return whether a header row (lower-cased, without spaces) is of this format."""
        return set(cls.required) <= columns

    def convert(self, raw: pd.DataFrame, rows: Rejections) -> pd.DataFrame:
        """Return the incident columns of the rows ``rows`` still accepts once it has refused
        those that cannot become incidents."""
        raise NotImplementedError

    def read(self, table: RawTable | pd.DataFrame) -> ReadResult:
        """Return the incidents and rejected rows of a table read as text."""
        raw, total, before = table_parts(table, self.required, self.what,
                                         fold_headers=self.fold_headers)
        rows = Rejections(raw.index)
        frame = self.convert(raw, rows)
        rejected = row_rejections(before, rows.reasons[~rows.accepted])
        return ReadResult(self.format, conform(frame), rejected, total=total)

    def read_bytes(self, data: bytes, filename: str = "") -> ReadResult:
        """Return the incidents and rejected rows of a CSV or .xlsx file given as bytes."""
        return self.read(read_table(data, filename))

    @classmethod
    def convert_table(cls, table: RawTable | pd.DataFrame, *, dataset: str | None = None
                      ) -> ReadResult:
        """Return the incidents and rejected rows of a table read as text, named ``dataset``."""
        return cls(dataset=dataset).read(table)

    @classmethod
    def read_file(cls, data: bytes, filename: str = "", *, dataset: str | None = None
                  ) -> ReadResult:
        """Return the incidents and rejected rows of a CSV or .xlsx file given as bytes."""
        return cls(dataset=dataset).read_bytes(data, filename)
