"""Where the computed indicators' numbers come from: one source per kind of safety work.

Each source counts, for every school in a list and one period (the assessment year up to its
last day), a few named figures; a rate rule divides two of them (``rate``), a deduction rule
weighs any of them, a veto rule tests one. Every source reads set-based (one query per chunk
of schools), so a 5,000-school tenant costs a handful of queries per source:
- reports, rectification, timeliness, major hazards: the rollups (bureau/rollups), the same
  numbers the dashboards show, each a school's own records with its grade groups';
- grid coverage: the grid on the period's last day (schools/grid);
- drills: the obligations whose period ends in the period (schools/drills);
- letters: the year's letters (schools/letters);
- incidents: the incidents that happened in the period (schools/incidents).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from bureau.rollups.models import UnitMonth
from schools.drills.queries import compliance_counts, held_drills, unit_obligations
from schools.drills.rules import LONGEST_PERIOD
from schools.grid.queries import coverage_counts
from schools.incidents.queries import incident_timeliness_by_unit
from schools.letters.queries import letter_rows
from schools.submissions.due import add_months
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_root
from tenancy.settings.store import get_setting

CHUNK = 500  # schools per IN (...) list


@dataclass(frozen=True)
class Period:
    """What a computation covers: the year from its first day through `last` (a preview: today)."""

    year: int
    last: date
    today: date

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def is_preview(self) -> bool:
        return self.last < date(self.year, 12, 31)


Counts = dict[int, dict[str, int]]  # school id → figure → number


@dataclass(frozen=True)
class Source:
    label: object  # lazy string
    counts: dict[str, object]  # figure → label
    collect: Callable[[list[OrgUnit], Period], Counts]
    rate: tuple[str, str] | None = None  # (numerator, denominator) figures


def _chunks(schools: list[OrgUnit]):
    for start in range(0, len(schools), CHUNK):
        yield schools[start : start + CHUNK]


FIGURES = (
    "reports_due",
    "reports_on_time",
    "reports_late",
    "reports_missing",
    "found",
    "found_closed",
    "rectified",
    "rectified_on_time",
    "found_major",
    "major_open_end",
)


def _rollup_months(schools: list[OrgUnit], period: Period) -> dict[int, list]:
    """Each school's rollup rows from December before the year through the period's last month.

    Four sources read them, so they are read once per computation (kept on `g`).
    """
    key = (period, tuple(school.id for school in schools))
    memo = g.setdefault("assessment_rollup_rows", {})
    if key in memo:
        return memo[key]
    first, last = add_months(period.first, -1), period.last.replace(day=1)
    found: dict[int, list] = {school.id: [] for school in schools}
    columns = [getattr(UnitMonth, name) for name in ("org_unit_id", "period", *FIGURES)]
    for part in _chunks(schools):
        rows = db.session.execute(
            select(*columns).where(
                UnitMonth.org_unit_id.in_([school.id for school in part]),
                UnitMonth.period >= first,
                UnitMonth.period <= last,
            )
        )
        for row in rows:
            found[row.org_unit_id].append(row)
    memo.clear()
    memo[key] = found
    return found


def forget_rollup_rows() -> None:
    """Drop the rollup rows kept from an earlier computation in this context: count afresh."""
    g.pop("assessment_rollup_rows", None)


def _sum(rows: list, period: Period, *names: str) -> list[int]:
    within = [row for row in rows if row.period >= period.first]
    return [sum(getattr(row, name) for row in within) for name in names]


def _stock_at(rows: list, month: date, name: str) -> int:
    """A stock at the end of `month`: the latest row up to it (stocks run on between rows)."""
    before = [row for row in rows if row.period <= month]
    return getattr(max(before, key=lambda row: row.period), name) if before else 0


def collect_reports(schools: list[OrgUnit], period: Period) -> Counts:
    found = {}
    for school_id, rows in _rollup_months(schools, period).items():
        due, on_time, late, missing = _sum(
            rows, period, "reports_due", "reports_on_time", "reports_late", "reports_missing"
        )
        found[school_id] = {"due": due, "on_time": on_time, "late": late, "missing": missing}
    return found


def collect_rectification(schools: list[OrgUnit], period: Period) -> Counts:
    found = {}
    for school_id, rows in _rollup_months(schools, period).items():
        total, closed = _sum(rows, period, "found", "found_closed")
        found[school_id] = {"found": total, "closed": closed, "open": total - closed}
    return found


def collect_timeliness(schools: list[OrgUnit], period: Period) -> Counts:
    found = {}
    for school_id, rows in _rollup_months(schools, period).items():
        rectified, on_time = _sum(rows, period, "rectified", "rectified_on_time")
        found[school_id] = {"rectified": rectified, "on_time": on_time, "late": rectified - on_time}
    return found


def collect_major(schools: list[OrgUnit], period: Period) -> Counts:
    """Major hazards under supervision at some time in the period: those open at its start and
    those found in it; closed = re-checked and closed (销号) by its last day."""
    found = {}
    for school_id, rows in _rollup_months(schools, period).items():
        before = _stock_at(rows, add_months(period.first, -1), "major_open_end")
        (new,) = _sum(rows, period, "found_major")
        still_open = _stock_at(rows, period.last.replace(day=1), "major_open_end")
        supervised = before + new
        found[school_id] = {"supervised": supervised, "closed": supervised - still_open, "open": still_open}
    return found


def collect_grid(schools: list[OrgUnit], period: Period) -> Counts:
    found = {}
    for part in _chunks(schools):
        grids = coverage_counts(period.last, [school.id for school in part])
        for school in part:
            cells, covered = grids.get(school.id, (0, 0))
            found[school.id] = {"cells": cells, "covered": covered, "blind_spots": cells - covered}
    return found


def collect_drills(schools: list[OrgUnit], period: Period) -> Counts:
    setting = get_setting("semesters")
    found = {}
    for part in _chunks(schools):
        held = held_drills([school.id for school in part], period.first - LONGEST_PERIOD, period.last)
        for school in part:
            owed = unit_obligations(school, period.first, period.last, held[school.id], period.today, setting)
            counts = compliance_counts(owed)
            found[school.id] = {name: counts[name] for name in ("required", "met", "missed")}
    return found


def collect_letters(schools: list[OrgUnit], period: Period) -> Counts:
    rows = {row.unit.id: row for row in letter_rows(tenant_root(), period.year)}
    found = {}
    for school in schools:
        row = rows.get(school.id)
        required, signed = (row.required, row.signed) if row is not None else (0, 0)
        found[school.id] = {"required": required, "signed": signed, "missing": required - signed}
    return found


def collect_incidents(schools: list[OrgUnit], period: Period) -> Counts:
    found = {}
    for part in _chunks(schools):
        timeliness = incident_timeliness_by_unit([school.id for school in part], period.first, period.last)
        for school_id, figures in timeliness.items():
            found[school_id] = {
                "reported": figures.reported,
                "on_time": figures.on_time,
                "late": figures.late,
                "with_casualties": figures.responsibility_with_casualties,
            }
    return found


SOURCES: dict[str, Source] = {
    "reports": Source(
        _l("Monthly reports"),
        {
            "due": _l("Reports due"),
            "on_time": _l("Reported on time"),
            "late": _l("Reported late"),
            "missing": _l("Reports missing"),
        },
        collect_reports,
        rate=("on_time", "due"),
    ),
    "rectification": Source(
        _l("Hazards rectified"),
        {"found": _l("Hazards found"), "closed": _l("Rectified"), "open": _l("Not rectified")},
        collect_rectification,
        rate=("closed", "found"),
    ),
    "timeliness": Source(
        _l("Rectified by the deadline"),
        {"rectified": _l("Rectified"), "on_time": _l("By the deadline"), "late": _l("After the deadline")},
        collect_timeliness,
        rate=("on_time", "rectified"),
    ),
    "major": Source(
        _l("Major hazards closed"),
        {
            "supervised": _l("Under supervision"),
            "closed": _l("Closed after re-check"),
            "open": _l("Still open"),
        },
        collect_major,
        rate=("closed", "supervised"),
    ),
    "grid": Source(
        _l("Grid coverage"),
        {"cells": _l("Grid cells"), "covered": _l("With an owner"), "blind_spots": _l("Blind spots")},
        collect_grid,
        rate=("covered", "cells"),
    ),
    "drills": Source(
        _l("Drills"),
        {"required": _l("Drills required"), "met": _l("Drills held"), "missed": _l("Drills missed")},
        collect_drills,
        rate=("met", "required"),
    ),
    "letters": Source(
        _l("Responsibility letters"),
        {"required": _l("Letters required"), "signed": _l("Letters signed"), "missing": _l("Not signed")},
        collect_letters,
        rate=("signed", "required"),
    ),
    "incidents": Source(
        _l("Incidents reported within one hour"),
        {
            "reported": _l("Incidents"),
            "on_time": _l("Within one hour"),
            "late": _l("Reported after one hour"),
            "with_casualties": _l("Responsibility accidents with casualties"),
        },
        collect_incidents,
        rate=("on_time", "reported"),
    ),
}
ENTERED = "entered"
SOURCE_LABELS = {**{code: source.label for code, source in SOURCES.items()}, ENTERED: _l("Entered by staff")}
