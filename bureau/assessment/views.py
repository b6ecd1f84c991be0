"""Assessment pages: the years, a year's results, the rubric, entered scores, a school's sheet, the download.

Everyone in the tenant reads the results of the schools they see (the bureau all, a central
school its own, a school itself). The bureau admin keeps the rubric and closes the year, bureau
staff compute it, and entered scores come from the bureau or a central school (its schools).
"""

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from bureau.assessment import operations
from bureau.assessment.evidence import evidence_links, evidence_url
from bureau.assessment.explain import bands_words, counts_words, number, rule_words, working
from bureau.assessment.export import assessment_workbook
from bureau.assessment.forms import (
    NewIndicatorForm,
    ReopenForm,
    RubricForm,
    ScoresForm,
    YearForm,
    parse_settings,
    settings_keys,
    settings_text,
)
from bureau.assessment.models import GRADES, KINDS, Indicator, Result, Rubric
from bureau.assessment.operations import NOT_ASSESSED, AssessmentError
from bureau.assessment.queries import entered_scores, result_of, rubric_of, rubrics, visible_results
from bureau.assessment.rubric import indicator_problems, rules_for, weight_problem
from bureau.assessment.scoring import RULES
from bureau.assessment.sources import ENTERED, SOURCE_LABELS, SOURCES, Period
from schools.units import get_school_or_404, keeps_records
from tenancy.extensions import db
from tenancy.jobs import submit
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import sees_org, subtree_filter, tenant_root, visible_paths
from tenancy.settings.store import tenant_today
from tenancy.ui import paginate
from tenancy.web import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LABELS = {
    "grades": GRADES,
    "kinds": KINDS,
    "rules": RULES,
    "source_labels": SOURCE_LABELS,
    "number": number,
    "rule_words": rule_words,
}


# --- loading and who may do what --------------------------------------------------------------


def _rubric_or_404(year: int) -> Rubric:
    rubric = rubric_of(year)
    if rubric is None:
        abort(404)
    return rubric


def _at_root(permission: str) -> None:
    """The rubric, computing and closing are the tenant's: the permission must reach its root."""
    if not can(permission, tenant_root()):
        abort(403)


def _grant_units() -> list[OrgUnit]:
    return sorted({grant.org_unit for grant in current_user.grants}, key=lambda unit: (unit.level, unit.id))


def _own_school() -> OrgUnit | None:
    """The one assessed school of a user who sees only that school, else None."""
    units = _grant_units()
    if len({unit.id for unit in units}) != 1 or not keeps_records(units[0]):
        return None
    return units[0] if units[0].kind not in NOT_ASSESSED else None


def _oversight_unit() -> OrgUnit | None:
    """The highest unit the user oversees (bureau or central school); None for school users."""
    units = _grant_units()
    return units[0] if units and not keeps_records(units[0]) else None


def _status(rubric: Rubric) -> str:
    if rubric.is_closed:
        return "closed"
    if rubric.computed_at is None:
        return "new"
    return "preview" if rubric.computed_through < date(rubric.year, 12, 31) else "computed"


def _closed_message(rubric: Rubric) -> str:
    return _("The %(year)s assessment is closed; reopen it first.", year=rubric.year)


def _weights_warning(rubric: Rubric) -> None:
    problem = weight_problem([item.weight for item in rubric.indicators if item.kind == "score"])
    if problem:
        flash(problem, "error")


# --- the years --------------------------------------------------------------------------------


def _render_index(form: YearForm | None = None, error: str = "", status: int = 200):
    years = rubrics()
    if form is None:
        form = YearForm(formdata=None, year=tenant_today().year)
    form.copy_from.choices = [("", _("The default rubric"))] + [
        (str(rubric.year), _("A copy of %(year)s", year=rubric.year)) for rubric in years
    ]
    return render_template(
        "bureau/assessment/index.html",
        years=[(rubric, _status(rubric)) for rubric in years],
        form=form,
        error=error,
        may_manage=can("assessment.manage", tenant_root()),
        own_school=_own_school(),
    ), status


