"""The ledger upload form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class LedgerUploadForm(FlaskForm):
    file = FileField(
        _l("Ledger file (.xlsx or .csv)"), validators=[FileRequired(message=_l("Choose a file."))]
    )
