"""Ledger upload into hazards: preview, all-or-nothing confirm, no duplicates on re-upload."""

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schools.hazards.models import Hazard, LedgerImport
from schools.ledgers.parser import parse_ledger
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.scoping import tenant_context

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "ledgers"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".xlsx", ".csv"))
KID_CSV = SAMPLES / "河口镇中心小学2026年4月隐患排查台账.csv"


def _hazard_count(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(Hazard))


def _upload(web, world, path: Path, name: str | None = None, content: bytes | None = None):
    data = {"file": (io.BytesIO(content if content is not None else path.read_bytes()), name or path.name)}
    return web.post(
        f"/schools/{world.alpha_orgs['S11']}/ledgers/upload", data, content_type="multipart/form-data"
    )


def _confirm(web, world, preview) -> int:
    token = re.search(r"/ledgers/([a-f0-9]{32})", preview.get_data(as_text=True)).group(1)
    return web.post(f"/schools/{world.alpha_orgs['S11']}/ledgers/{token}").status_code


@pytest.fixture
def school_admin(web, world):
    web.login("school11", world.password)
    return web


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_previews_then_imports_its_valid_rows(app, school_admin, world, path):
    expected = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))
    preview = _upload(school_admin, world, path)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert _hazard_count(app, world) == 0  # the preview writes nothing
    for error in expected["error_rows"]:
        assert f"<td>{error['row']}</td>" in page
    assert _confirm(school_admin, world, preview) == 302
    assert _hazard_count(app, world) == len(expected["rows"])
    with app.app_context(), tenant_context(world.alpha.id):
        statuses = sorted(db.session.scalars(select(Hazard.status)))
        record = db.session.scalar(select(LedgerImport))
        assert record.created_count == len(expected["rows"]) and record.error_count == len(
            expected["error_rows"]
        )
    wanted = sorted(
        "escalated" if row["level"] == "major" and row["status"] in ("open", "rectifying") else row["status"]
        for row in expected["rows"]
    )
    assert statuses == wanted


def test_reupload_updates_instead_of_duplicating(app, school_admin, world):
    _confirm(school_admin, world, _upload(school_admin, world, KID_CSV))
    count = _hazard_count(app, world)
    again = _upload(school_admin, world, KID_CSV)
    assert f"{count} " in again.get_data(as_text=True) or "unchanged" in again.get_data(as_text=True)
    _confirm(school_admin, world, again)
    assert _hazard_count(app, world) == count
    text = (
        KID_CSV.read_bytes()
        .decode("utf-8-sig")
        .replace("加装防暴器械", "已配齐防暴器械并登记")
        .replace("整改中,", "已整改,", 1)
    )
    changed = _upload(school_admin, world, KID_CSV, content=text.encode("utf-8-sig"))
    assert "update" in changed.get_data(as_text=True) or "更新" in changed.get_data(as_text=True)
    _confirm(school_admin, world, changed)
    assert _hazard_count(app, world) == count
    with app.app_context(), tenant_context(world.alpha.id):
        updates = db.session.scalar(select(func.count()).where(AuditEvent.action == "hazard.import_update"))
        assert updates >= 1


def test_an_import_killed_midway_leaves_nothing(app, school_admin, world, monkeypatch):
    preview = _upload(school_admin, world, KID_CSV)
    from schools.ledgers import importer

    def explode(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(importer.audit, "record", explode)
    with pytest.raises(RuntimeError):
        _confirm(school_admin, world, preview)
    assert _hazard_count(app, world) == 0
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.scalar(select(func.count()).select_from(LedgerImport)) == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ledger.xlsx", b"just some text, renamed"),
        ("ledger.xlsx", b"PK\x03\x04broken zip"),
        ("ledger.csv", "排查日期,地点\n".encode("utf-16")),
        ("ledger.csv", b"a,b\x00,c\n"),
        ("ledger.csv", "名称,数量\n扫把,3\n".encode()),
        ("ledger.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),
    ],
    ids=["renamed-text", "corrupt-xlsx", "utf16", "nul-bytes", "no-header", "encrypted"],
)
def test_hostile_files_are_refused_and_nothing_is_written(app, school_admin, world, name, content):
    preview = _upload(school_admin, world, KID_CSV, name=name, content=content)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert re.search(r"/ledgers/[a-f0-9]{32}", page) is None  # nothing to confirm
    assert _hazard_count(app, world) == 0


def test_upload_without_a_file_says_so(app, school_admin, world):
    response = school_admin.post(f"/schools/{world.alpha_orgs['S11']}/ledgers/upload", {})
    assert response.status_code == 400 and 'class="error"' in response.get_data(as_text=True)


def test_cli_dry_run_prints_the_contract_json_and_writes_nothing(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ledger", "import", "--dry-run", "--json", str(KID_CSV)])
    assert result.exit_code == 0
    assert json.loads(result.output) == parse_ledger(KID_CSV).to_json()
    assert _hazard_count(app, world) == 0


def test_cli_imports_and_refuses(app, world, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ledger", "import", "--tenant", "alpha", "--school", "S11", str(KID_CSV)])
    assert result.exit_code == 0, result.output
    assert _hazard_count(app, world) == 20
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a spreadsheet")
    refused = runner.invoke(args=["ledger", "import", "--dry-run", "--json", str(bad)])
    assert refused.exit_code == 2 and json.loads(refused.output)["errors"][0]["row"] is None
    assert runner.invoke(args=["ledger", "import", str(KID_CSV)]).exit_code == 2  # import needs tenant+school
    assert (
        runner.invoke(
            args=["ledger", "import", "--tenant", "alpha", "--school", "C1", str(KID_CSV)]
        ).exit_code
        == 2
    )
    template = tmp_path / "t.xlsx"
    assert runner.invoke(args=["ledger", "template", str(template)]).exit_code == 0
    assert parse_ledger(template).rows == []


def test_api_dry_run_matches_the_cli(app, world):
    from tenancy.models import User
    from tests.isolation.foundation import issue_token  # same helper the API tests use

    with app.app_context(), tenant_context(world.alpha.id):
        _token, secret = issue_token(db.session.get(User, world.alpha_users["school11"]), "t")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    data = {"file": (io.BytesIO(KID_CSV.read_bytes()), KID_CSV.name)}
    dry = client.post("/api/v1/ledgers?dry_run=1", headers=headers, data=data)
    body = dry.get_json()
    assert dry.status_code == 200 and body == parse_ledger(KID_CSV).to_json()
    data = {
        "file": (io.BytesIO(KID_CSV.read_bytes()), KID_CSV.name),
        "school_id": str(world.alpha_orgs["S11"]),
    }
    done = client.post("/api/v1/ledgers", headers=headers, data=data)
    assert done.status_code == 201 and done.get_json()["counts"]["create"] == 20
    assert _hazard_count(app, world) == 20
