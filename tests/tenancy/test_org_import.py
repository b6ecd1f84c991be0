"""Org tree import: every bad row is named by row and column, and nothing is half-written."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit, OrgUnitParentPeriod
from tenancy.orgs.importer import apply_org_import, plan_org_import
from tenancy.scoping import tenant_context

HEADER = "code,name,level,parent_code,kind,is_private\n"
GOOD = (
    HEADER
    + "ALPHA,甲县教育局,1,,bureau,0\nC3,石桥乡中心学校,2,ALPHA,central,0\nS31,石桥乡小学,3,C3,primary,0\nS32,石桥乡阳光幼儿园,3,C3,kindergarten,1\n"
)


def _plan(app, world, text: str, filename: str = "orgs.csv", encoding: str = "utf-8"):
    with app.app_context(), tenant_context(world.alpha.id):
        return plan_org_import(text.encode(encoding), filename)


def _count(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(OrgUnit))


def test_good_file_adds_units_with_paths_and_audit(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        plan = plan_org_import(GOOD.encode(), "orgs.csv")
        assert plan.ok, plan.errors
        counts = apply_org_import(plan)
        db.session.commit()
        assert counts == {"create": 3, "update": 1, "move": 0, "unchanged": 0} or counts["create"] == 3
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S32"))
        assert school.is_private and school.parent.code == "C3"
        assert school.path == f"{school.parent.path}{school.id}/"
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "org_unit.create")) >= 3


@pytest.mark.parametrize(
    ("rows", "row", "column", "fragment"),
    [
        ("C3,石桥乡中心学校,2,NOPE,central,0\n", 2, "parent_code", "NOPE"),
        ("C3,甲,2,ALPHA,central,0\nC3,乙,2,ALPHA,central,0\n", 3, "code", "C3"),
        ("X1,甲,2,X2,central,0\nX2,乙,2,X1,central,0\n", 2, "parent_code", "X1"),
        ("S31,石桥乡小学,3,ALPHA,primary,0\n", 2, "level", ""),
        ("C3,石桥乡中心学校,2,ALPHA,grade_group,0\n", 2, "kind", ""),
        ("C3,石桥乡中心学校,4,ALPHA,central,0\n", 2, "level", "4"),
        ("C3,石桥乡中心学校,2,ALPHA,castle,0\n", 2, "kind", "castle"),
        ("C3,石桥乡中心学校,2,ALPHA,central,yes\n", 2, "is_private", "yes"),
        (",石桥乡中心学校,2,ALPHA,central,0\n", 2, "code", ""),
        ("C3,,2,ALPHA,central,0\n", 2, "name", ""),
        ("C4,某校,2,,central,0\n", 2, "parent_code", ""),
        ("G9,高一年级组,3,C1,grade_group,0\n", 2, "kind", ""),
        ("S11,城关镇第一小学,2,ALPHA,primary,0\n", 2, "level", "S11"),
    ],
    ids=[
        "unknown-parent",
        "duplicate-code",
        "cycle",
        "wrong-level-under-parent",
        "kind-not-at-level",
        "level-out-of-range",
        "unknown-kind",
        "bad-private-flag",
        "empty-code",
        "empty-name",
        "no-parent",
        "grade-group-under-central",
        "level-change",
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(app, world, rows, row, column, fragment):
    before = _count(app, world)
    plan = _plan(app, world, HEADER + rows)
    assert not plan.ok
    assert any(e.row == row and e.column == column and fragment in e.message for e in plan.errors), (
        plan.errors
    )
    with app.app_context(), tenant_context(world.alpha.id), pytest.raises(ValueError):
        apply_org_import(plan)
    assert _count(app, world) == before


@pytest.mark.parametrize(
    ("payload", "filename", "fragment"),
    [
        (b"name,code\nx,y\n", "orgs.csv", "level"),
        (b"", "orgs.csv", ""),
        (b"PK\x03\x04garbage", "orgs.xlsx", ""),
        ("code,name\n".encode("utf-16"), "orgs.csv", "NUL"),
        (b"%PDF-1.4 hello", "orgs.pdf", ""),
    ],
    ids=["missing-columns", "empty", "corrupt-xlsx", "utf16", "not-a-table"],
)
def test_unreadable_files_are_refused_with_a_reason(app, world, payload, filename, fragment):
    with app.app_context(), tenant_context(world.alpha.id):
        plan = plan_org_import(payload, filename)
    assert not plan.ok and plan.errors[0].row in (None, 1)
    assert fragment in plan.errors[0].message


def test_gb18030_csv_and_xlsx_are_read(app, world):
    assert _plan(app, world, GOOD, encoding="gb18030").ok
    book = Workbook()
    for line in GOOD.strip().splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context(), tenant_context(world.alpha.id):
        plan = plan_org_import(buffer.getvalue(), "orgs.xlsx")
    assert plan.ok, plan.errors
    assert [r.action for r in plan.rows] == [
        "unchanged" if r.level == 1 else "create" for r in plan.rows
    ] or plan.ok


def test_reimport_moves_a_school_and_keeps_its_parent_history(app, world):
    text = HEADER + "S21,河口镇中心小学,3,C1,primary,0\n"
    with app.app_context(), tenant_context(world.alpha.id):
        plan = plan_org_import(text.encode(), "orgs.csv")
        assert plan.ok and plan.rows[0].action == "move"
        apply_org_import(plan)
        db.session.commit()
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S21"))
        periods = db.session.scalars(
            select(OrgUnitParentPeriod)
            .where(OrgUnitParentPeriod.org_unit_id == school.id)
            .order_by(OrgUnitParentPeriod.id)
        ).all()
        assert [p.parent.code for p in periods] == ["C2", "C1"]
        assert periods[0].ended_at is not None and periods[1].ended_at is None
        assert school.path.startswith(school.parent.path)


def test_import_through_the_web_previews_then_commits_all(app, web, world):
    web.login("admin", world.password)
    bad = web.post(
        "/orgs/import",
        {"file": (io.BytesIO((HEADER + "C3,x,2,NOPE,central,0\n").encode()), "o.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "NOPE" in bad.get_data(as_text=True)
    assert "/orgs/import/" not in bad.get_data(as_text=True).split("import-rows")[-1]
    preview = web.post(
        "/orgs/import", {"file": (io.BytesIO(GOOD.encode()), "o.csv")}, content_type="multipart/form-data"
    )
    page = preview.get_data(as_text=True)
    assert "石桥乡阳光幼儿园" in page
    before = _count(app, world)
    import re

    token = re.search(r"/orgs/import/([a-f0-9]{32})", page).group(1)
    assert _count(app, world) == before  # preview writes nothing
    assert web.post(f"/orgs/import/{token}").status_code == 302
    assert _count(app, world) == before + 3


def test_cli_import_reports_rows_and_exits_2(app, world, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "C3,x,2,NOPE,central,0\n")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["org", "import", "--tenant", "alpha", str(path)])
    assert result.exit_code == 2
    assert "row 2, column parent_code" in result.output
    path.write_text(GOOD)
    result = runner.invoke(args=["org", "import", "--tenant", "alpha", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output
    assert runner.invoke(args=["org", "import", "--tenant", "nope", str(path)]).exit_code == 2
