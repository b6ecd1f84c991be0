import pytest

from schools.ledgers.headers import FIELD_SYNONYMS, contained_field, exact_field, find_header


@pytest.mark.parametrize(
    ("synonym", "name"),
    [(synonym, name) for name, synonyms in FIELD_SYNONYMS.items() for synonym in synonyms],
)
def test_every_synonym_names_its_field(synonym, name):
    assert exact_field(synonym) == name


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("\u3000序号", "seq"),
        ("检查日期 ", "found_on"),
        ("隐患级别：", "level"),
        ("（备注）", "remark"),
        ("整改 措施", "measures"),
        ("No.", "seq"),
        ("NO", "seq"),
        ("#", "seq"),
        ("＃", "seq"),
        ("Date Found", "found_on"),
        ("类型", "category"),
        ("检查类型", "source"),
        ("完成时限", "deadline"),
        ("完成时间", "rectified_on"),
        ("联系电话", None),
        ("*", None),
    ],
)
def test_headers_are_compared_trimmed_folded_and_without_punctuation(header, name):
    assert exact_field(header) == name


@pytest.mark.parametrize(
    ("header", "name"),
    [("排查日期（年/月/日）", "found_on"), ("隐患整改完成日期", "rectified_on"), ("联系电话", None)],
)
def test_a_longer_header_takes_the_longest_synonym_inside_it(header, name):
    assert contained_field(header) == name


def rows(*lines):
    return [(number, list(cells)) for number, cells in enumerate(lines, 1)]


def test_the_header_is_found_below_title_lines():
    header = find_header(
        rows(
            ["XX学校2026年3月安全隐患排查整改台账", "", "", ""],
            ["填报单位：XX学校", "", "排查时段：2026年3月", ""],
            ["序号", "检查日期", "检查部位", "存在问题"],
            [1.0, "3月4日", "操场", "地面破损"],
        )
    )
    assert (header.row, header.data_index) == (3, 3)
    assert header.columns == {"seq": 0, "found_on": 1, "location": 2, "description": 3}
    assert header.missing == []


def test_a_two_row_header_takes_the_sub_headers_under_a_group():
    header = find_header(
        rows(
            ["序号", "排查日期", "隐患部位", "隐患内容", "整改情况", "", "", "整改状态"],
            ["", "", "", "", "整改措施", "整改期限", "完成日期", ""],
            [1.0, "2026/3/8", "门口", "拥堵", "疏导", "立即", "2026/3/13", "已销号"],
        )
    )
    assert (header.row, header.data_index) == (1, 2)
    assert header.columns == {
        "seq": 0,
        "found_on": 1,
        "location": 2,
        "description": 3,
        "measures": 4,
        "deadline": 5,
        "rectified_on": 6,
        "status": 7,
    }
    assert header.ignored == []


def test_exact_headers_win_over_contained_ones_and_duplicates_are_ignored():
    header = find_header(
        rows(
            ["填表日期", "排查日期", "部位", "隐患描述", "隐患描述", "联系电话"],
            ["", "2026-03-01", "操场", "x", "y", ""],
        )
    )
    assert header.columns == {"found_on": 1, "location": 2, "description": 3}
    assert header.ignored == ["填表日期", "隐患描述", "联系电话"]


def test_a_header_lacking_required_columns_says_which():
    header = find_header(rows(["序号", "日期", "备注"]))
    assert header.missing == ["location", "description"]


def test_no_header_in_prose():
    assert find_header(rows(["填表说明"], ["1. 本台账按月分表填写"], ["2. 排查日期可只填月、日"])) is None
