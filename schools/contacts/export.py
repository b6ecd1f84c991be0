"""The contact-gaps table as an Excel file."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from schools.contacts.models import PARTNER_KINDS
from schools.contacts.queries import ContactGap


def gaps_workbook(gaps: list[ContactGap], unit_name: str) -> bytes:
    """Return an .xlsx with one row per school missing a required contact."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Contact gaps")[:31]
    sheet.append([_("Joint-prevention contact gaps: %(unit)s", unit=unit_name)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Code"), _("School"), _("Central school"), _("Missing (required)"), _("Also missing")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for gap in gaps:
        parent = gap.school.parent
        sheet.append(
            [
                gap.school.code,
                gap.school.name,
                parent.name if parent is not None and parent.kind == "central" else "",
                "、".join(str(PARTNER_KINDS[kind]) for kind in gap.missing_required),
                "、".join(str(PARTNER_KINDS[kind]) for kind in gap.missing_other),
            ]
        )
    for column, width in zip("ABCDE", (14, 28, 20, 28, 48), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
