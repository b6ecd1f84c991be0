"""Forms for reporting an incident and for its follow-up and closing reports.

The follow-up and closing forms share the incident page, so each has a prefix
("follow_up-text", "closing-text"); their CSRF token is the page-wide `csrf_token`, checked
by CSRFProtect for every POST, and the hidden `kind` (unprefixed) says which one was sent.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from schools.incidents.models import KINDS, SEVERITIES
from schools.incidents.operations import COUNT_MAX, PLACE_MAX, TEXT_MAX

COUNT_MESSAGE = _l("Give a whole number of people, 0 or more.")


def _count_field(label, required: bool):
    first = InputRequired(message=COUNT_MESSAGE) if required else Optional()
    return IntegerField(label, validators=[first, NumberRange(0, COUNT_MAX, message=COUNT_MESSAGE)])


class IncidentForm(FlaskForm):
    occurred_at = StringField(
        _l("When it happened (local time)"),
        validators=[DataRequired(message=_l("Give the date and time it happened."))],
    )
    kind = SelectField(_l("Kind"), choices=list(KINDS.items()))
    severity = SelectField(_l("Severity"), choices=list(SEVERITIES.items()), default="general")
    place = StringField(
        _l("Place"), validators=[DataRequired(message=_l("Say where it happened.")), Length(max=PLACE_MAX)]
    )
    summary = TextAreaField(
        _l("What happened"),
        validators=[DataRequired(message=_l("Say what happened.")), Length(max=TEXT_MAX)],
    )
    deaths = _count_field(_l("Deaths"), True)
    serious_injuries = _count_field(_l("Seriously injured"), True)
    minor_injuries = _count_field(_l("Slightly injured"), True)
    measures = TextAreaField(_l("Response measures"), validators=[Optional(), Length(max=TEXT_MAX)])
    is_responsibility_accident = BooleanField(_l("Responsibility accident (责任事故)"))
    attachment = FileField(_l("Photo or PDF (optional)"))


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # the page-wide token is checked by CSRFProtect

    text = TextAreaField(
        _l("Report"), validators=[DataRequired(message=_l("Write the report.")), Length(max=TEXT_MAX)]
    )
    severity = SelectField(_l("Severity"), choices=list(SEVERITIES.items()), validate_choice=False)
    deaths = _count_field(_l("Deaths"), False)
    serious_injuries = _count_field(_l("Seriously injured"), False)
    minor_injuries = _count_field(_l("Slightly injured"), False)
    measures = TextAreaField(
        _l("Measures taken (replaces the earlier text when given)"),
        validators=[Optional(), Length(max=TEXT_MAX)],
    )
    is_responsibility_accident = BooleanField(_l("Responsibility accident (责任事故)"))
    attachment = FileField(_l("Photo or PDF (optional)"))
