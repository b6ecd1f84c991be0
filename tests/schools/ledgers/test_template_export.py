import io
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.ledgers.export import EXPORT_HEADER, export_ledger
from schools.ledgers.headers import FIELD_SYNONYMS, exact_field
from schools.ledgers.parser import parse_ledger
from schools.ledgers.template import (
    INSTRUCTIONS_SHEET,
    LEDGER_SHEET,
    OPTIONS_SHEET,
    TEMPLATE_COLUMNS,
    TEMPLATE_HEADER,
    write_template,
)
from tenancy.tabular import safe_cell

HEADER = "序号 排查日期 排查类型 排查部位 隐患类别 隐患等级 隐患描述 整改措施 责任人 整改期限 完成日期 整改情况 复查人 备注"
FIELDS = [
    "seq",
    "found_on",
    "source",
    "location",
    "category",
    "level",
    "description",
    "measures",
    "responsible",
    "deadline",
    "rectified_on",
    "status",
    "verified_by",
    "remark",
]
# Every LedgerRow field the export writes (row, sheet and category_inferred describe the reading).
ROUND_TRIP_FIELDS = (*FIELDS, "verification")
INJECTIONS = [
    "=1+1",
    "+86 138 0000 0000",
    "-x",
    "@sum(A1)",
    "\t灭火器过期",
    "\r回车",
    "\n换行",
    '=HYPERLINK("x")',
]
DROP_DOWNS = {"排查类型": SOURCES, "隐患类别": CATEGORIES, "隐患等级": LEVELS, "整改情况": STATUSES}


def hazards(count: int) -> list[dict]:
    """Rows covering every category, level, status and source, with and without optional values."""
    categories, levels, statuses, sources = (list(codes) for codes in (CATEGORIES, LEVELS, STATUSES, SOURCES))
    rows = []
    for index in range(count):
        found_on = date(2025, 12, 1) + timedelta(days=5 * index)
        status = statuses[index % len(statuses)]
        done = status in ("rectified", "verified")
        rows.append(
            {
                "seq": str(index + 1),
                "found_on": found_on,
                "source": sources[index % len(sources)],
                "location": f"博学楼{index % 5 + 1}楼{index}室",
                "category": categories[index % len(categories)],
                "level": levels[index % len(levels)],
                "description": INJECTIONS[index] if index < len(INJECTIONS) else f"隐患描述{index}，需整改",
                "measures": f"整改措施{index}" if index % 3 else None,
                "responsible": "+86 139 1234 5678" if index == 9 else f"责任人{index % 7}",
                "deadline": None if index % 4 == 0 else found_on + timedelta(days=index % 10),
                "rectified_on": found_on + timedelta(days=index % 3) if done else None,
                "status": status,
                "verification": "复查合格" if status == "verified" else None,
                "verified_by": "王秋香" if status == "verified" else None,
                "remark": f"备注{index}" if index % 2 else None,
            }
        )
    return rows


def sheet_of(path, name=LEDGER_SHEET):
    return openpyxl.load_workbook(path)[name]


# The template


def test_template_header_is_the_first_synonym_of_each_field():
    assert tuple(HEADER.split()) == TEMPLATE_HEADER
    assert [column.field for column in TEMPLATE_COLUMNS] == FIELDS
    for column in TEMPLATE_COLUMNS:
        assert FIELD_SYNONYMS[column.field][0] == column.header
        assert exact_field(column.header) == column.field


def test_template_parses_to_no_rows_and_no_errors(tmp_path):
    path = tmp_path / "台账模板.xlsx"
    write_template(path)
    parsed = parse_ledger(path)
    assert not parsed.refused
    assert parsed.to_json() == {
        "file": "台账模板.xlsx",
        "sheets": [
            {"name": LEDGER_SHEET, "header_row": 1, "used": True},
            {"name": INSTRUCTIONS_SHEET, "header_row": None, "used": False},
            {"name": OPTIONS_SHEET, "header_row": None, "used": False},
        ],
        "rows": [],
        "errors": [],
        "ignored_columns": [],
    }


def test_template_writes_to_a_binary_file_object(tmp_path):
    buffer = io.BytesIO()
    write_template(buffer)
    assert buffer.getvalue().startswith(b"PK\x03\x04")
    path = tmp_path / "from_buffer.xlsx"
    path.write_bytes(buffer.getvalue())
    assert [row.used for row in parse_ledger(path).sheets] == [True, False, False]


