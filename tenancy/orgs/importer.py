"""Import an org tree from CSV/xlsx: validate every row first, then apply all or nothing."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.kinds import KIND_LABELS, placement_problem
from tenancy.orgs.operations import create_org, move_org, update_org
from tenancy.tabular import TableRefused, read_table

COLUMNS = ("code", "name", "level", "parent_code", "kind", "is_private")
MAX_ROWS = 20000


@dataclass
class OrgRow:
    row: int
    code: str
    name: str
    level: int | None
    parent_code: str
    kind: str
    is_private: bool
    action: str = ""  # create, update, move, unchanged


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str


@dataclass
class OrgImportPlan:
    rows: list[OrgRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))


def _parse_rows(data: bytes, filename: str, plan: OrgImportPlan) -> list[OrgRow]:
    try:
        table = read_table(data, filename, MAX_ROWS)
    except TableRefused as refused:
        plan.error(None, None, str(refused))
        return []
    if not table:
        plan.error(None, None, _("The file is empty."))
        return []
    header_row, header = table[0]
    header = [cell.strip().lower() for cell in header]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        plan.error(header_row, None, _("Missing columns: %(names)s.", names=", ".join(missing)))
        return []
    position = {name: header.index(name) for name in COLUMNS}
    rows = []
    for number, cells in table[1:]:
        value = {name: (cells[i] if i < len(cells) else "").strip() for name, i in position.items()}
        row = OrgRow(number, value["code"], value["name"], None, value["parent_code"], value["kind"], False)
        if not row.code:
            plan.error(number, "code", _("The code is empty."))
        if not row.name:
            plan.error(number, "name", _("The name is empty."))
        if value["level"] in ("1", "2", "3"):
            row.level = int(value["level"])
        else:
            plan.error(number, "level", _("Level must be 1, 2 or 3, not '%(value)s'.", value=value["level"]))
        if row.kind not in KIND_LABELS:
            plan.error(number, "kind", _("Unknown kind '%(value)s'.", value=row.kind))
        if value["is_private"] not in ("", "0", "1"):
            plan.error(
                number,
                "is_private",
                _("is_private must be 0 or 1, not '%(value)s'.", value=value["is_private"]),
            )
        row.is_private = value["is_private"] == "1"
        rows.append(row)
    return rows


def _check_tree(rows: list[OrgRow], plan: OrgImportPlan) -> None:
    existing = {org.code: org for org in db.session.scalars(select(OrgUnit))}
    in_file: dict[str, OrgRow] = {}
    for row in rows:
        if row.code in in_file:
            plan.error(
                row.row,
                "code",
                _(
                    "Duplicate code %(code)s (first on row %(first)d).",
                    code=row.code,
                    first=in_file[row.code].row,
                ),
            )
        elif row.code:
            in_file[row.code] = row
    for row in rows:
        if in_file.get(row.code) is not row or row.level is None or row.kind not in KIND_LABELS:
            continue
        # Walk up through the file to find cycles before judging levels.
        seen, cursor = {row.code}, row
        while cursor.parent_code in in_file:
            cursor = in_file[cursor.parent_code]
            if cursor.code in seen:
                plan.error(
                    row.row,
                    "parent_code",
                    _("The parent chain of %(code)s loops back on itself.", code=row.code),
                )
                break
            seen.add(cursor.code)
        else:
            _check_placement(row, in_file, existing, plan)


def _check_placement(row: OrgRow, in_file: dict, existing: dict, plan: OrgImportPlan) -> None:
    current = existing.get(row.code)
    if row.level == 1:
        if current is None or current.level != 1:
            bureau = next((org.code for org in existing.values() if org.level == 1), "")
            plan.error(row.row, "level", _("Level 1 is the bureau; its code must be %(code)s.", code=bureau))
            return
        row.action = "update" if (current.name, current.kind) != (row.name, row.kind) else "unchanged"
        return
    if not row.parent_code:
        plan.error(row.row, "parent_code", _("A level-%(level)d unit needs a parent_code.", level=row.level))
        return
    parent = in_file.get(row.parent_code) or existing.get(row.parent_code)
    if parent is None:
        plan.error(row.row, "parent_code", _("Unknown parent code %(code)s.", code=row.parent_code))
        return
    problem = placement_problem(row.kind, row.level, parent.kind, parent.level)
    if problem:
        plan.error(row.row, "level" if parent.level != row.level - 1 else "kind", problem)
        return
    if current is None:
        row.action = "create"
    elif current.level != row.level:
        plan.error(
            row.row,
            "level",
            _(
                "%(code)s exists at level %(level)d; levels cannot change.",
                code=row.code,
                level=current.level,
            ),
        )
    elif current.parent is None or current.parent.code != row.parent_code:
        row.action = "move"
    elif (current.name, current.kind, current.is_private) != (row.name, row.kind, row.is_private):
        row.action = "update"
    else:
        row.action = "unchanged"


def plan_org_import(data: bytes, filename: str) -> OrgImportPlan:
    """Read and check an org file against the current tenant's tree; writes nothing."""
    plan = OrgImportPlan()
    rows = _parse_rows(data, filename, plan)
    if rows:
        _check_tree(rows, plan)
    plan.rows = rows
    plan.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return plan


def apply_org_import(plan: OrgImportPlan) -> dict[str, int]:
    """Apply a checked plan, parents before children; the caller commits once."""
    if not plan.ok:
        raise ValueError("cannot apply an org import plan with errors")
    counts = {"create": 0, "update": 0, "move": 0, "unchanged": 0}
    by_code = {org.code: org for org in db.session.scalars(select(OrgUnit))}
    pending = [row for row in plan.rows if row.action != "unchanged"]
    counts["unchanged"] = len(plan.rows) - len(pending)
    for row in sorted(pending, key=lambda r: r.level or 0):
        parent = by_code.get(row.parent_code)
        org = by_code.get(row.code)
        if row.action == "create":
            by_code[row.code] = create_org(
                code=row.code, name=row.name, kind=row.kind, parent=parent, is_private=row.is_private
            )
        else:
            if row.action == "move":
                move_org(org, parent)
            update_org(org, name=row.name, kind=row.kind, is_private=row.is_private)
        counts[row.action] += 1
    audit.record("org_unit.import", None, changes=counts)
    return counts
