"""Roster pages: a school's month (read, or edit one row per day), copy last week, and today's
duty across the user's subtree with the gaps of the coming week."""

import re
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from schools.duty import operations
from schools.duty.forms import CopyWeekForm, MonthForm
from schools.duty.operations import DayInput, keeps_roster
from schools.duty.queries import GAP_DAYS, duty_gaps, month_days, today_board
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.settings.store import tenant_today
from tenancy.web import require

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ROW_FIELDS = ("is_holiday", "duty_person", "duty_phone", "leader", "leader_phone", "note")


def _school(school_id: int, permission: str | None = None) -> OrgUnit:
    school = get_school_or_404(school_id, permission=permission)
    if not keeps_roster(school):
        abort(404)  # grade groups are on duty with their school
    return school


def _parse_month(text: str | None) -> date | None:
    match = MONTH.match((text or "").strip())
    return date(int(match.group(1)), int(match.group(2)), 1) if match else None


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_form(days) -> MonthForm:
    rows = []
    for day, row in days:
        values = {name: getattr(row, name) for name in ROW_FIELDS} if row else {}
        rows.append({"day": day.isoformat(), **values})
    return MonthForm(formdata=None, month=f"{days[0][0]:%Y-%m}", days=rows)


def _render(school: OrgUnit, first: date, form=None, problems=None, copy_form=None, error="", status=200):
    today = tenant_today()
    days = month_days(school, first)
    may_edit = can("duty.manage", school) and school.is_active
    if may_edit and form is None:
        form = _month_form(days)
    monday = today + timedelta(days=7 - today.weekday())
    gaps = dict(duty_gaps([school], today).get(school.id, []))
    return render_template(
        "schools/duty/roster.html",
        school=school,
        crumbs=breadcrumbs(school),
        first=first,
        previous=_shift(first, -1),
        following=_shift(first, 1),
        days=days,
        today=today,
        gaps=gaps,
        gap_keys={day.isoformat() for day in gaps},
        gap_days=GAP_DAYS,
        may_edit=may_edit,
        form=form,
        problems=problems or {},
        copy_form=copy_form or CopyWeekForm(formdata=None, week_start=monday),
        error=error,
    ), status


@require("read")
def roster(school_id: int):
    """A month of the school's roster (?month=YYYY-MM, default this month); an edit form for its officer."""
    school = _school(school_id)
    first = _parse_month(request.args.get("month")) or tenant_today().replace(day=1)
    return _render(school, first)


@require("read")
def save_month(school_id: int):
    """Save the month form: every row at once, or nothing when a row is wrong."""
    school = _school(school_id, permission="duty.manage")
    form = MonthForm()
    first = _parse_month(form.month.data)
    if first is None:
        return _render(
            school, tenant_today().replace(day=1), error=_("Give the month as YYYY-MM."), status=400
        )
    if not form.validate_on_submit():
        return _render(school, first, form, status=400)
    inputs, problems, seen = [], {}, set()
    for entry in form.days.entries:
        raw = (entry.form.day.data or "").strip()
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            problems[raw or "?"] = {"day": _("%(day)s is not a day (YYYY-MM-DD).", day=raw or "?")}
            continue
        if day.replace(day=1) != first or day in seen:
            problems[raw] = {"day": _("%(day)s does not belong in this month's form.", day=raw)}
            continue
        seen.add(day)
        values = {name: getattr(entry.form, name).data for name in ROW_FIELDS}
        inputs.append(
            DayInput(day=day, **{k: v or ("" if k != "is_holiday" else False) for k, v in values.items()})
        )
    try:
        if problems:
            raise operations.RosterError(problems)
        changed = operations.save_days(school, inputs, current_user)
        db.session.commit()
    except operations.RosterError as error:
        db.session.rollback()
        return _render(school, first, form, error.problems, error=str(error), status=400)
    except operations.DutyError as error:
        db.session.rollback()
        return _render(school, first, form, error=str(error), status=error.status)
    flash(_("Roster saved: %(n)d days changed.", n=changed), "success")
    return redirect(url_for("duty.roster", school_id=school.id, month=f"{first:%Y-%m}"))


@require("read")
def copy_week(school_id: int):
    """Fill the empty days of a week from the same weekdays of the week before."""
    school = _school(school_id, permission="duty.manage")
    form = CopyWeekForm()
    if not form.validate_on_submit():
        return _render(school, tenant_today().replace(day=1), copy_form=form, status=400)
    start = form.week_start.data
    try:
        filled = operations.copy_week(school, start, current_user)
        db.session.commit()
    except operations.DutyError as error:
        db.session.rollback()
        return _render(school, start.replace(day=1), copy_form=form, error=str(error), status=error.status)
    flash(_("%(n)d days filled from the week before.", n=filled), "success" if filled else "info")
    return redirect(url_for("duty.roster", school_id=school.id, month=f"{start:%Y-%m}"))


@require("read")
def today():
    """Today's duty person and leader of every school in the user's area; gaps of the coming week."""
    day = tenant_today()
    rows = today_board(day)
    only_gaps = request.args.get("gaps") == "1"
    return render_template(
        "schools/duty/today.html",
        today=day,
        rows=[row for row in rows if row.gap_days] if only_gaps else rows,
        total=len(rows),
        with_gaps=sum(1 for row in rows if row.gap_days),
        missing_today=sum(1 for row in rows if row.missing_today),
        only_gaps=only_gaps,
        gap_days=GAP_DAYS,
    )
