"""Import a school's grid from CSV/xlsx: check every row against the grid first, then apply all or nothing.

Header (Chinese or English names, any order; extra columns are ignored):
网格名称/name, 上级网格/parent, 类型/kind, 重点部位/key_area, 时段/period, 负责人/owner,
电话/phone, 副责任人/deputy, 开始日期/starts_on. Only name and kind are required.

A parent is written as a path from the top ("教学楼/一楼") or as a name used only once.
A row naming an existing cell updates it; a different owner is a handover whose new owner
starts on starts_on (default today), so the old owner's last day is the day before. People
are matched by name at the school (the phone tells namesakes apart); unknown names are
added as staff.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select

from schools.grid import operations
from schools.grid.kinds import KEY_AREA_LABELS, KEY_AREA_NAMES, KIND_LABELS, KIND_NAMES
from schools.grid.models import ONE_DAY, GridCell, Staff, ownership_problems
from schools.grid.queries import cell_paths
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_today
from tenancy.tabular import TableRefused, read_table

MAX_ROWS = 5000

# Field → header names it may have; the first is the one the chart export writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("网格名称", "name"),
    "parent": ("上级网格", "parent"),
    "kind": ("类型", "kind"),
    "key_area": ("重点部位", "key_area"),
    "period": ("时段", "period"),
    "owner": ("负责人", "owner"),
    "phone": ("电话", "phone"),
    "deputy": ("副责任人", "deputy"),
    "starts_on": ("开始日期", "starts_on"),
}
REQUIRED = ("name", "kind")

_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$")
_PERIOD = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})$")
_SEPARATORS = re.compile(r"[、,，;；]+")
_NO = {"", "否", "无", "不是", "no", "n", "0", "false"}
_YES = {"是", "yes", "y", "1", "true", "重点部位"}


@dataclass
class GridRow:
    row: int
    name: str
    parent: str
    kind: str | None = None
    key_area_kind: str | None = None
    starts_at: time | None = None
    ends_at: time | None = None
    owner: str = ""
    phone: str = ""
    deputies: list[str] = field(default_factory=list)
    starts_on: date | None = None
    path: str = ""
    action: str = ""  # create, update, unchanged
    owner_action: str = ""  # assign, hand_over, keep
    new_deputies: list[str] = field(default_factory=list)


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str


@dataclass
class GridImportPlan:
    rows: list[GridRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)  # field → header as written in the file
    new_staff: dict[str, str] = field(default_factory=dict)  # name → phone
    phone_updates: dict[int, str] = field(default_factory=dict)  # staff id → phone

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, self.header.get(column, column) if column else None, message))


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


_HEADERS = {_fold(name): key for key, names in COLUMNS.items() for name in names}


def _field_of(header: str) -> str | None:
    for part in [header, *header.split("/")]:
        if _fold(part) in _HEADERS:
            return _HEADERS[_fold(part)]
    return None


def parse_day(text: str) -> date:
    """Read 2024-09-01, 2024/9/1, 2024.9.1 or 2024年9月1日 (ValueError otherwise)."""
    match = _DAY.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def parse_period(text: str) -> tuple[time, time]:
    """Read a period of the day such as 07:30-08:10 (ValueError otherwise)."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValueError(text)
    hour1, minute1, hour2, minute2 = (int(part) for part in match.groups())
    return time(hour1, minute1), time(hour2, minute2)


def _kind_of(text: str) -> str | None:
    value = _fold(text)
    for code, name in KIND_NAMES.items():
        if value in (code, _fold(name), _fold(name).removesuffix("网格"), _fold(str(KIND_LABELS[code]))):
            return code
    return None


def _key_area_of(text: str) -> tuple[bool, str | None]:
    """Return (understood, key-area code or None)."""
    value = _fold(text)
    if value in _NO:
        return True, None
    if value in _YES:
        return True, "other"
    for code, name in KEY_AREA_NAMES.items():
        if value in (code, _fold(name), _fold(str(KEY_AREA_LABELS[code]))):
            return True, code
    return False, None


