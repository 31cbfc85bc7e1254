"""What an import did with every data row of a file: the report, and the rejected rows as CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from incidents.csvsafe import csv_text
from incidents.errors import ReaderError
from incidents.readers import RowRejection
from incidents.readers.detect import RawTable

__all__ = ["ImportReport", "rejected_csv"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, in a dry run, would do) with every data row of a file."""

    format: str
    dataset: str
    total: int
    imported: int
    duplicates: int
    rejected: int
    errors: tuple[RowRejection, ...] = ()
    duplicate_rows: tuple[RowRejection, ...] = ()
    geocoded: int = 0
    not_mapped: int = 0
    incident_ids: tuple[str, ...] = ()
    imported_at: dt.datetime | None = None
    dry_run: bool = False
    rejected_csv: str = field(default="", repr=False)
    notices: tuple[str, ...] = ()  # how the file was read, when the user must check it

    def to_dict(self) -> dict:
        """Return the report as the CLI prints it with ``--json``."""
        return {
            "format": self.format,
            "total": self.total,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": [{"row": e.row, "reason": e.reason} for e in self.errors],
            "notices": list(self.notices),
        }

    def check(self) -> ImportReport:
        """Return the report; raise ``ReaderError`` when its counts do not add up to the file's
        rows (never report a count that does not add up)."""
        if self.imported + self.duplicates + self.rejected != self.total:
            raise ReaderError(
                f"row accounting failed: {self.imported} + {self.duplicates} + "
                f"{self.rejected} != {self.total}"
            )
        return self

    def summary_lines(self, name: str, limit: int = 20) -> list[str]:
        """Return the report as the CLI prints it without ``--json``: a line, then the notices
        and the first ``limit`` rejected rows."""
        verb = "would import" if self.dry_run else "imported"
        lines = [f"{name}: {self.format}, {self.total:,} rows: {verb} "
                 f"{self.imported:,} ({self.not_mapped:,} not mapped), "
                 f"{self.duplicates:,} duplicates, {self.rejected:,} rejected"]
        lines += [f"  note: {notice}" for notice in self.notices]
        lines += [f"  row {e.row}: {e.reason}" for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"  … and {len(self.errors) - limit:,} more (use --json for all)")
        return lines


def rejected_csv(table: RawTable, errors: list[RowRejection]) -> str:
    """Return the rejected rows as CSV: their row number, the reason, then the row as read.

    Written by the project's one formula-safe CSV writer (``incidents.csvsafe``): a rejected
    row is hostile more often than any other.
    """
    columns = list(table.columns)
    extra = any(len(table.raw_rows.get(e.row - 1, ())) > len(columns) for e in errors)
    lines: list[list[object]] = [["row", "reason", *columns,
                                  *(["extra fields"] if extra else [])]]
    for e in errors:
        i = e.row - 1
        if i in table.raw_rows:
            cells = list(table.raw_rows[i])
            line = cells[: len(columns)] + [""] * (len(columns) - len(cells))
            if extra:
                line.append(" | ".join(cells[len(columns):]))
        elif i in table.frame.index:
            line = ["" if pd.isna(v) else str(v) for v in table.frame.loc[i].tolist()]
        else:
            line = [""] * len(columns)
        lines.append([e.row, e.reason, *line])
    return csv_text(lines)
