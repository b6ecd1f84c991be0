"""Writes of the assessment: rubrics, entered scores, computing, rescoring, closing a year.

Every change is recorded in the audit log. Nothing commits here: the request or the job does.

Who is assessed: every active school, kindergarten, teaching point and directly-run school
(grade groups are part of their school, central schools are not schools) added to the
platform by the period's last day. A school added during the year is assessed from the day it
was added (its reports, drills and letters are owed from then: pro-rated by what it owed, not
by a factor); a school closed (deactivated) before the computation is not assessed, and a
closed year keeps the results it had. A school that moved to another central school keeps
its own figures for the whole year and is ranked with the central school it belongs to when
the year is computed.
"""

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from bureau.assessment.models import DEFAULT_BANDS, EnteredScore, Indicator, Result, Rubric
from bureau.assessment.rubric import (
    DEFAULT_INDICATORS,
    bands_problem,
    indicator_problems,
    weight_problem,
)
from bureau.assessment.scoring import (
    Scored,
    competition_ranks,
    deduction_points,
    entered_points,
    grade_of,
    rate_points,
    veto_applies,
)
from bureau.assessment.sources import ENTERED, SOURCES, Period, forget_rollup_rows
from schools.drills.queries import opened_on
from schools.units import NOT_SCHOOLS
from tenancy import audit
from tenancy.audit import current_actor
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.models.base import utcnow
from tenancy.settings.store import tenant_today

YEAR_MIN, YEAR_MAX = 2000, 2100
COMMENT_MAX = 500
NOT_ASSESSED = NOT_SCHOOLS + ("grade_group",)
FIELDS = ("code", "name", "kind", "weight", "source", "rule", "params", "evidence")


