"""Export hazards to an .xlsx ledger in the template's layout, which the upload reads back unchanged."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from schools.ledgers.template import OPTIONS, TEMPLATE_COLUMNS, Column, LedgerWorkbook, Target
from tenancy.tabular import safe_cell

# The template's columns, then the verification note (a field the blank template leaves out), at the
# end so that every template column keeps its place; the parser reads 复查情况 as `verification`.
EXPORT_COLUMNS: tuple[Column, ...] = (*TEMPLATE_COLUMNS, Column("verification", "复查情况", 24))
EXPORT_HEADER = tuple(column.header for column in EXPORT_COLUMNS)
_FIELDS = tuple(column.field for column in EXPORT_COLUMNS)
_KINDS = tuple(
    OPTIONS.get(column.field) if column.kind == "code" else column.kind for column in EXPORT_COLUMNS
)


def _text(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters other than tab, CR and LF cannot be stored in a worksheet at all, and XML
        # reads a bare CR back as LF: line breaks are written as LF, as Excel's own line breaks are.
        value = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
        return safe_cell(value) or None
    return safe_cell(value)


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        # ISO dates as in the dry-run JSON; other text (a deadline such as 3日内) is written as text.
        try:
            return date.fromisoformat(value)
        except ValueError:
            return _text(value)
    return _text(value)


def _seq(value: Any) -> Any:
    # A plain sequence number is written as a number (001 keeps its zeros as text).
    if isinstance(value, str) and value.isascii() and value.isdecimal() and str(int(value)) == value:
        return int(value)
    return _text(value)


def _values(row: Any) -> list:
    get = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name, None)
    values = []
    for name, kind in zip(_FIELDS, _KINDS, strict=True):
        value = get(name)
        if value is None:
            values.append(None)
        elif kind == "date":
            values.append(_date(value))
        elif name == "seq":
            values.append(_seq(value))
        elif kind == "text":
            values.append(_text(value))
        else:
            # A code is shown as its Chinese label; anything else (a label already) as written.
            values.append(_text(kind.get(value, value)))
    return values


def export_ledger(rows: Iterable[Mapping[str, Any]], target: Target, *, title: str | None = None) -> None:
    """Write hazards to an .xlsx ledger (a path or a binary file object), streaming the rows.

    Each row is a mapping (or an object such as LedgerRow) with the LedgerRow field names: codes are
    written as their Chinese labels, dates as date cells, and every text through `safe_cell`, so no
    cell is a formula. The header stays on row 1 of the 隐患台账 sheet, so the file re-imports as is;
    `title` goes to the workbook properties.
    """
    workbook = LedgerWorkbook(EXPORT_COLUMNS, title=title)
    for row in rows:
        workbook.append(_values(row))
    workbook.save(target)
