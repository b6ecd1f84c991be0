"""Checks of the fictional demo district (bureau.demo.district): pure data, no app."""

import random
import re
from collections import Counter

from bureau.demo import district as d

ALL_KINDS = {
    "bureau",
    "central",
    "primary",
    "junior_middle",
    "senior_high",
    "complete_middle",
    "nine_year",
    "twelve_year",
    "kindergarten",
    "teaching_point",
    "vocational",
    "special",
    "grade_group",
}
SCHOOL_KINDS = ALL_KINDS - {"bureau", "central", "grade_group"}


def _by_code():
    return {row.code: row for row in d.ORG_ROWS}


def test_codes_unique_and_well_formed():
    codes = [row.code for row in d.ORG_ROWS]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", code), code
    names = [row.name for row in d.ORG_ROWS]
    assert len(names) == len(set(names))


def test_tenant_and_bureau():
    assert d.TENANT_CODE == "qingshan"
    roots = [row for row in d.ORG_ROWS if row.parent_code is None]
    assert roots == [d.ORG_ROWS[0]]
    assert roots[0].code == "QS-JYJ" and roots[0].name == "青山县教育局"
    assert roots[0].level == 1 and roots[0].kind == "bureau"


def test_parents_exist_and_come_first():
    seen = set()
    for row in d.ORG_ROWS:
        if row.parent_code is not None:
            assert row.parent_code in seen, row
        seen.add(row.code)


def test_level_rules():
    by_code = _by_code()
    for row in d.ORG_ROWS:
        assert row.kind in ALL_KINDS, row
        assert isinstance(row.is_private, bool)
        if row.level == 1:
            assert row.kind == "bureau" and row.parent_code is None
            continue
        assert row.kind != "bureau", row
        parent = by_code[row.parent_code]
        assert parent.level == row.level - 1, row
        if row.level == 2:
            assert row.kind == "central" or row.kind in SCHOOL_KINDS, row
        else:
            assert row.level == 3, row
            assert row.kind != "central", row
            if row.kind == "grade_group":
                assert parent.kind in SCHOOL_KINDS, row
            else:
                assert parent.kind == "central", row


def test_every_kind_appears():
    kinds = {row.kind for row in d.ORG_ROWS}
    assert kinds == ALL_KINDS


def test_counts():
    """60–75 units; 7 central schools; 5 directly-run schools; 3 grade groups of 青山县第一中学;
    50–59 level-3 schools (grade groups excluded); private kindergartens and a private
    twelve-year school."""
    rows = d.ORG_ROWS
    assert 60 <= len(rows) <= 75
    per_level = Counter(row.level for row in rows)
    assert per_level[1] == 1
    central = [r for r in rows if r.kind == "central"]
    assert len(central) == 7
    direct = [r for r in rows if r.level == 2 and r.kind in SCHOOL_KINDS]
    assert {r.name: r.kind for r in direct} == {
        "青山县第一中学": "senior_high",
        "青山县实验中学": "junior_middle",
        "青山县第二中学": "complete_middle",
        "青山县职业技术学校": "vocational",
        "青山县特殊教育学校": "special",
    }
    level3_schools = [r for r in rows if r.level == 3 and r.kind != "grade_group"]
    assert 50 <= len(level3_schools) <= 59
    groups = [r for r in rows if r.kind == "grade_group"]
    yz = next(r for r in rows if r.name == "青山县第一中学")
    assert sorted(g.name for g in groups) == sorted(["高一年级组", "高二年级组", "高三年级组"])
    assert all(g.parent_code == yz.code for g in groups)
    assert any(r.kind == "kindergarten" and r.is_private for r in rows)
    assert any(r.kind == "kindergarten" and not r.is_private for r in rows)
    assert any(r.kind == "twelve_year" and r.is_private for r in rows)
    assert next(r for r in rows if r.name == "城关镇阳光幼儿园").is_private
    # every central school runs at least one school
    for c in central:
        assert d.children_of(c.code), c


