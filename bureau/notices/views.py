"""Notice pages: the list, issuing, the notice with its answers, answering, deciding, printing."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bureau.notices import access, operations
from bureau.notices.codes import STATUS_LABELS
from bureau.notices.forms import AnswerForm, DecisionForm, NoticeForm
from bureau.notices.models import AWAITING_ANSWER, NOTICE_STATUSES, Notice, NoticeAttachment
from bureau.notices.queries import (
    NoticeFilters,
    hazards_to_list,
    notice_list,
    notice_years,
    school_filter_choices,
    target_schools,
)
from schools.files import send_stored
from schools.hazards.codes import LEVELS, STATUSES
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.scoping import current_tenant_id
from tenancy.settings.store import tenant_today
from tenancy.ui import int_arg, paginate
from tenancy.web import form_status, require

CODES = {"levels": LEVELS, "hazard_statuses": STATUSES, "notice_statuses": STATUS_LABELS}


def load_notice(notice_id: int) -> Notice:
    """Load a notice the user may read (sent to a school they see, or issued by their level), else 404."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.tenant_id != current_tenant_id() or not access.sees_notice(notice):
        abort(404)
    return notice


def _field_error(form, error: operations.NoticeError, default: str) -> None:
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, str(error)]


@require("read")
def list_notices():
    """Notices issued by my level or sent to my school(s): filter by status, year, school, overdue."""
    today = tenant_today()
    filters = NoticeFilters.from_args(request.args)
    page = paginate(notice_list(filters, today))
    return render_template(
        "bureau/notices/list.html",
        page=page,
        filters=filters,
        today=today,
        years=notice_years(),
        schools=school_filter_choices(),
        statuses=NOTICE_STATUSES,
        can_issue=bool(access.issuing_units()),
        **CODES,
    )


@require("notice.issue")
def new_notice():
    """Issue a notice: first pick the school, then list its hazards, the deadline and the requirements."""
    units = access.issuing_units()
    if not units:
        abort(403)
    school_id = int_arg("school_id", 0, 0, 2**31 - 1)
    if not school_id:
        groups = [(unit, db.session.execute(target_schools(unit)).all()) for unit in units]
        return render_template("bureau/notices/pick_school.html", groups=groups)
    school = get_school_or_404(school_id)
    issuers = [unit for unit in units if access.may_issue(unit, school)]
    if not issuers:
        abort(404)  # a school outside the user's issuing reach is not theirs to know about
    hazards = hazards_to_list(school)
    form = NoticeForm()
    form.issuer_unit_id.choices = [(unit.id, unit.name) for unit in issuers]
    form.hazard_ids.choices = [(hazard.id, hazard.description) for hazard in hazards]
    if request.method == "GET":
        form.issuer_unit_id.data = issuers[0].id
        form.deadline.data = tenant_today() + timedelta(days=14)
        form.title.data = _("Notice on rectifying safety hazards at %(school)s", school=school.name)
        wanted = {int(v) for v in request.args.getlist("hazard_id") if v.isdigit()}
        form.hazard_ids.data = [hazard.id for hazard in hazards if hazard.id in wanted]
    if form.validate_on_submit():
        issuer = next((unit for unit in issuers if unit.id == form.issuer_unit_id.data), None)
        try:
            if issuer is None:
                raise operations.NoticeError(_("Choose who issues the notice."), "issuer_unit_id")
            notice = operations.issue_notice(
                issuer,
                school,
                form.hazard_ids.data,
                form.deadline.data,
                form.title.data,
                form.body.data,
                current_user,
            )
            db.session.commit()
            flash(
                _("Notice %(label)s issued to %(school)s.", label=notice.label, school=school.name), "success"
            )
            return redirect(url_for("notices.show_notice", notice_id=notice.id))
        except operations.NoticeError as error:
            db.session.rollback()
            _field_error(form, error, "body")
    status = form_status()
    return render_template(
        "bureau/notices/form.html",
        form=form,
        school=school,
        hazards=hazards,
        chosen=set(form.hazard_ids.data or []),
        today=tenant_today(),
        **CODES,
    ), status


@require("read")
def show_notice(notice_id: int):
    """A notice with its hazards, every answer and decision, and what the user may do now."""
    notice = load_notice(notice_id)
    return render_template(
        "bureau/notices/detail.html",
        notice=notice,
        today=tenant_today(),
        can_answer=access.may_answer(notice) and notice.status in AWAITING_ANSWER,
        can_decide=access.may_decide(notice) and notice.status == "answered",
        decision_form=DecisionForm(),
        **CODES,
    )


@require("read")
def answer_notice(notice_id: int):
    """The school answers: the measures it took, with photos or PDF files."""
    notice = load_notice(notice_id)
    if not access.may_answer(notice):
        abort(403)
    if notice.status not in AWAITING_ANSWER:
        flash(_("This notice is not waiting for an answer."), "info")
        return redirect(url_for("notices.show_notice", notice_id=notice.id))
    form = AnswerForm()
    status = 200
    if form.validate_on_submit():
        files = [
            (upload.filename, upload.read()) for upload in form.files.data or [] if upload and upload.filename
        ]
        try:
            operations.answer_notice(notice, form.measures.data, files, current_user)
            db.session.commit()
            flash(_("Your answer to %(label)s was sent.", label=notice.label), "success")
            return redirect(url_for("notices.show_notice", notice_id=notice.id))
        except operations.NoticeError as error:
            db.session.rollback()
            status = 409 if isinstance(error, operations.NoticeConflict) else 400
            _field_error(form, error, "measures")
    elif request.method == "POST":
        status = 400
    return render_template("bureau/notices/answer.html", form=form, notice=notice, **CODES), status


@require("read")
def decide_notice(notice_id: int):
    """The issuing level accepts the school's answer, or rejects it with a reason."""
    notice = load_notice(notice_id)
    if not access.may_decide(notice):
        abort(403)
    if notice.status != "answered":
        flash(_("There is no answer to decide on."), "info")
        return redirect(url_for("notices.show_notice", notice_id=notice.id))
    form = DecisionForm()
    status = 200
    if form.validate_on_submit():
        accept = form.decision.data == "accept"
        try:
            operations.decide(notice, accept, form.comment.data or "", current_user)
            db.session.commit()
            message = _("Answer accepted; the notice is closed.") if accept else _("Answer rejected.")
            flash(message, "success")
            return redirect(url_for("notices.show_notice", notice_id=notice.id))
        except operations.NoticeError as error:
            db.session.rollback()
            status = 409 if isinstance(error, operations.NoticeConflict) else 400
            _field_error(form, error, "comment")
    elif request.method == "POST":
        status = 400
    return render_template("bureau/notices/decide.html", form=form, notice=notice, **CODES), status


@require("read")
def print_notice(notice_id: int):
    """The notice on one A4 sheet in the official layout (隐患整改通知书), with its receipt stub."""
    notice = load_notice(notice_id)
    return render_template("bureau/notices/print.html", notice=notice, **CODES)


@require("read")
def download_attachment(attachment_id: int):
    """Serve a file of an answer to those who may read the notice."""
    item = db.session.get(NoticeAttachment, attachment_id)
    if item is None or item.tenant_id != current_tenant_id():
        abort(404)
    load_notice(item.notice_id)
    return send_stored(
        operations.attachment_path(item),
        mimetype=item.content_type,
        download_name=item.original_name,
        as_attachment=item.content_type == "application/pdf",
    )
