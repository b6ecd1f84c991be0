"""The demo district: 青山县教育局 (tenant ``qingshan``).

Everything here is fictional — the county, its townships, schools, people and phone
numbers are invented for demonstrations, tests and the sample ledgers in
``shared/samples/ledgers`` (城关镇第一小学 CG-YX, 青山县实验中学 QS-SYZX, 城关镇中心幼儿园
CG-ZXYEY, 青山县第二中学 QS-EZ, 河口镇中心小学 HK-ZXXX, 河口镇柳湾教学点 HK-LWJXD).
Any resemblance to a real place or person is accidental.

The module is plain data plus a few pure helpers: no Flask, no database. Seeding code
turns ``ORG_ROWS`` (parent-before-child order) into org units and ``DEMO_USERS`` into
accounts; ``DEMO_PASSWORD`` is only ever used in demo mode.
"""

from __future__ import annotations

import random
from types import MappingProxyType
from typing import NamedTuple

TENANT_CODE = "qingshan"
TENANT_NAME = "青山县教育局"
BUREAU_CODE = "QS-JYJ"
BUREAU_NAME = "青山县教育局"


class OrgRow(NamedTuple):
    code: str
    name: str
    level: int
    parent_code: str | None
    kind: str
    is_private: bool = False


class DemoUser(NamedTuple):
    username: str
    display_name: str
    role: str
    org_code: str
    password: str


KIND_LABELS = MappingProxyType(
    {
        "bureau": "教育局",
        "central": "中心学校",
        "primary": "小学",
        "junior_middle": "初中",
        "senior_high": "高中",
        "complete_middle": "完全中学",
        "nine_year": "九年一贯制",
        "twelve_year": "十二年一贯制",
        "kindergarten": "幼儿园",
        "teaching_point": "教学点",
        "vocational": "职业学校",
        "special": "特殊教育学校",
        "grade_group": "年级组",
    }
)

#: Kinds that are a school (a unit that keeps its own grid and ledger).
SCHOOL_KINDS = frozenset(KIND_LABELS) - {"bureau", "central", "grade_group"}


def _row(code: str, name: str, level: int, parent: str | None, kind: str, private: bool = False) -> OrgRow:
    return OrgRow(code, name, level, parent, kind, private)


_B = BUREAU_CODE

