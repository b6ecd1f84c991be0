from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.ledgers.values import (
    InvalidValue,
    add_months,
    category_code,
    cell_text,
    cn_number,
    infer_category,
    level_code,
    parse_date,
    parse_deadline,
    source_code,
    status_code,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 5)),
        (datetime(2026, 5, 17, 13, 40), date(2026, 5, 17)),
        (46090.0, date(2026, 3, 9)),
        (46090.54, date(2026, 3, 9)),
        (46090, date(2026, 3, 9)),
        (20260306.0, date(2026, 3, 6)),
        (20260306, date(2026, 3, 6)),
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("2026/03/05", date(2026, 3, 5)),
        ("2026.3.5", date(2026, 3, 5)),
        ("2026年3月5日", date(2026, 3, 5)),
        ("2026年03月05号", date(2026, 3, 5)),
        ("20260305", date(2026, 3, 5)),
        ("２０２６－０３－０５", date(2026, 3, 5)),
        ("2026-05-17 13:40:00", date(2026, 5, 17)),
        (" 2026/4/9 ", date(2026, 4, 9)),
        ("3月5日", date(2026, 3, 5)),
        ("3.5", date(2026, 3, 5)),
        ("4.10", date(2026, 4, 10)),
        ("4.1", date(2026, 4, 1)),
        (3.5, date(2026, 3, 5)),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_dates_are_read(value, expected):
    assert parse_date(value, 2026) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3月32日", "不是日期: '3月32日'"),
        ("4月31日", "不是日期: '4月31日'"),
        ("2026-04-31", "不是日期: '2026-04-31'"),
        ("2026-13-01", "不是日期: '2026-13-01'"),
        ("abc", "不是日期: 'abc'"),
        ("13.5", "不是日期: '13.5'"),
        (123.0, "不是日期: '123'"),
        (True, "不是日期: '是'"),
        (float("nan"), "不是日期: 'nan'"),
        ("9999-12-31", "不是日期: '9999-12-31'"),
        (29991231, "不是日期: '29991231'"),
    ],
)
def test_bad_dates_are_named(value, message):
    with pytest.raises(InvalidValue) as caught:
        parse_date(value, 2026)
    assert str(caught.value) == message


def test_a_date_without_year_needs_one():
    with pytest.raises(InvalidValue, match="缺少年份: '3月5日'"):
        parse_date("3月5日", None)


def test_a_yearless_date_before_the_found_date_is_next_year():
    assert parse_date("1.5", 2026, not_before=date(2026, 12, 28)) == date(2027, 1, 5)
    assert parse_date("2026.1.5", 2026, not_before=date(2026, 12, 28)) == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("found_on", "value", "expected"),
    [
        (date(2026, 3, 16), "立即", date(2026, 3, 16)),
        (date(2026, 3, 16), "当天", date(2026, 3, 16)),
        (date(2026, 3, 16), "当日", date(2026, 3, 16)),
        (date(2026, 3, 28), "3日内", date(2026, 3, 31)),
        (date(2026, 4, 11), "3天", date(2026, 4, 14)),
        (date(2026, 3, 15), "三天内", date(2026, 3, 18)),
        (date(2026, 3, 3), "七天内", date(2026, 3, 10)),
        (date(2026, 3, 3), "十天内", date(2026, 3, 13)),
        (date(2026, 3, 3), "二十天", date(2026, 3, 23)),
        (date(2026, 3, 3), "3天以内", date(2026, 3, 6)),
        (date(2026, 4, 9), "1周", date(2026, 4, 16)),
        (date(2026, 4, 15), "一周内", date(2026, 4, 22)),
        (date(2026, 3, 20), "两周", date(2026, 4, 3)),
        (date(2026, 3, 20), "2周", date(2026, 4, 3)),
        (date(2026, 4, 23), "一个月内", date(2026, 5, 23)),
        (date(2026, 1, 31), "一个月内", date(2026, 2, 28)),
        (date(2026, 3, 8), "本月内", date(2026, 3, 31)),
        (date(2026, 2, 8), "本月内", date(2026, 2, 28)),
        (date(2026, 3, 8), "3月底", date(2026, 3, 31)),
        (date(2026, 12, 8), "2月底", date(2027, 2, 28)),
        (date(2026, 3, 8), "2026/4/9", date(2026, 4, 9)),
        (date(2026, 3, 8), "3月23日", date(2026, 3, 23)),
        (date(2026, 4, 1), "4.6", date(2026, 4, 6)),
        (date(2026, 3, 8), date(2026, 3, 23), date(2026, 3, 23)),
        (date(2026, 3, 8), "", None),
        (date(2026, 3, 8), None, None),
        (None, "三天内", None),
    ],
)
def test_deadlines_count_from_the_found_date(found_on, value, expected):
    assert parse_deadline(value, found_on, 2026) == expected


