"""The platform's blank ledger template (.xlsx), and the workbook layout the export shares with it."""

import os
from collections.abc import Iterable
from typing import BinaryIO, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES

LEDGER_SHEET = "隐患台账"
INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "选项"
DATE_FORMAT = "yyyy-mm-dd"
# Rows of the blank template that get the drop-down lists (an export gets them on every data row).
TEMPLATE_ROWS = 2000

Target = str | os.PathLike | BinaryIO


class Column(NamedTuple):
    """A ledger column: the hazard field it holds, its header, width (in characters) and kind."""

    field: str
    header: str
    width: float
    kind: str = "text"  # text, date, or code (a drop-down of the labels in OPTIONS)


# The header is the first synonym of each field in LEDGER_FORMAT.md, so the parser matches it exactly.
TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", 6),
    Column("found_on", "排查日期", 12, "date"),
    Column("source", "排查类型", 11, "code"),
    Column("location", "排查部位", 24),
    Column("category", "隐患类别", 20, "code"),
    Column("level", "隐患等级", 11, "code"),
    Column("description", "隐患描述", 40),
    Column("measures", "整改措施", 30),
    Column("responsible", "责任人", 10),
    Column("deadline", "整改期限", 12, "date"),
    Column("rectified_on", "完成日期", 12, "date"),
    Column("status", "整改情况", 12, "code"),
    Column("verified_by", "复查人", 10),
    Column("remark", "备注", 20),
)
TEMPLATE_HEADER = tuple(column.header for column in TEMPLATE_COLUMNS)

# Code → label of each drop-down column, in the order of the 选项 sheet's columns.
OPTIONS: dict[str, dict[str, str]] = {
    "source": SOURCES,
    "category": CATEGORIES,
    "level": LEVELS,
    "status": STATUSES,
}

_REQUIRED = "必填"
_OPTIONAL = "选填"
_DATES = "日期，如 2026-03-05、2026/3/5、2026.3.5、2026年3月5日、20260305；写3月5日时年份取台账标题中的年份"
# One row per column; no row holds two header names, so the parser never takes this sheet for a ledger.
_INSTRUCTIONS: tuple[tuple[str, str, str], ...] = (
    ("序号", _OPTIONAL, "台账中的顺序号"),
    ("排查日期", _REQUIRED, _DATES),
    ("排查类型", _OPTIONAL, "从下拉列表选择：" + "、".join(SOURCES.values())),
    ("排查部位", _REQUIRED, "隐患所在的楼宇、楼层、房间或网格，如：博学楼三楼化学实验室"),
    (
        "隐患类别",
        _REQUIRED,
        "从下拉列表选择；未填写时按隐患描述和部位自动推断，导入预览中需人工确认",
    ),
    ("隐患等级", _OPTIONAL, "从下拉列表选择：" + "、".join(LEVELS.values()) + "；未填写按一般隐患处理"),
    ("隐患描述", _REQUIRED, "隐患的具体情况"),
    ("整改措施", _OPTIONAL, "整改的具体措施"),
    ("责任人", _OPTIONAL, "整改责任人或责任部门"),
    (
        "整改期限",
        _OPTIONAL,
        "日期，或从排查日期起算的期限：立即、当天、3日内、三天内、一周内、两周内、一个月内、本月内",
    ),
    ("完成日期", _OPTIONAL, "整改完成的日期；填写了完成日期而未填整改情况的，按已整改处理"),
    ("整改情况", _OPTIONAL, "从下拉列表选择：" + "、".join(STATUSES.values()) + "；未填写按待整改处理"),
    ("复查人", _OPTIONAL, "复查验收人"),
    ("备注", _OPTIONAL, "其他需要说明的情况"),
)
_NOTES = (
    "1. 请在“隐患台账”工作表中填写，每行一条隐患，从第2行开始；不要修改或移动第1行表头，不要合并单元格。",
    "2. 必填项：排查日期、排查部位、隐患描述（隐患类别未填写时自动推断）；缺少必填项的行在导入预览中逐行提示。",
    "3. 日期可填写为 2026-03-05、2026/3/5、2026.3.5、2026年3月5日、20260305 等格式。",
    "4. 整改期限可填写具体日期，也可填写“3日内”“一周内”“本月内”等期限，按排查日期计算。",
    "5. 上传文件为 .xlsx 或 .csv 格式，不超过10 MB、20000行；同一台账重复上传不会产生重复记录。",
)

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAPPED = Alignment(vertical="top", wrap_text=True)


