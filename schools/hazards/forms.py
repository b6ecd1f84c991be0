"""Forms for reporting a hazard, editing it and taking a lifecycle step."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES


def _cell_id(value):
    return int(value) if value not in (None, "", "0") else None


class HazardForm(FlaskForm):
    found_on = DateField(
        _l("Date found"), validators=[DataRequired(message=_l("Give the date it was found."))]
    )
    location = StringField(_l("Where"), validators=[DataRequired(), Length(max=200)])
    grid_cell_id = SelectField(_l("Grid cell"), coerce=_cell_id, validate_choice=False)
    category = SelectField(_l("Category"), choices=list(CATEGORIES.items()))
    level = SelectField(_l("Level"), choices=list(LEVELS.items()), default="general")
    source = SelectField(_l("How found"), choices=list(SOURCES.items()), default="daily")
    description = TextAreaField(_l("What is wrong"), validators=[DataRequired(), Length(max=2000)])
    measures = TextAreaField(_l("Rectification measures"), validators=[Optional(), Length(max=2000)])
    responsible = StringField(_l("Person responsible"), validators=[Optional(), Length(max=80)])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    remark = TextAreaField(_l("Remarks"), validators=[Optional(), Length(max=2000)])
    photo = FileField(_l("Photo (optional)"))


class StepForm(FlaskForm):
    step = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    on = DateField(_l("Date"), validators=[Optional()])
    to_bureau = BooleanField(_l("Straight to the bureau"))
    photo = FileField(_l("Photo or PDF (optional)"))


class EvidenceForm(FlaskForm):
    file = FileField(_l("Photo or PDF"))
    stage = SelectField(
        _l("What the file shows"),
        choices=[("found", _l("the hazard")), ("rectification", _l("the rectification"))],
    )
