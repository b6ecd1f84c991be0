"""Zero-report pages: the bureau's windows and completeness table, a school's days and reports."""

import io
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from schools.units import get_school_or_404
from schools.zeroreports import operations, queries, rules
from schools.zeroreports.export import completeness_workbook
from schools.zeroreports.forms import EndDateForm, ReportForm, WindowForm
from schools.zeroreports.models import CELL_LABELS, PHASE_LABELS, ZeroReportTarget, ZeroReportWindow
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.orgs.queries import breadcrumbs, tree_rows
from tenancy.roles import can
from tenancy.scoping import tenant_root, visible_paths
from tenancy.settings.store import tenant_today
from tenancy.ui import paginate
from tenancy.web import require

DAYS_SHOWN = 14  # days of the completeness table on one screen
LABELS = {"cell_labels": CELL_LABELS, "phase_labels": PHASE_LABELS}


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


# --- the bureau's windows ----------------------------------------------------------------------


def _target_choices() -> list[tuple[OrgUnit, int]]:
    """Central schools and schools of the tree a window can target, with their depth."""
    return [
        (unit, depth)
        for unit, depth in tree_rows()
        if unit.is_active and (unit.kind == "central" or rules.reports_daily(unit))
    ]


def _window_form_page(form: WindowForm, chosen: set[int], target_error: str = "", status: int = 200):
    return render_template(
        "schools/zeroreports/open.html",
        form=form,
        choices=_target_choices(),
        chosen=chosen,
        target_error=target_error,
    ), status


@require("read")
def list_windows():
    """Every window the user sees, newest first, with today's figures of the open ones."""
    page = paginate(
        queries.visible_windows()
        .options(selectinload(ZeroReportWindow.targets).selectinload(ZeroReportTarget.unit))
        .order_by(ZeroReportWindow.starts_on.desc(), ZeroReportWindow.id.desc()),
        per_page=20,
    )
    today = tenant_today()
    paths = visible_paths()
    todays = {
        window.id: queries.completeness(window, None, [today], paths=paths).totals[0]
        for window in page.items
        if window.phase(today) == "open"
    }
    root = tenant_root()
    return render_template(
        "schools/zeroreports/list.html",
        page=page,
        today=today,
        todays=todays,
        may_manage=can("zeroreport.manage", root),
        form=WindowForm(),
        choices=_target_choices() if can("zeroreport.manage", root) else [],
        chosen=set(),
        target_error="",
        **LABELS,
    )


@require("read")
def open_window():
    """Switch on a daily report period for all schools or chosen central schools / schools."""
    if not can("zeroreport.manage", tenant_root()):
        abort(403)
    form = WindowForm()
    if request.method == "GET":
        form.starts_on.data = tenant_today()
        return _window_form_page(form, set())
    chosen = {int(value) for value in request.form.getlist("target_unit_ids") if value.isdigit()}
    if not form.validate_on_submit():
        return _window_form_page(form, chosen, status=400)
    units = None
    if form.target.data == "selected":
        units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(chosen)))) if chosen else []
    try:
        window = operations.open_window(
            title=form.title.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            deadline=form.deadline.data,
            items=form.items.data,
            target_units=units,
            note=form.note.data or "",
            user=current_user,
        )
        db.session.commit()
    except operations.ZeroReportError as error:
        db.session.rollback()
        if error.field == "target_unit_ids":
            return _window_form_page(form, chosen, str(error), status=error.status)
        field = getattr(form, error.field or "title")
        field.errors = [*field.errors, str(error)]
        return _window_form_page(form, chosen, status=error.status)
    flash(_("The window “%(title)s” is switched on.", title=window.title), "success")
    return redirect(url_for("zeroreports.show_window", window_id=window.id))


def _table_days(window: ZeroReportWindow, today: date) -> tuple[list[date], date | None, date | None]:
    """The days shown (up to DAYS_SHOWN ending at ?until=), and the `until` of the previous/next screen."""
    all_days = queries.window_days(window, today)
    if not all_days:
        return [], None, None
    until = _parse_day(request.args.get("until")) or all_days[-1]
    until = min(max(until, all_days[0]), all_days[-1])
    days = [day for day in all_days if until - timedelta(days=DAYS_SHOWN - 1) <= day <= until]
    earlier = days[0] - timedelta(days=1) if days[0] > all_days[0] else None
    later = min(until + timedelta(days=DAYS_SHOWN), all_days[-1]) if until < all_days[-1] else None
    return days, earlier, later


def _window_page(window: ZeroReportWindow, end_form: EndDateForm | None = None, status: int = 200):
    today = tenant_today()
    days, earlier, later = _table_days(window, today)
    table = queries.completeness_in_scope(window, days)
    picked = None
    school_id, day = request.args.get("school", ""), _parse_day(request.args.get("day"))
    if school_id.isdigit() and day is not None:
        for row in table.rows:
            if row.school.id == int(school_id):
                picked = next((cell for cell in row.cells if cell.day == day), None)
                picked = (row.school, picked) if picked is not None else None
    if end_form is None:
        end_form = EndDateForm()
        end_form.ends_on.data = window.ends_on
    return render_template(
        "schools/zeroreports/window.html",
        window=window,
        today=today,
        table=table,
        summary=table.summary(),
        earlier=earlier,
        later=later,
        picked=picked,
        phase=window.phase(today),
        may_manage=can("zeroreport.manage", window.bureau),
        end_form=end_form,
        targets=window.target_units,
        deadline_text=rules.deadline_text,
        **LABELS,
    ), status


