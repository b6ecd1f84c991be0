"""Campus-grid pages of one school: cells, staff, owners, coverage, the responsibility chart, import.

Every page loads the school (and cell or staff member) within the user's subtree, else 404;
writes need grid.manage at the school, else 403. A user who reaches the school only as a
grid keeper sees their own cells and nothing school-wide.
"""

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from schools.grid import operations, queries
from schools.grid.export import chart_workbook, period_text
from schools.grid.forms import (
    CellForm,
    CloseCellForm,
    DeputyForm,
    EndDeputyForm,
    HandoverForm,
    ImportForm,
    OwnerForm,
    StaffForm,
)
from schools.grid.importer import COLUMNS, apply_grid_import, plan_grid_import
from schools.grid.kinds import KEY_AREA_LABELS, KEY_AREA_NAMES, KIND_LABELS, KIND_NAMES
from schools.grid.models import CellOwnership, GridCell, Staff
from schools.units import keeps_records
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.orgs.queries import breadcrumbs
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today
from tenancy.ui import paginate, sorted_by
from tenancy.uploads import discard_staged, load_staged, stage_upload
from tenancy.web import form_status, require


def _import_purpose(school: OrgUnit) -> str:
    return f"grid_import:{school.id}"  # a file previewed for one school is confirmed for that school only


# --- loading -------------------------------------------------------------------------------


def _school(school_id: int, permission: str | None = None) -> OrgUnit:
    school = get_scoped_or_404(OrgUnit, school_id, permission=permission)
    if not keeps_records(school):
        abort(404)
    return school


