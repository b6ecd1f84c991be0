"""The year's assessment as an Excel workbook: a summary, one sheet per central school, the rubric.

The workbook is a Chinese document whatever the reader's language (the bureau files it): its
fixed headers are written in Chinese, like the ledger template's, and the labels it borrows
from the catalogue (grades, sources, rules, figures) are rendered with the Chinese locale.
Cells hold plain values, never formulas: numbers as numbers rounded to two decimals, text
through `safe_cell`. Row 1 of every sheet is the header, bold and frozen.
"""

import functools
import io
import math
import re
import unicodedata
from typing import NamedTuple

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from bureau.assessment.models import GRADES, Indicator, Result, Rubric
from bureau.assessment.queries import results_under
from bureau.assessment.scoring import RULES, param
from bureau.assessment.sources import SOURCE_LABELS, SOURCES
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.tabular import print_wide, safe_cell

LOCALE = "zh_Hans_CN"
SUMMARY_SHEET = "汇总"
DIRECT_SHEET = "直属学校"
RUBRIC_SHEET = "指标说明"
YES, NO = "是", "否"
DIRECT = "直属"
MAX_WIDTH, MIN_WIDTH = 40, 6
HEADER_WIDTH = 16  # a longer header wraps
LINE_HEIGHT = 15  # points per line of the header
SHEET_NAME_MAX = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5EE")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def assessment_workbook(rubric: Rubric, unit: OrgUnit) -> bytes:
    """Return the .xlsx of the rubric's results for the schools in `unit`'s subtree."""
    with force_locale(LOCALE):
        found = db.session.execute(results_under(rubric, unit)).all()
        centrals = _centrals({result.central_id for result, _school in found} - {None})
        lines = [_line(rubric, result, school, centrals) for result, school in found]
        book = Workbook(write_only=True)
        names = _SheetNames()
        groups: dict[int | None, list[_Line]] = {}
        for line in lines:
            groups.setdefault(line.central_id, []).append(line)
        # The fixed names first, so a central school called 汇总 gets the suffix, not the summary.
        summary_title, rubric_title = names.take(SUMMARY_SHEET), names.take(RUBRIC_SHEET)
        direct = [(names.take(DIRECT_SHEET), "直属学校内名次", None)] if None in groups else []
        sheets = [
            (names.take(central.name, central.code), "中心校内名次", central.id)
            for central in centrals.values()
        ] + direct
        summary = [[line.rank_tenant, line.central_name, *line.cells] for line in lines]
        _write(book, summary_title, _headers(rubric, "中心校"), summary)
        for title, header, central_id in sheets:
            members = sorted(groups.get(central_id, []), key=lambda line: line.rank_central)
            rows = [[line.rank_tenant, line.rank_central, *line.cells] for line in members]
            _write(book, title, _headers(rubric, header), rows)
        _rubric_sheet(book, rubric_title, rubric)
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()


# --- rows -------------------------------------------------------------------------------------


class _Line(NamedTuple):
    """One school: its ranks, its central school, and the cells from 学校 on."""

    rank_tenant: int
    rank_central: int
    central_id: int | None
    central_name: str
    cells: list


def _centrals(ids: set[int]) -> dict[int, OrgUnit]:
    """The central schools the results name, in tree order."""
    if not ids:
        return {}
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)).order_by(OrgUnit.path))
    return {unit.id: unit for unit in units}


def _headers(rubric: Rubric, second: str) -> list[str]:
    """名次, the second column (中心校 on the summary, the rank within the group elsewhere), …"""
    return [
        "名次",
        second,
        "学校",
        "学校代码",
        *(_indicator_header(item) for item in rubric.indicators),
        "总分",
        "一票否决",
        "等级",
        "考核期间",
    ]


def _indicator_header(item: Indicator) -> str:
    return f"{item.name}（一票否决）" if item.is_veto else f"{item.name}（{item.weight}分）"


def _line(rubric: Rubric, result: Result, school: OrgUnit, centrals: dict[int, OrgUnit]) -> _Line:
    values, vetoes = [], []
    for item in rubric.indicators:
        detail = (result.details or {}).get(item.code) or {}
        if item.is_veto:
            values.append(YES if detail.get("applies") else NO)
            if detail.get("applies"):
                vetoes.append(item.name)
        else:
            values.append(_number(detail.get("points")))
    central = centrals.get(result.central_id)
    cells = [
        safe_cell(school.name),
        safe_cell(school.code),
        *values,
        _number(result.total),
        safe_cell("；".join(vetoes)) if vetoes else None,
        str(GRADES.get(result.grade, result.grade)),
        f"{result.first_day.isoformat()} 至 {result.last_day.isoformat()}",
    ]
    central_name = safe_cell(central.name) if central is not None else DIRECT
    return _Line(result.rank_tenant, result.rank_central, result.central_id, central_name, cells)


def _number(value) -> float:
    return round(float(value or 0), 2)


# --- sheets -----------------------------------------------------------------------------------


