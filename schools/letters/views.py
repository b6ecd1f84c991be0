"""Letter pages: the overview of a unit's year (issued letters, gaps, issue to all), a letter with
its history (sign, scan, re-sign), and a school's in-school letters with its targets."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from schools.files import send_stored
from schools.letters import operations
from schools.letters.forms import IssueForm, ResignForm, ScanForm, SchoolLetterForm, SignForm, TargetForm
from schools.letters.models import SCHOOL_TIERS, STATUSES, TIERS, UNIT_TIERS, Letter
from schools.letters.queries import history, issued_by, letter_rows, school_letters, target_of
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today
from tenancy.ui import Page, int_arg
from tenancy.web import require

LABELS = {"tiers": TIERS, "statuses": STATUSES, "unit_tiers": UNIT_TIERS, "school_tiers": SCHOOL_TIERS}


def _year() -> int:
    return int_arg("year", tenant_today().year, 2000, 2100)


def _form_year(value) -> int:
    try:
        return operations.check_year(int(value))
    except (TypeError, ValueError):
        raise operations.LetterError(_("Give a year between 2000 and 2100."), "year") from None


def _show_error(form, error: operations.LetterError) -> str:
    """Put the error next to its field when the form has it; otherwise return it for the page top."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
        return ""
    return str(error)


def _overview_unit() -> OrgUnit:
    """The unit asked for (?unit_id=), else the highest unit where the user holds a role."""
    unit_id = request.args.get("unit_id", "")
    if unit_id:
        return get_scoped_or_404(OrgUnit, int(unit_id) if unit_id.isdigit() else None)
    return min((grant.org_unit for grant in current_user.grants), key=lambda unit: (len(unit.path), unit.id))


def _issues_to_units(unit: OrgUnit) -> bool:
    return unit.kind in ("bureau", "central")


def _render_overview(unit: OrgUnit, year: int, form: IssueForm | None = None, error: str = "", status=200):
    rows = letter_rows(unit, year)
    only_gaps = request.args.get("gaps") == "1"
    shown = [row for row in rows if row.gaps] if only_gaps else rows
    number = int_arg("page", 1, 1, 10**6)
    per_page = 100
    page = Page(shown[(number - 1) * per_page : number * per_page], len(shown), number, per_page)
    totals = {tier: [0, 0] for tier in TIERS}  # tier → [required, signed]
    for row in rows:
        if row.tier:
            totals[row.tier][0] += 1
            totals[row.tier][1] += row.upward_status == "signed"
        for tier, count in row.school_tiers.items():
            totals[tier][0] += count.required
            totals[tier][1] += min(count.signed, count.required)
    may_issue = _issues_to_units(unit) and can("letter.manage", unit)
    if form is None:
        form = IssueForm(formdata=None, year=year, issuer_id=unit.id, issued_on=tenant_today())
    return render_template(
        "schools/letters/overview.html",
        unit=unit,
        crumbs=breadcrumbs(unit),
        year=year,
        page=page,
        only_gaps=only_gaps,
        gap_count=sum(1 for row in rows if row.gaps),
        totals=totals,
        issued=issued_by(unit, year) if _issues_to_units(unit) else [],
        may_issue=may_issue,
        pending=len(operations.units_needing_letter(unit, year)) if may_issue else 0,
        form=form,
        error=error,
        **LABELS,
    ), status


@require("read")
def overview():
    """A unit's letters of a year: those it issued, every unit below with its status, the gaps."""
    return _render_overview(_overview_unit(), _year())


