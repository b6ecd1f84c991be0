"""Forms of the org-tree admin pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from tenancy.orgs.kinds import KIND_LABELS


class OrgForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        _l("Kind"), choices=[(code, label) for code, label in KIND_LABELS.items() if code != "bureau"]
    )
    is_private = BooleanField(_l("Private (民办)"))


class MoveForm(FlaskForm):
    parent_id = SelectField(_l("New parent"), coerce=int, validators=[DataRequired()])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired()])
