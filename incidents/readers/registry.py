"""The registry of import formats: each format's reader, and which format a header row is.

The importer asks the registry for a reader instead of testing the format itself; a new format
is a new ``Reader`` subclass listed here (and a ``DatasetFormat`` in ``incidents.schema``).
"""

from __future__ import annotations

import re

from incidents.readers.acled import AcledReader
from incidents.readers.base import Reader
from incidents.readers.generic import GenericReader
from incidents.readers.gtd import GtdReader
from incidents.readers.ucdp import UcdpReader

__all__ = ["READERS", "detect_format", "reader_class"]

#: Each format's reader, in the order formats are tried on a header row (spreadsheets last:
#: any table is one).
READERS: dict[str, type[Reader]] = {
    r.format: r for r in (AcledReader, UcdpReader, GtdReader, GenericReader)
}


def reader_class(fmt: str) -> type[Reader]:
    """Return the reader of format ``fmt`` (a code of ``schema.FORMATS``)."""
    return READERS[fmt]


def detect_format(columns) -> str:
    """Return the export a header row comes from: acled, ucdp, gtd or generic."""
    cols = {re.sub(r"\s+", "", str(c)).lower() for c in columns}
    return next(fmt for fmt, reader in READERS.items() if reader.looks_like(cols))