def test_template_layout(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [LEDGER_SHEET, INSTRUCTIONS_SHEET, OPTIONS_SHEET]
    assert workbook.active.title == LEDGER_SHEET
    assert workbook[INSTRUCTIONS_SHEET].sheet_state == "visible"
    assert workbook[OPTIONS_SHEET].sheet_state == "hidden"

    sheet = workbook[LEDGER_SHEET]
    assert [cell.value for cell in sheet[1]] == HEADER.split()
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    for column in TEMPLATE_COLUMNS:
        dimension = sheet.column_dimensions[sheet.cell(1, FIELDS.index(column.field) + 1).column_letter]
        assert dimension.width >= 6
        assert (dimension.number_format == "yyyy-mm-dd") == (
            column.field in ("found_on", "deadline", "rectified_on")
        )

    # One drop-down per coded column, over 2000 rows, listing exactly the labels on the hidden sheet.
    options = workbook[OPTIONS_SHEET]
    validations = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        assert len(validation.formula1) <= 255
        ranges = list(validation.sqref.ranges)
        assert len(ranges) == 1 and ranges[0].min_row == 2 and ranges[0].max_row == 2001
        assert ranges[0].min_col == ranges[0].max_col
        sheet_name, reference = validation.formula1.split("!")
        assert sheet_name.strip("'") == OPTIONS_SHEET
        source = CellRange(reference.replace("$", ""))
        labels = [
            options.cell(row, source.min_col).value for row in range(source.min_row, source.max_row + 1)
        ]
        validations[sheet.cell(1, ranges[0].min_col).value] = labels
    assert validations == {header: list(codes.values()) for header, codes in DROP_DOWNS.items()}

    instructions = [
        cell.value for row in workbook[INSTRUCTIONS_SHEET].iter_rows() for cell in row if cell.value
    ]
    text = "\n".join(instructions)
    for needed in ("必填", "排查日期", "排查部位", "隐患描述", "3日内", "2026/3/5", "2026年3月5日"):
        assert needed in text


# safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+86", "-x", "@sum", "\tx", "\rx", "\nx", "=", "-"])
def test_safe_cell_prefixes_formula_like_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "灭火器过期", "a=1", " =1", "'=1", "１+1", "x-1"])
def test_safe_cell_leaves_other_text(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value", [None, 0, -1, -2.5, 3.0, Decimal("-1.5"), True, date(2026, 3, 5), datetime(2026, 3, 5, 8, 0)]
)
def test_safe_cell_leaves_non_text_unchanged(value):
    assert safe_cell(value) is value


# The export


def expected(row: dict) -> dict:
    """What the parser reads back from an exported row.

    safe_cell's apostrophe is part of the stored text (openpyxl writes the string '=1+1, not a quote-prefix
    style), so the parser returns it: '=1+1, '+86…, '\t灭火器过期. It also keeps the leading tab, CR or LF that
    the parser would otherwise strip, because the text now starts with the apostrophe. Line breaks are
    written as LF (XML reads a bare CR back as LF anyway).
    """
    return {name: safe_cell(newlines(row[name])) for name in ROUND_TRIP_FIELDS}


def newlines(value):
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def test_export_round_trips_through_the_parser(tmp_path):
    rows = hazards(40)
    path = tmp_path / "export.xlsx"
    export_ledger(rows, path, title="博学中学2026年隐患排查治理台账")

    parsed = parse_ledger(path)
    assert not parsed.refused and parsed.errors == []
    assert [(sheet.name, sheet.header_row, sheet.used) for sheet in parsed.sheets] == [
        (LEDGER_SHEET, 1, True),
        (INSTRUCTIONS_SHEET, None, False),
        (OPTIONS_SHEET, None, False),
    ]
    assert parsed.ignored_columns == []
    assert len(parsed.rows) == len(rows)
    for number, (row, read) in enumerate(zip(rows, parsed.rows, strict=True), 2):
        assert (read.row, read.sheet, read.category_inferred) == (number, LEDGER_SHEET, False)
        assert {name: getattr(read, name) for name in ROUND_TRIP_FIELDS} == expected(row), number
    # What the coverage of the generated rows promises.
    assert {row.category for row in parsed.rows} == set(CATEGORIES)
    assert {row.level for row in parsed.rows} == set(LEVELS)
    assert {row.status for row in parsed.rows} == set(STATUSES)
    assert {row.source for row in parsed.rows} == set(SOURCES)
    assert any(row.deadline is None for row in parsed.rows)
    assert [row.description for row in parsed.rows[: len(INJECTIONS)]] == [
        "'" + newlines(text) for text in INJECTIONS
    ]


