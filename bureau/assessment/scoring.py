"""How an indicator's numbers become points, the total, the grade and the ranks (pure functions).

Rules (an indicator's ``params`` in brackets, with their defaults):
- ``rate``: points = weight × how far the rate (numerator ÷ denominator of the source, in %)
  lies between ``zero_at`` (0) and ``full_at`` (100), clipped to 0..1. With nothing to count
  (denominator 0) the indicator earns ``if_none`` % of its weight (100: nothing was owed).
- ``deduction``: points = weight − Σ ``points[count]`` × count (e.g. late 2, missing 3 per
  occurrence), never below ``floor`` (0): the bureau style 「迟报一次扣2分，漏报一次扣3分，扣完为止」.
- ``entered``: points = weight × value ÷ ``max`` (100); a value not yet entered earns 0 and
  is marked as missing.
- ``veto``: applies when the source's ``count`` reaches ``at_least`` (1); for an entered veto
  when the value is 1. A veto item has no weight.
Points are rounded to two decimals once per indicator, half up (四舍五入) on the exact value
(15 × 33.3% is 4.995 → 5.00, as worked out by hand; binary floats would give 4.99); the total is
their sum.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask_babel import lazy_gettext as _l

RULES = {
    "rate": _l("Rate"),
    "deduction": _l("Deductions per occurrence"),
    "entered": _l("Entered score"),
    "veto": _l("Veto"),
}
# The params each rule takes, with defaults.
RULE_PARAMS: dict[str, dict[str, Any]] = {
    "rate": {"full_at": 100, "zero_at": 0, "if_none": 100},
    "deduction": {"floor": 0, "points": {}},
    "entered": {"max": 100},
    "veto": {"count": "", "at_least": 1},
}


def param(params: dict, rule: str, name: str):
    value = params.get(name)
    return RULE_PARAMS[rule][name] if value is None else value


@dataclass
class Scored:
    """One indicator of one school: the figures, the points and why."""

    counts: dict[str, int] = field(default_factory=dict)
    rate: float | None = None  # %, for rate rules
    value: float | None = None  # the entered value
    points: float = 0.0
    applies: bool = False  # veto items
    missing: bool = False  # an entered value not given yet
    comment: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "rate": self.rate,
            "value": self.value,
            "points": self.points,
            "applies": self.applies,
            "missing": self.missing,
            "comment": self.comment,
        }


def _exact(value) -> Fraction:
    """A number as written (0.1 is one tenth, not the binary float nearest to it)."""
    return Fraction(str(value))


def _two(value: Fraction) -> float:
    """Round half up (四舍五入) to two decimals."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rate_points(weight: int, numerator: int, denominator: int, params: dict) -> tuple[float | None, float]:
    """(rate in %, points) of a rate rule."""
    if denominator <= 0:
        return None, _two(_exact(weight) * _exact(param(params, "rate", "if_none")) / 100)
    rate = Fraction(100 * numerator, denominator)
    full, zero = _exact(param(params, "rate", "full_at")), _exact(param(params, "rate", "zero_at"))
    share = Fraction(1) if rate >= full else max(Fraction(0), (rate - zero) / (full - zero))
    return _two(rate), _two(weight * share)


def deduction_points(weight: int, counts: dict[str, int], params: dict) -> float:
    """Points of a deduction rule: the weight less the deductions, never below the floor."""
    lost = sum(_exact(each) * counts.get(name, 0) for name, each in (params.get("points") or {}).items())
    return _two(max(_exact(param(params, "deduction", "floor")), weight - lost))


def entered_points(weight: int, value: float | None, params: dict) -> float:
    if value is None:
        return 0.0
    return _two(weight * _exact(value) / _exact(param(params, "entered", "max")))


def veto_applies(counts: dict[str, int] | None, value: float | None, params: dict) -> bool:
    if counts is None:  # an entered veto
        return bool(value)
    return counts.get(param(params, "veto", "count"), 0) >= int(param(params, "veto", "at_least"))


def grade_of(total: float, vetoed: bool, bands: dict[str, Any]) -> str:
    """The grade of a total under the rubric's bands; a veto fails whatever the total."""
    if vetoed:
        return "fail"
    for grade in ("excellent", "good", "pass"):
        if total >= float(bands[grade]):
            return grade
    return "fail"


def competition_ranks(entries: list[tuple[Any, float, bool]]) -> dict[Any, int]:
    """Rank (key, total, vetoed) entries: highest total first, vetoed schools after all others;
    equal totals share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(entries, key=lambda entry: (entry[2], -entry[1]))
    ranks: dict[Any, int] = {}
    rank, previous = 0, None
    for position, (key, total, vetoed) in enumerate(ordered, start=1):
        if (vetoed, total) != previous:
            rank, previous = position, (vetoed, total)
        ranks[key] = rank
    return ranks
