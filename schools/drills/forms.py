"""Forms for recording a drill and attaching photos."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from schools.drills.models import DRILL_KINDS
from schools.drills.operations import DURATION_MAX, PARTICIPANTS_MAX, TEXT_MAX


class DrillForm(FlaskForm):
    held_on = DateField(
        _l("Date held"), validators=[DataRequired(message=_l("Give the date the drill was held."))]
    )
    kind = SelectField(_l("Kind of drill"), choices=list(DRILL_KINDS.items()))
    participants = IntegerField(
        _l("Participants"),
        validators=[
            InputRequired(message=_l("Give the number of people who took part.")),
            NumberRange(1, PARTICIPANTS_MAX, message=_l("Give a number from 1 to %(max)s.")),
        ],
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(message=_l("Give how many minutes the drill took.")),
            NumberRange(1, DURATION_MAX, message=_l("Give a number from 1 to %(max)s.")),
        ],
    )
    problems = TextAreaField(
        _l("Problems found"),
        validators=[
            DataRequired(message=_l("Say what problems the drill found (write “无” when there were none).")),
            Length(max=TEXT_MAX),
        ],
    )
    improvements = TextAreaField(_l("Improvements made"), validators=[Optional(), Length(max=TEXT_MAX)])
    notes = TextAreaField(_l("Remarks"), validators=[Optional(), Length(max=TEXT_MAX)])
    new_photos = MultipleFileField(_l("Photos (optional)"))

    def values(self) -> dict:
        """The drill's values for the operations layer."""
        return {
            name: getattr(self, name).data
            for name in (
                "held_on",
                "kind",
                "participants",
                "duration_minutes",
                "problems",
                "improvements",
                "notes",
            )
        }


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"))