@require("read")
def show_window(window_id: int):
    """The window's daily completeness table for the schools in the user's scope."""
    return _window_page(queries.get_window_or_404(window_id))


@require("read")
def change_end(window_id: int):
    """Move the window's last day, or make it open-ended."""
    window = queries.get_window_or_404(window_id, permission="zeroreport.manage")
    form = EndDateForm()
    if not form.validate_on_submit():
        return _window_page(window, form, status=400)
    try:
        operations.change_end(window, form.ends_on.data, user=current_user)
        db.session.commit()
    except operations.ZeroReportError as error:
        db.session.rollback()
        db.session.refresh(window)
        form.ends_on.errors = [*form.ends_on.errors, str(error)]
        return _window_page(window, form, status=error.status)
    flash(_("The window's last day was changed."), "success")
    return redirect(url_for("zeroreports.show_window", window_id=window.id))


@require("read")
def switch_off(window_id: int):
    """End the window today: schools stop reporting after today and its flags clear."""
    window = queries.get_window_or_404(window_id, permission="zeroreport.manage")
    try:
        operations.switch_off(window, user=current_user)
        db.session.commit()
    except operations.ZeroReportError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("zeroreports.show_window", window_id=window.id))
    flash(_("The window “%(title)s” is switched off.", title=window.title), "success")
    return redirect(url_for("zeroreports.show_window", window_id=window.id))


@require("read")
def export_window(window_id: int):
    """Download the whole completeness table (every day so far) of the schools in scope."""
    window = queries.get_window_or_404(window_id)
    table = queries.completeness_in_scope(window, queries.window_days(window, tenant_today()))
    parent_ids = {row.school.parent_id for row in table.rows if row.school.parent_id}
    parents = {
        unit.id: unit.name for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(parent_ids)))
    }
    return send_file(
        io.BytesIO(completeness_workbook(table, parents)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"零报告完成情况-{window.id}-{tenant_today().isoformat()}.xlsx",
    )


# --- a school's days ---------------------------------------------------------------------------


def _reporting_school(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a school that files daily reports in scope; grade groups report through their school (404)."""
    school = get_school_or_404(school_id, permission=permission)
    if school.kind == "grade_group":
        abort(404)
    return school


def _form_day(entry: queries.SchoolWindow) -> date | None:
    """The day the window's form reports: ?day= when it is one of the listed days, else today
    when required, else the most recent day without a report."""
    if request.args.get("window") == str(entry.window.id):
        wanted = _parse_day(request.args.get("day"))
        if any(cell.day == wanted for cell in entry.cells):
            return wanted
    if entry.today_cell is not None:
        return entry.today
    return entry.open_cells[0].day if entry.open_cells else None


def _school_page(school: OrgUnit, posted: dict | None = None, status: int = 200):
    entries = queries.school_windows(school)
    forms = {}
    for entry in entries:
        day = _form_day(entry)
        cell = next((c for c in entry.cells if c.day == day), None)
        values = {
            item: (cell.report.values.get(item, 0) if cell and cell.report else 0)
            for item in entry.window.items
        }
        forms[entry.window.id] = {
            "day": day,
            "report": cell.report if cell else None,
            "values": values,
            "note": cell.report.note if cell and cell.report else "",
            "errors": {},
        }
    if posted is not None and posted["window_id"] in forms:
        forms[posted["window_id"]].update(posted)
    history = paginate(queries.school_history(school), per_page=30)
    return render_template(
        "schools/zeroreports/school.html",
        school=school,
        crumbs=breadcrumbs(school),
        entries=entries,
        forms=forms,
        form_error=posted.get("error", "") if posted else "",
        history=history,
        may_submit=can("zeroreport.submit", school),
        now=utcnow(),
        deadline_text=rules.deadline_text,
        **LABELS,
    ), status


@require("read")
def school_days(school_id: int):
    """The school's windows, the days to report, today's form and the report history."""
    return _school_page(_reporting_school(school_id))


@require("read")
def submit_report(school_id: int):
    """Report (or correct) one day's counts; the zero-report button reports all zeros."""
    school = _reporting_school(school_id, permission="zeroreport.submit")
    form = ReportForm()
    window_id = form.window_id.data if form.window_id.data is not None else -1
    window = db.session.scalar(queries.visible_windows().where(ZeroReportWindow.id == window_id))
    posted = {"window_id": window.id if window else None, "errors": {}, "error": ""}
    if window is None or not form.validate_on_submit():
        problems = [str(e) for f in (form.window_id, form.day, form.note) for e in f.errors]
        posted["error"] = "; ".join(problems) or _("Choose a window of this school.")
        return _school_page(school, posted, status=400)
    raw = {item: request.form.get(f"value-{index}", "") for index, item in enumerate(window.items)}
    raw = {item: value for item, value in raw.items() if value.strip()}  # blank counts as 0
    if form.zero.data == "1":
        raw = {}
    posted.update(day=form.day.data, values=raw, note=form.note.data or "")
    try:
        report, created = operations.submit_report(
            window, school, form.day.data, raw, form.note.data or "", user=current_user
        )
        db.session.commit()
    except operations.ZeroReportError as error:
        db.session.rollback()
        if error.item:
            posted["errors"] = {error.item: str(error)}
        else:
            posted["error"] = str(error)
        return _school_page(school, posted, status=error.status)
    if created:
        message = _("The report for %(day)s was made.", day=report.day.isoformat())
        if report.is_late:
            message += " " + _("It was after the deadline and is marked late.")
    else:
        message = _("The report for %(day)s was corrected.", day=report.day.isoformat())
    flash(message, "success")
    return redirect(url_for("zeroreports.school_days", school_id=school.id))