def _parse_rows(data: bytes, filename: str, plan: GridImportPlan) -> list[GridRow]:
    try:
        table = read_table(data, filename, MAX_ROWS)
    except TableRefused as refused:
        plan.error(None, None, str(refused))
        return []
    if not table:
        plan.error(None, None, _("The file is empty."))
        return []
    header_row, header = table[0]
    position: dict[str, int] = {}
    for index, text in enumerate(header):
        key = _field_of(text)
        if key is not None and key not in position:
            position[key] = index
            plan.header[key] = text.strip()
    missing = [COLUMNS[key][0] + "/" + COLUMNS[key][1] for key in REQUIRED if key not in position]
    if missing:
        plan.error(header_row, None, _("Missing columns: %(names)s.", names=", ".join(missing)))
        return []
    rows = []
    for number, cells in table[1:]:
        value = {key: (cells[i] if i < len(cells) else "").strip() for key, i in position.items()}
        value.update({key: "" for key in COLUMNS if key not in value})
        row = GridRow(number, value["name"], value["parent"].strip("/ "))
        if not row.name:
            plan.error(number, "name", _("The cell name is empty."))
        elif len(row.name) > operations.NAME_MAX:
            plan.error(number, "name", _("At most %(n)d characters.", n=operations.NAME_MAX))
        elif "/" in row.name:
            plan.error(number, "name", _("A cell name cannot contain '/' (it separates levels in imports)."))
        row.kind = _kind_of(value["kind"])
        if row.kind is None:
            plan.error(
                number,
                "kind",
                _(
                    "Unknown kind '%(value)s'; use one of: %(names)s.",
                    value=value["kind"],
                    names="、".join(KIND_NAMES.values()),
                ),
            )
        understood, row.key_area_kind = _key_area_of(value["key_area"])
        if not understood:
            plan.error(
                number,
                "key_area",
                _(
                    "Unknown key area '%(value)s'; leave it empty or use one of: %(names)s.",
                    value=value["key_area"],
                    names="、".join(KEY_AREA_NAMES.values()),
                ),
            )
        _parse_period(row, value["period"], plan)
        _parse_people(row, value, plan)
        rows.append(row)
    return rows


def _parse_period(row: GridRow, text: str, plan: GridImportPlan) -> None:
    if text:
        try:
            row.starts_at, row.ends_at = parse_period(text)
        except ValueError:
            plan.error(row.row, "period", _("'%(value)s' is not a period such as 07:30-08:10.", value=text))
            return
    if row.kind == "time" and row.starts_at is None:
        plan.error(row.row, "period", _("A time-axis cell needs its period, such as 07:30-08:10."))
    elif row.kind is not None and row.kind != "time" and row.starts_at is not None:
        plan.error(row.row, "period", _("Only time-axis cells have a start and end time."))
    elif row.starts_at is not None and row.ends_at <= row.starts_at:
        plan.error(
            row.row,
            "period",
            _(
                "The period must end after it starts (%(value)s); split a period that crosses midnight "
                "into two cells.",
                value=text,
            ),
        )