@require("read")
def index():
    """The tenant's assessment years and their status; the bureau admin starts a new one here."""
    return _render_index()


@require("assessment.manage")
def create_year():
    """Start a year: a copy of another year's rubric, or the default rubric."""
    _at_root("assessment.manage")
    form = YearForm()
    if not form.validate_on_submit():
        return _render_index(form, status=400)
    try:
        copy_from = None
        if form.copy_from.data:
            copy_from = rubric_of(int(form.copy_from.data)) if form.copy_from.data.isdigit() else None
            if copy_from is None:
                raise AssessmentError(_("There is no rubric to copy for that year."), "copy_from")
        rubric = operations.create_rubric(form.year.data, copy_from)
        db.session.commit()
    except AssessmentError as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None)
        if field is None:
            return _render_index(form, str(error), status=error.status)
        field.errors = [*field.errors, str(error)]
        return _render_index(form, status=error.status)
    flash(_("The %(year)s assessment was started; check its rubric.", year=rubric.year), "success")
    return redirect(url_for("assessment.rubric", year=rubric.year))


# --- a year's results ---------------------------------------------------------------------------


def _centrals_in_scope() -> list[OrgUnit]:
    return db.session.scalars(
        select(OrgUnit)
        .where(OrgUnit.kind == "central", subtree_filter(OrgUnit.path, visible_paths()))
        .order_by(OrgUnit.path)
    ).all()


def _central_arg(centrals: list[OrgUnit]) -> tuple[OrgUnit | None, str]:
    """The central school asked for (?central=id) among the user's, and a message when it is not one."""
    wanted = request.args.get("central", "").strip()
    if not wanted:
        return None, ""
    found = next((unit for unit in centrals if str(unit.id) == wanted), None)
    if found is None:
        return None, _("That is not one of your central schools; all your schools are shown.")
    return found, ""


def _render_year(rubric: Rubric, error: str = "", status: int = 200, reopen_form: ReopenForm | None = None):
    centrals = _centrals_in_scope()
    central, notice = _central_arg(centrals)
    page = paginate(visible_results(rubric, central.id if central else None), per_page=100, scalars=False)
    central_ids = {result.central_id for result, _school in page.items} - {None}
    names = dict(
        db.session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(central_ids))).all()
        if central_ids
        else []
    )
    links = {
        (result.id, item.code): (
            evidence_url(item.source, school, result)
            if item.source != ENTERED
            else url_for("assessment.school_sheet", year=rubric.year, school_id=school.id, _anchor=item.code)
        )
        for result, school in page.items
        for item in rubric.indicators
    }
    root = tenant_root()
    return render_template(
        "bureau/assessment/year.html",
        rubric=rubric,
        status=_status(rubric),
        page=page,
        centrals=centrals if len(centrals) > 1 else [],
        central=central,
        central_names=names,
        notice=notice,
        links=links,
        entered=[item for item in rubric.indicators if item.is_entered],
        may_compute=can("assessment.compute", root) and not rubric.is_closed,
        may_manage=can("assessment.manage", root),
        may_score=can("assessment.score") and not rubric.is_closed,
        may_export=_oversight_unit() is not None and rubric.computed_at is not None,
        own_school=_own_school(),
        reopen_form=reopen_form or ReopenForm(formdata=None),
        error=error,
        **LABELS,
    ), status


@require("read")
def show_year(year: int):
    """A year's results for the schools the user sees: ranks, points per indicator, total, grade."""
    return _render_year(_rubric_or_404(year))


def _compute_problem(rubric: Rubric) -> tuple[str, int] | None:
    if rubric.is_closed:
        return _closed_message(rubric), 409
    try:
        operations.period_for(rubric.year)
    except AssessmentError as error:
        return str(error), error.status
    rows = [{name: getattr(item, name) for name in operations.FIELDS} for item in rubric.indicators]
    weights = weight_problem([row["weight"] for row in rows if row["kind"] == "score"])
    if weights:
        return weights, 400
    for row in rows:
        problems = indicator_problems(row)
        if problems:
            return f"{row['code']}: {problems[0]}", 400
    return None