def _school_wide(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a school for a page about the whole grid, which grid keepers do not see."""
    school = _school(school_id, permission)
    if queries.keeper_only(school):
        abort(403)
    return school


def _cell(school: OrgUnit, cell_id: int) -> GridCell:
    cell = get_scoped_or_404(GridCell, cell_id)
    if cell.org_unit_id != school.id or not queries.keeper_may_see(cell):
        abort(404)
    return cell


def _staff(school: OrgUnit, staff_id: int) -> Staff:
    staff = get_scoped_or_404(Staff, staff_id)
    if staff.org_unit_id != school.id:
        abort(404)
    return staff


def _chosen_staff(school: OrgUnit, staff_id: int) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None or staff.org_unit_id != school.id:
        abort(404)
    return staff


def _day_arg(name: str = "on") -> tuple[date, str | None]:
    """Read a YYYY-MM-DD query argument (default today); a bad one gives today and a message."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return tenant_today(), None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return tenant_today(), _("'%(value)s' is not a date; write it as 2024-09-01.", value=raw)


def _fail(form, error: operations.GridError) -> None:
    db.session.rollback()
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(str(error))
    else:
        form.form_errors.append(str(error))


def _crumbs(school: OrgUnit):
    return breadcrumbs(school)


def _staff_choices(school: OrgUnit) -> list[tuple[int, str]]:
    people = db.session.scalars(queries.school_staff(school)).all()
    return [(0, "—")] + [
        (p.id, " · ".join(part for part in (p.name, p.position, p.phone) if part)) for p in people
    ]


def _cell_choices(school: OrgUnit, cell: GridCell | None = None) -> list[tuple[int, str]]:
    """Active cells a cell may sit in (not itself or its own cells)."""
    paths = queries.cell_paths(school)
    cells = db.session.scalars(select(GridCell).where(GridCell.org_unit_id == school.id, GridCell.is_active))
    own_path = paths.get(cell.id) if cell is not None else None
    choices = [
        (c.id, paths[c.id])
        for c in cells
        if own_path is None or not (paths[c.id] == own_path or paths[c.id].startswith(own_path + "/"))
    ]
    return [(0, _("— top level —"))] + sorted(choices, key=lambda item: item[1])


def _keeper_choices(school: OrgUnit) -> list[tuple[int, str]]:
    users = db.session.scalars(operations.keeper_users(school)).all()
    return [(0, _("— no login —"))] + [(u.id, f"{u.display_name} ({u.username})") for u in users]


# --- cells ---------------------------------------------------------------------------------


@require("read")
def list_cells(school_id: int):
    """Show the school's cell tree (a grid keeper: their own cells) with today's owners."""
    school = _school(school_id)
    day = tenant_today()
    filters = {
        "q": request.args.get("q", "").strip(),
        "kind": request.args.get("kind", ""),
        "key": request.args.get("key", "") == "1",
        "closed": request.args.get("closed", "") == "1",
        "blind": request.args.get("blind", "") == "1",
    }
    query = queries.visible_cells(school, include_closed=filters["closed"])
    if filters["q"]:
        query = query.where(GridCell.name.ilike(f"%{filters['q']}%"))
    if filters["kind"] in KIND_LABELS:
        query = query.where(GridCell.kind == filters["kind"])
    if filters["key"]:
        query = query.where(GridCell.is_key_area)
    cells = db.session.scalars(query).all()
    owners = queries.owners_on(school, day)
    if filters["blind"]:
        cells = [c for c in cells if c.exists_on(day) and not any(p.is_primary for p in owners.get(c.id, []))]
    filtered = bool(filters["q"] or filters["kind"] in KIND_LABELS or filters["key"] or filters["blind"])
    rows = [(cell, 0) for cell in cells] if filtered else queries.cell_tree(cells)
    keeper = queries.keeper_only(school)
    return render_template(
        "schools/grid/cells.html",
        school=school,
        crumbs=_crumbs(school),
        rows=rows,
        paths=queries.cell_paths(school) if filtered else {},
        owners=owners,
        filters=filters,
        kinds=KIND_LABELS,
        key_areas=KEY_AREA_LABELS,
        counts=None if keeper else queries.coverage(school, day).counts,
        keeper=keeper,
        day=day,
        period_text=period_text,
    )


def _cell_form(school: OrgUnit, cell: GridCell | None = None) -> CellForm:
    form = CellForm(obj=cell) if cell is not None else CellForm()
    form.parent_id.choices = _cell_choices(school, cell)
    if request.method == "GET":
        if cell is not None:
            form.parent_id.data = cell.parent_id or 0
            form.key_area_kind.data = cell.key_area_kind or ""
        else:
            parent = request.args.get("parent", type=int)
            form.parent_id.data = parent if parent in {c for c, _label in form.parent_id.choices} else 0
    return form


def _cell_values(school: OrgUnit, form: CellForm) -> dict:
    parent = None
    if form.parent_id.data:
        parent = db.session.get(GridCell, form.parent_id.data)
        if parent is None or parent.org_unit_id != school.id:
            abort(404)
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "parent": parent,
        "is_key_area": bool(form.key_area_kind.data),
        "key_area_kind": form.key_area_kind.data or None,
        "starts_at": form.starts_at.data,
        "ends_at": form.ends_at.data,
        "sort_order": form.sort_order.data or 0,
    }


@require("read")
def new_cell(school_id: int):
    """Add a cell to the school's grid."""
    school = _school(school_id, permission="grid.manage")
    form = _cell_form(school)
    if form.validate_on_submit():
        try:
            cell = operations.create_cell(school, **_cell_values(school, form))
            db.session.commit()
            flash(_("Added %(name)s.", name=cell.name), "success")
            return redirect(url_for("grid.show_cell", school_id=school.id, cell_id=cell.id))
        except operations.GridError as error:
            _fail(form, error)
    status = form_status()
    return render_template(
        "schools/grid/cell_form.html", school=school, crumbs=_crumbs(school), form=form, cell=None
    ), status


@require("read")
def edit_cell(school_id: int, cell_id: int):
    """Change a cell's name, kind, place, key-area mark or period."""
    school = _school(school_id, permission="grid.manage")
    cell = _cell(school, cell_id)
    if not cell.is_active:
        flash(_("%(name)s is closed and can no longer change.", name=cell.name), "error")
        return redirect(url_for("grid.show_cell", school_id=school.id, cell_id=cell.id))
    form = _cell_form(school, cell)
    if form.validate_on_submit():
        try:
            operations.update_cell(cell, **_cell_values(school, form))
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("grid.show_cell", school_id=school.id, cell_id=cell.id))
        except operations.GridError as error:
            _fail(form, error)
    status = form_status()
    return render_template(
        "schools/grid/cell_form.html", school=school, crumbs=_crumbs(school), form=form, cell=cell
    ), status