def _parse_people(row: GridRow, value: dict[str, str], plan: GridImportPlan) -> None:
    row.owner, row.phone = value["owner"], value["phone"]
    row.deputies = [name.strip() for name in _SEPARATORS.split(value["deputy"]) if name.strip()]
    if row.phone and not row.owner:
        plan.error(row.row, "phone", _("A phone number needs the owner's name beside it."))
    if row.phone and not operations.PHONE.match(row.phone):
        plan.error(
            row.row,
            "phone",
            _("%(value)s is not a phone number (digits, spaces, + and - only).", value=row.phone),
        )
    for name in [row.owner, *row.deputies]:
        if len(name) > operations.STAFF_NAME_MAX:
            plan.error(
                row.row,
                "owner" if name == row.owner else "deputy",
                _("At most %(n)d characters.", n=operations.STAFF_NAME_MAX),
            )
    if row.owner and row.owner in row.deputies:
        plan.error(row.row, "deputy", _("%(name)s cannot be both owner and deputy.", name=row.owner))
    if len(set(row.deputies)) != len(row.deputies):
        plan.error(row.row, "deputy", _("A deputy is named twice."))
    if value["starts_on"]:
        try:
            row.starts_on = parse_day(value["starts_on"])
        except ValueError:
            plan.error(
                row.row,
                "starts_on",
                _("'%(value)s' is not a date; write it as 2024-09-01.", value=value["starts_on"]),
            )
    elif row.owner or row.deputies:
        row.starts_on = tenant_today()


# --- the rows against the grid ------------------------------------------------------------


def _resolve_paths(rows: list[GridRow], existing: dict[str, GridCell], plan: GridImportPlan) -> None:
    """Give each row its full path; a parent is a full path or a name used only once."""
    known = set(existing)
    pending = [row for row in rows if row.name and "/" not in row.name]
    while pending:
        waiting = []
        for row in pending:
            if not row.parent:
                row.path = row.name
                known.add(row.path)
                continue
            if "/" in row.parent:
                parent = "/".join(part.strip() for part in row.parent.split("/"))
                if parent in known:
                    row.path = f"{parent}/{row.name}"
                    known.add(row.path)
                else:
                    waiting.append(row)
                continue
            later = [
                other for other in pending if other is not row and other.name == row.parent and not other.path
            ]
            matches = [path for path in known if path.rsplit("/", 1)[-1] == row.parent]
            if later:
                waiting.append(row)
            elif len(matches) == 1:
                row.path = f"{matches[0]}/{row.name}"
                known.add(row.path)
            elif len(matches) > 1:
                plan.error(
                    row.row,
                    "parent",
                    _(
                        "Several cells are named %(name)s; write the full path, e.g. %(path)s.",
                        name=row.parent,
                        path=sorted(matches)[0],
                    ),
                )
                row.path = "?"
            else:
                waiting.append(row)
        if len(waiting) == len(pending):
            names = {row.name for row in waiting}
            for row in waiting:
                top = row.parent.split("/")[0].strip()
                if top in names or row.parent in names:
                    message = _("The parent chain of %(name)s loops back on itself.", name=row.name)
                else:
                    message = _("Unknown parent cell %(name)s.", name=row.parent)
                plan.error(row.row, "parent", message)
            return
        pending = waiting


def _check_cells(rows: list[GridRow], existing: dict[str, GridCell], plan: GridImportPlan) -> None:
    first: dict[str, GridRow] = {}
    for row in rows:
        if not row.path or row.path == "?":
            continue
        if row.path in first:
            plan.error(
                row.row,
                "name",
                _("%(path)s is already on row %(first)d.", path=row.path, first=first[row.path].row),
            )
            continue
        first[row.path] = row
        cell = existing.get(row.path)
        if cell is None:
            row.action = "create"
        elif (cell.kind, cell.key_area_kind, cell.starts_at, cell.ends_at) == (
            row.kind,
            row.key_area_kind,
            row.starts_at,
            row.ends_at,
        ):
            row.action = "unchanged"
        else:
            row.action = "update"


