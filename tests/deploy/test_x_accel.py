"""Stored files through send_stored: sent by the app, or handed to nginx with X-Accel-Redirect."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from schools.hazards.models import Evidence
from tenancy.config import Config
from tenancy.extensions import db
from tenancy.scoping import tenant_context

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.4\n" + b"%" * 50


def _attach(web, world, data: bytes, filename: str) -> Evidence:
    """Report a hazard at S11 with one file; return its evidence row."""
    response = web.post(
        f"/schools/{world.alpha_orgs['S11']}/hazards/new",
        {
            "found_on": "2026-03-02",
            "location": "学校东侧围墙",
            "category": "security",
            "level": "general",
            "source": "daily",
            "description": "围墙有裂缝",
            "deadline": "2026-03-09",
            "photo": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with web.app.app_context(), tenant_context(world.alpha.id):
        item = db.session.scalars(select(Evidence).order_by(Evidence.id.desc())).first()
        db.session.expunge(item)
        return item


@pytest.fixture
def school_admin(web, world):
    assert web.login("school11", world.password).status_code == 302
    return web


def test_without_a_prefix_the_app_sends_the_file(app, school_admin, world):
    assert app.config["X_ACCEL_PREFIX"] is None
    item = _attach(school_admin, world, PNG, "crack.png")
    response = school_admin.get(f"/evidence/{item.id}")
    assert response.status_code == 200 and response.data == PNG
    assert "X-Accel-Redirect" not in response.headers
    assert response.headers["Content-Disposition"] == "inline; filename=crack.png"


def test_with_a_prefix_nginx_sends_the_file(app, school_admin, world, monkeypatch):
    monkeypatch.setitem(app.config, "X_ACCEL_PREFIX", "/_protected")
    item = _attach(school_admin, world, PDF, "整改报告.pdf")
    response = school_admin.get(f"/evidence/{item.id}")
    assert response.status_code == 200 and response.data == b""
    target = response.headers["X-Accel-Redirect"]
    assert target == f"/_protected/evidence/{world.alpha.id}/{item.stored_name}"
    # nginx's `alias <upload folder>/` turns the rest of the URI into exactly the stored file.
    on_disk = Path(app.config["UPLOAD_FOLDER"]) / target.removeprefix("/_protected/")
    assert on_disk.read_bytes() == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=.pdf; filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf"
    )
    assert response.headers["Cache-Control"] == "no-store"  # kept by nginx across the redirect


def test_the_scope_check_comes_first(app, web, world, monkeypatch):
    monkeypatch.setitem(app.config, "X_ACCEL_PREFIX", "/_protected")
    assert web.login("school11", world.password).status_code == 302
    item = _attach(web, world, PNG, "crack.png")
    other = type(web)(app)
    assert other.login("betaschool", world.password, tenant="beta").status_code == 302
    response = other.get(f"/evidence/{item.id}")
    assert response.status_code == 404 and "X-Accel-Redirect" not in response.headers
    assert type(web)(app).get(f"/evidence/{item.id}").status_code == 302  # anonymous: to the login


@pytest.mark.parametrize(("value", "expected"), [("", None), ("/_protected/", "/_protected"), ("/x", "/x")])
def test_the_setting(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("SAFEGRID_X_ACCEL_PREFIX", value)
    monkeypatch.setenv("SAFEGRID_SECRET_KEY", "k")
    prefix = Config(tmp_path).X_ACCEL_PREFIX
    assert prefix == expected


def test_every_stored_file_download_goes_through_send_stored():
    """The views that serve attached files (not generated exports) use the one helper."""
    root = Path(__file__).resolve().parents[2]
    for module in (
        "schools/hazards/views.py",
        "schools/letters/views.py",
        "schools/incidents/views.py",
        "schools/drills/views.py",
        "bureau/notices/views.py",
    ):
        source = (root / module).read_text()
        assert "send_stored(" in source, module
        assert not re.search(r"send_file\(\s*[\w.]*_path\(", source), module
