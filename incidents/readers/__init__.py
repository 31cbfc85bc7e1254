"""Readers turn a dataset's own export into incident rows, reporting every row they reject."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ReadResult", "RowRejection", "row_rejections"]


@dataclass(frozen=True)
class RowRejection:
    """A data row that could not become an incident: its 1-based data-row number and why."""

    row: int
    reason: str


@dataclass
class ReadResult:
    """What a reader made of a file: the incidents, the rejected rows and the row count."""

    format: str
    incidents: pd.DataFrame
    rejected: list[RowRejection] = field(default_factory=list)
    total: int = 0


def row_rejections(before: list[RowRejection], reasons: pd.Series) -> list[RowRejection]:
    """Return the rows refused before a reader (``before``) and those it refused, by row.

    ``reasons`` holds one reason per refused row, indexed by the 0-based data-row number.
    """
    found = [RowRejection(int(i) + 1, str(r)) for i, r in reasons.items()]
    return sorted([*before, *found], key=lambda r: r.row)
