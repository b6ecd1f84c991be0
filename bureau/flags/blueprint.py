"""URL rules of the flag pages (/flags/…) and the inbox (/inbox/…), and the nav's unread count."""

import logging

from flask import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from bureau.flags import views
from tenancy.extensions import db

log = logging.getLogger(__name__)

# No url_prefix: the board lives under /flags/ and the inbox under /inbox/.
bp = Blueprint("flags", __name__)

bp.add_url_rule("/flags/", view_func=views.board)
bp.add_url_rule("/flags/history", view_func=views.history)
bp.add_url_rule("/inbox/", view_func=views.inbox)
bp.add_url_rule("/inbox/read", view_func=views.mark_all_read, methods=["POST"])
bp.add_url_rule("/inbox/<int:message_id>/read", view_func=views.mark_read, methods=["POST"])


def inbox_unread() -> int:
    """Return the unread count for the nav; a database fault must not break the page (or the error page)."""
    try:
        return views.unread_messages()
    except SQLAlchemyError:
        log.warning("inbox unread count unavailable", exc_info=True)
        db.session.rollback()
        return 0


@bp.app_context_processor
def inbox_helpers() -> dict:
    # A function, so the count is queried only where base.html asks for it.
    return {"inbox_unread": inbox_unread}
