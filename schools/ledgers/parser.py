"""Turn a ledger file into hazard rows and row errors: the dry run of LEDGER_FORMAT.md."""

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path

from schools.ledgers.headers import FIELD_SYNONYMS, FIELDS, HEADER_SCAN_ROWS, Header, find_header
from schools.ledgers.reading import MAX_BYTES, MAX_ROWS, LedgerRefused, RawSheet, open_ledger, too_many_rows
from schools.ledgers.values import (
    InvalidValue,
    category_code,
    cell_text,
    infer_category,
    level_code,
    parse_date,
    parse_deadline,
    source_code,
    status_code,
)

logger = logging.getLogger(__name__)

_YEAR_MARKED = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# Lines after the data that are not hazards: totals, signatures, notes.
_NOT_DATA = re.compile(
    r"(?:合计|总计|小计|共计)"
    r"|(?:填表人|填报人|制表人|制表|审核人|审核|审批人|复核人|记录人|检查人|排查人|校长|园长|负责人|分管领导"
    r"|主管领导|安全员|填表日期|填报日期)(?:签字|签名|签章)?\s*[:：]"
    r"|(?:校长|园长|负责人|审核人|填表人)签[字名章]"
    r"|(?:注|说明)\s*[:：]"
)
_FOUND_ON, _DESCRIPTION, _DEADLINE, _RECTIFIED_ON = (
    FIELDS.index(name) for name in ("found_on", "description", "deadline", "rectified_on")
)


@dataclass(slots=True)
class LedgerRow:
    """One hazard read from the file, with codes of SPEC.md and dates."""

    row: int
    sheet: str | None
    seq: str | None
    found_on: date
    source: str | None
    location: str
    category: str | None
    category_inferred: bool
    level: str
    description: str
    measures: str | None
    responsible: str | None
    deadline: date | None
    rectified_on: date | None
    status: str
    verification: str | None
    verified_by: str | None
    remark: str | None

    def to_json(self) -> dict:
        """Return the row as in the dry-run JSON."""
        return {
            "row": self.row,
            "sheet": self.sheet,
            "seq": self.seq,
            "found_on": self.found_on.isoformat(),
            "source": self.source,
            "location": self.location,
            "category": self.category,
            "category_inferred": self.category_inferred,
            "level": self.level,
            "description": self.description,
            "measures": self.measures,
            "responsible": self.responsible,
            "deadline": self.deadline and self.deadline.isoformat(),
            "rectified_on": self.rectified_on and self.rectified_on.isoformat(),
            "status": self.status,
            "verification": self.verification,
            "verified_by": self.verified_by,
            "remark": self.remark,
        }


@dataclass(slots=True)
class LedgerError:
    """A problem tied to a row and column (both None when the whole file is refused)."""

    row: int | None
    sheet: str | None
    column: str | None
    message: str

    def to_json(self) -> dict:
        """Return the error as in the dry-run JSON."""
        return {"row": self.row, "sheet": self.sheet, "column": self.column, "message": self.message}


@dataclass(slots=True)
class SheetReport:
    """A sheet of the file, where its header is and whether its rows were read."""

    name: str | None
    header_row: int | None
    used: bool

    def to_json(self) -> dict:
        """Return the sheet as in the dry-run JSON."""
        return {"name": self.name, "header_row": self.header_row, "used": self.used}


@dataclass
class LedgerParse:
    """What a ledger file holds: its hazard rows, row errors, or the reason it was refused."""

    file: str
    sheets: list[SheetReport] = field(default_factory=list)
    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    refused: bool = False

    def to_json(self) -> dict:
        """Return the dry-run object of LEDGER_FORMAT.md."""
        return {
            "file": self.file,
            "sheets": [sheet.to_json() for sheet in self.sheets],
            "rows": [row.to_json() for row in self.rows],
            "errors": [error.to_json() for error in self.errors],
            "ignored_columns": list(self.ignored_columns),
        }