@require("assessment.compute")
def compute(year: int):
    """Have the year computed by the job (a preview through today while the year runs)."""
    _at_root("assessment.compute")
    rubric = _rubric_or_404(year)
    problem = _compute_problem(rubric)
    if problem:
        return _render_year(rubric, *problem)
    submit("assessment.compute", key=f"assessment:{year}", year=year)
    db.session.commit()
    flash(
        _("The %(year)s assessment is being computed; the results appear here in a minute.", year=year),
        "info",
    )
    return redirect(url_for("assessment.show_year", year=year))


@require("assessment.manage")
def close_year(year: int):
    """Freeze the year's results."""
    _at_root("assessment.manage")
    rubric = _rubric_or_404(year)
    try:
        operations.close_year(rubric)
        db.session.commit()
    except AssessmentError as error:
        db.session.rollback()
        return _render_year(rubric, str(error), error.status)
    flash(_("The %(year)s assessment is closed; its results are frozen.", year=year), "success")
    return redirect(url_for("assessment.show_year", year=year))


@require("assessment.manage")
def reopen_year(year: int):
    """Open a closed year again for corrections, with the reason (kept in the audit log)."""
    _at_root("assessment.manage")
    rubric = _rubric_or_404(year)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _render_year(rubric, status=400, reopen_form=form)
    try:
        operations.reopen_year(rubric, form.reason.data or "")
        db.session.commit()
    except AssessmentError as error:
        db.session.rollback()
        if error.field == "reason":
            form.reason.errors = [*form.reason.errors, str(error)]
            return _render_year(rubric, status=error.status, reopen_form=form)
        return _render_year(rubric, str(error), error.status, reopen_form=form)
    flash(_("The %(year)s assessment is open again.", year=year), "success")
    return redirect(url_for("assessment.show_year", year=year))


@require("read")
def export_workbook(year: int):
    """Download the year's results of the user's bureau or central school as Excel."""
    rubric = _rubric_or_404(year)
    unit = _oversight_unit()
    if unit is None:
        abort(403)  # the workbook is an oversight tool; a school reads its own sheet
    if rubric.computed_at is None:
        return _render_year(rubric, _("The %(year)s assessment has not been computed yet.", year=year), 409)
    data = assessment_workbook(rubric, unit)
    name = f"{unit.name}_{_('Annual assessment')}_{year}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=XLSX)


# --- the rubric ---------------------------------------------------------------------------------


def _rubric_form(rubric: Rubric) -> RubricForm:
    rows = [
        {
            "id": str(item.id),
            "code": item.code,
            "name": item.name,
            "weight": str(item.weight),
            "rule": item.rule,
            "params": settings_text(item.rule, item.params),
            "evidence": item.evidence,
        }
        for item in rubric.indicators
    ]
    bands = {name: number(rubric.bands.get(name)) for name in ("excellent", "good", "pass")}
    return RubricForm(
        formdata=None, rows=rows, excellent=bands["excellent"], good=bands["good"], passing=bands["pass"]
    )


def _render_rubric(
    rubric: Rubric,
    form: RubricForm | None = None,
    new_form: NewIndicatorForm | None = None,
    error: str = "",
    row_errors: dict[int, list[str]] | None = None,
    status: int = 200,
):
    form = form or _rubric_form(rubric)
    items = {str(item.id): item for item in rubric.indicators}
    entries = [(entry, items[entry.form.id.data]) for entry in form.rows if entry.form.id.data in items]
    may_edit = can("assessment.manage", tenant_root()) and not rubric.is_closed
    return render_template(
        "bureau/assessment/rubric.html",
        rubric=rubric,
        form=form,
        entries=entries,
        row_errors=row_errors or {},
        new_form=new_form or NewIndicatorForm(formdata=None),
        may_edit=may_edit,
        rules_for=rules_for,
        settings_keys=settings_keys,
        weights_total=sum(item.weight for item in rubric.indicators if item.kind == "score"),
        bands_words=bands_words(rubric.bands),
        error=error,
        **LABELS,
    ), status