class LedgerWorkbook:
    """A write-only workbook in the template's layout: rows are streamed to the 隐患台账 sheet.

    Append each data row as a list of cell values in the order of `columns`, then `save`.
    """

    def __init__(self, columns: Iterable[Column] = TEMPLATE_COLUMNS, *, title: str | None = None):
        self.columns = tuple(columns)
        self.workbook = Workbook(write_only=True)
        self.workbook.properties.creator = "SafeGrid"
        if title:
            self.workbook.properties.title = title
        self.sheet = self.workbook.create_sheet(LEDGER_SHEET)
        self.last_row = 1
        # Views and column dimensions are written with the first row, so they are set first.
        self.sheet.freeze_panes = "A2"
        for index, column in enumerate(self.columns, 1):
            dimension = self.sheet.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.kind == "date":
                # Cells typed into the blank template take the column's format.
                dimension.number_format = DATE_FORMAT
        self.sheet.append([self._header_cell(column.header) for column in self.columns])
        self._write_instructions()
        self._write_options()

    def append(self, values: list) -> None:
        """Write one data row below the last."""
        self.sheet.append(values)
        self.last_row += 1

    def save(self, target: Target) -> None:
        """Add the drop-down lists and filter over the written rows and save to a path or binary file."""
        last = max(self.last_row, TEMPLATE_ROWS + 1)
        option_columns = list(OPTIONS)
        for index, column in enumerate(self.columns, 1):
            if column.kind != "code":
                continue
            labels = OPTIONS[column.field]
            source = get_column_letter(option_columns.index(column.field) + 1)
            validation = DataValidation(
                type="list",
                # A reference, not the labels inline: a list formula longer than 255 characters breaks Excel.
                formula1=f"'{OPTIONS_SHEET}'!${source}$2:${source}${len(labels) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                # The parser reads common variants too (消防安全, 已完成…), so an other value only warns.
                errorStyle="warning",
                errorTitle=column.header,
                error=f"请从下拉列表中选择{column.header}",
            )
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{last}")
            self.sheet.data_validations.append(validation)
        if self.last_row > 1:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.last_row}"
        self.workbook.save(target)

    def _header_cell(self, text: str, sheet=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet or self.sheet, value=text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTERED
        return cell

    def _write_instructions(self) -> None:
        sheet = self.workbook.create_sheet(INSTRUCTIONS_SHEET)
        for letter, width in zip("ABC", (12, 10, 90), strict=True):
            sheet.column_dimensions[letter].width = width
        title = WriteOnlyCell(sheet, value="隐患排查治理台账填写说明")
        title.font = Font(bold=True, size=14)
        sheet.append([title])
        sheet.append([])
        sheet.append([self._header_cell(text, sheet) for text in ("列名", "是否必填", "填写要求")])
        for name, required, text in _INSTRUCTIONS:
            explanation = WriteOnlyCell(sheet, value=text)
            explanation.alignment = _WRAPPED
            sheet.append([name, required, explanation])
        sheet.append([])
        for note in _NOTES:
            sheet.append([note])

    def _write_options(self) -> None:
        sheet = self.workbook.create_sheet(OPTIONS_SHEET)
        sheet.sheet_state = "hidden"
        headers = {
            "source": "排查类型选项",
            "category": "隐患类别选项",
            "level": "隐患等级选项",
            "status": "整改情况选项",
        }
        for index in range(1, len(OPTIONS) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 20
        # Headers that are no ledger header (排查类型选项, not 排查类型): the parser finds no header here.
        sheet.append([headers[name] for name in OPTIONS])
        lists = [list(labels.values()) for labels in OPTIONS.values()]
        for position in range(max(map(len, lists))):
            sheet.append([labels[position] if position < len(labels) else None for labels in lists])


def write_template(target: Target) -> None:
    """Write the blank ledger template (.xlsx) to a path or a binary file object."""
    LedgerWorkbook(TEMPLATE_COLUMNS).save(target)