class _SheetNames:
    """Excel-safe, unique sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, name: str, fallback: str = "") -> str:
        clean = _sheet_safe(name) or _sheet_safe(fallback) or "Sheet"
        candidate, number = clean[:SHEET_NAME_MAX], 1
        while candidate.casefold() in self.taken:
            number += 1
            suffix = f"({number})"
            candidate = clean[: SHEET_NAME_MAX - len(suffix)] + suffix
        self.taken.add(candidate.casefold())
        return candidate


def _sheet_safe(name: str) -> str:
    # Excel also refuses a name that starts or ends with an apostrophe.
    return NOT_IN_SHEET_NAMES.sub("", name or "").strip().strip("'").strip()


def _write(
    book: Workbook,
    title: str,
    headers: list[str],
    rows: list[list],
    after: list[list | tuple] = (),
    wrap: frozenset[int] = frozenset(),
) -> None:
    """Write a header row (bold, frozen) and the rows, with widths fitted to the text.

    The columns numbered in `wrap` (0-based) wrap their text; `after` rows follow the table
    and do not widen its columns; a row given as a tuple is bold.
    """
    sheet = book.create_sheet(title)
    widths = _widths(headers, rows)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = _header_height(headers, widths)
    print_wide(sheet)
    sheet.append([_header_cell(sheet, text) for text in headers])
    for row in rows:
        sheet.append([_wrapped(sheet, value) if index in wrap else value for index, value in enumerate(row)])
    for row in after:
        sheet.append(
            [_header_cell(sheet, text, fill=False) for text in row] if isinstance(row, tuple) else row
        )


def _wrapped(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.alignment = WRAP
    return cell


def _header_cell(sheet, text: str, fill: bool = True) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = HEADER_FONT
    if fill:
        cell.fill, cell.alignment = HEADER_FILL, HEADER_ALIGNMENT
    return cell


def _widths(headers: list[str], rows: list[list]) -> list[float]:
    """Column widths in characters: the longest cell, CJK characters counting double, capped; a
    long header wraps instead of widening a column of short numbers."""
    widths = [min(HEADER_WIDTH, _text_width(header)) for header in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _text_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def _header_height(headers: list[str], widths: list[float]) -> float:
    """The header row's height in points: enough lines for the longest wrapped header."""
    lines = max(
        math.ceil(_text_width(text) / max(1, width - 2)) for text, width in zip(headers, widths, strict=True)
    )
    return LINE_HEIGHT * max(1, lines) + 4


def _text_width(value) -> int:
    if value is None:
        return 0
    return _width_of(f"{value:g}" if isinstance(value, float) else str(value))


@functools.lru_cache(maxsize=4096)
def _width_of(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# --- the rubric -------------------------------------------------------------------------------


def _rubric_sheet(book: Workbook, title: str, rubric: Rubric) -> None:
    """Every indicator with its rule in words, then the grade bands and what the results cover."""
    headers = ["代码", "名称", "类型", "分值", "数据来源", "计分规则", "规则参数", "佐证材料"]
    rows = [
        [
            safe_cell(item.code),
            safe_cell(item.name),
            "一票否决" if item.is_veto else "计分",
            0 if item.is_veto else item.weight,
            str(SOURCE_LABELS.get(item.source, item.source)),
            str(RULES.get(item.rule, item.rule)),
            safe_cell(rule_in_words(item)),
            safe_cell(item.evidence or None),
        ]
        for item in rubric.indicators
    ]
    bands = {name: f"{float(rubric.bands[name]):g}" for name in ("excellent", "good", "pass")}
    grade = {name: str(label) for name, label in GRADES.items()}
    after = [
        [],
        ("等级", "条件"),
        [grade["excellent"], f"总分 ≥ {bands['excellent']}"],
        [grade["good"], f"{bands['good']} ≤ 总分 < {bands['excellent']}"],
        [grade["pass"], f"{bands['pass']} ≤ 总分 < {bands['good']}"],
        [grade["fail"], f"总分 < {bands['pass']}，或任一一票否决项成立"],
        [],
        ["说明", "录入类指标未录入的得 0 分；一票否决的学校排在其他学校之后，等级为不合格。"],
    ]
    if rubric.computed_through is not None:
        through = rubric.computed_through.isoformat()
        preview = (
            "（年中预览）" if (rubric.computed_through.month, rubric.computed_through.day) != (12, 31) else ""
        )
        after.append(["数据截至", f"{through}{preview}"])
    if rubric.is_closed:
        after.append(["状态", "已结束考核，成绩已冻结"])
    _write(book, title, headers, rows, after, wrap=frozenset({1, 6, 7}))


def rule_in_words(item: Indicator) -> str:
    """The indicator's rule and settings as a Chinese sentence (call under the Chinese locale)."""
    params = item.params or {}
    figures = SOURCES[item.source].counts if item.source in SOURCES else {}

    def figure(name: str) -> str:
        return str(figures.get(name, name))

    if item.rule == "rate" and item.source in SOURCES:
        numerator, denominator = SOURCES[item.source].rate
        return (
            f"比率 = “{figure(numerator)}” ÷ “{figure(denominator)}”；"
            f"达到 {_g(param(params, 'rate', 'full_at'))}% 得满分，"
            f"{_g(param(params, 'rate', 'zero_at'))}% 及以下不得分，其间按比例；"
            f"无统计对象时得分值的 {_g(param(params, 'rate', 'if_none'))}%"
        )
    if item.rule == "deduction":
        each = "；".join(
            f"“{figure(name)}”每次扣 {_g(points)} 分" for name, points in (params.get("points") or {}).items()
        )
        return f"{each}；最低 {_g(param(params, 'deduction', 'floor'))} 分"
    if item.rule == "entered":
        top = _g(param(params, "entered", "max"))
        return f"录入 0–{top} 分，得分 = 分值 × 录入分 ÷ {top}；未录入得 0 分"
    if item.rule == "veto" and item.source in SOURCES:
        return f"“{figure(param(params, 'veto', 'count'))}”达到 {_g(param(params, 'veto', 'at_least'))} 即一票否决"
    if item.rule == "veto":
        return "录入为“是”即一票否决"
    return ""


def _g(value) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)
