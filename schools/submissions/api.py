"""/api/v1/submissions: list, read and submit monthly reports; review them."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user

from schools.submissions import operations
from schools.submissions.models import Submission
from schools.submissions.queries import filter_submissions, visible_submissions
from schools.submissions.schemas import (
    ReviewSchema,
    SubmissionCreateSchema,
    SubmissionQuerySchema,
    SubmissionSchema,
)
from schools.units import get_school_or_404
from tenancy.api.base import ApiError, documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List monthly reports in scope (every version)",
    response=SubmissionSchema(),
    query=SubmissionQuerySchema(),
    paginated=True,
)
def list_submissions():
    args = load_args(SubmissionQuerySchema())
    query = visible_submissions()
    if "school_id" in args:
        get_school_or_404(args["school_id"])
    query = filter_submissions(
        query, status=args.get("status", ""), period=args.get("period", ""), school_id=args.get("school_id")
    )
    return paginated(
        query.order_by(Submission.period.desc(), Submission.org_unit_id, Submission.version.desc()),
        SubmissionSchema(),
    )


@documented(
    summary="Submit a month's report (its figures are frozen now); 409 while one waits or is approved",
    response=SubmissionSchema(),
    body=SubmissionCreateSchema(),
)
def create_submission():
    values = SubmissionCreateSchema().load(json_body())
    school = get_school_or_404(values["school_id"], permission="report.submit")
    try:
        period = operations.parse_period(values["period"])
        submission = operations.submit_report(school, period, values["narrative"], current_user)
    except operations.SubmissionError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return SubmissionSchema().dump(submission), 201


@documented(summary="One monthly report with its frozen figures", response=SubmissionSchema())
def get_submission(submission_id: int):
    return SubmissionSchema().dump(get_scoped_or_404(Submission, submission_id))


@documented(
    summary="Approve a report, or return it with a comment; 409 when someone else reviewed it first",
    response=SubmissionSchema(),
    body=ReviewSchema(),
)
def review_submission(submission_id: int):
    submission = get_scoped_or_404(Submission, submission_id)
    if not operations.may_review(submission, current_user):
        raise ApiError(403, "forbidden", _("You are not a reviewer of this report."))
    values = ReviewSchema().load(json_body())
    try:
        operations.review(submission, values["decision"], values["comment"], current_user)
    except operations.SubmissionError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return SubmissionSchema().dump(submission)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/submissions", view_func=list_submissions, methods=["GET"])
    bp.add_url_rule(
        "/submissions", endpoint="create_submission", view_func=create_submission, methods=["POST"]
    )
    bp.add_url_rule("/submissions/<int:submission_id>", view_func=get_submission, methods=["GET"])
    bp.add_url_rule("/submissions/<int:submission_id>/review", view_func=review_submission, methods=["POST"])