@pytest.mark.parametrize("value", ["尽快", "3月", "下学期", "13月底", "9999999天"])
def test_bad_deadlines_are_named(value):
    with pytest.raises(InvalidValue, match=f"^不是日期或期限: '{value}'$"):
        parse_deadline(value, date(2026, 3, 8), 2026)


def test_months_are_clamped_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("text", "number"),
    [("3", 3), ("三", 3), ("两", 2), ("十", 10), ("十五", 15), ("二十", 20), ("二十五", 25)],
)
def test_chinese_numerals(text, number):
    assert cn_number(text) == number


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (15828669474.0, "15828669474"), (2.5, "2.5"), (date(2026, 3, 5), "2026-03-05"), (None, "")],
)
def test_cells_read_as_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("read", "codes", "variants"),
    [
        (
            category_code,
            CATEGORIES,
            {
                "消防安全": "fire",
                "食品安全": "food",
                "用电安全": "utility",
                "校舍安全": "building",
                "宿舍安全": "dormitory",
                " 消防 ": "fire",
                "其它": "other",
            },
        ),
        (
            level_code,
            LEVELS,
            {"一般": "general", "Ⅰ级": "general", "较大": "serious", "Ⅱ级": "serious", "重大": "major"},
        ),
        (
            status_code,
            STATUSES,
            {
                "已整改": "rectified",
                "已完成": "rectified",
                "整改完毕": "rectified",
                "已处理": "rectified",
                "是": "rectified",
                "整改中": "rectifying",
                "正在整改": "rectifying",
                "未整改": "open",
                "待整改": "open",
                "否": "open",
                "已销号": "verified",
                "已验收": "verified",
                "已复查": "verified",
                "已上报": "escalated",
                "上报": "escalated",
            },
        ),
        (
            source_code,
            SOURCES,
            {
                "日常巡查": "daily",
                "周排查": "weekly",
                "月检查": "monthly",
                "专项排查": "special",
                "督查": "supervision",
            },
        ),
    ],
    ids=["category", "level", "status", "source"],
)
def test_codes_labels_and_variants_are_read(read, codes, variants):
    for code, label in codes.items():
        assert read(code) == code
        assert read(label) == code
    for text, code in variants.items():
        assert read(text) == code, text


@pytest.mark.parametrize(
    ("read", "message"),
    [
        (category_code, "不是隐患类别: '天气'"),
        (level_code, "不是隐患等级: '天气'"),
        (status_code, "不是整改状态: '天气'"),
        (source_code, "不是排查类型: '天气'"),
    ],
)
def test_unknown_codes_are_named(read, message):
    with pytest.raises(InvalidValue) as caught:
        read("天气")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("description", "location", "category"),
    [
        ("灭火器过期未更换", "图书室", "fire"),
        ("消防通道堆放杂物", "二楼", "fire"),
        ("餐具清洗后随意堆放", "食堂", "food"),
        ("试剂柜未上锁", "化学实验室", "lab"),
        ("插座面板破损", "办公室", "utility"),
        ("配电箱未上锁，电线老化", "配电箱", "utility"),
        ("保安午间脱岗", "校门", "security"),
        ("围墙破损", "北侧", "security"),
        ("瓦片松动", "教学楼屋顶", "building"),
        ("墙体开裂", "教学楼", "building"),
        ("学生追逐打闹", "操场", None),
        ("实验室灭火器压力不足", "实验室", None),
    ],
)
def test_categories_are_inferred_from_one_set_of_keywords(description, location, category):
    assert infer_category(description, location) == category


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.text(),
    st.from_regex(r"\A[0-9一二三两十]{1,3}[月.日天周个]{1,2}[0-9]{0,2}[日号内]?\Z"),
)


@settings(database=None)
@given(value=CELLS, found_on=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31))))
def test_any_cell_is_a_date_or_a_named_error(value, found_on):
    for read in (
        lambda: parse_date(value, 2026, not_before=found_on),
        lambda: parse_deadline(value, found_on, 2026),
    ):
        try:
            assert isinstance(read(), date | None)
        except InvalidValue as exc:
            assert str(exc)
