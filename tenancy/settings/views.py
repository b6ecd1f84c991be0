"""The bureau admin's page of tenant settings."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from tenancy import audit
from tenancy.extensions import db
from tenancy.settings.forms import SettingsForm
from tenancy.settings.store import DEFAULTS, get_setting, set_setting
from tenancy.web import form_status, require


@require("settings.manage")
def edit_settings():
    """Show and change the tenant's settings; each change is audited."""
    form = SettingsForm.from_settings({key: get_setting(key) for key in DEFAULTS})
    if form.validate_on_submit():
        for key, after in form.setting_values().items():
            before = get_setting(key)
            if before != after:
                row = set_setting(key, after)
                audit.record(
                    "settings.update", row, changes={key: {"before": before, "after": after}}, summary=key
                )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("settings.edit_settings"))
    status = form_status()
    return render_template("tenancy/settings/edit.html", form=form, defaults=DEFAULTS), status
