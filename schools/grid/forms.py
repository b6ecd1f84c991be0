"""Forms of the campus-grid pages.

The owner, handover, deputy and close forms share the cell page, so each has a prefix
(field names like `handover-staff_id`); their CSRF token is the page-wide `csrf_token`,
checked by CSRFProtect for every POST.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from schools.grid.kinds import KEY_AREA_LABELS, KIND_LABELS


class CellForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    parent_id = SelectField(_l("Inside"), coerce=int)
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    key_area_kind = SelectField(
        _l("Key area (重点部位)"), choices=[("", _l("Not a key area")), *KEY_AREA_LABELS.items()]
    )
    starts_at = TimeField(_l("Starts at (time-axis cells)"), validators=[Optional()])
    ends_at = TimeField(_l("Ends at (time-axis cells)"), validators=[Optional()])
    sort_order = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 9999)])


class _ActionForm(FlaskForm):
    class Meta:
        csrf = False  # the page-wide token is checked by CSRFProtect


class CloseCellForm(_ActionForm):
    closed_on = DateField(_l("Last day"), validators=[InputRequired()])


class OwnerForm(_ActionForm):
    staff_id = SelectField(_l("Primary owner"), coerce=int, validators=[DataRequired()])
    starts_on = DateField(_l("Responsible from"), validators=[InputRequired()])


class HandoverForm(_ActionForm):
    staff_id = SelectField(_l("New primary owner"), coerce=int, validators=[DataRequired()])
    handover_on = DateField(_l("Handover date (last day of the current owner)"), validators=[InputRequired()])


class DeputyForm(_ActionForm):
    staff_id = SelectField(_l("Deputy"), coerce=int, validators=[DataRequired()])
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until (optional)"), validators=[Optional()])


class EndDeputyForm(_ActionForm):
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])


class StaffForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=60)])
    position = StringField(_l("Position (e.g. 班主任, 保安)"), validators=[Optional(), Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    user_id = SelectField(_l("Grid keeper login"), coerce=int, default=0)
    is_active = BooleanField(_l("Works at the school"), default=True)


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired()])
