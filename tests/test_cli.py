"""The safegrid command: good arguments do the work, bad ones say what is wrong and write nothing."""

from sqlalchemy import func, select

from tenancy.extensions import db
from tenancy.models import AuditEvent, Tenant, User
from tenancy.scoping import tenant_context, unscoped


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _tenants(app) -> int:
    with app.app_context(), unscoped():
        return db.session.scalar(select(func.count()).select_from(Tenant))


def test_tenant_create_makes_the_bureau_with_the_same_code(app):
    result = _run(app, "tenant", "create", "qingshan", "青山县教育局")
    assert result.exit_code == 0, result.output
    assert "qingshan" in result.output
    bad = _run(app, "tenant", "create", "Bad Code!", "x")
    assert bad.exit_code == 2 and "CODE" in bad.output
    dup = _run(app, "tenant", "create", "qingshan", "again")
    assert dup.exit_code == 2 and "CODE" in dup.output and "qingshan" in dup.output
    assert _tenants(app) == 1


def test_user_create_and_token(app, world):
    ok = _run(
        app,
        "user",
        "create",
        "--tenant",
        "alpha",
        "--org",
        "S21",
        "--role",
        "school_admin",
        "--password",
        "Long-enough-1",
        "s21admin",
    )
    assert ok.exit_code == 0, ok.output
    token = _run(app, "user", "token", "--tenant", "alpha", "s21admin")
    assert token.exit_code == 0 and token.output.startswith("sg_")
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token.output.strip()}"})
    assert me.get_json()["username"] == "s21admin"
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.scalar(
            select(AuditEvent.actor).where(AuditEvent.action == "user.create").order_by(AuditEvent.id.desc())
        ).startswith("cli:")


def test_user_create_rejects_bad_arguments(app, world):
    cases = [
        (["--org", "NOPE", "--role", "viewer"], "--org"),
        (["--org", "C1", "--role", "school_admin"], "--role"),  # a school role at a central school
        (["--org", "S21", "--role", "emperor"], "--role"),
        (["--org", "S21", "--role", "viewer", "--password", "short"], "--password"),
    ]
    for extra, hint in cases:
        args = ["user", "create", "--tenant", "alpha", *extra]
        if "--password" not in extra:
            args += ["--password", "Long-enough-1"]
        result = _run(app, *args, "newbie")
        assert result.exit_code == 2 and hint in result.output, result.output
    assert (
        _run(
            app,
            "user",
            "create",
            "--tenant",
            "zeta",
            "--org",
            "S21",
            "--role",
            "viewer",
            "--password",
            "Long-enough-1",
            "x",
        ).exit_code
        == 2
    )
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.scalar(select(User).where(User.username == "newbie")) is None
