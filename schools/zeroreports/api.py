"""/api/v1 endpoints of zeroreports: windows (list, open, read with completeness) and daily reports."""

from datetime import time

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user

from schools.units import get_school_or_404
from schools.zeroreports import operations, queries
from schools.zeroreports.models import ZeroReport, ZeroReportWindow
from schools.zeroreports.schemas import (
    CompletenessSchema,
    ReportCreateSchema,
    ReportQuerySchema,
    ReportSchema,
    WindowCreateSchema,
    WindowDetailSchema,
    WindowQuerySchema,
    WindowSchema,
)
from tenancy.api.base import ApiError, documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today


@documented(
    summary="List the zero-report windows the caller sees (the bureau: all; below: those covering its schools)",
    response=WindowSchema(),
    query=WindowQuerySchema(),
    paginated=True,
)
def list_zero_report_windows():
    args = load_args(WindowQuerySchema())
    query = queries.visible_windows()
    if "status" in args:
        query = query.where(ZeroReportWindow.status == args["status"])
    return paginated(
        query.order_by(ZeroReportWindow.starts_on.desc(), ZeroReportWindow.id.desc()), WindowSchema()
    )


@documented(
    summary="Switch on a daily zero-report window (bureau admin/staff); it starts today or later; "
    "a target unit id outside the tenant is a 404",
    response=WindowSchema(),
    body=WindowCreateSchema(),
    permission="zeroreport.manage",
)
def create_zero_report_window():
    values = WindowCreateSchema().load(json_body())
    if values["bureau_id"] is not None:
        bureau = get_scoped_or_404(OrgUnit, values["bureau_id"], permission="zeroreport.manage")
        if bureau.level != 1:
            message = _("Windows are opened by the bureau: give the bureau's id.")
            raise ApiError(400, "invalid", message, {"bureau_id": [message]})
    units = None
    if values["target_unit_ids"] is not None:
        # Like every id in a body: a unit of another tenant (or none at all) is a 404.
        units = [get_scoped_or_404(OrgUnit, unit_id) for unit_id in dict.fromkeys(values["target_unit_ids"])]
    hours, minutes = map(int, values["deadline"].split(":"))
    try:
        window = operations.open_window(
            title=values["title"],
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
            deadline=time(hours, minutes),
            items=values["items"],
            target_units=units,
            note=values["note"],
            user=current_user,
        )
    except operations.ZeroReportError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return WindowSchema().dump(window), 201


@documented(
    summary="One window with its completeness so far for the caller's schools", response=WindowDetailSchema()
)
def get_zero_report_window(window_id: int):
    window = queries.get_window_or_404(window_id)
    table = queries.completeness_in_scope(window, queries.window_days(window, tenant_today()))
    summary = table.summary() | {"by_day": table.totals}
    return WindowSchema().dump(window) | {"completeness": CompletenessSchema().dump(summary)}


@documented(
    summary="List daily reports of the caller's schools (filter by window, school, day)",
    response=ReportSchema(),
    query=ReportQuerySchema(),
    paginated=True,
)
def list_zero_reports():
    args = load_args(ReportQuerySchema())
    if "school_id" in args:
        get_school_or_404(args["school_id"])
    if "window_id" in args:
        queries.get_window_or_404(args["window_id"])
    query = queries.filter_reports(
        queries.visible_reports(),
        window_id=args.get("window_id"),
        school_id=args.get("school_id"),
        day=args.get("day"),
    )
    return paginated(
        query.order_by(ZeroReport.day.desc(), ZeroReport.org_unit_id, ZeroReport.id), ReportSchema()
    )


@documented(
    summary="Report (201) or correct (200) a school's counts for a day; after the deadline it is marked late",
    response=ReportSchema(),
    body=ReportCreateSchema(),
)
def create_zero_report():
    values = ReportCreateSchema().load(json_body())
    school = get_school_or_404(values["school_id"], permission="zeroreport.submit")
    window = queries.get_window_or_404(values["window_id"])
    try:
        report, created = operations.submit_report(
            window, school, values["day"], values["values"], values["note"], user=current_user
        )
    except operations.ZeroReportError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return ReportSchema().dump(report), 201 if created else 200


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/zero-report-windows", view_func=list_zero_report_windows, methods=["GET"])
    bp.add_url_rule(
        "/zero-report-windows",
        endpoint="create_zero_report_window",
        view_func=create_zero_report_window,
        methods=["POST"],
    )
    bp.add_url_rule("/zero-report-windows/<int:window_id>", view_func=get_zero_report_window, methods=["GET"])
    bp.add_url_rule("/zero-reports", view_func=list_zero_reports, methods=["GET"])
    bp.add_url_rule(
        "/zero-reports", endpoint="create_zero_report", view_func=create_zero_report, methods=["POST"]
    )
