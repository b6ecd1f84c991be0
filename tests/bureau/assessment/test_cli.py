"""`safegrid assess` and `safegrid export assessment`: good arguments do the work and say how long it
took; bad ones say what is wrong, exit non-zero and write nothing."""

import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from bureau.assessment.models import Result
from bureau.assessment.operations import close_year, create_rubric
from bureau.assessment.queries import rubric_of
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today

TOOK = re.compile(r" in \d+\.\d\d s$", re.MULTILINE)


def _run(app, *args):
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


@pytest.fixture
def year(app, world) -> int:
    """Last year; alpha's units were put on the platform the year before, so all are assessed."""
    with app.app_context(), tenant_context(world.alpha.id):
        year = tenant_today().year - 1
        db.session.execute(update(OrgUnit).values(created_at=datetime(year - 1, 6, 1, tzinfo=UTC)))
        db.session.commit()
    return year


def _results(app, world, year) -> int | None:
    with app.app_context(), tenant_context(world.alpha.id):
        rubric = rubric_of(year)
        if rubric is None:
            return None
        return db.session.scalar(
            select(func.count()).select_from(Result).where(Result.rubric_id == rubric.id)
        )


def test_assess_creates_the_rubric_and_computes_the_year(app, world, year):
    first = _run(app, "assess", "--tenant", "alpha", year)
    assert first.exit_code == 0, first.output
    assert f"alpha: {year} rubric created from the default one" in first.output
    assert f"alpha {year}: 4 school(s) through {year}-12-31 in " in first.output
    assert TOOK.search(first.output)
    assert _results(app, world, year) == 4
    again = _run(app, "assess", "--tenant", "alpha", year)
    assert again.exit_code == 0 and "created" not in again.output and TOOK.search(again.output)
    assert _results(app, world, year) == 4


def test_assess_refuses_bad_arguments(app, world, year):
    unknown = _run(app, "assess", "--tenant", "zeta", year)
    assert unknown.exit_code == 2 and "--tenant" in unknown.output and "zeta" in unknown.output
    for bad in (1999, 2101, "last"):
        result = _run(app, "assess", "--tenant", "alpha", bad)
        assert result.exit_code == 2 and "YEAR" in result.output, result.output
    future = _run(app, "assess", "--tenant", "alpha", year + 2)
    assert future.exit_code == 1 and f"{year + 2}" in future.output and "Traceback" not in future.output
    assert _results(app, world, year + 2) is None  # the rubric it would have created is not kept
    assert _run(app, "assess", "--tenant", "alpha", year).exit_code == 0
    with app.app_context(), tenant_context(world.alpha.id):
        close_year(rubric_of(year))
        db.session.commit()
    closed = _run(app, "assess", "--tenant", "alpha", year)
    assert closed.exit_code == 1 and f"{year}" in closed.output
    assert _results(app, world, year) == 4


def test_export_writes_a_workbook_openpyxl_reads(app, world, year, tmp_path):
    assert _run(app, "assess", "--tenant", "alpha", year).exit_code == 0
    target = tmp_path / "考核.xlsx"
    result = _run(app, "export", "assessment", "--tenant", "alpha", year, target)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"alpha {year}: written to {target} in ") and TOOK.search(result.output)
    book = load_workbook(target)
    assert book.sheetnames == ["汇总", "城关镇中心学校", "河口镇中心学校", "直属学校", "指标说明"]
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "中心校", "学校", "学校代码")
    assert sorted(row[3] for row in rows[1:]) == ["D1", "S11", "S12", "S21"]
    assert [path.name for path in tmp_path.iterdir()] == ["考核.xlsx"]  # no temporary file left
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not the temporary file's private mode
    # Writing again replaces the file whole.
    assert _run(app, "export", "assessment", "--tenant", "alpha", year, target).exit_code == 0
    assert load_workbook(target).sheetnames[0] == "汇总"


def test_export_refuses_bad_arguments_and_writes_nothing(app, world, year, tmp_path):
    assert _run(app, "assess", "--tenant", "alpha", year).exit_code == 0
    with app.app_context(), tenant_context(world.alpha.id):
        create_rubric(year - 1)  # a rubric never computed
        db.session.commit()
    target = tmp_path / "out.xlsx"
    a_file = tmp_path / "plain.txt"
    a_file.write_text("keep")
    cases = [
        (["--tenant", "zeta", year, target], 2, "--tenant"),
        (["--tenant", "alpha", 1999, target], 2, "YEAR"),
        (["--tenant", "alpha", "next", target], 2, "YEAR"),
        (["--tenant", "alpha", year - 1, target], 1, "has not been computed"),
        (["--tenant", "alpha", year - 2, target], 1, "has not been computed"),
        (["--tenant", "alpha", year, tmp_path / "missing" / "out.xlsx"], 2, "FILE"),
        (["--tenant", "alpha", year, a_file / "out.xlsx"], 2, "FILE"),
        (["--tenant", "alpha", year, tmp_path], 2, "FILE"),  # a directory
    ]
    for args, code, hint in cases:
        result = _run(app, "export", "assessment", *args)
        assert (result.exit_code, hint in result.output) == (code, True), (args, result.output)
        assert "Traceback" not in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plain.txt"]
    assert a_file.read_text() == "keep"