def test_township_prefixes():
    by_code = _by_code()
    for row in d.ORG_ROWS:
        if row.level == 3 and by_code[row.parent_code].kind == "central":
            assert row.code.split("-")[0] == row.parent_code.split("-")[0], row


def test_sample_ledger_schools():
    by_code = _by_code()
    expected = {
        "CG-ZX": ("城关镇中心学校", "QS-JYJ", "central"),
        "HK-ZX": ("河口镇中心学校", "QS-JYJ", "central"),
        "CG-YX": ("城关镇第一小学", "CG-ZX", "primary"),
        "CG-ZXYEY": ("城关镇中心幼儿园", "CG-ZX", "kindergarten"),
        "HK-ZXXX": ("河口镇中心小学", "HK-ZX", "primary"),
        "HK-LWJXD": ("河口镇柳湾教学点", "HK-ZX", "teaching_point"),
        "QS-SYZX": ("青山县实验中学", "QS-JYJ", "junior_middle"),
        "QS-EZ": ("青山县第二中学", "QS-JYJ", "complete_middle"),
    }
    for code, (name, parent, kind) in expected.items():
        row = by_code[code]
        assert (row.name, row.parent_code, row.kind) == (name, parent, kind)


def test_demo_users():
    by_code = _by_code()
    usernames = [u.username for u in d.DEMO_USERS]
    assert len(usernames) == len(set(usernames))
    roles = {u.role for u in d.DEMO_USERS}
    assert roles == {
        "bureau_admin",
        "bureau_staff",
        "central_reviewer",
        "school_admin",
        "grid_keeper",
        "viewer",
    }
    for user in d.DEMO_USERS:
        org = by_code[user.org_code]
        assert user.password == d.DEMO_PASSWORD
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", user.display_name), user
        if user.role in {"bureau_admin", "bureau_staff"}:
            assert org.level == 1
        elif user.role == "central_reviewer":
            assert org.kind == "central"
        elif user.role in {"school_admin", "grid_keeper"}:
            assert org.level in (2, 3) and org.kind in SCHOOL_KINDS
    assert {u.username: u.org_code for u in d.DEMO_USERS} == {
        "admin": "QS-JYJ",
        "anquanke": "QS-JYJ",
        "cg_reviewer": "CG-ZX",
        "hk_reviewer": "HK-ZX",
        "cgyx_admin": "CG-YX",
        "syzx_admin": "QS-SYZX",
        "cgyx_keeper": "CG-YX",
        "leader": "QS-JYJ",
    }
    assert d.DEMO_PASSWORD == "Qingshan@2026"
    assert d.DEMO_OPERATOR == ("operator", "Qingshan@2026")


def test_person_name_and_phone_deterministic():
    a = [d.person_name(random.Random(42)) for _ in range(3)]
    assert len(set(a)) == 1
    rng1, rng2 = random.Random(7), random.Random(7)
    names1 = [d.person_name(rng1) for _ in range(50)]
    names2 = [d.person_name(rng2) for _ in range(50)]
    assert names1 == names2
    assert len(set(names1)) > 40
    for name in names1:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name)
        assert name[0] in d.PEOPLE_SURNAMES
        assert all(ch in d.PEOPLE_GIVEN for ch in name[1:])
    rng = random.Random(3)
    phones = [d.phone_number(rng) for _ in range(50)]
    again = random.Random(3)
    assert phones == [d.phone_number(again) for _ in range(50)]
    for phone in phones:
        assert re.fullmatch(r"1[358]\d{9}", phone), phone


def test_helpers():
    assert d.ORG_BY_CODE["CG-YX"].name == "城关镇第一小学"
    sub = d.subtree_codes("HK-ZX")
    assert sub[0] == "HK-ZX" and "HK-LWJXD" in sub and "CG-YX" not in sub
    assert len(d.subtree_codes("QS-JYJ")) == len(d.ORG_ROWS)
    assert [r.code for r in d.children_of("QS-YZ")] == ["QS-YZ-G1", "QS-YZ-G2", "QS-YZ-G3"]