def parse_ledger(
    path: str | os.PathLike,
    *,
    filename: str | None = None,
    default_year: int | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> LedgerParse:
    """Read a ledger file; a refused file gives refused=True and one error with row None."""
    name = filename or Path(path).name
    result = LedgerParse(file=name)
    try:
        with open_ledger(path, filename=name, max_bytes=max_bytes, max_rows=max_rows) as sheets:
            _read_sheets(sheets, result, default_year, max_rows)
    except LedgerRefused as refusal:
        logger.info("ledger %s refused: %s", name, refusal.message)
        return LedgerParse(file=name, errors=[LedgerError(None, None, None, refusal.message)], refused=True)
    return result


def _year_in(texts: list[str]) -> int | None:
    """Return the year a title or period line names (2026年 preferred over a bare 2026)."""
    for pattern in (_YEAR_MARKED, _YEAR):
        for text in texts:
            if match := pattern.search(text):
                return int(match[1])
    return None


def _read_sheets(
    sheets: list[RawSheet], result: LedgerParse, default_year: int | None, max_rows: int
) -> None:
    file_year = _year_in([result.file])
    incomplete: tuple[str | None, Header] | None = None
    data_rows = 0
    for sheet in sheets:
        rows = sheet.rows()
        head = list(islice(rows, HEADER_SCAN_ROWS))
        header = find_header(head)
        used = header is not None and not header.missing
        result.sheets.append(SheetReport(sheet.name, header and header.row, used))
        if not used:
            if header and (incomplete is None or len(header.columns) > len(incomplete[1].columns)):
                incomplete = (sheet.name, header)
            continue
        result.ignored_columns.extend(
            label for label in header.ignored if label not in result.ignored_columns
        )
        titles = [cell_text(cell) for number, cells in head if number < header.row for cell in cells]
        year = _year_in([*titles, sheet.name or ""]) or file_year or default_year
        reader = _RowReader(header, sheet.name, year)
        for number, cells in chain(head[header.data_index :], rows):
            outcome = reader.read(number, cells)
            if outcome is None:
                continue
            data_rows += 1
            if data_rows > max_rows:
                raise too_many_rows(max_rows)
            if outcome.__class__ is LedgerRow:
                result.rows.append(outcome)
            else:
                result.errors.extend(outcome)
    if not any(sheet.used for sheet in result.sheets):
        raise LedgerRefused(_no_header_message(incomplete))


def _no_header_message(incomplete: tuple[str | None, Header] | None) -> str:
    if incomplete is None:
        return "未找到表头：台账需要有排查日期、排查部位、隐患描述等列"
    sheet, header = incomplete
    where = f"工作表“{sheet}”第{header.row}行" if sheet else f"第{header.row}行"
    missing = "、".join(FIELD_SYNONYMS[name][0] for name in header.missing)
    return f"表头（{where}）缺少必填列: {missing}"


class _RowReader:
    """Read the data rows of one sheet against its header."""

    def __init__(self, header: Header, sheet: str | None, year: int | None):
        self.sheet = sheet
        self.year = year
        self.labels = header.labels
        self.has_category = "category" in header.columns
        self.width = max(header.columns.values()) + 1
        # A missing field reads the empty cell appended to every row.
        self.fields = itemgetter(*(header.columns.get(name, -1) for name in FIELDS))
        self.repeated_header = (header.labels["found_on"], header.labels["description"])

    def read(self, number: int, cells: list) -> LedgerRow | list[LedgerError] | None:
        """Return the row's hazard, its errors, or None for a line that is not a hazard."""
        for first in cells:
            if first.__class__ is str:
                if first := first.strip():
                    break
            elif first is not None:
                break
        else:
            return None
        if first.__class__ is str and _NOT_DATA.match(first):
            return None
        if len(cells) < self.width:
            cells.extend([""] * (self.width - len(cells)))
        cells.append("")
        values = self.fields(cells)
        texts = [value.strip() if value.__class__ is str else cell_text(value) for value in values]
        # Rows numbered in advance but never filled in, and a header repeated on a later page.
        if not any(texts[1:]) or (texts[_FOUND_ON], texts[_DESCRIPTION]) == self.repeated_header:
            return None
        (seq, found_text, source, location, category, level, description, measures, responsible) = texts[:9]
        (status, verification, verified_by, remark) = texts[11:]

        errors: list[LedgerError] = []
        year = self.year
        found_on = None
        if not found_text:
            self._missing(errors, number, "found_on")
        else:
            try:
                found_on = parse_date(values[_FOUND_ON], year)
            except InvalidValue as exc:
                self._fail(errors, number, "found_on", exc)
        if not location:
            self._missing(errors, number, "location")
        if not description:
            self._missing(errors, number, "description")
        try:
            deadline = parse_deadline(values[_DEADLINE], found_on, year)
        except InvalidValue as exc:
            self._fail(errors, number, "deadline", exc)
        try:
            rectified_on = parse_date(values[_RECTIFIED_ON], year, not_before=found_on)
        except InvalidValue as exc:
            self._fail(errors, number, "rectified_on", exc)
            rectified_on = None
        category_inferred = not (self.has_category and category)
        try:
            category = infer_category(description, location) if category_inferred else category_code(category)
        except InvalidValue as exc:
            self._fail(errors, number, "category", exc)
        try:
            level = level_code(level) if level else "general"
        except InvalidValue as exc:
            self._fail(errors, number, "level", exc)
        try:
            status = status_code(status) if status else ("rectified" if rectified_on else "open")
        except InvalidValue as exc:
            self._fail(errors, number, "status", exc)
        try:
            source = source_code(source) if source else None
        except InvalidValue as exc:
            self._fail(errors, number, "source", exc)
        if errors:
            return errors
        return LedgerRow(
            number,
            self.sheet,
            seq or None,
            found_on,
            source,
            location,
            category,
            category_inferred,
            level,
            description,
            measures or None,
            responsible or None,
            deadline,
            rectified_on,
            status,
            verification or None,
            verified_by or None,
            remark or None,
        )

    def _fail(self, errors: list[LedgerError], number: int, name: str, exc: InvalidValue) -> None:
        errors.append(LedgerError(number, self.sheet, self.labels[name], str(exc)))

    def _missing(self, errors: list[LedgerError], number: int, name: str) -> None:
        label = self.labels[name]
        errors.append(LedgerError(number, self.sheet, label, f"必填项为空: {label}"))
