import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from schools.ledgers.headers import exact_field
from schools.ledgers.parser import parse_ledger

# The contract's samples, copied into the repo so the suite runs anywhere; the copy is
# checked against ../shared/samples/ledgers whenever that folder is present.
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "ledgers"
SHARED_SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "ledgers"
SAMPLE_FILES = sorted(path for path in SAMPLES.glob("*") if path.suffix in (".xlsx", ".csv"))
ERROR_KINDS = {
    "bad_date": ("found_on", "不是日期"),
    "no_desc": ("description", "必填项为空"),
    "no_loc": ("location", "必填项为空"),
}

HEADER = "序号 排查日期 排查类型 排查部位 隐患类别 隐患等级 隐患描述 整改措施 责任人 整改期限 完成日期 整改情况 复查人 备注"


def test_all_six_samples_are_there():
    assert len(SAMPLE_FILES) == 6


@pytest.mark.skipif(
    not SHARED_SAMPLES.is_dir(), reason="../shared/samples/ledgers is not beside this checkout"
)
def test_copied_samples_match_the_shared_contract():
    shared = {path.name: path.read_bytes() for path in SHARED_SAMPLES.iterdir() if path.is_file()}
    ours = {path.name: path.read_bytes() for path in SAMPLES.iterdir() if path.is_file()}
    assert ours == shared


@pytest.fixture(scope="module", params=SAMPLE_FILES, ids=lambda path: path.name)
def sample(request):
    path = request.param
    key = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))
    return parse_ledger(path).to_json(), key


def test_sample_is_read_under_its_name(sample):
    parsed, key = sample
    assert parsed["file"] == key["file"]
    assert key["exit_status"] == 0
    assert all(error["row"] is not None for error in parsed["errors"])


def test_sample_rows_match_the_key(sample):
    parsed, key = sample
    rows = {(row["sheet"], row["row"]): row for row in parsed["rows"]}
    expected = {(row["sheet"], row["row"]): row for row in key["rows"]}
    assert sorted(rows, key=str) == sorted(expected, key=str)
    for where, row in expected.items():
        assert {name: rows[where][name] for name in row} == row, where


def test_sample_errors_are_exactly_the_error_rows(sample):
    parsed, key = sample
    expected = {(row["sheet"], row["row"]): row["kind"] for row in key["error_rows"]}
    assert {(error["sheet"], error["row"]) for error in parsed["errors"]} == set(expected)
    for error in parsed["errors"]:
        name, message = ERROR_KINDS[expected[error["sheet"], error["row"]]]
        assert exact_field(error["column"]) == name, error
        assert error["message"].startswith(message), error
    assert not {(row["sheet"], row["row"]) for row in parsed["rows"]} & set(expected)


def test_sample_sheets_match_the_key(sample):
    parsed, key = sample
    if "sheets" in key:
        assert [(sheet["name"], sheet["used"]) for sheet in parsed["sheets"]] == [
            (sheet["name"], sheet["used"]) for sheet in key["sheets"]
        ]


def test_sample_reports_unknown_columns(sample):
    parsed, key = sample
    assert set(key.get("ignored_columns_include", [])) <= set(parsed["ignored_columns"])


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", separator: str = ",") -> Path:
    text = io.StringIO()
    csv.writer(text, delimiter=separator).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def hazard(seq=1, found="2026-03-05", **cells) -> list:
    """Return a row of the template layout; cells named by their header replace the defaults."""
    defaults = [
        seq,
        found,
        "日巡查",
        "学生食堂",
        "饮食卫生",
        "一般隐患",
        "留样记录不全",
        "完善记录",
        "张三",
        "三天内",
    ]
    row = dict(zip(HEADER.split(), [*defaults, "", "", "", ""], strict=True))
    row.update(cells)
    return list(row.values())


