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
from dataclasses import dataclass, field

import pandas as pd

from incidents.errors import ReaderError
from incidents.readers import RowRejection

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_ROWS",
    "RawTable",
    "decode_text",
    "detect_format",
    "read_table",
    "sniff_delimiter",
]

#: A cell longer than this is not data anyone typed: its row is rejected.
MAX_FIELD_CHARS = 100_000
#: A column name longer than this is no name: the file is refused.
MAX_HEADER_CHARS = 1_000
#: At most this many data rows (or columns) per file.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50
HEADER_SCAN = 20
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
    bytes cp1252 leaves undefined. A file mixing UTF-8 and cp1252 lines (two people edited
    it) has each line read in its own encoding (``read_table`` says so). Raises
    ``ReaderError`` for binary files.
    """
    text, encoding, _ = _decode(data)
    return text, encoding


def _windows(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _decode_8bit(body: bytes, bom: bool) -> tuple[str, str, tuple[str, ...]]:
    """Decode UTF-8, cp1252, or a mix of both line by line (reported, never silent)."""
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", ()
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    foreign: list[int] = []
    utf8_text = bom
    for number, line in enumerate(body.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
            utf8_text = utf8_text or not line.isascii()
        except UnicodeDecodeError:
            parts.append(_windows(line)[0])
            foreign.append(number)
    if not utf8_text:  # no UTF-8 letter anywhere: a Windows file
        return (*_windows(body), ())
    shown = ", ".join(map(str, foreign[:5])) + (" …" if len(foreign) > 5 else "")
    notice = (f"the file mixes two encodings: {len(foreign):,} of its lines are not UTF-8 and "
              f"were read as Windows cp1252 (file line {shown}); check their accented letters")
    return "".join(parts), "utf-8 + cp1252", (notice,)


def _decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Return the text, its encoding and notices about how it was read (see decode_text)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReaderError(f"this file is {what}")
    notices: tuple[str, ...] = ()
    if data.startswith(codecs.BOM_UTF8):
        text, encoding, notices = _decode_8bit(data[3:], bom=True)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReaderError(f"the file starts like UTF-16 text but is not: {exc}") from exc
    else:
        text, encoding, notices = _decode_8bit(data, bom=False)
    sample = text[:65536]
    # A few NUL characters are damaged cells (their rows are rejected); many are binary data.
    if sample.count("\x00") > max(8, len(sample) // 100):
        raise ReaderError(
            "this file holds binary data, not text: upload a CSV or .xlsx table"
        )
    return text, encoding, notices


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
    counts = [sum(1 for c in r if c.strip()) for r in rows[:HEADER_SCAN]]
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


def frame_from_rows(rows: list[list[str]], kind: str, **detected) -> RawTable:
    """Return the table of ``rows`` (the header among them), checking every data row."""
    nonblank = [r for r in rows if any(c.strip() for c in r)]
    if not nonblank:
        raise ReaderError("the file holds no table: it is empty or has only blank lines")
    start = _header_index(nonblank)
    header = nonblank[start]
    # Trailing empty header cells are spreadsheet padding, not columns.
    while len(header) > 1 and not header[-1].strip():
        header = header[:-1]
    longest = max((len(c) for c in header), default=0)
    if longest > MAX_HEADER_CHARS:
        raise ReaderError(f"a column name is {longest:,} characters long: the first row is "
                          "not a header of column names")
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
        if isinstance(row, _Broken):
            rejected.append(RowRejection(i + 1, row.reason))
            raw_rows[i] = tuple(row)
            continue
        if any("\x00" in c for c in row):
            # No database stores a NUL in text (PostgreSQL refuses the whole batch).
            rejected.append(RowRejection(
                i + 1, "a field holds a NUL character (\\0), which is not text: the file is "
                "damaged here"))
            raw_rows[i] = tuple(c.replace("\x00", "\\0")[:200] for c in row)
            continue
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


class _Broken(list):
    """The cells of a row that cannot be read as it stands, and why (it is rejected)."""

    reason: str = ""


def _usual_width(lines: list[str], delimiter: str) -> int:
    """Return the most common number of fields of the first lines, each read on its own."""
    widths = []
    for line in lines[:_SNIFF_LINES * 2]:
        if line.strip():
            widths.extend(len(r) for r in csv.reader([line], delimiter=delimiter))
    return max(set(widths), key=widths.count) if widths else 0


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    """Return the rows of ``text``; a row whose unclosed quote swallowed the lines after it
    comes back as one ``_Broken`` row, and the swallowed lines are read again as rows.

    A quoted field may hold line breaks (a description in paragraphs); it is an unclosed
    quote when the row ends up with the wrong number of fields and a line it swallowed
    reads as a whole row.
    """
    lines = io.StringIO(text, newline="").readlines()
    usual = _usual_width(lines, delimiter)
    rows: list[list[str]] = []
    start = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
        done, restart = 0, None
        for row in reader:
            first, end = start + done, start + reader.line_num
            if reader.line_num - done > 1 and len(row) != usual and usual > 1 and any(
                    len(next(csv.reader([line], delimiter=delimiter), [])) >= usual
                    for line in lines[first + 1 : end]):
                broken = _Broken(next(csv.reader([lines[first].replace('"', "")],
                                                 delimiter=delimiter), []))
                swallowed = end - first - 1
                broken.reason = (
                    f"an unclosed quote (\") in this row ran into the {swallowed:,} "
                    f"line{'s' if swallowed != 1 else ''} after it: close or remove the quote "
                    "(those lines are read as rows)")
                rows.append(broken)
                restart = first + 1
                break
            rows.append(row)
            done = reader.line_num
        if restart is None:
            break
        start = restart
    return rows


def _read_csv_text(text: str, encoding: str, notices: tuple[str, ...] = ()) -> RawTable:
    delimiter = sniff_delimiter(text)
    try:
        rows = _csv_rows(text, delimiter)
    except csv.Error as exc:  # only an unreadable structure
        raise ReaderError(f"cannot read the file as CSV: {exc}") from exc
    return frame_from_rows(rows, "csv", encoding=encoding, delimiter=delimiter,
                            notices=notices)


# --- xlsx ------------------------------------------------------------------------------------


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def read_table(data: bytes, filename: str = "") -> RawTable:
    """Return the data rows of a CSV or .xlsx file given as bytes (see the module docstring)."""
    if not data or not data.strip():
        raise ReaderError("the file is empty")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        if not data.startswith(b"PK"):
            raise ReaderError("the file is named .xlsx but is not an Excel workbook")
        from incidents.readers.xlsx import read_xlsx

        return read_xlsx(data)
    return _read_csv_text(*_decode(data))


# --- format ----------------------------------------------------------------------------------


def detect_format(columns) -> str:
    """Return the export a header row comes from: acled, ucdp, gtd or generic
    (``incidents.readers.registry.detect_format``)."""
    from incidents.readers.registry import detect_format as detect

    return detect(columns)