@require("read")
def rubric(year: int):
    """The year's rubric: indicators, weights, rules and settings, grade bands (editable by the admin)."""
    return _render_rubric(_rubric_or_404(year))


def _whole_number(text: str) -> int:
    text = (text or "").strip()
    if not text.lstrip("-").isdigit():
        raise ValueError(text)
    return int(text)


def _row_changes(sub, item: Indicator) -> tuple[dict, list[str]]:
    """The fields a rubric form row changes (a field left out of the POST keeps its value)."""
    changes, errors = {}, []
    for name in ("code", "name", "evidence"):
        field = getattr(sub, name)
        if field.raw_data:
            changes[name] = (field.data or "").strip()
    if sub.weight.raw_data:
        text = (sub.weight.data or "").strip()
        if item.is_veto and text in ("", "0"):
            changes["weight"] = 0
        else:
            try:
                changes["weight"] = _whole_number(text)
            except ValueError:
                errors.append(
                    _("The weight must be a whole number from 0 to 100, not '%(value)s'.", value=text)
                )
    if sub.rule.raw_data:
        changes["rule"] = (sub.rule.data or "").strip()
    rule = changes.get("rule", item.rule)
    if sub.params.raw_data:
        changes["params"], found = parse_settings(sub.params.data, rule, item.source)
        errors += found
    return changes, errors


@require("assessment.manage")
def save_rubric(year: int):
    """Save every indicator and the grade bands at once, or nothing; results are rescored."""
    _at_root("assessment.manage")
    rubric = _rubric_or_404(year)
    form = RubricForm()
    if rubric.is_closed:
        return _render_rubric(rubric, form, error=_closed_message(rubric), status=409)
    items = {str(item.id): item for item in rubric.indicators}
    rows, row_errors, codes = {}, {}, {}
    for entry in form.rows:
        item = items.get(entry.form.id.data)
        if item is None:
            return _render_rubric(
                rubric,
                error=_("The form names an indicator this rubric does not have; reload it."),
                status=400,
            )
        rows[item.id], errors = _row_changes(entry.form, item)
        if errors:
            row_errors[item.id] = errors
        codes.setdefault(rows[item.id].get("code") or item.code, []).append(item.id)
    bands = {
        name: field.data if field.raw_data else rubric.bands.get(name)
        for name, field in (("excellent", form.excellent), ("good", form.good), ("pass", form.passing))
    }
    if row_errors:
        return _render_rubric(
            rubric, form, error=_("Some indicators need correcting."), row_errors=row_errors, status=400
        )
    try:
        operations.save_rubric(rubric, rows, bands)
        db.session.commit()
    except AssessmentError as error:
        db.session.rollback()
        for code, problems in error.problems.items():
            for item_id in codes.get(code, []):
                row_errors.setdefault(item_id, []).extend(problems)
        return _render_rubric(rubric, form, error=str(error), row_errors=row_errors, status=error.status)
    flash(_("The %(year)s rubric was saved and the results rescored.", year=year), "success")
    return redirect(url_for("assessment.rubric", year=year))


