"""Login, lockout, rate limit, CSRF, session revocation and API tokens."""

import re
from datetime import timedelta

from sqlalchemy import select

from tenancy.auth.sessions import hash_token
from tenancy.extensions import db
from tenancy.models import ApiToken, AuditEvent, OrgUnit, User
from tenancy.scoping import tenant_context
from tests.fixtures.app import WebClient


def _user(app, world, username):
    with app.app_context(), tenant_context(world.alpha.id):
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def test_wrong_password_is_refused_with_one_message_for_all_causes(web, world):
    wrong_password = web.login("admin", "nope-nope-1").get_data(as_text=True)
    unknown_user = web.login("nobody", "nope-nope-1").get_data(as_text=True)
    unknown_tenant = web.login("admin", world.password, tenant="gamma").get_data(as_text=True)
    for page in (wrong_password, unknown_user, unknown_tenant):
        assert "Wrong unit code, user name or password." in page or "单位代码、用户名或密码错误" in page


def test_account_locks_after_repeated_failures(app, web, world):
    for _attempt in range(app.config["LOCKOUT_THRESHOLD"]):
        assert web.login("staff", "wrong-password-1").status_code == 200
    # Even the right password is refused while locked.
    page = web.login("staff", world.password)
    assert page.status_code == 200
    user = _user(app, world, "staff")
    assert user.locked_until is not None
    with app.app_context(), tenant_context(world.alpha.id):
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))
        ).all()
    assert "auth.locked" in actions and "auth.login" not in actions


def test_admin_unlock_lets_the_user_back_in(app, web, world):
    for _attempt in range(app.config["LOCKOUT_THRESHOLD"]):
        web.login("staff", "wrong-password-1")
    admin = type(web)(app)
    admin.login("admin", world.password)
    assert admin.post(f"/users/{world.alpha_users['staff']}/unlock").status_code == 302
    assert web.login("staff", world.password).status_code == 302


def test_login_is_rate_limited_per_address(app, web, world):
    statuses = [web.login("nobody", "x-x-x-x-x-1").status_code for _ in range(21)]
    assert statuses[-1] == 429
    assert statuses[0] == 200


def test_csrf_missing_changes_nothing(app, web, world):
    web.login("admin", world.password)
    response = web.post(f"/orgs/{world.alpha_orgs['S12']}/active", {"active": "0"}, csrf=False)
    assert response.status_code == 400
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.get(OrgUnit, world.alpha_orgs["S12"]).is_active


def test_logout_invalidates_a_replayed_cookie(app, web, world):
    web.login("school11", world.password)
    with web.http.session_transaction() as session:
        stolen = dict(session)
    assert web.post("/logout").status_code == 302
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_users_other_sessions(app, world):
    laptop, phone = WebClient(app), WebClient(app)
    laptop.login("school11", world.password)
    phone.login("school11", world.password)
    laptop.post("/logout")
    assert phone.get("/account").status_code == 302


def test_disabled_user_is_out_at_once(app, web, world):
    victim = type(web)(app)
    victim.login("keeper11", world.password)
    assert victim.get("/account").status_code == 200
    web.login("admin", world.password)
    assert web.post(f"/users/{world.alpha_users['keeper11']}/enabled", {"enabled": "0"}).status_code == 302
    assert victim.get("/account").status_code == 302
    assert victim.login("keeper11", world.password).status_code == 200  # refused


def test_idle_session_times_out(app, web, world):
    web.login("school11", world.password)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    with web.http.session_transaction() as session:
        session["seen_at"] -= (idle + timedelta(seconds=5)).total_seconds()
    assert web.get("/account").status_code == 302


def test_absolute_session_timeout(app, web, world):
    web.login("school11", world.password)
    limit = app.config["SESSION_ABSOLUTE_TIMEOUT"]
    with web.http.session_transaction() as session:
        session["login_at"] -= (limit + timedelta(seconds=5)).total_seconds()
    assert web.get("/account").status_code == 302


def test_password_change_needs_the_current_one_and_a_strong_new_one(app, web, world):
    web.login("school11", world.password)
    weak = web.post("/account/password", {"current": world.password, "new": "short", "confirm": "short"})
    assert weak.status_code == 400
    wrong = web.post(
        "/account/password", {"current": "bad-bad-bad-1", "new": "Brand-New-77", "confirm": "Brand-New-77"}
    )
    assert wrong.status_code == 400
    good = web.post(
        "/account/password", {"current": world.password, "new": "Brand-New-77", "confirm": "Brand-New-77"}
    )
    assert good.status_code == 302
    fresh = type(web)(app)
    assert fresh.login("school11", world.password).status_code == 200
    assert fresh.login("school11", "Brand-New-77").status_code == 302


def test_security_headers_forbid_external_sources(web):
    response = web.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "http" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-Id"]


def _token_for(web, app, world, username):
    web.login(username, world.password)
    web.post("/account/tokens", {"name": "laptop"})
    page = web.get("/account").get_data(as_text=True)
    return re.search(r'<code class="secret">(sg_[^<]+)</code>', page).group(1)


def test_token_acts_as_its_user_only(app, web, world):
    secret = _token_for(web, app, world, "reviewer1")
    me = web.http.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert me["username"] == "reviewer1" and me["tenant"] == "alpha"
    # Stored hashed: only the SHA-256 and a short prefix are kept.
    with app.app_context(), tenant_context(world.alpha.id):
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hash_token(secret) and secret not in token.token_hash
        assert token.last_used_at is not None


def test_api_never_falls_back_to_the_cookie(web, world):
    web.login("admin", world.password)
    response = web.get("/api/v1/me")
    assert response.status_code == 401


def test_revoked_and_foreign_tokens_fail(app, web, world):
    secret = _token_for(web, app, world, "reviewer1")
    headers = {"Authorization": f"Bearer {secret}"}
    foreign = web.http.get(f"/api/v1/org-units/{world.beta_orgs['BS1']}", headers=headers)
    assert foreign.status_code == 404
    with app.app_context(), tenant_context(world.alpha.id):
        token_id = db.session.scalar(select(ApiToken.id))
    web.post(f"/account/tokens/{token_id}/revoke")
    assert web.http.get("/api/v1/me", headers=headers).status_code == 401
    assert web.http.get("/api/v1/me", headers={"Authorization": "Bearer sg_forged"}).status_code == 401


def test_token_of_a_disabled_user_fails(app, web, world):
    secret = _token_for(web, app, world, "keeper11")
    admin = type(web)(app)
    admin.login("admin", world.password)
    admin.post(f"/users/{world.alpha_users['keeper11']}/enabled", {"enabled": "0"})
    assert web.http.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
