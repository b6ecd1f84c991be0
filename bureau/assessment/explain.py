"""How a score was made, in words: an indicator's rule, the working for one school, the bands.

The per-school sheet and the results page show these next to the numbers, so a school can check
its own score by hand.
"""

from typing import Any

from flask_babel import gettext as _

from bureau.assessment.models import GRADES, Indicator
from bureau.assessment.scoring import param
from bureau.assessment.sources import ENTERED, SOURCES


def number(value: Any) -> str:
    """12.0 → '12', 13.5 → '13.5', None → '—'."""
    if value is None:
        return "—"
    return f"{float(value):g}"


def figure_label(source: str, figure: str) -> str:
    labels = SOURCES[source].counts if source in SOURCES else {}
    return str(labels.get(figure, figure))


def counts_words(source: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, number) of a source's figures, in the source's order."""
    if source not in SOURCES:
        return []
    return [(str(label), counts.get(name, 0)) for name, label in SOURCES[source].counts.items()]


def rule_words(item: Indicator) -> str:
    """The indicator's rule as a sentence, e.g. '15 points − 2 per “Late” − 3 per “Missing”, not below 0'."""
    params = item.params or {}
    if item.rule == "deduction":
        parts = [_("%(weight)s points", weight=item.weight)]
        for figure, each in (params.get("points") or {}).items():
            parts.append(
                _(
                    "− %(points)s per “%(figure)s”",
                    points=number(each),
                    figure=figure_label(item.source, figure),
                )
            )
        floor = number(param(params, "deduction", "floor"))
        return " ".join(parts) + _(", not below %(floor)s", floor=floor)
    if item.rule == "rate":
        numerator, denominator = SOURCES[item.source].rate
        full, zero = param(params, "rate", "full_at"), param(params, "rate", "zero_at")
        words = _(
            "%(weight)s points × the rate “%(numerator)s” ÷ “%(denominator)s”",
            weight=item.weight,
            numerator=figure_label(item.source, numerator),
            denominator=figure_label(item.source, denominator),
        )
        if float(full) != 100 or float(zero) != 0:
            words += _(
                ": all points at %(full)s%% or more, none at %(zero)s%% or less, in proportion between",
                full=number(full),
                zero=number(zero),
            )
        none = param(params, "rate", "if_none")
        return words + _("; with nothing to count, %(share)s%% of the points", share=number(none))
    if item.rule == "entered":
        return _(
            "%(weight)s points × the entered score ÷ %(max)s",
            weight=item.weight,
            max=number(param(params, "entered", "max")),
        )
    if item.source == ENTERED:
        return _("The school fails when the bureau records it, whatever its total.")
    return _(
        "The school fails, whatever its total, when “%(figure)s” is %(at_least)s or more.",
        figure=figure_label(item.source, param(params, "veto", "count")),
        at_least=number(param(params, "veto", "at_least")),
    )


def working(item: Indicator, detail: dict[str, Any] | None) -> str:
    """How the rule gave this school's points (or veto), e.g. 'rate 9/10 = 90% → 13.5 of 15 points'."""
    if detail is None:
        return _("Not computed yet.")
    params, counts = item.params or {}, detail.get("counts") or {}
    points, weight = number(detail.get("points")), item.weight
    if item.source != ENTERED and detail.get("missing"):
        return _("Not counted yet: the indicator was added after the last computation.")
    if item.rule == "deduction":
        terms = [str(weight)] + [
            f"− {number(each)} × {counts.get(figure, 0)}"
            for figure, each in (params.get("points") or {}).items()
        ]
        lost = sum(
            float(each) * counts.get(figure, 0) for figure, each in (params.get("points") or {}).items()
        )
        raw = weight - lost
        floor = float(param(params, "deduction", "floor"))
        text = " ".join(terms) + f" = {number(raw)}"
        if raw < floor:
            text += " " + _("→ %(points)s (not below %(floor)s)", points=points, floor=number(floor))
        return text
    if item.rule == "rate":
        numerator, denominator = SOURCES[item.source].rate
        if detail.get("rate") is None:
            return _(
                "Nothing to count → %(points)s of %(weight)s points",
                points=points,
                weight=weight,
            )
        return _(
            "rate %(numerator)s/%(denominator)s = %(rate)s%% → %(points)s of %(weight)s points",
            numerator=counts.get(numerator, 0),
            denominator=counts.get(denominator, 0),
            rate=number(detail["rate"]),
            points=points,
            weight=weight,
        )
    if item.rule == "entered":
        if detail.get("value") is None:
            return _("Not entered yet → 0 of %(weight)s points", weight=weight)
        return _(
            "entered %(value)s of %(max)s → %(points)s of %(weight)s points",
            value=number(detail["value"]),
            max=number(param(params, "entered", "max")),
            points=points,
            weight=weight,
        )
    applies = _("applies: the school fails") if detail.get("applies") else _("does not apply")
    if item.source == ENTERED:
        if detail.get("value") is None:
            return _("Not recorded → does not apply")
        return applies
    figure = param(params, "veto", "count")
    return f"“{figure_label(item.source, figure)}”: {counts.get(figure, 0)} → {applies}"


def bands_words(bands: dict[str, Any]) -> str:
    """'Excellent ≥ 90, Good ≥ 80, Pass ≥ 60, below that Fail; a veto fails whatever the total.'"""
    parts = [f"{GRADES[grade]} ≥ {number(bands[grade])}" for grade in ("excellent", "good", "pass")]
    return _(
        "%(bands)s, below that %(fail)s; a veto item that applies fails the school whatever its total.",
        bands=", ".join(parts),
        fail=GRADES["fail"],
    )
