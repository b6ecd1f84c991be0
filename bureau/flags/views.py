"""Flag pages (the board of the user's area and the history) and the user's inbox."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bureau.flags import inbox as inbox_ops
from bureau.flags.models import FLAG_KINDS, Flag
from bureau.flags.queries import board_order, counts_by_kind, visible_flags, with_units
from bureau.flags.util import KIND_LABELS, kind_label, notice_url, reports_url, subject_url
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import visible_units
from tenancy.scoping import get_scoped_or_404
from tenancy.ui import paginate
from tenancy.web import require

HELPERS = {
    "kind_labels": KIND_LABELS,
    "kind_label": kind_label,
    "subject_url": subject_url,
    "reports_url": reports_url,
    "notice_url": notice_url,
}


@dataclass
class FlagFilters:
    """The flag pages' filters, read from the query string (unknown values are dropped)."""

    kind: str = ""
    unit: int | None = None
    cleared: bool = False

    @classmethod
    def from_args(cls, args) -> "FlagFilters":
        unit = args.get("unit", "")
        return cls(
            kind=args.get("kind", "") if args.get("kind") in FLAG_KINDS else "",
            unit=int(unit) if unit.isdigit() else None,
            cleared=args.get("cleared") in ("1", "true", "on"),
        )

    def scope_unit(self) -> OrgUnit | None:
        """The unit whose subtree the list is narrowed to (another area's unit is a 404)."""
        return get_scoped_or_404(OrgUnit, self.unit) if self.unit is not None else None


def _units() -> list[OrgUnit]:
    return db.session.scalars(visible_units()).all()


@require("read")
def board():
    """Open flags of the user's area, grouped by kind with counts; filter by kind and unit, show cleared too."""
    filters = FlagFilters.from_args(request.args)
    unit = filters.scope_unit()
    query = visible_flags(current_user, filters.kind or None, include_cleared=filters.cleared, unit=unit)
    page = paginate(board_order(with_units(query)), scalars=False)
    return render_template(
        "bureau/flags/board.html",
        page=page,
        counts=counts_by_kind(current_user, unit=unit),
        filters=filters,
        units=_units(),
        **HELPERS,
    )


@require("read")
def history():
    """Cleared flags of the user's area, most recently cleared first, with when each was raised and cleared."""
    filters = FlagFilters.from_args(request.args)
    unit = filters.scope_unit()
    query = with_units(visible_flags(current_user, filters.kind or None, unit=unit, only_cleared=True))
    page = paginate(query.order_by(Flag.cleared_at.desc(), Flag.id.desc()), scalars=False)
    return render_template("bureau/flags/history.html", page=page, filters=filters, units=_units(), **HELPERS)


@require("read")
def inbox():
    """The user's daily digests, newest first."""
    page = paginate(inbox_ops.messages_of(current_user), per_page=20)
    return render_template("bureau/flags/inbox.html", page=page, **HELPERS)


@require("read")
def mark_read(message_id: int):
    """Mark one of the user's digests read."""
    message = inbox_ops.message_of(current_user, message_id)
    if message is None:
        abort(404)
    inbox_ops.mark_read(message)
    db.session.commit()
    return redirect(url_for("flags.inbox", page=request.args.get("page", 1)) + f"#message-{message.id}")


@require("read")
def mark_all_read():
    """Mark every digest of the user read."""
    count = inbox_ops.mark_all_read(current_user)
    db.session.commit()
    if count:
        flash(_("%(num)d digests marked read.", num=count), "success")
    return redirect(url_for("flags.inbox"))


def unread_messages() -> int:
    """The nav's unread count: digests of the logged-in user not yet read (0 for anyone else)."""
    if not getattr(current_user, "is_authenticated", False) or current_user.is_operator:
        return 0
    return inbox_ops.unread_count(current_user)