class _People:
    """Match names to the school's staff; unknown names become new staff (one per name)."""

    def __init__(self, school: OrgUnit, plan: GridImportPlan) -> None:
        self.plan = plan
        self.by_name: dict[str, list[Staff]] = {}
        for person in db.session.scalars(
            select(Staff).where(Staff.org_unit_id == school.id, Staff.is_active).order_by(Staff.id)
        ):
            self.by_name.setdefault(person.name, []).append(person)
        self.new: dict[str, SimpleNamespace] = {}
        self.new_phone_row: dict[str, int] = {}

    def find(self, row: GridRow, name: str, phone: str, column: str):
        """Return the Staff (or a stand-in for a new person), or None after noting an error."""
        found = self.by_name.get(name, [])
        if len(found) > 1:
            chosen = [person for person in found if phone and person.phone == phone]
            if len(chosen) != 1:
                self.plan.error(
                    row.row,
                    column,
                    _(
                        "Several staff are named %(name)s; give the phone of the one meant (%(phones)s).",
                        name=name,
                        phones="、".join(person.phone or "—" for person in found),
                    ),
                )
                return None
            return chosen[0]
        if found:
            person = found[0]
            if phone and phone != person.phone:
                previous = self.plan.phone_updates.get(person.id)
                if previous not in (None, phone):
                    self.plan.error(
                        row.row,
                        "phone",
                        _(
                            "%(name)s has another phone on an earlier row (%(phone)s).",
                            name=name,
                            phone=previous,
                        ),
                    )
                self.plan.phone_updates[person.id] = phone
            return person
        if name not in self.new:
            self.new[name] = SimpleNamespace(name=name, id=None)
            self.plan.new_staff[name] = phone
            if phone:
                self.new_phone_row[name] = row.row
        elif phone:
            if self.plan.new_staff[name] and self.plan.new_staff[name] != phone:
                self.plan.error(
                    row.row,
                    "phone",
                    _(
                        "%(name)s has another phone on row %(first)d (%(phone)s).",
                        name=name,
                        first=self.new_phone_row[name],
                        phone=self.plan.new_staff[name],
                    ),
                )
            else:
                self.plan.new_staff[name] = phone
                self.new_phone_row.setdefault(name, row.row)
        return self.new[name]


def _period(staff, is_primary: bool, starts_on: date, ends_on: date | None = None, period_id=None):
    return SimpleNamespace(
        staff=staff, is_primary=is_primary, starts_on=starts_on, ends_on=ends_on, id=period_id
    )


def _check_owners(rows: list[GridRow], existing: dict[str, GridCell], school: OrgUnit, plan: GridImportPlan):
    """Play each row's owner and deputies against the cell's periods with the model's own rules."""
    people = _People(school, plan)
    for row in rows:
        if row.action == "" or not (row.owner or row.deputies) or row.starts_on is None:
            continue
        owner = people.find(row, row.owner, row.phone, "owner") if row.owner else None
        deputies = [people.find(row, name, "", "deputy") for name in row.deputies]
        if (row.owner and owner is None) or None in deputies:
            continue
        cell = existing.get(row.path)
        periods = [
            _period(p.staff, p.is_primary, p.starts_on, p.ends_on, p.id)
            for p in (cell.ownerships if cell else [])
        ]
        primaries = [p for p in periods if p.is_primary]
        current = max(primaries, key=lambda p: (p.starts_on, p.id)) if primaries else None
        if owner is not None:
            if current is None:
                row.owner_action = "assign"
                periods.append(_period(owner, True, row.starts_on))
            elif current.staff is owner:
                row.owner_action = "keep"
            elif row.starts_on - ONE_DAY < current.starts_on:
                plan.error(
                    row.row,
                    "starts_on",
                    _(
                        "%(name)s has owned %(cell)s since %(start)s; %(new)s can take over from %(day)s "
                        "at the earliest.",
                        name=current.staff.name,
                        cell=row.path,
                        start=current.starts_on.isoformat(),
                        new=row.owner,
                        day=(current.starts_on + ONE_DAY).isoformat(),
                    ),
                )
                continue
            else:
                row.owner_action = "hand_over"
                current.ends_on = row.starts_on - ONE_DAY
                for period in periods:
                    if (
                        not period.is_primary
                        and period.staff is owner
                        and period.starts_on < row.starts_on
                        and (period.ends_on is None or period.ends_on >= row.starts_on)
                    ):
                        period.ends_on = row.starts_on - ONE_DAY
                periods.append(_period(owner, True, row.starts_on))
        for deputy in deputies:
            if any(p.staff is deputy and not p.is_primary and p.ends_on is None for p in periods):
                continue
            row.new_deputies.append(deputy.name)
            periods.append(_period(deputy, False, row.starts_on))
        problems = ownership_problems(SimpleNamespace(name=row.path, closed_on=None, ownerships=periods))
        if problems:
            plan.error(row.row, "owner" if row.owner else "deputy", problems[0])