def test_export_layout(tmp_path):
    rows = hazards(20)
    path = tmp_path / "export.xlsx"
    export_ledger(rows, path, title="三月台账")
    workbook = openpyxl.load_workbook(path)
    assert workbook.properties.title == "三月台账"
    assert workbook.sheetnames == [LEDGER_SHEET, INSTRUCTIONS_SHEET, OPTIONS_SHEET]
    sheet = workbook[LEDGER_SHEET]
    # The template's header on row 1, then the verification note the template leaves out.
    header = [cell.value for cell in sheet[1]]
    assert header == list(EXPORT_HEADER) == [*HEADER.split(), "复查情况"]
    assert exact_field("复查情况") == "verification"
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(rows) + 1
    labels = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    assert labels["隐患类别"] == CATEGORIES[rows[0]["category"]]
    assert labels["隐患等级"] == LEVELS[rows[0]["level"]]
    assert labels["整改情况"] == STATUSES[rows[0]["status"]]
    assert labels["排查类型"] == SOURCES[rows[0]["source"]]
    assert labels["序号"] == 1
    for column in ("排查日期", "整改期限", "完成日期"):
        index = header.index(column) + 1
        cells = [sheet.cell(row, index) for row in range(2, sheet.max_row + 1)]
        assert all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in cells if cell.value)


def test_no_cell_of_the_export_is_a_formula(tmp_path):
    path = tmp_path / "export.xlsx"
    rows = hazards(30)
    for row in rows[: len(INJECTIONS)]:
        for name in ("location", "measures", "responsible", "verified_by", "remark", "verification"):
            row[name] = row["description"]
    export_ledger(rows, path)
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not any(text.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for text in texts)


def test_reexport_of_an_import_is_stable(tmp_path):
    # The apostrophe is added once: an exported '=1+1 starts with ', so exporting it again leaves it.
    first, second, third = (tmp_path / f"{n}.xlsx" for n in ("first", "second", "third"))
    export_ledger(hazards(30), first)
    once = parse_ledger(first).rows
    export_ledger(once, second)  # LedgerRow objects
    twice = parse_ledger(second).rows
    export_ledger([row.to_json() for row in twice], third)  # the dry-run JSON, ISO dates as text
    thrice = parse_ledger(third).rows
    assert [asdict(row) for row in once] == [asdict(row) for row in twice] == [asdict(row) for row in thrice]


def test_export_cleans_values_a_worksheet_cannot_hold(tmp_path):
    row = hazards(1)[0] | {
        "description": "灭火器\x07过期",
        "found_on": datetime(2026, 3, 5, 9, 30),
        "deadline": "3日内",
        "seq": "007",
        "remark": "",
    }
    buffer = io.BytesIO()
    export_ledger([row], buffer)
    path = tmp_path / "cleaned.xlsx"
    path.write_bytes(buffer.getvalue())
    (read,) = parse_ledger(path).rows
    assert (read.description, read.found_on, read.deadline, read.seq, read.remark) == (
        "灭火器过期",
        date(2026, 3, 5),
        date(2026, 3, 8),
        "007",
        None,
    )


def test_export_of_nothing_is_the_template_with_the_verification_column(tmp_path):
    path = tmp_path / "empty.xlsx"
    export_ledger(iter(()), path)
    parsed = parse_ledger(path)
    assert (parsed.rows, parsed.errors, parsed.refused) == ([], [], False)


def test_export_of_20000_rows(tmp_path):
    path = tmp_path / "big.xlsx"
    rows = hazards(50)
    export_ledger((rows[index % 50] | {"seq": str(index + 1)} for index in range(20_000)), path)
    parsed = parse_ledger(path)
    assert parsed.errors == [] and len(parsed.rows) == 20_000
    assert parsed.rows[-1].seq == "20000" and parsed.rows[-1].row == 20_001
