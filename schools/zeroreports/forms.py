"""Forms of the zero-report pages: open a window, change its end, report a day.

The day's counts are not WTForms fields (each window counts its own items): the report page
names them `value-<n>` after the item's position, and the view reads them from the request.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from schools.zeroreports.operations import NOTE_MAX, TITLE_MAX

TARGET_CHOICES = [
    ("all", _l("All schools of the district")),
    ("selected", _l("Selected central schools / schools")),
]


class WindowForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the window a title.")), Length(max=TITLE_MAX)],
        description=_l("For example 防汛期间每日零报告 or 秋冬季传染病防控日报."),
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=_l("Give the first day."))])
    ends_on = DateField(
        _l("Last day (optional)"),
        validators=[Optional()],
        description=_l("Leave empty to run until the window is switched off."),
    )
    deadline = TimeField(
        _l("Daily deadline"),
        default=None,
        validators=[InputRequired(message=_l("Give the daily deadline, for example 16:00."))],
        description=_l("Local time; the whole minute counts as on time."),
    )
    items = TextAreaField(
        _l("Items counted"),
        validators=[DataRequired(message=_l("Name at least one item to count."))],
        description=_l("One per line, for example 因病缺课人数. A zero report is all zeros."),
        render_kw={"rows": 4},
    )
    target = RadioField(
        _l("Reporting schools"), choices=TARGET_CHOICES, default="all", validators=[InputRequired()]
    )
    note = TextAreaField(
        _l("Instructions to schools (optional)"), validators=[Optional(), Length(max=NOTE_MAX)]
    )


class EndDateForm(FlaskForm):
    ends_on = DateField(
        _l("New last day"),
        validators=[Optional()],
        description=_l("Leave empty to run until the window is switched off."),
    )


class ReportForm(FlaskForm):
    window_id = IntegerField(validators=[InputRequired()])
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Give the day reported."))])
    note = TextAreaField(
        _l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)], render_kw={"rows": 2}
    )
    zero = HiddenField()  # "1" from the one-click zero-report button