def plan_grid_import(school: OrgUnit, data: bytes, filename: str) -> GridImportPlan:
    """Read and check a grid file against the school's current grid; writes nothing."""
    plan = GridImportPlan()
    rows = _parse_rows(data, filename, plan)
    if rows:
        paths = cell_paths(school)
        existing = {
            paths[cell.id]: cell
            for cell in db.session.scalars(
                select(GridCell).where(GridCell.org_unit_id == school.id, GridCell.is_active)
            )
        }
        _resolve_paths(rows, existing, plan)
        _check_cells(rows, existing, plan)
        _check_owners(rows, existing, school, plan)
    plan.rows = rows
    plan.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return plan


def apply_grid_import(school: OrgUnit, plan: GridImportPlan) -> dict[str, int]:
    """Apply a checked plan, parents before children; the caller commits once (or rolls back on GridError)."""
    if not plan.ok:
        raise ValueError("cannot apply a grid import plan with errors")
    counts = dict.fromkeys(("create", "update", "unchanged", "staff", "assign", "hand_over", "deputy"), 0)
    for name, phone in plan.new_staff.items():
        operations.create_staff(school, name=name, phone=phone)
        counts["staff"] += 1
    for staff_id, phone in plan.phone_updates.items():
        person = db.session.get(Staff, staff_id)
        operations.update_staff(
            person, name=person.name, phone=phone, position=person.position, user=person.user
        )

    def person_for(name: str, phone: str) -> Staff:
        namesakes = db.session.scalars(
            select(Staff).where(Staff.org_unit_id == school.id, Staff.is_active, Staff.name == name)
        ).all()
        return next(p for p in namesakes if p.phone == phone) if len(namesakes) > 1 else namesakes[0]

    paths = cell_paths(school)
    by_path = {
        paths[cell.id]: cell
        for cell in db.session.scalars(
            select(GridCell).where(GridCell.org_unit_id == school.id, GridCell.is_active)
        )
    }
    for row in sorted(plan.rows, key=lambda r: (r.path.count("/"), r.row)):
        parent = by_path.get(row.path.rsplit("/", 1)[0]) if "/" in row.path else None
        cell = by_path.get(row.path)
        values = {
            "name": row.name,
            "kind": row.kind,
            "parent": parent,
            "is_key_area": row.key_area_kind is not None,
            "key_area_kind": row.key_area_kind,
            "starts_at": row.starts_at,
            "ends_at": row.ends_at,
        }
        if cell is None:
            cell = by_path[row.path] = operations.create_cell(school, **values)
        elif row.action == "update":
            operations.update_cell(cell, sort_order=cell.sort_order, **values)
        counts[row.action] += 1
        if row.owner_action == "assign":
            operations.assign_first_owner(cell, person_for(row.owner, row.phone), row.starts_on)
        elif row.owner_action == "hand_over":
            operations.hand_over(cell, person_for(row.owner, row.phone), row.starts_on - ONE_DAY)
        if row.owner_action in ("assign", "hand_over"):
            counts[row.owner_action] += 1
        for name in row.new_deputies:
            operations.add_deputy(cell, person_for(name, ""), row.starts_on)
            counts["deputy"] += 1
    audit.record("grid_cell.import", school, changes=counts, summary=school.name)
    return counts
