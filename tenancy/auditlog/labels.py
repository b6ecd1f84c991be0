"""Readable names of audit actions, translated when shown (the trail stores the action key)."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "auth.login": _l("Logged in"),
    "auth.login_failed": _l("Failed login"),
    "auth.locked": _l("Locked after repeated failed logins"),
    "auth.logout": _l("Logged out"),
    "auth.password_changed": _l("Changed own password"),
    "api_token.create": _l("Created an API token"),
    "api_token.revoke": _l("Revoked an API token"),
    "tenant.create": _l("Created the tenant"),
    "org_unit.create": _l("Added an org unit"),
    "org_unit.update": _l("Changed an org unit"),
    "org_unit.move": _l("Moved an org unit"),
    "org_unit.close": _l("Closed an org unit"),
    "org_unit.reopen": _l("Reopened an org unit"),
    "org_unit.import": _l("Imported the org tree"),
    "user.create": _l("Created a user"),
    "user.update": _l("Changed a user"),
    "user.enable": _l("Enabled a user"),
    "user.disable": _l("Disabled a user"),
    "user.password_reset": _l("Reset a user's password"),
    "user.unlock": _l("Unlocked a user"),
    "role_grant.create": _l("Granted a role"),
    "role_grant.delete": _l("Withdrew a role"),
    "settings.update": _l("Changed a setting"),
    "hazard.report": _l("Reported a hazard"),
    "hazard.edit": _l("Corrected a hazard"),
    "hazard.start": _l("Started rectifying a hazard"),
    "hazard.rectify": _l("Recorded a rectification"),
    "hazard.verify": _l("Verified and closed a hazard"),
    "hazard.reject": _l("Sent a rectification back after re-check"),
    "hazard.escalate": _l("Escalated a hazard"),
    "hazard.resolve": _l("Recorded a coordinated rectification"),
    "hazard.send_back": _l("Sent an escalated hazard back"),
    "hazard.forward": _l("Forwarded an escalated hazard to the bureau"),
    "hazard.coordinate": _l("Recorded a coordination note on an escalated hazard"),
    "hazard.evidence": _l("Attached evidence to a hazard"),
    "hazard.import_update": _l("Updated a hazard from a ledger file"),
    "ledger.import": _l("Imported a ledger file"),
    "notice.issue": _l("Issued a rectification notice"),
    "notice.answer": _l("Answered a rectification notice"),
    "notice.accept": _l("Accepted the answer to a rectification notice"),
    "notice.reject": _l("Rejected the answer to a rectification notice"),
    "grid_cell.create": _l("Added a grid cell"),
    "grid_cell.update": _l("Changed a grid cell"),
    "grid_cell.close": _l("Closed a grid cell"),
    "grid_cell.assign_owner": _l("Assigned a grid cell's first owner"),
    "grid_cell.hand_over": _l("Handed over a grid cell"),
    "grid_cell.add_deputy": _l("Added a deputy to a grid cell"),
    "grid_cell.end_deputy": _l("Ended a grid cell deputy"),
    "grid_cell.import": _l("Imported a school's grid"),
    "grid_staff.create": _l("Added a staff member"),
    "grid_staff.update": _l("Changed a staff member"),
    "submission.submit": _l("Submitted a monthly report"),
    "submission.approve": _l("Approved a monthly report"),
    "submission.return": _l("Returned a monthly report for resubmission"),
    # drills: labels of schools/drills
    # letters: labels of schools/letters
    # incidents: labels of schools/incidents
    # contacts: labels of schools/contacts
    # duty: labels of schools/duty
    # zeroreports: labels of schools/zeroreports
}


def action_label(action: str) -> str:
    """Return the translated name of an audit action (the key itself when unknown)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