def _action_forms(school: OrgUnit, cell: GridCell, formdata=None, which: str | None = None) -> dict:
    """The owner, handover, deputy and close forms of the cell page; only `which` reads the request."""
    day = tenant_today()
    choices = _staff_choices(school)
    forms = {
        "owner": OwnerForm(prefix="owner", formdata=formdata if which == "owner" else None),
        "handover": HandoverForm(prefix="handover", formdata=formdata if which == "handover" else None),
        "deputy": DeputyForm(prefix="deputy", formdata=formdata if which == "deputy" else None),
        "close": CloseCellForm(prefix="close", formdata=formdata if which == "close" else None),
        "end": EndDeputyForm(prefix="end", formdata=formdata if which == "end" else None),
    }
    for name in ("owner", "handover", "deputy"):
        forms[name].staff_id.choices = choices
    if which != "owner":
        forms["owner"].starts_on.data = day
    if which != "handover":
        forms["handover"].handover_on.data = day
    if which != "deputy":
        forms["deputy"].starts_on.data = day
    if which != "close":
        forms["close"].closed_on.data = day
    if which != "end":
        forms["end"].ends_on.data = day
    return forms


def _render_cell(school: OrgUnit, cell: GridCell, forms: dict | None = None, status: int = 200):
    day = tenant_today()
    paths = queries.cell_paths(school)
    return render_template(
        "schools/grid/cell.html",
        school=school,
        crumbs=_crumbs(school),
        cell=cell,
        path=paths.get(cell.id, cell.name),
        current=queries.owners_on(cell, day),
        history=queries.history(cell),
        children=[c for c in cell.children if c.is_active and queries.keeper_may_see(c)],
        has_primary=any(p.is_primary for p in cell.ownerships),
        forms=forms or _action_forms(school, cell),
        kinds=KIND_LABELS,
        key_areas=KEY_AREA_LABELS,
        period_text=period_text,
        day=day,
    ), status


@require("read")
def show_cell(school_id: int, cell_id: int):
    """Show a cell: today's owner and deputies with phones, the forms to change them, the history."""
    school = _school(school_id)
    return _render_cell(school, _cell(school, cell_id))


def _cell_action(school_id: int, cell_id: int, which: str, act):
    """Run one of the cell page's forms: success redirects, bad input re-renders the page (400)."""
    school = _school(school_id, permission="grid.manage")
    cell = _cell(school, cell_id)
    forms = _action_forms(school, cell, request.form, which)
    form = forms[which]
    if form.validate():
        try:
            message = act(school, cell, form)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("grid.show_cell", school_id=school.id, cell_id=cell.id))
        except operations.GridError as error:
            _fail(form, error)
            cell = _cell(school, cell_id)
    return _render_cell(school, cell, forms, 400)


@require("read")
def assign_owner(school_id: int, cell_id: int):
    """Make someone the cell's first primary owner."""

    def act(school, cell, form):
        staff = _chosen_staff(school, form.staff_id.data)
        operations.assign_first_owner(cell, staff, form.starts_on.data)
        return _(
            "%(name)s is responsible for %(cell)s from %(day)s.",
            name=staff.name,
            cell=cell.name,
            day=form.starts_on.data.isoformat(),
        )

    return _cell_action(school_id, cell_id, "owner", act)


@require("read")
def hand_over(school_id: int, cell_id: int):
    """Hand the cell over to a new primary owner."""

    def act(school, cell, form):
        staff = _chosen_staff(school, form.staff_id.data)
        period = operations.hand_over(cell, staff, form.handover_on.data)
        return _(
            "Handed over: %(name)s is responsible for %(cell)s from %(day)s.",
            name=staff.name,
            cell=cell.name,
            day=period.starts_on.isoformat(),
        )

    return _cell_action(school_id, cell_id, "handover", act)


