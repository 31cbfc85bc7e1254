"""Readers turn a dataset's own export into incident rows, reporting every row they reject."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ReadResult", "RowRejection"]


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
