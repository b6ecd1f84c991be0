"""Read the cell values of a ledger row: text, dates, deadlines and coded fields."""

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES

EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers outside this range (1954–2119) are far more likely quantities than dates.
_SERIAL_RANGE = (20000, 80000)
_COMPACT_RANGE = (19000101, 21001231)
# A ledger's dates lie within these years; beyond them deadline arithmetic would overflow.
_YEARS = range(1900, 2101)

_TIME = r"(?:[\sT]*\d{1,2}[:时]\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?"
_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SHORT_DATE = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME)

_IMMEDIATE = re.compile(r"(?:立即|立刻|马上|即时|即日|当天|当日|当场|现场)(?:整改|完成|整改完成|处理)?")
_WITHIN = re.compile(
    r"(?:限期|限)?(\d{1,3}|[零〇一二两三四五六七八九十百]{1,6})\s*(个)?\s*(天|日|周|星期|月)"
    r"(?:内|以内|之内)?(?:完成|整改|整改完成)?"
)
_THIS_MONTH = re.compile(r"(?:本月|当月)(?:内|底|末|月底)?(?:完成|整改|整改完成)?")
_MONTH_END = re.compile(r"(\d{1,2})\s*月\s*(?:底|末|月底)")

_CN_DIGITS = {**dict(zip("〇一二三四五六七八九", range(10), strict=True)), "零": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100}
_NON_WORD = re.compile(r"[\W_]+")


class InvalidValue(ValueError):
    """A cell value that cannot be read; its message is shown to the user as is."""


def cell_text(value) -> str:
    """Return a cell as trimmed text ('' when empty), writing numbers and dates as people see them."""
    cls = value.__class__
    if cls is str:
        return value.strip()
    if value is None:
        return ""
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if cls is bool:
        # A ticked box in a 是否整改 column reads as yes/no.
        return "是" if value else "否"
    if cls is datetime:
        return value.isoformat(sep=" ")
    if cls is date:
        return value.isoformat()
    return str(value).strip()


def fold(text: str) -> str:
    """Fold full-width forms and case, and drop spaces and punctuation, to compare labels."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _NON_WORD.sub("", text.lower())


def cn_number(text: str) -> int:
    """Read a count written in Arabic or Chinese numerals (3, 三, 十, 两, 二十五)."""
    if text.isdecimal():
        return int(text)
    total = current = 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            raise ValueError(text)
    return total + current


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the end of that month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> date:
    """Return the last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


class _NotADate(InvalidValue):
    """A cell that holds something other than a date (as opposed to a date lacking its year)."""


def _not_a_date(text: str) -> _NotADate:
    return _NotADate(f"不是日期: '{text}'")


@lru_cache(maxsize=8192)
def _date_from_text(text: str, year: int | None) -> tuple[date, bool]:
    """Return (date, whether the text gave no year) for a date written as text."""
    folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
    if match := _FULL_DATE.fullmatch(folded) or _COMPACT_DATE.fullmatch(folded):
        parts, yearless = match.groups(), False
    elif match := _SHORT_DATE.fullmatch(folded):
        if year is None:
            raise InvalidValue(f"日期缺少年份: '{text}'")
        parts, yearless = (year, *match.groups()), True
    else:
        raise _not_a_date(text)
    if int(parts[0]) not in _YEARS:
        raise _not_a_date(text)
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])), yearless
    except ValueError:
        raise _not_a_date(text) from None


def _date_from_number(number: float, year: int | None) -> tuple[date, bool]:
    if _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        # An Excel serial number; a fraction is the time of day, which is dropped.
        return EXCEL_EPOCH + timedelta(days=int(number)), False
    whole = number % 1 == 0  # False for NaN, which a number cell can hold
    if whole and _COMPACT_RANGE[0] <= number <= _COMPACT_RANGE[1]:
        return _date_from_text(str(int(number)), year)
    if 1 <= number < 13 and not whole:
        # `3.5` typed into a number cell: month.day (a trailing zero, as in 4.10, is lost by Excel).
        return _date_from_text(repr(number), year)
    raise _not_a_date(cell_text(number))


