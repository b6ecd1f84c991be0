"""The default rubric, seeded from the source plans, and the checks every rubric must pass.

Default weights (100 points): monthly reports 15 (late −2, missing −3 per occurrence, floor
0), hazards rectified 15, rectified by the deadline 10, major hazards closed 10, grid
coverage 10 (a school without a grid earns nothing), drills 10, responsibility letters 5,
incidents within one hour 5, on-site inspection 15 and safety education records 5 (both
entered, out of 100). Veto items: a responsibility accident with casualties (from the
incident reports) and a concealed or falsely reported incident (瞒报谎报, entered).
Grades: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格.
"""

import math
import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bureau.assessment.scoring import RULE_PARAMS, RULES
from bureau.assessment.sources import ENTERED, SOURCES

CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")

# (code, name, kind, weight, source, rule, params, evidence)
DEFAULT_INDICATORS: list[tuple[str, Any, str, int, str, str, dict, Any]] = [
    (
        "reports",
        _l("Monthly reports on time"),
        "score",
        15,
        "reports",
        "deduction",
        {"points": {"late": 2, "missing": 3}, "floor": 0},
        _l("The monthly reports and their submission times."),
    ),
    (
        "rectification",
        _l("Hazard rectification rate"),
        "score",
        15,
        "rectification",
        "rate",
        {},
        _l("The hazards found this year and whether each is rectified."),
    ),
    (
        "timeliness",
        _l("Rectification by the deadline"),
        "score",
        10,
        "timeliness",
        "rate",
        {},
        _l("The hazards rectified this year after their deadline."),
    ),
    (
        "major",
        _l("Major hazards closed"),
        "score",
        10,
        "major",
        "rate",
        {},
        _l("The major hazards under supervision (挂牌督办) still open."),
    ),
    (
        "grid",
        _l("Grid coverage (no blind spots)"),
        "score",
        10,
        "grid",
        "rate",
        {"if_none": 0},
        _l("The grid cells without an owner on the last day."),
    ),
    (
        "drills",
        _l("Drill compliance"),
        "score",
        10,
        "drills",
        "rate",
        {},
        _l(
            "Monthly drills (quarterly for kindergartens) and a fire or natural-disaster drill each semester."
        ),
    ),
    (
        "letters",
        _l("Responsibility letters signed"),
        "score",
        5,
        "letters",
        "rate",
        {},
        _l("The year's responsibility letters, level by level and inside the school."),
    ),
    (
        "incidents",
        _l("Incidents reported within one hour"),
        "score",
        5,
        "incidents",
        "rate",
        {},
        _l("The incidents of the year and when each was first reported."),
    ),
    (
        "inspection",
        _l("On-site inspection"),
        "score",
        15,
        ENTERED,
        "entered",
        {"max": 100},
        _l("The score of the on-site inspection by the bureau or the central school, out of 100."),
    ),
    (
        "education",
        _l("Safety education records"),
        "score",
        5,
        ENTERED,
        "entered",
        {"max": 100},
        _l("Lesson plans, class meeting records and parent letters on safety, scored out of 100."),
    ),
    (
        "casualties",
        _l("Responsibility accident with casualties"),
        "veto",
        0,
        "incidents",
        "veto",
        {"count": "with_casualties", "at_least": 1},
        _l("An incident recorded as a responsibility accident with anyone dead or injured."),
    ),
    (
        "concealment",
        _l("Incident concealed or falsely reported"),
        "veto",
        0,
        ENTERED,
        "veto",
        {},
        _l(
            "Found by the bureau: an incident hidden, reported late on purpose or reported falsely (瞒报谎报)."
        ),
    ),
]


def rules_for(source: str, kind: str) -> list[str]:
    """The scoring rules an indicator of this kind may use with this source."""
    if kind == "veto":
        return ["veto"]
    if source == ENTERED:
        return ["entered"]
    return ["rate", "deduction"]


