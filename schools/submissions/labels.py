"""Readable names of report statuses, timeliness and the snapshot's measures."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "submitted": _l("Waiting for review"),
    "returned": _l("Returned"),
    "approved": _l("Approved"),
}

TIMELINESS_LABELS = {
    "on_time": _l("On time"),
    "late": _l("Late"),
    "overdue": _l("Past due"),
}

MEASURE_LABELS = {
    "found": _l("Found in the month"),
    "rectified": _l("Rectified in the month"),
    "verified": _l("Verified in the month"),
    "open": _l("Open at month end"),
    "overdue": _l("Overdue at month end"),
}

DECISION_LABELS = {
    "approve": _l("Approve"),
    "return": _l("Return for resubmission"),
}
