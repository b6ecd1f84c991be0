"""A window's completeness table as an Excel workbook: the table, then every report's counts."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from schools.zeroreports.queries import Completeness
from tenancy.settings.store import tenant_timezone
from tenancy.tabular import print_wide, safe_cell

CELL_TEXT = {
    "reported": "已报",
    "zero": "零报告",
    "late": "迟报",
    "missing": "缺报",
    "pending": "未到时限",
    "not_required": "—",
}
CELL_FILL = {
    "missing": "FEE4E2",
    "late": "FEF0C7",
    "zero": "D1FADF",
    "reported": "D1E9FF",
}
HEADER_FILL = PatternFill("solid", fgColor="DDE5EE")


def _header(sheet, names: list[str]) -> None:
    sheet.append(names)
    for index in range(1, len(names) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def completeness_workbook(table: Completeness, parent_names: dict[int, str]) -> bytes:
    """Return the table (one row per school, one column per day) and the reports' counts as .xlsx."""
    window = table.window
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "完成情况"
    _header(
        sheet,
        ["学校", "上级单位", *[day.strftime("%m-%d") for day in table.days], "应报", "已报", "迟报", "缺报"],
    )
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 18
    for row in table.rows:
        values = [row.school.name, parent_names.get(row.school.parent_id or 0, "")]
        values += [CELL_TEXT[cell.state] for cell in row.cells]
        required = row.count("reported", "zero", "late", "missing", "pending")
        values += [required, row.count("reported", "zero", "late"), row.count("late"), row.count("missing")]
        sheet.append([safe_cell(value) for value in values])
        for offset, cell in enumerate(row.cells, start=3):
            if cell.state in CELL_FILL:
                sheet.cell(row=sheet.max_row, column=offset).fill = PatternFill(
                    "solid", fgColor=CELL_FILL[cell.state]
                )
    totals = ["合计（已报/应报）", ""] + [f"{t.reported}/{t.required}" for t in table.totals]
    summary = table.summary()
    totals += [summary["required"], summary["reported"], summary["late"], summary["missing"]]
    sheet.append(totals)
    rates = ["完成率", ""] + ["" if t.percent is None else f"{t.percent}%" for t in table.totals]
    sheet.append(rates)
    for row_index in (sheet.max_row - 1, sheet.max_row):
        for cell in sheet[row_index]:
            cell.font = Font(bold=True)
    for index in range(3, len(table.days) + 7):
        sheet.column_dimensions[get_column_letter(index)].width = 8
    print_wide(sheet)
    sheet.freeze_panes = "C2"
    sheet.oddHeader.center.text = f"{window.title} 每日报告完成情况".replace("&", "&&")

    details = workbook.create_sheet("报告明细")
    _header(details, ["学校", "日期", *window.items, "零报告", "迟报", "上报时间", "备注"])
    details.column_dimensions["A"].width = 26
    details.column_dimensions["B"].width = 12
    details.column_dimensions[get_column_letter(len(window.items) + 5)].width = 18
    tz = tenant_timezone()
    for row in table.rows:
        for cell in row.cells:
            report = cell.report
            if report is None:
                continue
            details.append(
                [
                    safe_cell(row.school.name),
                    cell.day,
                    *[report.values.get(item, 0) for item in window.items],
                    "是" if report.is_zero else "",
                    "是" if report.is_late else "",
                    report.reported_at.astimezone(tz).replace(tzinfo=None),
                    safe_cell(report.note or ""),
                ]
            )
            details.cell(row=details.max_row, column=2).number_format = "yyyy-mm-dd"
            details.cell(row=details.max_row, column=len(window.items) + 5).number_format = "yyyy-mm-dd hh:mm"
    print_wide(details)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
