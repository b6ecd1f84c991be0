"""The responsibility chart (网格化管理责任图) as an Excel workbook, safe to open in any spreadsheet."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from schools.grid.kinds import KEY_AREA_NAMES, KIND_NAMES
from schools.grid.queries import chart_rows
from tenancy.models import OrgUnit
from tenancy.tabular import print_wide, safe_cell

# Text starting with these is run as a formula (or split into one) by spreadsheet programs.

# Header, width. The first columns match the import's header, so a chart can be edited and re-imported.
COLUMNS = (
    ("网格名称", 24),
    ("上级网格", 30),
    ("类型", 12),
    ("重点部位", 12),
    ("时段", 14),
    ("负责人", 12),
    ("电话", 16),
    ("副责任人", 20),
    ("副责任人电话", 26),
    ("开始日期", 12),
)


def period_text(cell) -> str:
    """Return a time-axis cell's period as 07:30-08:10 (empty for other cells)."""
    if cell.starts_at is None or cell.ends_at is None:
        return ""
    return f"{cell.starts_at:%H:%M}-{cell.ends_at:%H:%M}"


def chart_workbook(school: OrgUnit, day: date) -> bytes:
    """Return the school's responsibility chart on `day` as .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "网格化管理责任图"
    sheet.append([name for name, _width in COLUMNS])
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = PatternFill("solid", fgColor="DDE5EE")
        header.alignment = Alignment(horizontal="center", vertical="center")
    for row in chart_rows(school, day):
        cell = row.cell
        values = [
            cell.name,
            row.parent_path,
            KIND_NAMES.get(cell.kind, cell.kind),
            KEY_AREA_NAMES.get(cell.key_area_kind, "") if cell.is_key_area else "",
            period_text(cell),
            row.primary.staff.name if row.primary else "",
            row.primary.staff.phone if row.primary else "",
            "、".join(p.staff.name for p in row.deputies),
            "、".join(p.staff.phone for p in row.deputies if p.staff.phone),
            row.primary.starts_on if row.primary else None,
        ]
        sheet.append([safe_cell(value) for value in values])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(indent=min(row.depth, 10))
        sheet.cell(row=sheet.max_row, column=len(COLUMNS)).number_format = "yyyy-mm-dd"
    print_wide(sheet)
    sheet.auto_filter.ref = sheet.dimensions
    # "&" starts a format code in Excel page headers.
    sheet.oddHeader.center.text = f"{school.name} 网格化管理责任图 {day.isoformat()}".replace("&", "&&")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