def _read_date(value, year: int | None) -> tuple[date, bool] | None:
    cls = value.__class__
    if cls is date:
        return value, False
    if cls is datetime:
        return value.date(), False
    if cls is str:
        text = value.strip()
        return _date_from_text(text, year) if text else None
    if value is None:
        return None
    if cls is float or cls is int:
        return _date_from_number(value, year)
    raise _not_a_date(cell_text(value))


def parse_date(value, year: int | None = None, *, not_before: date | None = None) -> date | None:
    """Return the date in a cell, None when it is empty; `year` completes dates written without one.

    A date written without a year that falls before `not_before` is taken in the following year
    (a December ledger writing 1.5 for a January deadline).
    """
    found = _read_date(value, year)
    if found is None:
        return None
    day, yearless = found
    if yearless and not_before is not None and day < not_before:
        return add_months(day, 12)
    return day


@lru_cache(maxsize=1024)
def _deadline_rule(text: str) -> tuple[str, int] | None:
    """Return how a relative deadline counts from the found date, or None if it is not relative."""
    folded = fold(text)
    if _IMMEDIATE.fullmatch(folded):
        return ("days", 0)
    if _THIS_MONTH.fullmatch(folded):
        return ("month_end", 0)  # of the found date's month
    if match := _MONTH_END.fullmatch(folded):
        return ("month_end", int(match[1]))
    if match := _WITHIN.fullmatch(folded):
        count_text, counter, unit = match.groups()
        try:
            count = cn_number(count_text)
        except ValueError:
            return None
        if unit in ("天", "日"):
            return ("days", count)
        if unit in ("周", "星期"):
            return ("days", 7 * count)
        if counter:
            return ("months", count)
    return None


def parse_deadline(value, found_on: date | None, year: int | None = None) -> date | None:
    """Return the deadline in a cell: a date, or a term counted from the found date (三天内, 本月内)."""
    if value.__class__ is str and (text := value.strip()) and (rule := _deadline_rule(text)):
        if found_on is None:
            return None
        kind, amount = rule
        if kind == "days":
            return found_on + timedelta(days=amount)
        if kind == "months":
            return add_months(found_on, amount)
        month = amount or found_on.month
        try:
            # 1月底 in a December ledger is the coming January.
            return month_end(found_on.year + (1 if month < found_on.month else 0), month)
        except calendar.IllegalMonthError:
            raise InvalidValue(f"不是日期或期限: '{text}'") from None
    try:
        return parse_date(value, year, not_before=found_on)
    except _NotADate:
        raise InvalidValue(f"不是日期或期限: '{cell_text(value)}'") from None


def _lookup(codes: dict[str, str], variants: dict[str, str]) -> dict[str, str]:
    table = {}
    for code, label in codes.items():
        table.setdefault(fold(code), code)
        table.setdefault(fold(label), code)
    for text, code in variants.items():
        table.setdefault(fold(text), code)
    return table


_CATEGORY_LOOKUP = _lookup(
    CATEGORIES,
    {
        **{label + "安全": code for code, label in CATEGORIES.items()},
        "治安": "security",
        "安全保卫": "security",
        "治安保卫": "security",
        "消防隐患": "fire",
        "校舍建筑": "building",
        "建筑": "building",
        "房屋": "building",
        "食品安全": "food",
        "食品卫生": "food",
        "饮食安全": "food",
        "食堂": "food",
        "食品": "food",
        "公共卫生": "health",
        "卫生防疫": "health",
        "传染病": "health",
        "传染病防控": "health",
        "交通安全": "traffic",
        "交通": "traffic",
        "校车": "traffic",
        "校车安全": "traffic",
        "宿舍安全": "dormitory",
        "实验室": "lab",
        "实验室安全": "lab",
        "危险化学品": "lab",
        "危化品": "lab",
        "设施设备": "equipment",
        "设备设施": "equipment",
        "仪器设备": "equipment",
        "特种设备": "equipment",
        "大型活动安全": "event",
        "社会实践": "outing",
        "校外活动": "outing",
        "用电安全": "utility",
        "用电": "utility",
        "水电": "utility",
        "水电气暖": "utility",
        "燃气": "utility",
        "锅炉": "utility",
        "周边环境": "surroundings",
        "校园周边环境": "surroundings",
        "周边": "surroundings",
        "自然灾害": "disaster",
        "防汛": "disaster",
        "地质灾害": "disaster",
        "其它": "other",
    },
)