@require("assessment.manage")
def add_indicator(year: int):
    """Add an indicator at the end of the rubric (weight 0 unless given)."""
    _at_root("assessment.manage")
    rubric = _rubric_or_404(year)
    form = NewIndicatorForm()
    if rubric.is_closed:
        return _render_rubric(rubric, new_form=form, error=_closed_message(rubric), status=409)
    valid = form.validate_on_submit()
    try:
        weight = _whole_number(form.weight.data or "0")
    except ValueError:
        weight, valid = None, False
        form.weight.errors = [
            _("The weight must be a whole number from 0 to 100, not '%(value)s'.", value=form.weight.data)
        ]
    params, found = parse_settings(form.params.data or "", form.rule.data, form.source.data)
    if found:
        form.params.errors, valid = found, False
    if not valid:
        return _render_rubric(
            rubric, new_form=form, error=_("The new indicator needs correcting."), status=400
        )
    row = {
        "code": (form.code.data or "").strip(),
        "name": (form.name.data or "").strip(),
        "kind": form.kind.data,
        "source": form.source.data,
        "rule": form.rule.data,
        "weight": weight,
        "params": params,
        "evidence": (form.evidence.data or "").strip(),
    }
    try:
        item = operations.add_indicator(rubric, row)
        db.session.commit()
    except AssessmentError as error:
        db.session.rollback()
        return _render_rubric(rubric, new_form=form, error=str(error), status=error.status)
    flash(_("Indicator %(code)s added.", code=item.code), "success")
    _weights_warning(rubric)
    return redirect(url_for("assessment.rubric", year=year, _anchor=f"indicator-{item.code}"))


@require("assessment.manage")
def delete_indicator(year: int, indicator_id: int):
    """Take an indicator out of the rubric, with its entered scores."""
    _at_root("assessment.manage")
    rubric = _rubric_or_404(year)
    item = next((item for item in rubric.indicators if item.id == indicator_id), None)
    if item is None:
        abort(404)
    code = item.code
    try:
        operations.remove_indicator(item)
        db.session.commit()
    except AssessmentError as error:
        db.session.rollback()
        return _render_rubric(rubric, error=str(error), status=error.status)
    flash(_("Indicator %(code)s removed.", code=code), "success")
    _weights_warning(rubric)
    return redirect(url_for("assessment.rubric", year=year))


# --- entered scores -----------------------------------------------------------------------------


def _entered_indicator(rubric: Rubric, code: str) -> Indicator:
    item = rubric.indicator(code)
    if item is None or not item.is_entered:
        abort(404)
    return item


def _scorable_schools(rubric: Rubric) -> list[OrgUnit]:
    """The schools assessed in the year (or holding a result of it) that the user may score, in tree order."""
    period = Period(year=rubric.year, last=date(rubric.year, 12, 31), today=tenant_today())
    schools = {school.id: school for school in operations.schools_assessed(period)}
    with_results = (
        select(OrgUnit).join(Result, Result.org_unit_id == OrgUnit.id).where(Result.rubric_id == rubric.id)
    )
    schools.update({school.id: school for school in db.session.scalars(with_results)})
    return [
        school
        for school in sorted(schools.values(), key=lambda unit: unit.path)
        if sees_org(school) and can("assessment.score", school)
    ]


def _render_scores(rubric: Rubric, item: Indicator, form=None, errors=None, error="", status=200):
    scorable = _scorable_schools(rubric)
    schools = scorable
    central_ids = {school.parent_id for school in schools if school.level == 3}
    centrals = db.session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_(central_ids)).order_by(OrgUnit.path)
    ).all()
    central, notice = _central_arg(centrals)
    if central is not None:
        schools = [school for school in schools if school.parent_id == central.id]
    if form is None:
        found = entered_scores(item, [school.id for school in schools])
        rows = [
            {
                "school_id": str(school.id),
                "value": number(found[school.id].value) if school.id in found else "",
                "comment": found[school.id].comment if school.id in found else "",
            }
            for school in schools
        ]
        form = ScoresForm(formdata=None, rows=rows)
    by_id = {str(school.id): school for school in scorable}
    entries = [
        (entry, by_id[entry.form.school_id.data]) for entry in form.rows if entry.form.school_id.data in by_id
    ]
    return render_template(
        "bureau/assessment/scores.html",
        rubric=rubric,
        item=item,
        form=form,
        entries=entries,
        centrals=centrals if len(centrals) > 1 else [],
        central=central,
        notice=notice,
        errors=errors or {},
        may_edit=not rubric.is_closed,
        top=float(item.params.get("max") or 100),
        error=error,
        **LABELS,
    ), status


