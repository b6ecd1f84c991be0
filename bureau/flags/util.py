"""Labels of flag kinds and links from a flag to the record it is about."""

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

KIND_LABELS = {
    "report_overdue": _l("Monthly report overdue"),
    "hazard_overdue": _l("Rectification overdue"),
    "major_unverified": _l("Major hazard not verified"),
    "grid_blind_spot": _l("Grid blind spot"),
    "notice_unanswered": _l("Notice unanswered past its deadline"),
    "drill_missed": _l("Required drill missed"),
    "incident_late": _l("Incident reported late"),
    "duty_gap": _l("Duty roster gap"),
    "zero_report_missing": _l("Zero-report missing"),
}


def kind_label(kind: str) -> str:
    """Return the reader's-language name of a flag kind."""
    return str(KIND_LABELS.get(kind, kind))


def _first_url(candidates: list[tuple[str, dict]], fallback: str) -> str:
    """Build the first endpoint that exists (features are added over time), else a plain URL."""
    for endpoint, values in candidates:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, **values)
            except BuildError:
                continue
    return fallback


def reports_url(school_id: int, period: str | None = None) -> str:
    """Return the page of a school's monthly reports (optionally for one month)."""
    values = {"school_id": school_id} | ({"period": period} if period else {})
    return _first_url([("submissions.list_reports", values)], f"/schools/{school_id}/reports/")


def notice_url(notice_id: int) -> str:
    """Return the page of a rectification notice."""
    return _first_url([("notices.show_notice", {"notice_id": notice_id})], f"/notices/{notice_id}")


def subject_url(subject: str, org_unit_id: int) -> str | None:
    """Return the page of what a flag is about: the hazard, the month's reports, the cell, the notice."""
    prefix, _sep, value = subject.partition(":")
    if prefix == "hazard" and value.isdigit():
        return url_for("hazards.show_hazard", hazard_id=int(value))
    if prefix == "cell" and value.isdigit():
        return url_for("grid.show_cell", school_id=org_unit_id, cell_id=int(value))
    if prefix == "period":
        return reports_url(org_unit_id, value)
    if prefix == "notice" and value.isdigit():
        return notice_url(int(value))
    return _feature_url(prefix, value, org_unit_id)


def _feature_url(prefix: str, value: str, org_unit_id: int) -> str | None:
    """Pages of the other safety work (schools/drills, incidents, duty, zeroreports)."""
    if prefix == "drills":
        return _first_url(
            [("drills.calendar", {"school_id": org_unit_id})], f"/schools/{org_unit_id}/drills/"
        )
    if prefix == "incident" and value.isdigit():
        return _first_url([("incidents.show_incident", {"incident_id": int(value)})], f"/incidents/{value}")
    if prefix == "duty":
        return _first_url([("duty.roster", {"school_id": org_unit_id})], f"/schools/{org_unit_id}/duty/")
    if prefix == "zeroreport":
        return _first_url(
            [("zeroreports.school_days", {"school_id": org_unit_id})], f"/zero-reports/schools/{org_unit_id}"
        )
    return None
