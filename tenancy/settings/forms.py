"""The tenant settings form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange

from tenancy.settings.semesters import SEMESTER_FIELDS, semester_problems
from tenancy.settings.store import DEFAULTS, TIMEZONES


def _month_day(label):
    return StringField(label, render_kw={"placeholder": "MM-DD", "maxlength": 5, "inputmode": "numeric"})


class SettingsForm(FlaskForm):
    timezone = SelectField(_l("Time zone"), choices=[(zone, zone) for zone in TIMEZONES])
    report_due_day = IntegerField(
        _l("Monthly report due on day"),
        validators=[InputRequired(), NumberRange(1, 28, message=_l("Choose a day from 1 to 28."))],
        description=_l("Reports for a month are due on this day of the next month, at 23:59 local time."),
    )
    spring_start = _month_day(_l("Spring semester starts"))
    spring_end = _month_day(_l("Spring semester ends"))
    autumn_start = _month_day(_l("Autumn semester starts"))
    autumn_end = _month_day(_l("Autumn semester ends"))

    @classmethod
    def from_settings(cls, values: dict) -> "SettingsForm":
        """The form filled with the tenant's current values (semesters spread over four fields)."""
        data = {key: value for key, value in values.items() if key != "semesters"}
        return cls(data=data | dict(values["semesters"]))

    def validate(self, extra_validators=None) -> bool:
        # Semester fields left out of the request keep their current value (WTForms keeps the
        # object data); all four sent empty mean the defaults; otherwise all four are checked.
        valid = super().validate(extra_validators)
        if not any((getattr(self, name).data or "").strip() for name in SEMESTER_FIELDS):
            return valid  # all four left empty: the default semesters
        for name, message in semester_problems(self._semester_input()).items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]
            valid = False
        return valid

    def _semester_input(self) -> dict[str, str]:
        return {name: (getattr(self, name).data or "").strip() for name in SEMESTER_FIELDS}

    def setting_values(self) -> dict:
        """Return {setting key: value} of every setting on the form."""
        semesters = self._semester_input()
        return {
            "timezone": self.timezone.data,
            "report_due_day": self.report_due_day.data,
            "semesters": semesters if any(semesters.values()) else dict(DEFAULTS["semesters"]),
        }
