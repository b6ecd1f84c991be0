"""The drill overview as an Excel workbook: one row per school, plain values (never formulas)."""

import io
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from schools.drills.queries import OverviewRow
from tenancy.models import OrgUnit
from tenancy.orgs.kinds import KIND_LABELS
from tenancy.tabular import print_wide, safe_cell


def overview_workbook(unit: OrgUnit, rows: list[OverviewRow], first: date, last: date) -> bytes:
    """Return the overview of the schools under `unit` for [first, last] as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Drills")[:31]
    headers = [
        _("Code"),
        _("School"),
        _("Kind"),
        _("Required"),
        _("Met"),
        _("Missed"),
        _("Due now"),
        _("Missed obligations"),
        _("Last drill"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        school = row.school
        sheet.append(
            [
                safe_cell(school.code),
                safe_cell(school.name),
                str(KIND_LABELS.get(school.kind, school.kind)),
                row.counts["required"],
                row.counts["met"],
                row.counts["missed"],
                row.counts["due"],
                safe_cell("；".join(o.label for o in row.missed)),
                row.last_held_on,
            ]
        )
        sheet.cell(row=sheet.max_row, column=len(headers)).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHI", (14, 28, 12, 10, 8, 8, 10, 60, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    print_wide(sheet)
    # "&" starts a format code in Excel page headers.
    sheet.oddHeader.center.text = f"{unit.name} {first.isoformat()} – {last.isoformat()}".replace("&", "&&")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
