"""Forms of the user admin pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tenancy.roles import ROLE_LABELS


def role_choices():
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


class GrantForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    org_id = SelectField(_l("Org unit"), coerce=int, validators=[DataRequired()])


class NewUserForm(GrantForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=60)])
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=200)])


class EditUserForm(FlaskForm):
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
