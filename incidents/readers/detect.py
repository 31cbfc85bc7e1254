"""Read any tabular file users bring, and tell which dataset's export it is.

``read_table`` turns bytes (CSV in any common dialect, or .xlsx) into a frame of text cells,
one row per data row of the file, keeping the 1-based data-row number in the index (+1) so
that every rejection names the row the user sees. It detects:

- the file kind from its first bytes (``.xlsx`` is a zip; old ``.xls``, PDF and other binary
  files are refused with a clear message);
- the encoding: UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (latin-1 fallback);
- the delimiter: comma, semicolon, tab or pipe, by which one splits the first lines into the
  most consistent number of fields;
- the header row (title lines above it are skipped) and an HXL hashtag row below it (HDX
  exports), neither of which counts as data.

Blank rows carry no data and are not data rows. A row with more non-empty fields than the
header is rejected (a stray delimiter or quote), a shorter row is padded with empty cells.

``detect_format`` names the export a header row comes from: ``acled``, ``ucdp``, ``gtd`` or
``generic``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from incidents.errors import ReaderError
from incidents.readers import RowRejection

__all__ = [
    "FORMATS",
    "MAX_FIELD_CHARS",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "RawTable",
    "decode_text",
    "detect_format",
    "read_table",
    "sniff_delimiter",
]

#: Formats an import can be read as; ``auto`` picks one with ``detect_format``.
FORMATS: tuple[str, ...] = ("acled", "ucdp", "gtd", "generic")

#: A cell longer than this is not data anyone typed: its row is rejected.
MAX_FIELD_CHARS = 100_000
#: An .xlsx may unpack to at most this many bytes (a zip bomb is refused before it is opened).
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Unpacked/packed size ratio above which an .xlsx is refused as a zip bomb.
MAX_XLSX_RATIO = 200
#: At most this many data rows (or columns) per file.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50
_HEADER_SCAN = 20
# Signatures of binary files users upload by mistake, with what to tell them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls (or another Office 97) file: save it as .xlsx or CSV"),
    (b"%PDF", "a PDF document, not a table: export the table as CSV or .xlsx"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"\x89PNG", "a PNG image, not a table"),
    (b"\xff\xd8\xff", "a JPEG image, not a table"),
    (b"Rar!", "a RAR archive: unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive: unpack it first"),
    (b"SQLite format 3", "a SQLite database, not a table"),
)

# csv refuses fields over 128 KiB by default; we want to see them and reject their row.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


@dataclass(frozen=True, eq=False)
class RawTable:
    """A file's data rows as text cells (NA when empty), with what was detected on the way.

    ``frame``'s index is the 0-based data-row number: row ``i + 1`` is what users are told.
    ``rejected`` are rows refused before any format looked at them and ``raw_rows`` their
    cells; ``total`` counts every data row, accepted by the table or not.
    """

    frame: pd.DataFrame
    columns: tuple[str, ...]
    total: int
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    rejected: tuple[RowRejection, ...] = ()
    raw_rows: dict[int, tuple[str, ...]] = field(default_factory=dict)
    notices: tuple[str, ...] = ()  # what the user must know about how it was read


# --- text ----------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Return the text of ``data`` and the encoding it was read with.

    UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; any other byte string
    is read as cp1252, the Windows encoding of French spreadsheets, or latin-1 for the five
    bytes cp1252 leaves undefined. Raises ``ReaderError`` for binary files.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReaderError(f"this file is {what}")
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReaderError(f"the file starts like UTF-16 text but is not: {exc}") from exc
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
    if "\x00" in text[:65536]:
        raise ReaderError(
            "this file holds binary data, not text: upload a CSV or .xlsx table"
        )
    return text, encoding


def sniff_delimiter(text: str) -> str:
    """Return the delimiter (comma, semicolon, tab or pipe) that splits ``text`` most evenly."""
    sample_lines = [line for line in text.splitlines()[: _SNIFF_LINES * 4] if line.strip()]
    sample = "\n".join(sample_lines[:_SNIFF_LINES])
    best, best_score = ",", (-1.0, 0)
    for delim in _DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delim) if any(r)]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in rows]
        mode = max(set(widths), key=widths.count)
        if mode < 2:
            continue
        consistency = widths.count(mode) / len(widths)
        score = (round(consistency, 2), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


# --- rows -> frame ---------------------------------------------------------------------------


def _clean(cell: object) -> str:
    return "" if cell is None else str(cell)


def _is_hxl(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c and c.strip()]
    return bool(cells) and sum(c.startswith("#") for c in cells) >= max(1, len(cells) * 0.6)


def _header_index(rows: list[list[str]]) -> int:
    """Return the index of the header among the first rows: the first row nearly as wide as
    most rows (title lines above a table are narrower)."""
    counts = [sum(1 for c in r if c.strip()) for r in rows[:_HEADER_SCAN]]
    usual = max(set(counts), key=lambda n: (counts.count(n), n)) if counts else 0
    for i, n in enumerate(counts):
        if n >= max(1, usual * 0.75) and (n >= 2 or usual < 2):
            return i
    return 0


def _header_names(row: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(row):
        name = " ".join(cell.replace("\ufeff", "").split()) or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return tuple(names)


def _frame_from_rows(rows: list[list[str]], kind: str, **detected) -> RawTable:
    """Return the table of ``rows`` (the header among them), checking every data row."""
    nonblank = [r for r in rows if any(c.strip() for c in r)]
    if not nonblank:
        raise ReaderError("the file holds no table: it is empty or has only blank lines")
    start = _header_index(nonblank)
    header = nonblank[start]
    # Trailing empty header cells are spreadsheet padding, not columns.
    while len(header) > 1 and not header[-1].strip():
        header = header[:-1]
    columns = _header_names(header)
    if len(columns) > MAX_COLUMNS:
        raise ReaderError(f"the table has {len(columns):,} columns; at most {MAX_COLUMNS:,}")
    body = nonblank[start + 1 :]
    if body and _is_hxl(body[0]):
        body = body[1:]
    if len(body) > MAX_ROWS:
        raise ReaderError(f"the file has {len(body):,} rows; at most {MAX_ROWS:,} per import")
    width = len(columns)
    good: list[list[str]] = []
    index: list[int] = []
    rejected: list[RowRejection] = []
    raw_rows: dict[int, tuple[str, ...]] = {}
    for i, row in enumerate(body):
        if len(row) > width:
            extra = row[width:]
            if any(c.strip() for c in extra):
                rejected.append(RowRejection(
                    i + 1,
                    f"the row has {len(row)} fields but the header has {width} "
                    "(a stray delimiter or an unclosed quote?)",
                ))
                raw_rows[i] = tuple(row)
                continue
            row = row[:width]
        if any(len(c) > MAX_FIELD_CHARS for c in row):
            rejected.append(RowRejection(
                i + 1, f"a field is longer than {MAX_FIELD_CHARS:,} characters"
            ))
            raw_rows[i] = tuple(c[:200] for c in row)
            continue
        good.append(row + [""] * (width - len(row)))
        index.append(i)
    frame = pd.DataFrame(good, columns=list(range(width)), index=index, dtype=object)
    frame.columns = list(columns)
    frame = frame.apply(lambda s: s.str.strip()).replace("", pd.NA) if len(frame) else frame
    return RawTable(frame=frame, columns=columns, total=len(body), kind=kind,
                    rejected=tuple(rejected), raw_rows=raw_rows, **detected)


def _read_csv_text(text: str, encoding: str) -> RawTable:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [list(r) for r in reader]
    except csv.Error as exc:  # only an unreadable structure, e.g. NUL in a field
        raise ReaderError(f"cannot read the file as CSV: {exc}") from exc
    return _frame_from_rows(rows, "csv", encoding=encoding, delimiter=delimiter)


# --- xlsx ------------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    """Refuse an .xlsx whose parts would unpack to too much (a zip bomb) before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise ReaderError(f"this file looks like a zip/.xlsx but is damaged: {exc}") from exc
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_XLSX_UNPACKED_BYTES or unpacked / packed > MAX_XLSX_RATIO:
        raise ReaderError(
            f"this .xlsx would unpack to {unpacked / 1e6:,.0f} MB from {packed / 1e6:,.1f} MB: "
            "refused as too large (or a zip bomb); save the sheet as CSV"
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise ReaderError("this zip file is not an Excel .xlsx workbook")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _read_xlsx(data: bytes) -> RawTable:
    _check_zip(data)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError,
            TypeError) as exc:
        raise ReaderError(f"cannot open the .xlsx workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            if len(rows) > MAX_ROWS + _HEADER_SCAN:
                raise ReaderError(f"the sheet has more than {MAX_ROWS:,} rows")
            rows.append([_cell_text(v) for v in values])
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise ReaderError(f"cannot read the first sheet of the workbook: {exc}") from exc
    finally:
        book.close()
    # read-only sheets report trailing empty cells; trim ragged right edges
    return _frame_from_rows(rows, "xlsx")


def read_table(data: bytes, filename: str = "") -> RawTable:
    """Return the data rows of a CSV or .xlsx file given as bytes (see the module docstring)."""
    if not data or not data.strip():
        raise ReaderError("the file is empty")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        if not data.startswith(b"PK"):
            raise ReaderError("the file is named .xlsx but is not an Excel workbook")
        return _read_xlsx(data)
    text, encoding = decode_text(data)
    return _read_csv_text(text, encoding)


# --- format ----------------------------------------------------------------------------------

#: Columns that identify each dataset's export (a subset of its header).
ACLED_SIGNATURE = frozenset({"event_id_cnty", "event_date", "event_type", "actor1",
                             "latitude", "longitude", "fatalities"})
GTD_SIGNATURE = frozenset({"eventid", "iyear", "imonth", "iday", "country_txt", "gname"})


def detect_format(columns) -> str:
    """Return the export a header row comes from: acled, ucdp, gtd or generic."""
    from incidents.readers.ucdp import looks_like_ucdp

    cols = {re.sub(r"\s+", "", str(c)).lower() for c in columns}
    if cols >= ACLED_SIGNATURE:
        return "acled"
    if looks_like_ucdp(cols):
        return "ucdp"
    if cols >= GTD_SIGNATURE:
        return "gtd"
    return "generic"


def table_parts(
    table: RawTable | pd.DataFrame, required: tuple[str, ...] = (), what: str = ""
) -> tuple[pd.DataFrame, int, list]:
    """Return a reader's input as (frame with lower-cased headers, total rows, rows refused
    before the reader), checking that ``required`` columns are there."""
    if isinstance(table, RawTable):
        raw, total, pre_rejected = table.frame, table.total, list(table.rejected)
    else:
        raw, total, pre_rejected = table, len(table), []
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise ReaderError(f"not {what}: missing columns {missing}")
    return raw, total, pre_rejected
