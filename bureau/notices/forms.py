"""Forms for issuing a notice, answering it and deciding on the answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bureau.notices.operations import COMMENT_MAX, TEXT_MAX, TITLE_MAX


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NoticeForm(FlaskForm):
    issuer_unit_id = SelectField(_l("Issued by"), coerce=int, validate_choice=False)
    hazard_ids = CheckboxesField(
        _l("Hazards to rectify"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message=_l("List at least one hazard of the school."))],
    )
    deadline = DateField(
        _l("Rectification deadline"),
        validators=[InputRequired(message=_l("Give the deadline for the rectification."))],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Requirements"), validators=[DataRequired(), Length(max=TEXT_MAX)], render_kw={"rows": 8}
    )


class AnswerForm(FlaskForm):
    measures = TextAreaField(
        _l("Measures taken"), validators=[DataRequired(), Length(max=TEXT_MAX)], render_kw={"rows": 8}
    )
    files = MultipleFileField(_l("Photos or PDF files (optional)"))


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[("accept", _l("Accept: the rectification is done")), ("reject", _l("Reject: answer again"))],
        validators=[InputRequired(message=_l("Choose accept or reject."))],
    )
    comment = TextAreaField(
        _l("Comment (required when rejecting)"), validators=[Optional(), Length(max=COMMENT_MAX)]
    )