@require("letter.manage")
def issue():
    """Issue the year's letter to one unit below (receiver_id) or to every unit below without one."""
    form = IssueForm()
    issuer = get_scoped_or_404(OrgUnit, form.issuer_id.data, permission="letter.manage")
    year = form.year.data if isinstance(form.year.data, int) else tenant_today().year
    if not form.validate_on_submit():
        return _render_overview(issuer, year, form, status=400)
    try:
        if form.receiver_id.data:
            receiver = get_scoped_or_404(OrgUnit, form.receiver_id.data)
            tier = operations.unit_tier(receiver)
            issuer_of = operations.issuer_for(receiver, tier) if tier else None
            if issuer_of is None or issuer_of.id != issuer.id:
                raise operations.LetterError(
                    _(
                        "%(unit)s does not receive its letter from %(issuer)s.",
                        unit=receiver.name,
                        issuer=issuer.name,
                    ),
                    "receiver_id",
                )
            letters = [
                operations.issue_letter(
                    receiver, year, tier, issued_on=form.issued_on.data, user=current_user
                )
            ]
        else:
            letters = operations.issue_to_all(issuer, year, form.issued_on.data, current_user)
        db.session.commit()
    except operations.LetterError as error:
        db.session.rollback()
        return _render_overview(issuer, year, form, _show_error(form, error), status=error.status)
    if letters:
        flash(_("%(n)d letters issued.", n=len(letters)), "success")
    else:
        flash(_("Every unit below already has a letter for %(year)d.", year=year), "info")
    return redirect(url_for("letters.overview", unit_id=issuer.id, year=year))


def _show(letter: Letter, forms: dict | None = None, error: str = "", status: int = 200):
    forms = forms or {}
    may_sign = operations.may_sign(letter)
    return render_template(
        "schools/letters/show.html",
        letter=letter,
        crumbs=breadcrumbs(letter.unit),
        history=history(letter),
        may_sign=may_sign,
        sign_form=forms.get("sign")
        or SignForm(
            formdata=None,
            signed_on=tenant_today(),
            signer_name=letter.signer_name,
            signer_post=letter.signer_post,
        ),
        scan_form=forms.get("scan") or ScanForm(formdata=None),
        resign_form=forms.get("resign")
        or ResignForm(
            formdata=None, prefix="resign", issued_on=tenant_today(), signer_post=letter.signer_post
        ),
        error=error,
        **LABELS,
    ), status


def _letter_to_change(letter_id: int) -> Letter:
    letter = get_scoped_or_404(Letter, letter_id)
    if not operations.may_sign(letter):
        abort(403)
    return letter


@require("read")
def show_letter(letter_id: int):
    """A letter: who issued it to whom, its signature and scan, the letters it replaced or that replaced it."""
    return _show(get_scoped_or_404(Letter, letter_id))


def _act(letter: Letter, key: str, form, action):
    """Validate the form, run the operation, commit once; show the page again with the errors."""
    if not form.validate_on_submit():
        return _show(letter, {key: form}, status=400)
    try:
        result = action()
        db.session.commit()
    except operations.LetterError as error:
        db.session.rollback()
        db.session.refresh(letter)
        return _show(letter, {key: form}, _show_error(form, error), status=error.status)
    return result


def _upload(field):
    data = field.data
    return (data.read(), data.filename) if data and getattr(data, "filename", "") else None


@require("letter.manage")
def sign_letter(letter_id: int):
    """Record the signature (date, signer) and, when given, the scan."""
    letter = _letter_to_change(letter_id)
    form = SignForm()

    def action():
        operations.sign_letter(
            letter,
            signed_on=form.signed_on.data,
            signer_name=form.signer_name.data,
            signer_post=form.signer_post.data or "",
            scan=_upload(form.scan),
            user=current_user,
        )
        flash(_("Signature recorded."), "success")
        return redirect(url_for("letters.show_letter", letter_id=letter.id))

    return _act(letter, "sign", form, action)


@require("letter.manage")
def upload_scan(letter_id: int):
    """Attach (or replace) the scan of the signed letter."""
    letter = _letter_to_change(letter_id)
    form = ScanForm()

    def action():
        data, filename = _upload(form.scan)
        operations.attach_scan(letter, data, filename, current_user)
        flash(_("Scan uploaded."), "success")
        return redirect(url_for("letters.show_letter", letter_id=letter.id))

    return _act(letter, "scan", form, action)


