"""Org-tree pages: browse, edit, add, move, close/reopen, import."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.models import OrgUnit, RoleGrant
from tenancy.orgs import operations, queries
from tenancy.orgs.forms import ImportForm, MoveForm, OrgForm
from tenancy.orgs.importer import apply_org_import, plan_org_import
from tenancy.orgs.kinds import KIND_LABELS, LEVEL_LABELS
from tenancy.scoping import get_scoped_or_404
from tenancy.uploads import discard_staged, load_staged, stage_upload
from tenancy.web import form_status, require


@require("read")
def list_orgs():
    """Show the org tree the user can see."""
    return render_template("tenancy/orgs/tree.html", rows=queries.tree_rows(), kinds=KIND_LABELS)


@require("read")
def show_org(org_id: int):
    """Show one unit: where it sits, what is below it, who holds roles there, its history."""
    org = get_scoped_or_404(OrgUnit, org_id)
    grants = db.session.scalars(select(RoleGrant).where(RoleGrant.org_unit_id == org.id)).all()
    move_form = _move_form(org) if org.level > 1 else None
    return render_template(
        "tenancy/orgs/detail.html",
        org=org,
        crumbs=queries.breadcrumbs(org),
        children=org.children,
        grants=grants,
        history=queries.parent_history(org),
        kinds=KIND_LABELS,
        levels=LEVEL_LABELS,
        move_form=move_form,
    )


def _move_form(org: OrgUnit, formdata=None) -> MoveForm:
    form = MoveForm(formdata=formdata)
    candidates = db.session.scalars(
        select(OrgUnit).where(OrgUnit.level == org.level - 1, OrgUnit.is_active).order_by(OrgUnit.code)
    ).all()
    form.parent_id.choices = [(unit.id, f"{unit.name} ({unit.code})") for unit in candidates]
    if formdata is None:
        form.parent_id.data = org.parent_id
    return form


def _apply_org_form(form: OrgForm, action):
    try:
        return action()
    except operations.OrgError as error:
        getattr(form, error.field or "name", form.name).errors.append(str(error))
        db.session.rollback()
        return None


@require("read")
def edit_org(org_id: int):
    """Edit a unit's code, name, kind and private flag."""
    org = get_scoped_or_404(OrgUnit, org_id, permission="org.manage")
    form = OrgForm(obj=org)
    if org.level == 1:
        form.kind.choices = [("bureau", KIND_LABELS["bureau"])]
    if form.validate_on_submit():
        done = _apply_org_form(
            form,
            lambda: operations.update_org(
                org,
                code=form.code.data,
                name=form.name.data,
                kind=form.kind.data,
                is_private=form.is_private.data,
            ),
        )
        if done:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("orgs.show_org", org_id=org.id))
    status = form_status()
    return render_template("tenancy/orgs/form.html", form=form, org=org, parent=org.parent), status


@require("read")
def new_child(org_id: int):
    """Add a unit below another."""
    parent = get_scoped_or_404(OrgUnit, org_id, permission="org.manage")
    if parent.level >= 3:
        flash(_("Level-3 units have no units below them."), "error")
        return redirect(url_for("orgs.show_org", org_id=parent.id))
    form = OrgForm()
    if form.validate_on_submit():
        org = _apply_org_form(
            form,
            lambda: operations.create_org(
                code=form.code.data,
                name=form.name.data,
                kind=form.kind.data,
                parent=parent,
                is_private=form.is_private.data,
            ),
        )
        if org:
            db.session.commit()
            flash(_("Added %(name)s.", name=org.name), "success")
            return redirect(url_for("orgs.show_org", org_id=org.id))
    status = form_status()
    return render_template("tenancy/orgs/form.html", form=form, org=None, parent=parent), status


@require("read")
def move_org(org_id: int):
    """Move a unit under another parent (e.g. a school to another central school)."""
    org = get_scoped_or_404(OrgUnit, org_id, permission="org.manage")
    form = _move_form(org, formdata=request.form)
    if form.validate_on_submit():
        new_parent = get_scoped_or_404(OrgUnit, form.parent_id.data, permission="org.manage")
        try:
            operations.move_org(org, new_parent)
            db.session.commit()
            flash(_("Moved under %(name)s.", name=new_parent.name), "success")
        except operations.OrgError as error:
            db.session.rollback()
            flash(str(error), "error")
    else:
        flash(_("Choose a valid new parent."), "error")
    return redirect(url_for("orgs.show_org", org_id=org_id))


@require("read")
def set_active(org_id: int):
    """Close or reopen a unit."""
    org = get_scoped_or_404(OrgUnit, org_id, permission="org.manage")
    active = request.form.get("active") == "1"
    try:
        operations.set_active(org, active)
        db.session.commit()
        flash(_("Reopened.") if active else _("Closed; its history is kept."), "success")
    except operations.OrgError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("orgs.show_org", org_id=org_id))


@require("org.manage")
def import_orgs():
    """Upload an org file and preview every row and problem before anything is written."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        plan = plan_org_import(data, upload.filename or "upload")
        token = stage_upload(data, upload.filename or "upload", "org_import") if plan.ok else None
        return render_template(
            "tenancy/orgs/import_preview.html", plan=plan, token=token, filename=upload.filename
        )
    status = form_status()
    return render_template("tenancy/orgs/import.html", form=form, kinds=KIND_LABELS), status


@require("org.manage")
def confirm_import(token: str):
    """Apply a previewed org file: every row or none."""
    data, filename = load_staged(token, "org_import")
    plan = plan_org_import(data, filename)
    if not plan.ok:
        # The tree changed since the preview; show the new problems instead of writing.
        return render_template(
            "tenancy/orgs/import_preview.html", plan=plan, token=None, filename=filename
        ), 409
    counts = apply_org_import(plan)
    db.session.commit()
    discard_staged(token)
    flash(
        _(
            "Imported: %(create)d added, %(update)d changed, %(move)d moved, %(unchanged)d unchanged.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("orgs.list_orgs"))