@require("read")
def add_deputy(school_id: int, cell_id: int):
    """Add a deputy to the cell."""

    def act(school, cell, form):
        staff = _chosen_staff(school, form.staff_id.data)
        operations.add_deputy(cell, staff, form.starts_on.data, form.ends_on.data)
        return _("%(name)s is a deputy of %(cell)s.", name=staff.name, cell=cell.name)

    return _cell_action(school_id, cell_id, "deputy", act)


@require("read")
def end_deputy(school_id: int, cell_id: int, ownership_id: int):
    """End a deputy's period."""

    def act(school, cell, form):
        period = get_scoped_or_404(CellOwnership, ownership_id)
        if period.grid_cell_id != cell.id:
            abort(404)
        operations.end_deputy(period, form.ends_on.data)
        return _(
            "%(name)s is no longer a deputy after %(day)s.",
            name=period.staff.name,
            day=form.ends_on.data.isoformat(),
        )

    return _cell_action(school_id, cell_id, "end", act)


@require("read")
def close_cell(school_id: int, cell_id: int):
    """Close a cell; its history is kept."""

    def act(school, cell, form):
        operations.close_cell(cell, form.closed_on.data)
        return _("Closed %(name)s; its history is kept.", name=cell.name)

    return _cell_action(school_id, cell_id, "close", act)


# --- staff ---------------------------------------------------------------------------------


@require("read")
def list_staff(school_id: int):
    """List the school's staff with the cells each holds today."""
    school = _school_wide(school_id)
    show_all = request.args.get("all", "") == "1"
    search = request.args.get("q", "").strip()
    query = queries.school_staff(school, include_inactive=show_all).order_by(None)
    if search:
        pattern = f"%{search}%"
        query = query.where(
            or_(Staff.name.ilike(pattern), Staff.phone.ilike(pattern), Staff.position.ilike(pattern))
        )
    query, sort = sorted_by(query, {"name": Staff.name, "position": Staff.position}, "name")
    page = paginate(query.order_by(Staff.id))
    users = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_([s.user_id for s in page.items])))
    }
    return render_template(
        "schools/grid/staff.html",
        school=school,
        crumbs=_crumbs(school),
        page=page,
        sort=sort,
        q=search,
        show_all=show_all,
        duties=queries.duties_on(school, tenant_today()),
        users=users,
    )


def _linked_user(form: StaffForm) -> User | None:
    if not form.user_id.data:
        return None
    user = db.session.get(User, form.user_id.data)
    if user is None:
        abort(404)
    return user


@require("read")
def new_staff(school_id: int):
    """Add a person working at the school."""
    school = _school_wide(school_id, permission="grid.manage")
    form = StaffForm()
    form.user_id.choices = _keeper_choices(school)
    if form.validate_on_submit():
        try:
            staff = operations.create_staff(
                school,
                name=form.name.data,
                phone=form.phone.data or "",
                position=form.position.data or "",
                user=_linked_user(form),
            )
            db.session.commit()
            flash(_("Added %(name)s.", name=staff.name), "success")
            return redirect(url_for("grid.list_staff", school_id=school.id))
        except operations.GridError as error:
            _fail(form, error)
    status = form_status()
    return render_template(
        "schools/grid/staff_form.html", school=school, crumbs=_crumbs(school), form=form, staff=None
    ), status


@require("read")
def edit_staff(school_id: int, staff_id: int):
    """Change a staff member's details, login link or whether they still work at the school."""
    school = _school_wide(school_id, permission="grid.manage")
    staff = _staff(school, staff_id)
    form = StaffForm(obj=staff)
    form.user_id.choices = _keeper_choices(school)
    if request.method == "GET":
        form.user_id.data = staff.user_id or 0
    if form.validate_on_submit():
        try:
            operations.update_staff(
                staff,
                name=form.name.data,
                phone=form.phone.data or "",
                position=form.position.data or "",
                user=_linked_user(form),
                is_active=form.is_active.data,
            )
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("grid.list_staff", school_id=school.id))
        except operations.GridError as error:
            _fail(form, error)
    status = form_status()
    return render_template(
        "schools/grid/staff_form.html",
        school=school,
        crumbs=_crumbs(school),
        form=form,
        staff=staff,
        duties=operations.current_duties(staff),
    ), status


