"""Forms of the letter pages: issue, sign, scan, re-sign, in-school letters and targets."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from schools.letters.models import SCHOOL_TIERS, TIERS
from schools.letters.operations import COUNT_MAX, LABEL_MAX, NAME_MAX, NOTE_MAX, POST_MAX

DATE_MESSAGE = _l("Give a date as YYYY-MM-DD.")


class IssueForm(FlaskForm):
    """Issue the year's letters to all units below without one, or to one of them (receiver_id)."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    issuer_id = IntegerField(validators=[InputRequired()])
    receiver_id = IntegerField(validators=[Optional()])
    issued_on = DateField(_l("Issued on"), validators=[InputRequired(message=DATE_MESSAGE)])


class SignForm(FlaskForm):
    signed_on = DateField(_l("Signed on"), validators=[InputRequired(message=DATE_MESSAGE)])
    signer_name = StringField(_l("Signed by (name)"), validators=[DataRequired(), Length(max=NAME_MAX)])
    signer_post = StringField(_l("Post (e.g. 校长)"), validators=[Optional(), Length(max=POST_MAX)])
    scan = FileField(_l("Scan of the signed letter (PDF, JPEG or PNG)"))


class ScanForm(FlaskForm):
    scan = FileField(
        _l("Scan of the signed letter (PDF, JPEG or PNG)"), validators=[FileRequired(_l("Choose a file."))]
    )


class ResignForm(FlaskForm):
    """The responsible person changed: a new letter for the new signer."""

    signer_name = StringField(_l("New responsible person"), validators=[DataRequired(), Length(max=NAME_MAX)])
    signer_post = StringField(_l("Post (e.g. 校长)"), validators=[Optional(), Length(max=POST_MAX)])
    issued_on = DateField(_l("New letter issued on"), validators=[InputRequired(message=DATE_MESSAGE)])
    note = TextAreaField(_l("Why (e.g. new principal)"), validators=[Optional(), Length(max=NOTE_MAX)])


class SchoolLetterForm(FlaskForm):
    year = HiddenField()
    tier = SelectField(_l("Letter"), choices=[(tier, TIERS[tier]) for tier in SCHOOL_TIERS])
    signer_label = StringField(
        _l("Signed by (staff member, department or class)"),
        validators=[DataRequired(), Length(max=LABEL_MAX)],
    )
    signer_name = StringField(_l("Responsible person"), validators=[Optional(), Length(max=NAME_MAX)])
    signer_post = StringField(_l("Post"), validators=[Optional(), Length(max=POST_MAX)])
    issued_on = DateField(_l("Issued on"), validators=[InputRequired(message=DATE_MESSAGE)])


class TargetForm(FlaskForm):
    year = HiddenField()
    staff_count = IntegerField(
        _l("Staff who sign a letter"), validators=[InputRequired(), NumberRange(0, COUNT_MAX)]
    )
    class_count = IntegerField(_l("Classes"), validators=[InputRequired(), NumberRange(0, COUNT_MAX)])
