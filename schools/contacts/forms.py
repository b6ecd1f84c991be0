"""Form for adding and changing a partner contact."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from schools.contacts.models import PARTNER_KINDS
from schools.contacts.operations import NOTES_MAX, PERSON_MAX, UNIT_NAME_MAX


class ContactForm(FlaskForm):
    kind = SelectField(_l("Partner kind"), choices=list(PARTNER_KINDS.items()))
    unit_name = StringField(
        _l("Partner unit"),
        validators=[DataRequired(message=_l("Give the partner unit's name.")), Length(max=UNIT_NAME_MAX)],
        description=_l("e.g. 城关派出所"),
    )
    person = StringField(
        _l("Responsible person"),
        validators=[DataRequired(message=_l("Give the responsible person.")), Length(max=PERSON_MAX)],
    )
    phone = StringField(
        _l("Phone"),
        validators=[DataRequired(message=_l("Give a phone number."))],
        description=_l("Mobile (13912345678) or landline with area code (0571-88886666, extension -801)"),
    )
    notes = TextAreaField(_l("Remarks"), validators=[Optional(), Length(max=NOTES_MAX)])