# --- coverage and the chart ----------------------------------------------------------------


@require("read")
def coverage(school_id: int):
    """Show, for a date, the cells without a primary owner (监管盲区) and the staff without a cell."""
    school = _school_wide(school_id)
    day, problem = _day_arg()
    if problem:
        flash(problem, "error")
    found = queries.coverage(school, day)
    paths = queries.cell_paths(school)
    return render_template(
        "schools/grid/coverage.html",
        school=school,
        crumbs=_crumbs(school),
        day=day,
        coverage=found,
        paths=paths,
        kinds=KIND_LABELS,
        key_areas=KEY_AREA_LABELS,
        bad_date=request.args.get("on", "") if problem else "",
    ), (400 if problem else 200)


@require("read")
def chart(school_id: int):
    """Show the printable responsibility chart (网格化管理责任图) for a date."""
    school = _school_wide(school_id)
    day, problem = _day_arg()
    if problem:
        flash(problem, "error")
    return render_template(
        "schools/grid/chart.html",
        school=school,
        crumbs=_crumbs(school),
        day=day,
        rows=queries.chart_rows(school, day),
        kinds=KIND_LABELS,
        key_areas=KEY_AREA_LABELS,
        period_text=period_text,
    ), (400 if problem else 200)


@require("read")
def export_chart(school_id: int):
    """Download the responsibility chart as an Excel workbook."""
    school = _school_wide(school_id)
    day, problem = _day_arg()
    if problem:
        abort(400)
    return send_file(
        io.BytesIO(chart_workbook(school, day)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"网格化管理责任图-{school.code}-{day.isoformat()}.xlsx",
    )


# --- import --------------------------------------------------------------------------------


@require("read")
def import_grid(school_id: int):
    """Upload a grid file and preview every row and problem before anything is written."""
    school = _school_wide(school_id, permission="grid.manage")
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        filename = upload.filename or "upload"
        plan = plan_grid_import(school, data, filename)
        token = stage_upload(data, filename, _import_purpose(school)) if plan.ok else None
        return render_template(
            "schools/grid/import_preview.html",
            school=school,
            crumbs=_crumbs(school),
            plan=plan,
            token=token,
            filename=filename,
            kinds=KIND_LABELS,
        )
    status = form_status()
    return render_template(
        "schools/grid/import.html",
        school=school,
        crumbs=_crumbs(school),
        form=form,
        columns=COLUMNS,
        kind_names=KIND_NAMES,
        key_area_names=KEY_AREA_NAMES,
    ), status


@require("read")
def confirm_import(school_id: int, token: str):
    """Apply a previewed grid file: every row or none."""
    school = _school_wide(school_id, permission="grid.manage")
    data, filename = load_staged(token, _import_purpose(school))
    plan = plan_grid_import(school, data, filename)
    if plan.ok:
        try:
            counts = apply_grid_import(school, plan)
        except operations.GridError as error:
            db.session.rollback()
            plan.error(None, None, str(error))
    if not plan.ok:
        # The grid changed since the preview; show the new problems instead of writing.
        return render_template(
            "schools/grid/import_preview.html",
            school=school,
            crumbs=_crumbs(school),
            plan=plan,
            token=None,
            filename=filename,
            kinds=KIND_LABELS,
        ), 409
    db.session.commit()
    discard_staged(token)
    flash(
        _(
            "Imported: %(create)d cells added, %(update)d changed, %(unchanged)d unchanged; "
            "%(staff)d staff added, %(assign)d owners assigned, %(hand_over)d handovers, %(deputy)d deputies.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("grid.list_cells", school_id=school.id))