class AssessmentError(ValueError):
    """A change the assessment's rules refuse; `field` names the culprit, `status` the HTTP answer."""

    status = 400

    def __init__(self, message: str, field: str | None = None, problems: dict | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problems = problems or {}  # indicator code → messages, for a whole-rubric save


class YearClosed(AssessmentError):
    status = 409


def _check_open(rubric: Rubric) -> None:
    if rubric.is_closed:
        raise YearClosed(_("The %(year)s assessment is closed; reopen it first.", year=rubric.year))


# --- rubric -----------------------------------------------------------------------------------


def create_rubric(year: int, copy_from: Rubric | None = None) -> Rubric:
    """Start the year's rubric: a copy of another year's, or the default one."""
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise AssessmentError(
            _("The year must be from %(low)s to %(high)s.", low=YEAR_MIN, high=YEAR_MAX), "year"
        )
    if db.session.scalar(select(Rubric.id).where(Rubric.year == year)) is not None:
        raise AssessmentError(_("The %(year)s assessment already exists.", year=year), "year")
    rubric = Rubric(year=year, bands=dict(copy_from.bands if copy_from else DEFAULT_BANDS))
    if copy_from is not None:
        rows = [_row(item) for item in copy_from.indicators]
    else:
        rows = [
            dict(
                zip(
                    FIELDS,
                    (code, str(name), kind, weight, source, rule, dict(params), str(evidence)),
                    strict=True,
                )
            )
            for code, name, kind, weight, source, rule, params, evidence in DEFAULT_INDICATORS
        ]
    for position, row in enumerate(rows):
        rubric.indicators.append(Indicator(position=position, **row))
    db.session.add(rubric)
    audit.record(
        "assessment.rubric_created",
        rubric,
        changes={"year": {"new": year}, "copied_from": {"new": copy_from.year if copy_from else None}},
        summary=f"{year}",
    )
    return rubric


def save_rubric(rubric: Rubric, rows: dict[int, dict[str, Any]], bands: dict[str, Any]) -> None:
    """Apply every indicator's fields (by id) and the grade bands at once, or nothing.

    The weights of the scored indicators must add up to 100. Results are rescored at once.
    """
    _check_open(rubric)
    problems: dict[str, list[str]] = {}
    merged = []
    for item in rubric.indicators:
        row = _row(item) | rows.get(item.id, {})
        row["kind"], row["source"] = item.kind, item.source  # fixed once created
        found = indicator_problems(row)
        if found:
            problems[row.get("code") or item.code] = found
        merged.append((item, row))
    codes = [row["code"] for _item, row in merged]
    for code in {code for code in codes if codes.count(code) > 1}:
        problems.setdefault(code, []).append(_("Two indicators have the code '%(code)s'.", code=code))
    weights = weight_problem([row["weight"] for _item, row in merged if row["kind"] == "score"])
    band = bands_problem(bands)
    if problems or weights or band:
        message = weights or band or _("Some indicators need correcting.")
        raise AssessmentError(message, "weights" if weights else "bands" if band else "indicators", problems)
    for item, row in merged:
        for name in FIELDS:
            setattr(item, name, row[name])
        if item in db.session.dirty:
            audit.record("assessment.indicator_changed", item, summary=f"{rubric.year} {item.code}")
    new_bands = {name: float(bands[name]) for name in ("excellent", "good", "pass")}
    if new_bands != {name: float(value) for name, value in rubric.bands.items()}:
        audit.record(
            "assessment.bands_changed",
            rubric,
            changes={"bands": {"old": rubric.bands, "new": new_bands}},
            summary=f"{rubric.year}",
        )
        rubric.bands = new_bands
    rescore(rubric)


def add_indicator(rubric: Rubric, row: dict[str, Any]) -> Indicator:
    """Add an indicator at the end (weight 0 unless given: rebalance the weights afterwards)."""
    _check_open(rubric)
    row = {"weight": 0, "params": {}, "evidence": "", **row}
    problems = indicator_problems(row)
    if rubric.indicator(row.get("code", "")) is not None:
        problems.append(_("Two indicators have the code '%(code)s'.", code=row["code"]))
    if problems:
        raise AssessmentError(problems[0], "indicator", {row.get("code") or "new": problems})
    item = Indicator(position=len(rubric.indicators), **{name: row[name] for name in FIELDS})
    rubric.indicators.append(item)
    db.session.flush()
    audit.record("assessment.indicator_added", item, summary=f"{rubric.year} {item.code}")
    return item


def remove_indicator(item: Indicator) -> None:
    """Take an indicator out of its rubric (its entered scores go with it)."""
    rubric = item.rubric
    _check_open(rubric)
    audit.record(
        "assessment.indicator_removed",
        item,
        changes={name: {"old": getattr(item, name)} for name in FIELDS},
        summary=f"{rubric.year} {item.code}",
    )
    db.session.execute(delete(EnteredScore).where(EnteredScore.indicator_id == item.id))
    rubric.indicators.remove(item)
    db.session.flush()
    rescore(rubric)


# --- entered scores ---------------------------------------------------------------------------


def enter_score(item: Indicator, school: OrgUnit, value: Any, comment: str = "") -> EnteredScore | None:
    """Set (or with value None/"" clear) an entered indicator's value for one school."""
    rubric = item.rubric
    _check_open(rubric)
    if not item.is_entered:
        raise AssessmentError(
            _("%(name)s is computed from the data, not entered.", name=item.name), "indicator"
        )
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise AssessmentError(
            _("The comment must be at most %(max)s characters.", max=COMMENT_MAX), "comment"
        )
    found = db.session.scalar(
        select(EnteredScore).where(
            EnteredScore.indicator_id == item.id, EnteredScore.org_unit_id == school.id
        )
    )
    if value is None or value == "":
        if found is not None:
            audit.record(
                "assessment.score_cleared",
                found,
                changes={"value": {"old": found.value}},
                summary=f"{rubric.year} {item.code} {school.name}",
            )
            db.session.delete(found)
        return None
    number = _entered_value(item, value)
    if found is None:
        found = EnteredScore(indicator_id=item.id, org_unit_id=school.id, value=number, comment=comment)
        db.session.add(found)
    else:
        found.value, found.comment = number, comment
    found.entered_by, found.entered_at = current_actor()[1], utcnow()
    audit.record(
        "assessment.score_entered",
        found,
        changes={"value": {"new": number}, "comment": {"new": comment}} if found.id is None else None,
        summary=f"{rubric.year} {item.code} {school.name}: {number:g}",
    )
    return found


def _entered_value(item: Indicator, value: Any) -> float:
    if item.is_veto:
        if str(value).strip().lower() in ("1", "true", "yes"):
            return 1.0
        if str(value).strip().lower() in ("0", "false", "no"):
            return 0.0
        raise AssessmentError(_("A veto item is 1 (applies) or 0 (does not)."), "value")
    top = float(item.params.get("max") or 100)
    try:
        number = round(float(value), 1)
    except (TypeError, ValueError):
        raise AssessmentError(
            _("The score must be a number from 0 to %(max)s.", max=f"{top:g}"), "value"
        ) from None
    if not 0 <= number <= top or number != number:
        raise AssessmentError(_("The score must be a number from 0 to %(max)s.", max=f"{top:g}"), "value")
    return number


# --- computing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    schools: int
    last_day: date
    seconds: float


def period_for(year: int, today: date | None = None) -> Period:
    """The whole year once it is over; until then a preview through today."""
    today = today or tenant_today()
    if year > today.year:
        raise AssessmentError(
            _("The %(year)s assessment cannot be computed before the year starts.", year=year), "year"
        )
    return Period(year=year, last=min(date(year, 12, 31), today), today=today)


def schools_assessed(period: Period) -> list[OrgUnit]:
    """The active schools added to the platform by the period's last day, in tree order."""
    units = db.session.scalars(
        select(OrgUnit).where(OrgUnit.is_active, OrgUnit.kind.notin_(NOT_ASSESSED)).order_by(OrgUnit.path)
    ).all()
    return [unit for unit in units if opened_on(unit) <= period.last]


def compute(rubric: Rubric, today: date | None = None) -> Computed:
    """Count every source for every school assessed, then score, grade and rank them.

    Replaces the rubric's results; refused once the year is closed or while the rubric is invalid.
    """
    _check_open(rubric)
    _check_valid(rubric)
    started = time.perf_counter()
    period = period_for(rubric.year, today)
    schools = schools_assessed(period)
    needed = {item.source for item in rubric.indicators if item.source in SOURCES}
    forget_rollup_rows()  # rows kept by an earlier computation in this context may be stale
    counted = {code: SOURCES[code].collect(schools, period) for code in sorted(needed)}
    db.session.execute(delete(Result).where(Result.rubric_id == rubric.id))
    results = [
        Result(
            rubric_id=rubric.id,
            org_unit_id=school.id,
            central_id=school.parent_id if school.level == 3 else None,
            first_day=max(period.first, opened_on(school)),
            last_day=period.last,
            figures={code: counted[code][school.id] for code in counted},
        )
        for school in schools
    ]
    rescore(rubric, results)  # scored before they are written: one INSERT per school
    db.session.add_all(results)
    rubric.computed_at, rubric.computed_through = utcnow(), period.last
    audit.record(
        "assessment.computed",
        rubric,
        changes={"schools": {"new": len(schools)}, "through": {"new": period.last.isoformat()}},
        summary=f"{rubric.year}: {len(schools)}",
    )
    return Computed(len(schools), period.last, time.perf_counter() - started)


def _check_valid(rubric: Rubric) -> None:
    problems = {item.code: indicator_problems(_row(item)) for item in rubric.indicators}
    problems = {code: found for code, found in problems.items() if found}
    weights = weight_problem([item.weight for item in rubric.indicators if item.kind == "score"])
    if problems or weights:
        raise AssessmentError(weights or _("Some indicators need correcting."), "rubric", problems)


def _row(item: Indicator) -> dict[str, Any]:
    return {name: getattr(item, name) for name in FIELDS}


def score_result(rubric: Rubric, result: Result, entered: dict[tuple[int, int], EnteredScore]) -> None:
    """Score one school's stored figures under the rubric: details, total and veto."""
    details, total, vetoes = {}, 0.0, []
    for item in rubric.indicators:
        given = entered.get((item.id, result.org_unit_id))
        value = given.value if given is not None else None
        scored = Scored(value=value, comment=given.comment if given is not None else "")
        if item.source == ENTERED:
            scored.missing = given is None
            if item.is_veto:
                scored.applies = veto_applies(None, value, item.params)
            else:
                scored.points = entered_points(item.weight, value, item.params)
        else:
            counts = (result.figures or {}).get(item.source)
            scored.missing = counts is None  # added to the rubric after the last computation
            scored.counts = counts or {}
            if item.rule == "veto":
                scored.applies = veto_applies(scored.counts, None, item.params)
            elif item.rule == "deduction":
                scored.points = deduction_points(item.weight, scored.counts, item.params)
            else:
                numerator, denominator = SOURCES[item.source].rate
                scored.rate, scored.points = rate_points(
                    item.weight,
                    scored.counts.get(numerator, 0),
                    scored.counts.get(denominator, 0),
                    item.params,
                )
            if scored.missing:
                scored.points = 0.0
        details[item.code] = scored.as_dict()
        total += scored.points
        if scored.applies:
            vetoes.append(item.code)
    result.details = details
    result.total = round(total, 2)
    result.vetoed = bool(vetoes)
    result.grade = grade_of(result.total, result.vetoed, rubric.bands)


def rescore(rubric: Rubric, results: list[Result] | None = None) -> None:
    """Score the results again (entered scores or the rubric changed) and rank them.

    `results`: all of the rubric's results, new ones included (default: the stored ones).
    """
    if results is None:
        results = db.session.scalars(select(Result).where(Result.rubric_id == rubric.id)).all()
    if not results:
        return
    entered = {
        (score.indicator_id, score.org_unit_id): score
        for score in db.session.scalars(
            select(EnteredScore).where(EnteredScore.indicator_id.in_([item.id for item in rubric.indicators]))
        )
    }
    for result in results:
        score_result(rubric, result, entered)
    ranks = competition_ranks([(r.org_unit_id, r.total, r.vetoed) for r in results])
    groups: dict[int | None, list[Result]] = {}
    for result in results:
        result.rank_tenant = ranks[result.org_unit_id]
        groups.setdefault(result.central_id, []).append(result)
    for members in groups.values():
        within = competition_ranks([(r.org_unit_id, r.total, r.vetoed) for r in members])
        for result in members:
            result.rank_central = within[result.org_unit_id]
    db.session.flush()


# --- closing ----------------------------------------------------------------------------------


def close_year(rubric: Rubric) -> None:
    """Freeze the year's results: no recompute, entered score or rubric change until reopened."""
    _check_open(rubric)
    if rubric.computed_at is None:
        raise AssessmentError(
            _("Compute the %(year)s assessment before closing it.", year=rubric.year), "year"
        )
    if rubric.computed_through < date(rubric.year, 12, 31):
        raise AssessmentError(
            _(
                "The results are a preview through %(day)s; compute the whole year before closing it.",
                day=rubric.computed_through,
            ),
            "year",
        )
    rubric.closed_at, rubric.closed_by = utcnow(), current_actor()[1]
    audit.record("assessment.closed", rubric, summary=f"{rubric.year}")


def reopen_year(rubric: Rubric, reason: str) -> None:
    """Open a closed year again for corrections; the reason is kept in the audit log."""
    reason = (reason or "").strip()
    if not rubric.is_closed:
        raise AssessmentError(_("The %(year)s assessment is not closed.", year=rubric.year), "year")
    if not reason:
        raise AssessmentError(_("Give the reason for reopening the year."), "reason")
    if len(reason) > COMMENT_MAX:
        raise AssessmentError(_("The reason must be at most %(max)s characters.", max=COMMENT_MAX), "reason")
    audit.record(
        "assessment.reopened",
        rubric,
        changes={"closed_at": {"old": rubric.closed_at.isoformat()}, "reason": {"new": reason}},
        summary=f"{rubric.year}: {reason}",
    )
    rubric.closed_at, rubric.closed_by = None, ""