def test_the_dry_run_object_has_the_contracts_keys(tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", {"3月": [HEADER.split(), hazard()]})
    parsed = parse_ledger(path).to_json()
    assert list(parsed) == ["file", "sheets", "rows", "errors", "ignored_columns"]
    assert parsed["sheets"] == [{"name": "3月", "header_row": 1, "used": True}]
    assert parsed["rows"] == [
        {
            "row": 2,
            "sheet": "3月",
            "seq": "1",
            "found_on": "2026-03-05",
            "source": "daily",
            "location": "学生食堂",
            "category": "food",
            "category_inferred": False,
            "level": "general",
            "description": "留样记录不全",
            "measures": "完善记录",
            "responsible": "张三",
            "deadline": "2026-03-08",
            "rectified_on": None,
            "status": "open",
            "verification": None,
            "verified_by": None,
            "remark": None,
        }
    ]


def test_lines_that_are_not_hazards_are_skipped_silently(tmp_path):
    sheet = [
        ["XX学校2026年3月安全隐患排查整改台账"],
        ["填报单位：XX学校", "", "", "排查时段：2026年3月"],
        HEADER.split(),
        hazard(1, "3月5日"),
        [],
        [2],
        HEADER.split(),
        hazard(3, "3.6"),
        ["合计", "", "", "", "", "", "本月共排查隐患2处"],
        ["填表人：李娜", "", "", "审核人：周敏", "", "", "", "", "", "校长签字："],
        ["园长签字："],
        ["注：本表每月5日前报送"],
    ]
    parsed = parse_ledger(write_xlsx(tmp_path / "台账.xlsx", {"Sheet1": sheet}))
    assert parsed.errors == []
    assert [(row.row, row.found_on) for row in parsed.rows] == [(4, date(2026, 3, 5)), (8, date(2026, 3, 6))]


def test_rows_are_numbered_as_excel_shows_them_when_the_sheet_starts_lower(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, row in ((3, ["2026年台账"]), (5, HEADER.split()), (6, hazard()), (9, hazard(2))):
        for column, value in enumerate(row, 3):
            sheet.cell(number, column, value)
    workbook.save(tmp_path / "台账.xlsx")
    parsed = parse_ledger(tmp_path / "台账.xlsx")
    assert parsed.sheets[0].header_row == 5
    assert [row.row for row in parsed.rows] == [6, 9]


def test_row_errors_name_the_column_as_written_and_quote_the_value(tmp_path):
    header = HEADER.replace("隐患描述", "存在问题").replace("隐患等级", "隐患级别：").split()
    sheet = [
        header,
        hazard(1, "3月32日"),
        hazard(2, 隐患描述=""),
        hazard(3, 隐患类别="天气", 隐患等级="特大", 整改期限="尽快", 完成日期="昨天", 整改情况="差不多"),
        hazard(4, "", 排查部位=""),
    ]
    parsed = parse_ledger(write_xlsx(tmp_path / "t.xlsx", {"Sheet1": sheet}), default_year=2026)
    assert parsed.rows == []
    assert [(error.row, error.column, error.message) for error in parsed.errors] == [
        (2, "排查日期", "不是日期: '3月32日'"),
        (3, "存在问题", "必填项为空: 存在问题"),
        (4, "整改期限", "不是日期或期限: '尽快'"),
        (4, "完成日期", "不是日期: '昨天'"),
        (4, "隐患类别", "不是隐患类别: '天气'"),
        (4, "隐患级别：", "不是隐患等级: '特大'"),
        (4, "整改情况", "不是整改状态: '差不多'"),
        (5, "排查日期", "必填项为空: 排查日期"),
        (5, "排查部位", "必填项为空: 排查部位"),
    ]


@pytest.mark.parametrize(
    ("titles", "filename", "default_year", "found_on"),
    [
        ([["XX学校2026年3月台账"]], "台账.xlsx", None, date(2026, 3, 5)),
        ([["排查时段：2025年12月"]], "2026年台账.xlsx", 2024, date(2025, 3, 5)),
        ([], "台账_2027年.xlsx", 2024, date(2027, 3, 5)),
        ([], "台账.xlsx", 2024, date(2024, 3, 5)),
    ],
)
def test_dates_without_year_take_the_title_then_the_file_name_then_the_default(
    tmp_path, titles, filename, default_year, found_on
):
    path = write_xlsx(tmp_path / filename, {"Sheet1": [*titles, HEADER.split(), hazard(1, "3月5日")]})
    assert parse_ledger(path, default_year=default_year).rows[0].found_on == found_on


def test_a_date_without_any_year_is_a_row_error(tmp_path):
    parsed = parse_ledger(write_xlsx(tmp_path / "台账.xlsx", {"Sheet1": [HEADER.split(), hazard(1, "3.5")]}))
    assert [error.message for error in parsed.errors] == ["日期缺少年份: '3.5'"]


def test_status_follows_the_completion_date_when_blank(tmp_path):
    sheet = [
        HEADER.split(),
        hazard(1, 完成日期="2026-03-06"),
        hazard(2),
        hazard(3, 完成日期="2026-03-06", 整改情况="整改中"),
    ]
    parsed = parse_ledger(write_xlsx(tmp_path / "t.xlsx", {"Sheet1": sheet}))
    assert [row.status for row in parsed.rows] == ["rectified", "open", "rectifying"]


def test_a_blank_category_cell_is_inferred(tmp_path):
    sheet = [
        HEADER.split(),
        hazard(1, 隐患类别=""),
        hazard(2, 隐患类别="", 隐患描述="天花板脱落", 排查部位="礼堂"),
    ]
    parsed = parse_ledger(write_xlsx(tmp_path / "t.xlsx", {"Sheet1": sheet}))
    assert [(row.category, row.category_inferred) for row in parsed.rows] == [("food", True), (None, True)]


def test_only_sheets_with_a_ledger_header_are_read_in_order(tmp_path):
    month = [HEADER.split(), hazard()]
    sheets = {"说明": [["填表说明"], ["1. 按月分表"]], "3月": month, "汇总": [["类别", "数量"]], "4月": month}
    parsed = parse_ledger(write_xlsx(tmp_path / "2026年台账.xlsx", sheets))
    assert [(sheet.name, sheet.used) for sheet in parsed.sheets] == [
        ("说明", False),
        ("3月", True),
        ("汇总", False),
        ("4月", True),
    ]
    assert [(row.sheet, row.row) for row in parsed.rows] == [("3月", 2), ("4月", 2)]


def test_unknown_columns_are_reported_once(tmp_path):
    sheet = [[*HEADER.split(), "联系电话", "资金(元)"], [*hazard(), "13800000000", 500]]
    sheets = {"3月": sheet, "4月": sheet}
    parsed = parse_ledger(write_xlsx(tmp_path / "t.xlsx", sheets))
    assert parsed.ignored_columns == ["联系电话", "资金(元)"]
    assert len(parsed.rows) == 2


def test_formula_cells_give_their_cached_value_and_are_never_evaluated(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Sheet1": [
                HEADER.split(),
                hazard(1, "=DATE(2026,3,5)"),
                hazard(2, "=DATE(2026,3,6)", 隐患描述="=A1"),
            ]
        },
    )
    # openpyxl writes no cached values: give the first formula one, as Excel would have saved it.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = re.sub(
        r"(<f>DATE\(2026,3,5\)</f>)<v\s*/>|(<f>DATE\(2026,3,5\)</f>)", r"\1\2<v>46086</v>", sheet_xml
    )
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    parsed = parse_ledger(path)
    assert [(row.row, row.found_on) for row in parsed.rows] == [(2, date(2026, 3, 5))]
    assert [(error.row, error.message) for error in parsed.errors] == [
        (3, "必填项为空: 排查日期"),
        (3, "必填项为空: 隐患描述"),
    ]


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", "\t"), ("gb18030", ","), ("utf-8", "\t")],
)
def test_csv_encoding_and_separator_are_detected(tmp_path, encoding, separator):
    rows = [["河口镇中心小学2026年4月隐患排查台账"], HEADER.split(), hazard(1, "4月2日")]
    parsed = parse_ledger(write_csv(tmp_path / "t.csv", rows, encoding, separator))
    assert parsed.errors == []
    assert [(row.row, row.sheet, row.found_on, row.location) for row in parsed.rows] == [
        (3, None, date(2026, 4, 2), "学生食堂")
    ]


def test_csv_rows_are_numbered_by_their_first_line(tmp_path):
    # The second hazard's line also stops after the description: missing cells read as empty.
    rows = [HEADER.split(), hazard(1, 隐患描述="地面破损\n多处"), hazard(2, 隐患描述="积水")[:7]]
    parsed = parse_ledger(write_csv(tmp_path / "t.csv", rows))
    assert [(row.row, row.description) for row in parsed.rows] == [(2, "地面破损\n多处"), (4, "积水")]
