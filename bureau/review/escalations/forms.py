"""Forms of the escalation queue (each action is its own small form)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import Optional


class CoordinateForm(FlaskForm):
    note = TextAreaField(_l("Coordination note"), validators=[Optional()])


class QueueStepForm(FlaskForm):
    step = HiddenField()
    note = TextAreaField(_l("Note"), validators=[Optional()])
    on = DateField(_l("Date rectified"), validators=[Optional()])
