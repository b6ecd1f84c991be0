"""The month's figures against a hand-made ledger; a submitted snapshot never changes."""

from datetime import date

from sqlalchemy import select

from schools.submissions.models import Submission
from schools.submissions.operations import submit_report
from schools.submissions.snapshot import month_snapshot
from tenancy.extensions import db
from tenancy.scoping import tenant_context

MARCH = date(2026, 3, 1)


def _ledger(alpha, hazard):
    """The ledger of S11 (and a neighbour) around March 2026; letters name the cases."""
    s11, s12 = alpha.unit("S11"), alpha.unit("S12")
    cases = {
        # found, rectified and verified in March
        "A": hazard(
            s11,
            date(2026, 3, 2),
            deadline=date(2026, 3, 10),
            rectified_on=date(2026, 3, 8),
            verified_on=date(2026, 3, 9),
            status="verified",
        ),
        # found in March, still open, deadline passed in March → overdue
        "B": hazard(s11, date(2026, 3, 5), level="serious", source="weekly", deadline=date(2026, 3, 20)),
        # deadline on the month's last day, not rectified → overdue once the month closes
        "C": hazard(s11, date(2026, 3, 15), category="food", deadline=date(2026, 3, 31), status="rectifying"),
        # escalated major hazard, deadline next month → open, not overdue
        "D": hazard(
            s11,
            date(2026, 3, 20),
            category="food",
            level="major",
            source="special",
            deadline=date(2026, 4, 10),
            status="escalated",
        ),
        # found in February, rectified in March
        "E": hazard(
            s11,
            date(2026, 2, 10),
            category="building",
            source="monthly",
            deadline=date(2026, 2, 20),
            rectified_on=date(2026, 3, 3),
            status="rectified",
        ),
        # found in February and still open → open and overdue at the end of March
        "F": hazard(s11, date(2026, 2, 12), category="building", deadline=date(2026, 2, 28)),
        # found in March, rectified in April → open and overdue at the end of March
        "G": hazard(
            s11,
            date(2026, 3, 25),
            category="security",
            deadline=date(2026, 3, 28),
            rectified_on=date(2026, 4, 2),
            status="rectified",
        ),
        # found in April: not in March at all
        "H": hazard(s11, date(2026, 4, 1)),
        # imported as verified with no dates: counted as rectified, never open
        "I": hazard(s11, date(2026, 1, 5), category="lab", status="verified"),
        # rectified in February, verified in March
        "J": hazard(
            s11,
            date(2026, 2, 1),
            category="building",
            rectified_on=date(2026, 2, 15),
            verified_on=date(2026, 3, 2),
            status="verified",
        ),
        # another school's hazard
        "K": hazard(s12, date(2026, 3, 3)),
    }
    db.session.commit()
    return cases


def _row(found=0, rectified=0, verified=0, open_=0, overdue=0):
    return {"found": found, "rectified": rectified, "verified": verified, "open": open_, "overdue": overdue}


def test_month_figures_from_a_hand_made_ledger(alpha, hazard):
    _ledger(alpha, hazard)
    assert month_snapshot(alpha.unit("S11"), MARCH) == {
        "format": 1,
        "period": "2026-03",
        "as_of": "2026-03-31",
        "totals": _row(found=5, rectified=2, verified=2, open_=5, overdue=4),
        "by_category": {
            "building": _row(rectified=1, verified=1, open_=1, overdue=1),
            "fire": _row(found=2, rectified=1, verified=1, open_=1, overdue=1),
            "food": _row(found=2, open_=2, overdue=1),
            "security": _row(found=1, open_=1, overdue=1),
        },
        "by_level": {
            "general": _row(found=3, rectified=2, verified=2, open_=3, overdue=3),
            "major": _row(found=1, open_=1),
            "serious": _row(found=1, open_=1, overdue=1),
        },
        "inspections": {"daily": 3, "special": 1, "weekly": 1},
        "drills": None,
    }


def test_an_empty_month_and_the_month_before(alpha, hazard):
    _ledger(alpha, hazard)
    empty = month_snapshot(alpha.unit("S21"), MARCH)
    assert empty["totals"] == _row() and empty["by_category"] == {} and empty["inspections"] == {}
    february = month_snapshot(alpha.unit("S11"), date(2026, 2, 1))
    # E, F, J found; J rectified; E and F open at the end of February, both past their deadlines.
    assert february["totals"] == _row(found=3, rectified=1, open_=2, overdue=2)
    assert february["as_of"] == "2026-02-28"


def test_a_directly_run_schools_report_covers_its_grade_groups(alpha, hazard):
    hazard(alpha.unit("D1"), date(2026, 3, 3))
    hazard(alpha.unit("D1-G1"), date(2026, 3, 4), category="dormitory")
    db.session.commit()
    figures = month_snapshot(alpha.unit("D1"), MARCH)
    assert figures["totals"]["found"] == 2 and set(figures["by_category"]) == {"fire", "dormitory"}


def test_a_submitted_snapshot_never_changes(app, world, alpha, hazard):
    cases = _ledger(alpha, hazard)
    submission = submit_report(alpha.unit("S11"), MARCH, "三月报告", alpha.user("school11"))
    db.session.commit()
    frozen, submission_id = dict(submission.snapshot), submission.id

    b = cases["B"]
    b.status, b.rectified_on = "rectified", date(2026, 3, 30)
    hazard(alpha.unit("S11"), date(2026, 3, 31), category="traffic")
    db.session.commit()

    with app.app_context(), tenant_context(world.alpha.id):
        stored = db.session.scalar(select(Submission).where(Submission.id == submission_id))
        assert stored.snapshot == frozen
        now = month_snapshot(stored.school, MARCH)
    assert frozen["totals"] == _row(found=5, rectified=2, verified=2, open_=5, overdue=4)
    assert now["totals"] == _row(found=6, rectified=3, verified=2, open_=5, overdue=3)
