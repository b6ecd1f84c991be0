"""Forms of the platform operator pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class TenantForm(FlaskForm):
    code = StringField(_l("Tenant code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Bureau name"), validators=[DataRequired(), Length(max=120)])
    admin_username = StringField(_l("Bureau admin user name"), validators=[DataRequired(), Length(max=60)])
    admin_name = StringField(_l("Bureau admin full name"), validators=[DataRequired(), Length(max=80)])
    admin_password = PasswordField(
        _l("Bureau admin initial password"), validators=[DataRequired(), Length(max=200)]
    )