ORG_ROWS: tuple[OrgRow, ...] = (
    # 一级网格
    _row(_B, BUREAU_NAME, 1, None, "bureau"),
    # 二级网格: 乡镇中心学校
    _row("CG-ZX", "城关镇中心学校", 2, _B, "central"),
    _row("HK-ZX", "河口镇中心学校", 2, _B, "central"),
    _row("LL-ZX", "柳林镇中心学校", 2, _B, "central"),
    _row("SQ-ZX", "石桥乡中心学校", 2, _B, "central"),
    _row("BS-ZX", "白沙镇中心学校", 2, _B, "central"),
    _row("LQ-ZX", "龙泉镇中心学校", 2, _B, "central"),
    _row("TY-ZX", "桃源乡中心学校", 2, _B, "central"),
    # 二级网格: 局直学校
    _row("QS-YZ", "青山县第一中学", 2, _B, "senior_high"),
    _row("QS-SYZX", "青山县实验中学", 2, _B, "junior_middle"),
    _row("QS-EZ", "青山县第二中学", 2, _B, "complete_middle"),
    _row("QS-ZJ", "青山县职业技术学校", 2, _B, "vocational"),
    _row("QS-TJ", "青山县特殊教育学校", 2, _B, "special"),
    # 三级网格: 县一中年级组
    _row("QS-YZ-G1", "高一年级组", 3, "QS-YZ", "grade_group"),
    _row("QS-YZ-G2", "高二年级组", 3, "QS-YZ", "grade_group"),
    _row("QS-YZ-G3", "高三年级组", 3, "QS-YZ", "grade_group"),
    # 三级网格: 城关镇
    _row("CG-YX", "城关镇第一小学", 3, "CG-ZX", "primary"),
    _row("CG-EX", "城关镇第二小学", 3, "CG-ZX", "primary"),
    _row("CG-SX", "城关镇第三小学", 3, "CG-ZX", "primary"),
    _row("CG-DMXX", "城关镇东门小学", 3, "CG-ZX", "primary"),
    _row("CG-CZ", "城关镇初级中学", 3, "CG-ZX", "junior_middle"),
    _row("CG-ZXYEY", "城关镇中心幼儿园", 3, "CG-ZX", "kindergarten"),
    _row("CG-DEYEY", "城关镇第二幼儿园", 3, "CG-ZX", "kindergarten"),
    _row("CG-YGYEY", "城关镇阳光幼儿园", 3, "CG-ZX", "kindergarten", True),
    _row("CG-BLYEY", "城关镇贝乐幼儿园", 3, "CG-ZX", "kindergarten", True),
    _row("CG-YCXX", "青山县育才学校", 3, "CG-ZX", "twelve_year", True),
    _row("CG-YZJXD", "城关镇杨庄教学点", 3, "CG-ZX", "teaching_point"),
    # 三级网格: 河口镇
    _row("HK-ZXXX", "河口镇中心小学", 3, "HK-ZX", "primary"),
    _row("HK-DTXX", "河口镇渡头小学", 3, "HK-ZX", "primary"),
    _row("HK-HXXX", "河口镇河西小学", 3, "HK-ZX", "primary"),
    _row("HK-CZ", "河口镇初级中学", 3, "HK-ZX", "junior_middle"),
    _row("HK-ZXYEY", "河口镇中心幼儿园", 3, "HK-ZX", "kindergarten"),
    _row("HK-XXYEY", "河口镇星星幼儿园", 3, "HK-ZX", "kindergarten", True),
    _row("HK-LWJXD", "河口镇柳湾教学点", 3, "HK-ZX", "teaching_point"),
    _row("HK-SJJXD", "河口镇石矶教学点", 3, "HK-ZX", "teaching_point"),
    # 三级网格: 柳林镇
    _row("LL-ZXXX", "柳林镇中心小学", 3, "LL-ZX", "primary"),
    _row("LL-HJXX", "柳林镇黄集小学", 3, "LL-ZX", "primary"),
    _row("LL-DZXX", "柳林镇杜庄小学", 3, "LL-ZX", "primary"),
    _row("LL-CZ", "柳林镇初级中学", 3, "LL-ZX", "junior_middle"),
    _row("LL-ZXYEY", "柳林镇中心幼儿园", 3, "LL-ZX", "kindergarten"),
    _row("LL-XMFYEY", "柳林镇小蜜蜂幼儿园", 3, "LL-ZX", "kindergarten", True),
    _row("LL-WJWJXD", "柳林镇王家洼教学点", 3, "LL-ZX", "teaching_point"),
    _row("LL-QPJXD", "柳林镇桥坡教学点", 3, "LL-ZX", "teaching_point"),
    # 三级网格: 石桥乡
    _row("SQ-JYZ", "石桥乡九年一贯制学校", 3, "SQ-ZX", "nine_year"),
    _row("SQ-XZXX", "石桥乡新庄小学", 3, "SQ-ZX", "primary"),
    _row("SQ-MJXX", "石桥乡马家小学", 3, "SQ-ZX", "primary"),
    _row("SQ-ZXYEY", "石桥乡中心幼儿园", 3, "SQ-ZX", "kindergarten"),
    _row("SQ-GJLJXD", "石桥乡高家岭教学点", 3, "SQ-ZX", "teaching_point"),
    _row("SQ-LYJXD", "石桥乡芦园教学点", 3, "SQ-ZX", "teaching_point"),
    # 三级网格: 白沙镇
    _row("BS-ZXXX", "白沙镇中心小学", 3, "BS-ZX", "primary"),
    _row("BS-GTXX", "白沙镇港头小学", 3, "BS-ZX", "primary"),
    _row("BS-XHXX", "白沙镇新华小学", 3, "BS-ZX", "primary"),
    _row("BS-CZ", "白沙镇初级中学", 3, "BS-ZX", "junior_middle"),
    _row("BS-ZXYEY", "白沙镇中心幼儿园", 3, "BS-ZX", "kindergarten"),
    _row("BS-TQYEY", "白沙镇童趣幼儿园", 3, "BS-ZX", "kindergarten", True),
    _row("BS-YKJXD", "白沙镇雁口教学点", 3, "BS-ZX", "teaching_point"),
    # 三级网格: 龙泉镇
    _row("LQ-ZXXX", "龙泉镇中心小学", 3, "LQ-ZX", "primary"),
    _row("LQ-SKXX", "龙泉镇石坎小学", 3, "LQ-ZX", "primary"),
    _row("LQ-CZ", "龙泉镇初级中学", 3, "LQ-ZX", "junior_middle"),
    _row("LQ-DPXX", "龙泉镇大坪学校", 3, "LQ-ZX", "nine_year"),
    _row("LQ-ZXYEY", "龙泉镇中心幼儿园", 3, "LQ-ZX", "kindergarten"),
    _row("LQ-HLYEY", "龙泉镇欢乐幼儿园", 3, "LQ-ZX", "kindergarten", True),
    _row("LQ-ZSJXD", "龙泉镇竹山教学点", 3, "LQ-ZX", "teaching_point"),
    # 三级网格: 桃源乡
    _row("TY-JYZ", "桃源乡九年一贯制学校", 3, "TY-ZX", "nine_year"),
    _row("TY-LKXX", "桃源乡李口小学", 3, "TY-ZX", "primary"),
    _row("TY-SPXX", "桃源乡水坪小学", 3, "TY-ZX", "primary"),
    _row("TY-ZXYEY", "桃源乡中心幼儿园", 3, "TY-ZX", "kindergarten"),
    _row("TY-XSJXD", "桃源乡杏山教学点", 3, "TY-ZX", "teaching_point"),
    _row("TY-YJCJXD", "桃源乡杨家冲教学点", 3, "TY-ZX", "teaching_point"),
)

