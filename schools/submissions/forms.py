"""Forms for submitting a month's report and reviewing it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from schools.submissions.labels import DECISION_LABELS
from schools.submissions.operations import COMMENT_MAX, NARRATIVE_MAX, PERIOD_PATTERN


class SubmitForm(FlaskForm):
    period = StringField(
        _l("Month"),
        validators=[
            DataRequired(message=_l("Choose the month to report.")),
            Regexp(PERIOD_PATTERN, message=_l("Give the month as YYYY-MM, for example 2026-03.")),
        ],
    )
    narrative = TextAreaField(
        _l("Narrative"),
        validators=[Optional(), Length(max=NARRATIVE_MAX)],
        description=_l("What the school did for safety this month, what it found and what is still open."),
    )


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=list(DECISION_LABELS.items()),
        validators=[DataRequired(message=_l("Choose approve or return."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=COMMENT_MAX)],
        description=_l("Required when returning: say what must change."),
    )
