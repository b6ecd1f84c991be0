"""The tenant settings form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from tenancy.settings.store import TIMEZONES


class SettingsForm(FlaskForm):
    timezone = SelectField(_l("Time zone"), choices=[(zone, zone) for zone in TIMEZONES])
    report_due_day = IntegerField(
        _l("Monthly report due on day"),
        validators=[InputRequired(), NumberRange(1, 28, message=_l("Choose a day from 1 to 28."))],
        description=_l("Reports for a month are due on this day of the next month, at 23:59 local time."),
    )