#: code -> OrgRow, read-only.
ORG_BY_CODE = MappingProxyType({row.code: row for row in ORG_ROWS})


def children_of(code: str) -> tuple[OrgRow, ...]:
    """Direct children of ``code``, in ``ORG_ROWS`` order."""
    return tuple(row for row in ORG_ROWS if row.parent_code == code)


def subtree_codes(code: str) -> tuple[str, ...]:
    """``code`` and every unit below it, in ``ORG_ROWS`` order (parents first)."""
    inside = {code}
    for row in ORG_ROWS:
        if row.parent_code in inside:
            inside.add(row.code)
    return tuple(row.code for row in ORG_ROWS if row.code in inside)


# --- people ---------------------------------------------------------------------------

PEOPLE_SURNAMES: tuple[str, ...] = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
    "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
    "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
    "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
)  # fmt: skip

PEOPLE_GIVEN: tuple[str, ...] = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
    "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
    "刚", "桂", "英", "华", "文", "辉", "建", "国", "志", "红",
    "海", "燕", "晓", "俊", "峰", "玲", "婷", "雪", "梅", "兰",
    "春", "新", "东", "波", "斌", "宇", "浩", "凯", "琳", "慧",
    "忠", "林", "佳", "欣", "卫", "荣", "德", "永", "金", "翠",
)  # fmt: skip

_MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "186", "187", "188", "189",
)  # fmt: skip


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name (surname + one or two characters), from ``rng`` only."""
    surname = rng.choice(PEOPLE_SURNAMES)
    if rng.random() < 0.7:
        first = rng.choice(PEOPLE_GIVEN)
        second = rng.choice(PEOPLE_GIVEN)
        while second == first:
            second = rng.choice(PEOPLE_GIVEN)
        return surname + first + second
    return surname + rng.choice(PEOPLE_GIVEN)


def phone_number(rng: random.Random) -> str:
    """A fictional 11-digit mobile number starting 13/15/18, from ``rng`` only."""
    return rng.choice(_MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(8))


# --- demo accounts --------------------------------------------------------------------

DEMO_PASSWORD = "Qingshan@2026"  # demo mode only
DEMO_OPERATOR = ("operator", DEMO_PASSWORD)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "周建国", "bureau_admin", BUREAU_CODE, DEMO_PASSWORD),
    DemoUser("anquanke", "李文静", "bureau_staff", BUREAU_CODE, DEMO_PASSWORD),
    DemoUser("cg_reviewer", "王志强", "central_reviewer", "CG-ZX", DEMO_PASSWORD),
    DemoUser("hk_reviewer", "张海燕", "central_reviewer", "HK-ZX", DEMO_PASSWORD),
    DemoUser("cgyx_admin", "刘晓红", "school_admin", "CG-YX", DEMO_PASSWORD),
    DemoUser("syzx_admin", "陈俊峰", "school_admin", "QS-SYZX", DEMO_PASSWORD),
    DemoUser("cgyx_keeper", "杨丽萍", "grid_keeper", "CG-YX", DEMO_PASSWORD),
    DemoUser("leader", "赵国平", "viewer", BUREAU_CODE, DEMO_PASSWORD),
)
