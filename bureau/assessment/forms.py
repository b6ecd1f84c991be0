"""Forms of the assessment pages, and the text form of an indicator's settings ("late=2, floor=0")."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.form import Form
from wtforms.validators import InputRequired, Optional

from bureau.assessment.models import KINDS
from bureau.assessment.scoring import RULE_PARAMS, RULES
from bureau.assessment.sources import ENTERED, SOURCE_LABELS, SOURCES


class YearForm(FlaskForm):
    """Start a year's assessment: a copy of another year's rubric, or the default one."""

    year = IntegerField(_l("Year"), validators=[InputRequired(_l("Give the year, e.g. 2025."))])
    copy_from = SelectField(_l("Rubric"), choices=[], validate_choice=False)


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Reason for reopening"))


class IndicatorRow(Form):
    """One indicator of the rubric form; a field left out of the POST keeps its value."""

    id = HiddenField()
    code = StringField(_l("Code"))
    name = StringField(_l("Name"))
    weight = StringField(_l("Weight"))
    rule = StringField(_l("Rule"))
    params = StringField(_l("Settings"))
    evidence = TextAreaField(_l("Evidence"))


class RubricForm(FlaskForm):
    rows = FieldList(FormField(IndicatorRow))
    excellent = StringField(_l("Excellent from"))
    good = StringField(_l("Good from"))
    passing = StringField(_l("Pass from"))


class NewIndicatorForm(FlaskForm):
    code = StringField(_l("Code"))
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), choices=list(KINDS.items()))
    source = SelectField(_l("Source"), choices=list(SOURCE_LABELS.items()))
    rule = SelectField(_l("Rule"), choices=list(RULES.items()))
    weight = StringField(_l("Weight"), default="0")
    params = StringField(_l("Settings"), validators=[Optional()])
    evidence = TextAreaField(_l("Evidence"), validators=[Optional()])


class ScoreRow(Form):
    school_id = HiddenField()
    value = StringField(_l("Score"))
    comment = TextAreaField(_l("Comment"))


class ScoresForm(FlaskForm):
    rows = FieldList(FormField(ScoreRow))


# --- settings as text -------------------------------------------------------------------------


def settings_keys(rule: str, source: str) -> list[str]:
    """The keys an indicator's settings text accepts: the rule's, with a deduction's figures."""
    if rule == "deduction":
        return [*(SOURCES[source].counts if source in SOURCES else {}), "floor"]
    if rule == "veto" and source == ENTERED:
        return []
    return list(RULE_PARAMS.get(rule, {}))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def settings_text(rule: str, params: dict[str, Any]) -> str:
    """{"points": {"late": 2}, "floor": 0} → "late=2, floor=0"."""
    params = dict(params or {})
    items = list((params.pop("points", None) or {}).items()) if rule == "deduction" else []
    items += list(params.items())
    return ", ".join(f"{key}={_text(value)}" for key, value in items)


def _number(text: str) -> int | float:
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return int(number) if number.is_integer() else number


def parse_settings(text: str, rule: str, source: str) -> tuple[dict[str, Any], list[str]]:
    """Read "key=value, key=value" strictly into a rule's params; the messages name the key."""
    keys = settings_keys(rule, source)
    params: dict[str, Any] = {}
    errors: list[str] = []
    seen: set[str] = set()
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        key, sign, value = (piece.strip() for piece in part.partition("="))
        if not sign or not key or not value:
            errors.append(_("Write each setting as key=value, not '%(part)s'.", part=part))
            continue
        if key not in keys:
            accepted = ", ".join(keys) or _("none")
            errors.append(
                _("'%(key)s' is not a setting of this rule (it takes: %(keys)s).", key=key, keys=accepted)
            )
            continue
        if key in seen:
            errors.append(_("'%(key)s' is given twice.", key=key))
            continue
        seen.add(key)
        if rule == "veto" and key == "count":
            params[key] = value
            continue
        try:
            number = _number(value)
        except ValueError:
            errors.append(_("'%(key)s' must be a number, not '%(value)s'.", key=key, value=value))
            continue
        if rule == "deduction" and key != "floor":
            params.setdefault("points", {})[key] = number
        else:
            params[key] = number
    return params, errors
