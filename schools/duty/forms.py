"""Forms of the roster pages: a month with one row per day, and copying last week.

The rows carry no validators of their own: the operations check every row and name its day in
each message (schools.duty.operations.clean), so a bad row is easy to find in a month of them.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired


class DayRowForm(Form):
    day = HiddenField()
    is_holiday = BooleanField(_l("Holiday"))
    duty_person = StringField(_l("Duty person"))
    duty_phone = StringField(_l("Phone"))
    leader = StringField(_l("Leader on duty"))
    leader_phone = StringField(_l("Leader's phone"))
    note = StringField(_l("Note"))


class MonthForm(FlaskForm):
    month = HiddenField(validators=[DataRequired()])
    days = FieldList(FormField(DayRowForm), max_entries=31)


class CopyWeekForm(FlaskForm):
    week_start = DateField(
        _l("Fill the week starting"), validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))]
    )
