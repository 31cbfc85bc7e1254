"""Read the first sheet of an .xlsx workbook as rows of text cells, within size budgets.

A workbook is a zip: its parts are measured before it is opened (a zip bomb is refused), and
its first sheet is streamed row by row, never measured by parsing it whole.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree import ElementTree

from incidents.errors import ReaderError
from incidents.readers.detect import (
    HEADER_SCAN,
    MAX_COLUMNS,
    MAX_ROWS,
    RawTable,
    frame_from_rows,
    one_line,
)

__all__ = ["MAX_XLSX_CELLS", "MAX_XLSX_UNPACKED_BYTES", "read_xlsx"]

#: An .xlsx may unpack to at most this many bytes (a zip bomb is refused before it is opened).
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Unpacked/packed size ratio above which an .xlsx is refused as a zip bomb.
MAX_XLSX_RATIO = 200
#: An .xlsx's shared-string table (read whole by openpyxl) may unpack to at most this much.
MAX_XLSX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
#: At most this many cells are read from a workbook (openpyxl reads some 50,000-500,000 a
#: second): a sheet within every size limit still cannot tie an import up for minutes.
MAX_XLSX_CELLS = 2_000_000


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
    strings = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_XLSX_SHARED_STRINGS_BYTES:
        raise ReaderError(
            f"this .xlsx holds {strings / 1e6:,.0f} MB of text in its shared-string table, more "
            "than an import reads: save the sheet as CSV"
        )
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


# What openpyxl may raise on a damaged or hostile workbook (a shared string that does not
# exist, broken XML, a bad number): each becomes a one-line refusal, never a traceback.
_XLSX_ERRORS: tuple[type[BaseException], ...] = (
    KeyError, IndexError, ValueError, TypeError, AttributeError, EOFError, OSError,
    zipfile.BadZipFile, zlib.error, ElementTree.ParseError, OverflowError,
)


def _first_sheet_rows(data: bytes):
    """Yield the first worksheet's rows as ``(row number, {column: value})``, streamed.

    openpyxl's read-only row parser, without its ``ReadOnlyWorksheet``: that one measures
    the sheet by parsing all of it when the file declares no dimension (minutes for a
    3.9 MB sheet), and pads every row to the declared width (a hostile ``A1:XFD1048576``).
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)  # date formats: which numbers are dates
    sheets = [rel.target for _, rel in reader.parser.find_sheets()
              if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    if not sheets:
        raise ReaderError("the workbook has no worksheet")
    wb = reader.wb
    try:
        with reader.archive.open(sheets[0]) as src:
            parser = WorkSheetParser(src, reader.shared_strings, data_only=True,
                                     epoch=wb.epoch, date_formats=wb._date_formats,
                                     timedelta_formats=wb._timedelta_formats)
            for number, cells in parser.parse():
                yield number, {c["column"]: c["value"] for c in cells}
    finally:
        reader.archive.close()


def read_xlsx(data: bytes) -> RawTable:
    """Return the first sheet, streamed row by row, within a budget of cells and columns.

    Rows are read until the sheet ends or ``MAX_XLSX_CELLS`` cells have been read, whichever
    comes first; blank rows (also rows the file skips) carry no data and are not data rows.
    """
    _check_zip(data)
    from openpyxl.utils.exceptions import InvalidFileException

    rows: list[list[str]] = []
    cells = 0
    try:
        for _, found in _first_sheet_rows(data):
            width = max((col for col, value in found.items() if value is not None), default=0)
            if width > MAX_COLUMNS:
                raise ReaderError(f"the sheet has a row {width:,} cells wide; at most "
                                  f"{MAX_COLUMNS:,} columns")
            cells += width
            if cells > MAX_XLSX_CELLS:
                raise ReaderError(
                    f"the sheet has more than {MAX_XLSX_CELLS:,} cells, more than an import "
                    "reads from a workbook: save it as CSV (which has no such limit)"
                )
            if not width:
                continue
            if len(rows) > MAX_ROWS + HEADER_SCAN:
                raise ReaderError(f"the sheet has more than {MAX_ROWS:,} rows")
            rows.append([_cell_text(found.get(col)) for col in range(1, width + 1)])
    except (InvalidFileException, *_XLSX_ERRORS) as exc:
        raise ReaderError(f"this .xlsx is damaged ({one_line(exc)}): open it in Excel and "
                          "save it again, or save the sheet as CSV") from exc
    return frame_from_rows(rows, "xlsx")
