"""The assessment workbook, opened with openpyxl and read cell by cell.

Alpha's last year is computed with the default rubric and a few entered scores
(tests/isolation/assessment_api.py: S11 72.5, S12 75, D1 62.5, S21 vetoed for concealment):
every other indicator comes from an empty year, the same for every school.
"""

import io

import pytest
from flask_babel import gettext
from openpyxl import load_workbook
from sqlalchemy import select, update

from bureau.assessment.export import assessment_workbook
from bureau.assessment.models import Result
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tests.isolation.assessment_api import score_alpha

GRADE = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


def _unit(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


@pytest.fixture
def rubric(established, last_year):
    rubric = score_alpha(last_year)
    db.session.commit()
    return rubric


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _results() -> dict[str, Result]:
    return {result.org_unit.code: result for result in db.session.scalars(select(Result))}


def _expected_row(rubric, result: Result, second) -> list:
    """The cells of a school's row worked out from its stored result."""
    cells = []
    for item in rubric.indicators:
        detail = result.details[item.code]
        cells.append(("是" if detail["applies"] else "否") if item.is_veto else detail["points"])
    vetoes = [
        item.name for item in rubric.indicators if item.is_veto and result.details[item.code]["applies"]
    ]
    return [
        result.rank_tenant,
        second,
        result.org_unit.name,
        result.org_unit.code,
        *cells,
        result.total,
        "；".join(vetoes) or None,
        GRADE[result.grade],
        f"{result.first_day.isoformat()} 至 {result.last_day.isoformat()}",
    ]


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_bureau_workbook_cell_by_cell(rubric, last_year):
    book = _open(assessment_workbook(rubric, _unit("ALPHA")))
    assert book.sheetnames == ["汇总", "城关镇中心学校", "河口镇中心学校", "直属学校", "指标说明"]
    results = _results()
    # The hand-worked totals: 55 from the empty year, plus the entered scores.
    assert {code: (r.total, r.vetoed, r.grade) for code, r in results.items()} == {
        "S11": (72.5, False, "pass"),
        "S12": (75.0, False, "pass"),
        "D1": (62.5, False, "pass"),
        "S21": (55.0, True, "fail"),
    }
    indicators = [
        f"{item.name}（一票否决）" if item.is_veto else f"{item.name}（{item.weight}分）"
        for item in rubric.indicators
    ]
    tail = ["总分", "一票否决", "等级", "考核期间"]
    assert indicators[0] == f"{rubric.indicators[0].name}（15分）"

    summary = _values(book["汇总"])
    assert summary[0] == ["名次", "中心校", "学校", "学校代码", *indicators, *tail]
    assert summary[1:] == [
        _expected_row(rubric, results["S12"], "城关镇中心学校"),
        _expected_row(rubric, results["S11"], "城关镇中心学校"),
        _expected_row(rubric, results["D1"], "直属"),
        _expected_row(rubric, results["S21"], "河口镇中心学校"),
    ]
    # Spot checks of the worked rows, independent of the helper above.
    s11 = summary[2]
    assert s11[:4] == [2, "城关镇中心学校", "城关镇第一小学", "S11"]
    assert s11[4 + [item.code for item in rubric.indicators].index("inspection")] == 13.5
    assert s11[-4:] == [72.5, None, "合格", f"{last_year}-01-01 至 {last_year}-12-31"]
    veto_name = rubric.indicator("concealment").name
    assert summary[4][-4:-1] == [55, veto_name, "不合格"]
    assert summary[4][4 + [item.code for item in rubric.indicators].index("concealment")] == "是"

    c1 = _values(book["城关镇中心学校"])
    assert c1[0] == ["名次", "中心校内名次", "学校", "学校代码", *indicators, *tail]
    assert c1[1:] == [_expected_row(rubric, results["S12"], 1), _expected_row(rubric, results["S11"], 2)]
    c2 = _values(book["河口镇中心学校"])
    assert c2[1:] == [_expected_row(rubric, results["S21"], 1)]
    direct = _values(book["直属学校"])
    assert direct[0][1] == "直属学校内名次"
    assert direct[1:] == [_expected_row(rubric, results["D1"], 1)]

    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert all(cell.font.bold for cell in sheet[1]), name
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(6 <= width <= 40 for width in widths), (name, widths)
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate)
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate
    # CJK counts double: the longest name, 城关镇中心幼儿园, is 8 characters, 16 wide (+2).
    assert book["汇总"].column_dimensions["C"].width == 18