@require("read")
def download_scan(letter_id: int):
    """Serve a letter's scan to users who can see the letter."""
    letter = get_scoped_or_404(Letter, letter_id)
    if not letter.has_scan:
        abort(404)
    return send_stored(
        operations.scan_path(letter),
        mimetype=letter.scan_content_type,
        download_name=letter.scan_original_name,
        as_attachment=letter.scan_content_type == "application/pdf",
    )


@require("letter.manage")
def resign_letter(letter_id: int):
    """The responsible person changed: supersede this letter and issue one to the new signer."""
    letter = _letter_to_change(letter_id)
    form = ResignForm(prefix="resign")

    def action():
        new = operations.resign_letter(
            letter,
            signer_name=form.signer_name.data,
            signer_post=form.signer_post.data or "",
            issued_on=form.issued_on.data,
            note=form.note.data or "",
            user=current_user,
        )
        flash(
            _(
                "A new letter was issued to %(name)s; the old one is kept as superseded.",
                name=new.signer_name,
            ),
            "success",
        )
        return redirect(url_for("letters.show_letter", letter_id=new.id))

    return _act(letter, "resign", form, action)


def _school(school_id: int, permission: str | None = None) -> OrgUnit:
    school = get_school_or_404(school_id, permission=permission)
    if not operations.is_school(school):
        abort(404)  # grade groups sign through their school
    return school


def _render_school(school: OrgUnit, year: int, letter_form=None, target_form=None, error="", status=200):
    target = target_of(school, year)
    row = next((r for r in letter_rows(school, year) if r.unit.id == school.id), None)
    if target_form is None:
        target_form = TargetForm(
            formdata=None,
            year=year,
            staff_count=target.staff_count if target else None,
            class_count=target.class_count if target else None,
        )
    return render_template(
        "schools/letters/school.html",
        school=school,
        crumbs=breadcrumbs(school),
        year=year,
        row=row,
        target=target,
        letters=school_letters(school, year),
        may_manage=can("letter.manage", school),
        letter_form=letter_form or SchoolLetterForm(formdata=None, year=year, issued_on=tenant_today()),
        target_form=target_form,
        error=error,
        **LABELS,
    ), status


@require("read")
def school_letters_page(school_id: int):
    """A school's letters of a year: its upward letter, principal → staff and head teacher → class."""
    return _render_school(_school(school_id), _year())


@require("letter.manage")
def add_school_letter(school_id: int):
    """Issue an in-school letter to a staff member, department or class."""
    school = _school(school_id, permission="letter.manage")
    form = SchoolLetterForm()
    try:
        year = _form_year(form.year.data)
    except operations.LetterError as error:
        return _render_school(school, tenant_today().year, form, error=str(error), status=400)
    if not form.validate_on_submit():
        return _render_school(school, year, form, status=400)
    try:
        letter = operations.issue_letter(
            school,
            year,
            form.tier.data,
            issued_on=form.issued_on.data,
            signer_label=form.signer_label.data,
            signer_name=form.signer_name.data or "",
            signer_post=form.signer_post.data or "",
            user=current_user,
        )
        db.session.commit()
    except operations.LetterError as error:
        db.session.rollback()
        return _render_school(school, year, form, error=_show_error(form, error), status=error.status)
    flash(_("Letter issued to %(name)s.", name=letter.signer_label), "success")
    return redirect(url_for("letters.school_letters", school_id=school.id, year=year))


@require("letter.manage")
def save_targets(school_id: int):
    """Declare how many staff and classes sign in-school letters this year."""
    school = _school(school_id, permission="letter.manage")
    form = TargetForm()
    try:
        year = _form_year(form.year.data)
    except operations.LetterError as error:
        return _render_school(school, tenant_today().year, target_form=form, error=str(error), status=400)
    if not form.validate_on_submit():
        return _render_school(school, year, target_form=form, status=400)
    try:
        operations.save_target(school, year, form.staff_count.data, form.class_count.data, current_user)
        db.session.commit()
    except operations.LetterError as error:
        db.session.rollback()
        return _render_school(school, year, target_form=form, error=_show_error(form, error), status=400)
    flash(_("Targets saved."), "success")
    return redirect(url_for("letters.school_letters", school_id=school.id, year=year))