def _number(value, what: str, errors: list[str], low: float = 0, high: float | None = None) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):  # "nan" and "inf" parse as floats but score nothing
        errors.append(_("%(what)s must be a number.", what=what))
        return None
    if number < low or (high is not None and number > high):
        bounds = f"{low:g}–{high:g}" if high is not None else f"≥ {low:g}"
        errors.append(_("%(what)s must be %(bounds)s.", what=what, bounds=bounds))
        return None
    return number


def indicator_problems(row: dict[str, Any]) -> list[str]:
    """What is wrong with one indicator (code, name, kind, weight, source, rule, params)."""
    errors: list[str] = []
    code, source, rule, kind = row.get("code", ""), row.get("source"), row.get("rule"), row.get("kind")
    if not CODE.match(code or ""):
        errors.append(_("The code must be 1–20 letters, digits, '-' or '_'."))
    if not (row.get("name") or "").strip():
        errors.append(_("The name is required."))
    elif len(row["name"]) > 80:
        errors.append(_("The name must be at most 80 characters."))
    if kind not in ("score", "veto"):
        return errors + [_("Unknown kind '%(value)s'.", value=kind)]
    if source not in SOURCES and source != ENTERED:
        return errors + [_("Unknown source '%(value)s'.", value=source)]
    if rule not in RULES or rule not in rules_for(source, kind):
        return errors + [_("The rule '%(value)s' does not fit this source.", value=rule)]
    weight = row.get("weight")
    if kind == "veto":
        if weight not in (0, None):
            errors.append(_("A veto item has no weight (0)."))
    elif not isinstance(weight, int) or not 0 <= weight <= 100:
        errors.append(_("The weight must be a whole number from 0 to 100."))
    params = row.get("params") or {}
    unknown = set(params) - set(RULE_PARAMS[rule])
    if unknown:
        errors.append(_("Unknown setting(s): %(names)s.", names=", ".join(sorted(unknown))))
    counts = SOURCES[source].counts if source in SOURCES else {}
    if rule == "rate":
        full = _number(params.get("full_at", 100), "full_at", errors, 0, 100)
        zero = _number(params.get("zero_at", 0), "zero_at", errors, 0, 100)
        _number(params.get("if_none", 100), "if_none", errors, 0, 100)
        if full is not None and zero is not None and zero >= full:
            errors.append(_("zero_at must be below full_at."))
    elif rule == "deduction":
        points = params.get("points") or {}
        if not points:
            errors.append(_("Name at least one deduction, e.g. late=2."))
        for name, each in points.items():
            if name not in counts:
                errors.append(
                    _(
                        "'%(name)s' is not a figure of this source (%(names)s).",
                        name=name,
                        names=", ".join(counts),
                    )
                )
            else:
                _number(each, name, errors, 0, 100)
        floor = _number(params.get("floor", 0), "floor", errors, 0)
        if floor is not None and isinstance(weight, int) and floor > weight:
            errors.append(_("floor must not exceed the weight."))
    elif rule == "entered":
        _number(params.get("max", 100), "max", errors, 1, 1000)
    elif rule == "veto" and source != ENTERED:
        if params.get("count") not in counts:
            errors.append(_("count must be one of: %(names)s.", names=", ".join(counts)))
        _number(params.get("at_least", 1), "at_least", errors, 1)
    return errors


def weight_problem(weights: list[int]) -> str | None:
    """The weights of the scored indicators must add up to 100."""
    total = sum(weights)
    if total != 100:
        return _(
            "The weights of the scored indicators add up to %(total)s; they must add up to 100.", total=total
        )
    return None


def bands_problem(bands: dict[str, Any]) -> str | None:
    """Grade bands: whole or decimal totals 0–100, 优秀 above 良好 above 合格."""
    try:
        excellent, good, passing = (float(bands[name]) for name in ("excellent", "good", "pass"))
    except (KeyError, TypeError, ValueError):
        return _("Each grade band must be a number.")
    if not 0 <= passing < good < excellent <= 100:
        return _("The bands must rise: 0 ≤ pass < good < excellent ≤ 100.")
    return None