def test_the_rubric_sheet_explains_every_indicator_and_the_bands(rubric):
    sheet = _values(_open(assessment_workbook(rubric, _unit("ALPHA")))["指标说明"])
    assert sheet[0] == ["代码", "名称", "类型", "分值", "数据来源", "计分规则", "规则参数", "佐证材料"]
    rows = {row[0]: row for row in sheet[1 : 1 + len(rubric.indicators)]}
    assert list(rows) == [item.code for item in rubric.indicators]
    reports = rows["reports"]
    assert reports[1:4] == [rubric.indicator("reports").name, "计分", 15]
    assert "每次扣 2 分" in reports[6] and "每次扣 3 分" in reports[6] and "最低 0 分" in reports[6]
    assert "无统计对象时得分值的 0%" in rows["grid"][6]
    assert rows["inspection"][6] == "录入 0–100 分，得分 = 分值 × 录入分 ÷ 100；未录入得 0 分"
    assert rows["casualties"][2:4] == ["一票否决", 0] and "即一票否决" in rows["casualties"][6]
    assert rows["concealment"][6] == "录入为“是”即一票否决"
    assert rows["letters"][7] == rubric.indicator("letters").evidence
    bands = {row[0]: row[1] for row in sheet[1 + len(rubric.indicators) :] if row and row[0]}
    assert bands["等级"] == "条件"
    assert bands["优秀"] == "总分 ≥ 90"
    assert bands["良好"] == "80 ≤ 总分 < 90"
    assert bands["合格"] == "60 ≤ 总分 < 80"
    assert bands["不合格"].startswith("总分 < 60")
    assert bands["数据截至"] == f"{rubric.year}-12-31"


def test_a_central_reviewers_workbook_holds_only_its_schools(rubric):
    book = _open(assessment_workbook(rubric, _unit("C1")))
    assert book.sheetnames == ["汇总", "城关镇中心学校", "指标说明"]
    assert [row[2] for row in _values(book["汇总"])[1:]] == ["城关镇中心幼儿园", "城关镇第一小学"]
    text = "\n".join(
        str(value) for name in book.sheetnames for row in _values(book[name]) for value in row if value
    )
    for other in ("河口镇中心小学", "S21", "县实验中学", "D1", "河口镇中心学校"):
        assert other not in text
    assert all(row[-3] is None for row in _values(book["汇总"])[1:])  # S21's veto is not theirs


def test_names_are_written_as_text_and_sheet_names_made_safe(rubric):
    # A school named like a formula, and central schools whose names Excel refuses as sheet names.
    db.session.execute(update(OrgUnit).where(OrgUnit.code == "S11").values(name='=HYPERLINK("x")'))
    db.session.execute(update(OrgUnit).where(OrgUnit.code == "C1").values(name="汇总"))
    db.session.execute(
        update(OrgUnit).where(OrgUnit.code == "C2").values(name="河口镇/中心学校[一]:*?" + "镇" * 40)
    )
    db.session.commit()
    db.session.expire_all()
    book = _open(assessment_workbook(rubric, _unit("ALPHA")))
    c2_title = "河口镇中心学校一" + "镇" * 23
    assert book.sheetnames == ["汇总", "汇总(2)", c2_title, "直属学校", "指标说明"]
    assert len(c2_title) == 31
    names = [row[2] for row in _values(book["汇总(2)"])[1:]]
    assert names == ["城关镇中心幼儿园", '\'=HYPERLINK("x")']
    assert book["汇总(2)"]["C3"].data_type == "s"


def test_the_workbook_is_chinese_in_an_english_request(rubric):
    assert gettext("Monthly reports") == "Monthly reports"  # the test runs in English
    book = _open(assessment_workbook(rubric, _unit("ALPHA")))
    assert _values(book["汇总"])[2][-2] == "合格"
    assert _values(book["指标说明"])[1][4] == "月报"  # the reports source, rendered in Chinese
    assert gettext("Monthly reports") == "Monthly reports"  # and the request's language is back
