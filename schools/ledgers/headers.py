"""Find a ledger's header row and match its columns to hazard fields (LEDGER_FORMAT.md, Columns)."""

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import zip_longest

from schools.ledgers.values import cell_text, fold

# Field → header synonyms, in the contract's order: the first field holding a synonym wins.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "No.", "No", "#"),
    "found_on": ("排查日期", "检查日期", "发现日期", "排查时间", "检查时间", "日期", "date found"),
    "source": ("排查类型", "检查类型", "检查形式", "排查方式", "source"),
    "location": ("排查部位", "隐患部位", "检查部位", "地点", "位置", "部位", "区域", "网格", "location"),
    "category": ("隐患类别", "隐患类型", "类别", "类型", "分类", "category"),
    "level": ("隐患等级", "隐患级别", "等级", "级别", "level"),
    "description": (
        "隐患描述",
        "隐患内容",
        "存在问题",
        "存在的问题",
        "隐患情况",
        "主要问题",
        "问题描述",
        "description",
    ),
    "measures": ("整改措施", "整改意见", "整改要求", "处理措施", "measures"),
    "responsible": ("责任人", "整改责任人", "负责人", "责任部门", "responsible"),
    "deadline": ("整改期限", "整改时限", "完成时限", "限期", "整改时间要求", "deadline"),
    "rectified_on": ("完成日期", "整改完成日期", "整改完成时间", "完成时间", "整改日期", "rectified on"),
    "status": ("整改情况", "整改结果", "整改状态", "是否整改", "状态", "status"),
    "verification": ("复查情况", "复查结果", "验收情况", "验收意见"),
    "verified_by": ("复查人", "验收人", "复查人签字"),
    "remark": ("备注", "remark"),
}
FIELDS = tuple(FIELD_SYNONYMS)
REQUIRED_FIELDS = ("found_on", "location", "description")

HEADER_SCAN_ROWS = 30
MIN_HEADER_FIELDS = 3


def header_key(text: str) -> str:
    """Return the form a header is compared in; a header made only of symbols (#) stays as written."""
    key = fold(text)
    if key:
        return key
    return "".join(unicodedata.normalize("NFKC", text).split())


_EXACT: dict[str, str] = {}
for _field, _synonyms in FIELD_SYNONYMS.items():
    for _synonym in _synonyms:
        _EXACT.setdefault(header_key(_synonym), _field)
# Chinese synonyms found inside a longer header (排查日期（年月日）), longest first.
_CONTAINED = sorted(
    ((key, name) for key, name in _EXACT.items() if not key.isascii() and len(key) >= 2),
    key=lambda item: -len(item[0]),
)


@lru_cache(maxsize=2048)
def exact_field(text: str) -> str | None:
    """Return the field whose synonym is this header, or None."""
    return _EXACT.get(header_key(text))


@lru_cache(maxsize=2048)
def contained_field(text: str) -> str | None:
    """Return the field of the longest Chinese synonym inside this header, or None."""
    key = header_key(text)
    return next((name for synonym, name in _CONTAINED if synonym in key), None)


@dataclass
class Header:
    """A found header: where it is and which column holds each field."""

    row: int  # number of its first row as the user sees it
    data_index: int  # index, in the scanned rows, of the first row after the header
    columns: dict[str, int]  # field → column index
    labels: dict[str, str]  # field → header text as written
    ignored: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Return the required fields the header lacks."""
        return [name for name in REQUIRED_FIELDS if name not in self.columns]


def _match_columns(labels: list[str], row: int, data_index: int) -> Header:
    header = Header(row=row, data_index=data_index, columns={}, labels={})
    unmatched = []
    for index, label in enumerate(labels):
        if not label:
            continue
        name = exact_field(label)
        if name is None or name in header.columns:
            unmatched.append((index, label, name is None))
            continue
        header.columns[name] = index
        header.labels[name] = label
    # Exact names first, so that 填表日期 cannot take found_on from a later 排查日期.
    for index, label, unknown in unmatched:
        name = contained_field(label) if unknown else None
        if name is None or name in header.columns:
            header.ignored.append(label)
        else:
            header.columns[name] = index
            header.labels[name] = label
    return header


def _is_sub_header(labels: list[str], cells: list) -> bool:
    """Tell whether a row under a header holds sub-headers (整改措施 | 整改期限 under 整改情况)."""
    texts = [label for label, cell in zip(labels, cells, strict=True) if label]
    if not texts or any(cell.__class__ is not str for cell in cells if cell not in ("", None)):
        return False
    matched = sum(1 for text in texts if exact_field(text))
    return matched > 0 and 2 * matched >= len(texts)


def find_header(rows: list[tuple[int, list]]) -> Header | None:
    """Return the best header among the first rows of a sheet (number, cells), None if there is none."""
    texts = [[cell_text(cell) for cell in cells] for _number, cells in rows]
    best, best_score = None, 0
    for index, (number, _cells) in enumerate(rows):
        labels = texts[index]
        if sum(1 for label in labels if label and exact_field(label)) < 2:
            continue
        data_index = index + 1
        if index + 1 < len(rows) and _is_sub_header(texts[index + 1], rows[index + 1][1]):
            labels = [sub or main for main, sub in zip_longest(labels, texts[index + 1], fillvalue="")]
            data_index += 1
        header = _match_columns(labels, number, data_index)
        if len(header.columns) > best_score:
            best, best_score = header, len(header.columns)
    return best if best_score >= MIN_HEADER_FIELDS else None