@require("assessment.score")
def scores(year: int, code: str):
    """An entered indicator's form: a value and a comment for every school the user may score."""
    rubric = _rubric_or_404(year)
    return _render_scores(rubric, _entered_indicator(rubric, code))


def _unchanged(found, value: str, comment: str) -> bool:
    if found is None:
        return value == ""
    return value == number(found.value) and comment == (found.comment or "")


@require("assessment.score")
def save_scores(year: int, code: str):
    """Check every row, then save them all (or none) and rescore the year."""
    rubric = _rubric_or_404(year)
    item = _entered_indicator(rubric, code)
    form = ScoresForm()
    if rubric.is_closed:
        return _render_scores(rubric, item, form, error=_closed_message(rubric), status=409)
    allowed = {str(school.id): school for school in _scorable_schools(rubric)}
    rows = []
    for entry in form.rows:
        school = allowed.get(entry.form.school_id.data or "")
        if school is None:
            abort(404)  # a school outside the user's reach: nothing is written
        rows.append((entry, school))
    found = entered_scores(item, [school.id for _entry, school in rows])
    errors: dict[int, str] = {}
    changed = 0
    for entry, school in rows:
        value, comment = (entry.form.value.data or "").strip(), (entry.form.comment.data or "").strip()
        if _unchanged(found.get(school.id), value, comment):
            continue
        try:
            operations.enter_score(item, school, value, comment)
            changed += 1
        except AssessmentError as problem:
            errors[school.id] = _("%(school)s: %(problem)s", school=school.name, problem=problem)
    if errors:
        db.session.rollback()
        return _render_scores(
            rubric, item, form, errors, _("Nothing was saved: correct the rows marked below."), status=400
        )
    if changed:
        operations.rescore(rubric)
        db.session.commit()
    flash(_("%(num)d score(s) saved.", num=changed), "success")
    central = request.args.get("central", "")
    return redirect(url_for("assessment.scores", year=year, code=code, central=central or None))


# --- a school's sheet ---------------------------------------------------------------------------


def _same_central(result: Result):
    if result.central_id is None:
        return Result.central_id.is_(None)
    return Result.central_id == result.central_id


def _count_results(rubric: Rubric, *where) -> int:
    return db.session.scalar(select(func.count(Result.id)).where(Result.rubric_id == rubric.id, *where)) or 0


@require("read")
def school_sheet(year: int, school_id: int):
    """One school's assessment, printable: its figures, the rules in words, points, total, grade, ranks."""
    school = get_school_or_404(school_id)
    if school.kind in NOT_ASSESSED:
        abort(404)
    rubric = _rubric_or_404(year)
    result = result_of(rubric, school)
    central_id = result.central_id if result else (school.parent_id if school.level == 3 else None)
    central = db.session.get(OrgUnit, central_id) if central_id else None
    lines = []
    for item in rubric.indicators:
        detail = (result.details or {}).get(item.code) if result else None
        lines.append(
            {
                "item": item,
                "detail": detail,
                "counts": counts_words(item.source, (detail or {}).get("counts") or {}),
                "working": working(item, detail) if result else "",
                "links": evidence_links(item.source, school, result) if result else [],
            }
        )
    return render_template(
        "bureau/assessment/sheet.html",
        rubric=rubric,
        school=school,
        central=central,
        result=result,
        lines=lines,
        scored=[line for line in lines if not line["item"].is_veto],
        vetoes=[line for line in lines if line["item"].is_veto],
        schools_in_tenant=_count_results(rubric) if result else 0,
        schools_in_central=_count_results(rubric, _same_central(result)) if result else 0,
        bands_words=bands_words(rubric.bands),
        crumbs=breadcrumbs(school),
        sources=SOURCES,
        today=tenant_today(),
        **LABELS,
    )
