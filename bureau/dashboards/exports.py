"""Dashboard tables as Excel workbooks: plain values (never formulas), a frozen header row."""

import io
from datetime import date

import pandas as pd
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from schools.hazards.codes import CATEGORIES, LEVELS, STATUSES
from tenancy.orgs.kinds import KIND_LABELS
from tenancy.tabular import print_wide, safe_cell

TABLES = ("children", "top", "categories", "trend", "hazards")

# Cell formats by column kind.
FORMATS = {"int": "0", "rate": "0.0%", "days": "0.0", "date": "yyyy-mm-dd", "text": "@"}


def _value(value, kind: str):
    if value is None or (not isinstance(value, str | date) and pd.isna(value)):
        return None
    if kind == "int":
        return int(value)
    if kind in ("rate", "days"):
        return float(value)
    if kind == "date":
        return value
    return safe_cell(str(value))


def workbook(title: str, columns: list[tuple[str, str, str, int]], rows: list[dict]) -> bytes:
    """An .xlsx of `rows`; columns are (key, header, kind, width)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([header for _key, header, _kind, _width in columns])
    for index, (_key, _header, _kind, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([_value(row.get(key), kind) for key, _header, kind, _width in columns])
        for index, (_key, _header, kind, _width) in enumerate(columns, start=1):
            if kind in FORMATS and kind != "text":
                sheet.cell(row=sheet.max_row, column=index).number_format = FORMATS[kind]
    print_wide(sheet)
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def figure_columns() -> list[tuple[str, str, str, int]]:
    """The figures of a unit row (children, top schools, trend)."""
    return [
        ("found", _("Hazards found"), "int", 10),
        ("rectified", _("Rectified"), "int", 10),
        ("rectification_rate", _("Rectification rate"), "rate", 12),
        ("on_time_rate", _("Rectified on time"), "rate", 12),
        ("mean_days", _("Mean days to rectify"), "days", 12),
        ("p90_days", _("P90 days to rectify"), "int", 14),
        ("open_end", _("Open"), "int", 10),
        ("overdue_end", _("Overdue"), "int", 10),
        ("major_open_end", _("Major under supervision"), "int", 12),
        ("report_rate", _("On-time report rate"), "rate", 12),
    ]


def children_columns() -> list[tuple[str, str, str, int]]:
    return [
        ("code", _("Code"), "text", 12),
        ("name", _("Unit"), "text", 28),
        ("kind_label", _("Kind"), "text", 14),
        *figure_columns(),
    ]


def top_columns() -> list[tuple[str, str, str, int]]:
    return [
        ("code", _("Code"), "text", 12),
        ("name", _("School"), "text", 28),
        ("overdue_end", _("Overdue"), "int", 10),
        ("open_end", _("Open"), "int", 10),
        ("major_open_end", _("Major under supervision"), "int", 12),
    ]


def trend_columns() -> list[tuple[str, str, str, int]]:
    return [("month", _("Month"), "text", 10), *figure_columns()]


def category_columns(codes) -> list[tuple[str, str, str, int]]:
    return [("name", _("Unit"), "text", 28)] + [(code, CATEGORIES[code], "int", 10) for code in codes]


def hazard_columns() -> list[tuple[str, str, str, int]]:
    return [
        ("unit", _("School"), "text", 24),
        ("seq", _("No."), "text", 10),
        ("found_on", _("Found on"), "date", 12),
        ("category", _("Category"), "text", 14),
        ("level", _("Level"), "text", 10),
        ("location", _("Location"), "text", 20),
        ("description", _("Description"), "text", 40),
        ("deadline", _("Deadline"), "date", 12),
        ("status", _("Status"), "text", 12),
        ("rectified_on", _("Rectified on"), "date", 12),
        ("verified_on", _("Verified on"), "date", 12),
    ]


def hazard_row(hazard, unit) -> dict:
    return {
        "unit": unit.name,
        "seq": hazard.seq or "",
        "found_on": hazard.found_on,
        "category": CATEGORIES.get(hazard.category, hazard.category),
        "level": LEVELS.get(hazard.level, hazard.level),
        "location": hazard.location,
        "description": hazard.description,
        "deadline": hazard.deadline,
        "status": STATUSES.get(hazard.status, hazard.status),
        "rectified_on": hazard.rectified_on,
        "verified_on": hazard.verified_on,
    }


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
