"""Readable names of notice statuses."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "issued": _l("Awaiting answer"),
    "answered": _l("Answered, awaiting decision"),
    "accepted": _l("Accepted (closed)"),
    "rejected": _l("Rejected, to be answered again"),
}
