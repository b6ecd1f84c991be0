"""Tables in and out: read uploaded CSV/Excel safely; write cells that cannot run as formulas."""

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted OOXML and legacy .xls


class TableRefused(ValueError):
    """The file cannot be read as a table; the message says why."""


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise TableRefused(_("The file holds NUL bytes (UTF-16 or binary); save it as UTF-8 CSV or Excel."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableRefused(_("The text encoding was not recognised; save the file as UTF-8 CSV or Excel."))


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise TableRefused(_("The Excel file is damaged and cannot be opened.")) from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise TableRefused(_("The Excel file expands to an unreasonable size and was refused."))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_table(data: bytes, filename: str, max_rows: int) -> list[tuple[int, list[str]]]:
    """Return (row number as the user sees it, cells) for every non-blank row of the first sheet."""
    suffix = Path(filename).suffix.lower()
    if data.startswith(OLE_MAGIC):
        raise TableRefused(_("Encrypted or old-format (.xls) Excel files cannot be read; save as .xlsx."))
    if data.startswith(XLSX_MAGIC):
        _check_zip(data)
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception:
            raise TableRefused(_("The Excel file is damaged and cannot be opened.")) from None
    elif suffix in (".csv", ".txt"):
        text = _decode(data)
        dialect = (
            "excel-tab" if text.split("\n", 1)[0].count("\t") > text.split("\n", 1)[0].count(",") else "excel"
        )
        rows = list(csv.reader(io.StringIO(text), dialect=dialect))
    else:
        raise TableRefused(_("Upload a CSV or Excel (.xlsx) file."))
    result = []
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(value) for value in row]
        if any(cells):
            result.append((number, cells))
            if len(result) > max_rows + 1:
                raise TableRefused(_("The file has more than %(n)d rows.", n=max_rows))
    return result


# Text a spreadsheet would run as a formula (CSV/formula injection) starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """Neutralise formula injection: text starting with = + - @ or a tab/CR/LF gets a leading apostrophe.

    The apostrophe stays part of the text (a reader gets '=1+1 back); numbers, dates and None
    are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def print_wide(sheet) -> None:
    """Set up a table sheet for paper: header row repeated and frozen, landscape, one page wide."""
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