_LEVEL_LOOKUP = _lookup(
    LEVELS,
    {
        "一般": "general",
        "Ⅰ级": "general",
        "1级": "general",
        "一级": "general",
        "较大": "serious",
        "Ⅱ级": "serious",
        "2级": "serious",
        "二级": "serious",
        "重大": "major",
        "Ⅲ级": "major",
        "3级": "major",
        "三级": "major",
    },
)

_STATUS_LOOKUP = _lookup(
    STATUSES,
    {
        "已完成": "rectified",
        "完成": "rectified",
        "整改完毕": "rectified",
        "整改完成": "rectified",
        "已整改到位": "rectified",
        "整改到位": "rectified",
        "已完成整改": "rectified",
        "已处理": "rectified",
        "已整改待复查": "rectified",
        "待复查": "rectified",
        "待验收": "rectified",
        "是": "rectified",
        "正在整改": "rectifying",
        "整改中": "rectifying",
        "未整改": "open",
        "未完成": "open",
        "否": "open",
        "已销号": "verified",
        "销号": "verified",
        "已验收": "verified",
        "验收合格": "verified",
        "已复查": "verified",
        "复查合格": "verified",
        "上报": "escalated",
    },
)

_SOURCE_LOOKUP = _lookup(
    SOURCES,
    {
        "日常巡查": "daily",
        "每日巡查": "daily",
        "日巡检": "daily",
        "日检查": "daily",
        "日常检查": "daily",
        "巡查": "daily",
        "周排查": "weekly",
        "周巡查": "weekly",
        "每周检查": "weekly",
        "月检查": "monthly",
        "每月排查": "monthly",
        "月度排查": "monthly",
        "月度检查": "monthly",
        "专项排查": "special",
        "专项": "special",
        "督导": "supervision",
        "督查": "supervision",
        "上级检查": "supervision",
        "上级督导": "supervision",
        "其它": "other",
    },
)


def _coded(table: dict[str, str], what: str) -> Callable[[str], str]:
    @lru_cache(maxsize=512)
    def read(text: str) -> str:
        """Return the code of a value written as its code, its SPEC label or a common variant."""
        code = table.get(fold(text))
        if code is None:
            raise InvalidValue(f"不是{what}: '{text}'")
        return code

    return read


category_code = _coded(_CATEGORY_LOOKUP, "隐患类别")
level_code = _coded(_LEVEL_LOOKUP, "隐患等级")
status_code = _coded(_STATUS_LOOKUP, "整改状态")
source_code = _coded(_SOURCE_LOOKUP, "排查类型")

# The contract's keyword rules, plus unambiguous terms of the same categories.
_CATEGORY_KEYWORDS = {
    "fire": ("灭火器", "消防通道", "消防栓", "消火栓", "烟感", "安全出口", "疏散通道", "防火门"),
    "food": ("食堂", "餐具", "留样", "厨房", "食品"),
    "lab": ("实验室", "试剂", "危化品", "危险化学品"),
    "utility": ("电线", "插座", "配电", "燃气", "锅炉", "漏电"),
    "security": ("围墙", "校门", "保安", "门卫", "监控"),
    "building": ("楼梯", "屋顶", "墙体", "外墙", "护栏", "吊扇"),
    "dormitory": ("宿舍",),
    "traffic": ("校车",),
}
_KEYWORD_CATEGORY = {word: code for code, words in _CATEGORY_KEYWORDS.items() for word in words}
_KEYWORDS = re.compile("|".join(sorted(map(re.escape, _KEYWORD_CATEGORY), key=len, reverse=True)))


def infer_category(description: str, location: str) -> str | None:
    """Return the one category whose keywords the description and location hold, else None."""
    found = {_KEYWORD_CATEGORY[word] for word in _KEYWORDS.findall(f"{description}\n{location}")}
    return found.pop() if len(found) == 1 else None
