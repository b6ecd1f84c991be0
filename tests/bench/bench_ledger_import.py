"""Time the dry run and the import of a 20,000-row ledger against a raw python-calamine read.

Run: .venv/bin/python tests/bench/bench_ledger_import.py [--rows 20000] [--repeat 3]
Budgets: dry run (parse + validate) ≤ 3 × the raw read; import into SQLite (parse, match,
insert, commit) ≤ 5 × the raw read; peak RSS ≤ 300 MB. The exit status is 1 when one is exceeded.
Each timed stage is a function of the file's path in STAGES.
"""

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from schools.ledgers.parser import parse_ledger  # noqa: E402

HEADER = "序号 排查日期 排查类型 排查部位 隐患类别 隐患等级 隐患描述 整改措施 责任人 整改期限 完成日期 整改情况 复查人 备注"
MAX_RATIO = 3.0
MAX_IMPORT_RATIO = 5.0
MAX_RSS_MB = 300
SOURCES = ("日巡查", "周检查", "月排查", "专项检查", "督导检查")
CATEGORIES = ("消防", "校舍", "饮食卫生", "安保", "实验室与危险化学品", "水电气暖与锅炉", "交通车辆")
LEVELS = ("一般隐患", "一般隐患", "一般隐患", "较大隐患", "重大隐患")
DEADLINES = ("立即", "三天内", "一周内", "本月内", "3日内")
STATUSES = ("待整改", "整改中", "已整改", "已复查销号", "")


def write_ledger(path: Path, rows: int) -> None:
    """Write a ledger in the platform template layout: header on row 1, date cells, SPEC labels."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("隐患台账")
    sheet.append(HEADER.split())
    start = date(2026, 3, 1)
    for index in range(rows):
        found = start + timedelta(days=index % 90)
        rectified = found + timedelta(days=index % 7) if index % 3 else None
        deadline = found + timedelta(days=10) if index % 2 else DEADLINES[index % len(DEADLINES)]
        sheet.append(
            [
                index + 1,
                found,
                SOURCES[index % len(SOURCES)],
                f"教学楼{index % 6 + 1}楼{index % 30 + 1}室",
                CATEGORIES[index % len(CATEGORIES)],
                LEVELS[index % len(LEVELS)],
                f"第{index + 1}处隐患：灭火器压力不足，疏散标志不亮",
                "立即更换，张贴警示标志",
                f"责任人{index % 40}",
                deadline,
                rectified,
                STATUSES[index % len(STATUSES)],
                "李复查" if index % 4 == 0 else None,
                "已拍照留存" if index % 5 == 0 else None,
            ]
        )
    workbook.save(path)


def read_raw(path: Path) -> int:
    """Read every cell of every sheet with python-calamine, as the baseline."""
    cells = 0
    with CalamineWorkbook.from_path(path) as workbook:
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python():
                cells += len(row)
    return cells


def parse(path: Path) -> int:
    """Parse and validate the ledger; every generated row must be read without error."""
    result = parse_ledger(path)
    if result.refused or result.errors:
        raise SystemExit(f"the generated ledger did not parse cleanly: {result.errors[:3]}")
    return len(result.rows)


class SQLiteImport:
    """Import into a fresh SQLite database of a real app; each run starts from no hazards."""

    def __init__(self, folder: Path) -> None:
        from sqlalchemy import delete

        from bureau.app import create_app
        from tenancy.config import TestConfig
        from tenancy.extensions import db
        from tenancy.orgs.operations import create_org
        from tenancy.platform.operations import create_tenant
        from tenancy.scoping import tenant_context

        self.app = create_app(TestConfig(f"sqlite:///{folder / 'bench.db'}", None, folder / "instance"))
        self.delete = delete
        with self.app.app_context():
            db.create_all()
            tenant, bureau = create_tenant("bench", "基准测试教育局")
            with tenant_context(tenant.id):
                central = create_org(code="C", name="中心学校", kind="central", parent=bureau)
                school = create_org(code="S", name="第一小学", kind="primary", parent=central)
                self.tenant_id, self.school_id = tenant.id, school.id
                db.session.commit()

    def prepare(self) -> None:
        """Empty the hazards before a timed run (untimed)."""
        from schools.hazards.models import Hazard, LedgerImport
        from tenancy.extensions import db
        from tenancy.scoping import tenant_context

        with self.app.app_context(), tenant_context(self.tenant_id):
            db.session.execute(self.delete(Hazard))
            db.session.execute(self.delete(LedgerImport))
            db.session.commit()

    def __call__(self, path: Path) -> int:
        from schools.ledgers.importer import import_ledger_file
        from tenancy.extensions import db
        from tenancy.models import OrgUnit
        from tenancy.scoping import tenant_context

        with self.app.app_context(), tenant_context(self.tenant_id):
            school = db.session.get(OrgUnit, self.school_id)
            plan, record = import_ledger_file(path, school)
            db.session.commit()
            created = record.created_count
        if created != len(plan.parse.rows) or plan.parse.errors:
            raise SystemExit(f"the import did not write every row: {created} of {len(plan.parse.rows)}")
        return created


STAGES: list[tuple[str, Callable[[Path], int]]] = [("calamine_read", read_raw), ("parse_ledger", parse)]


def best_time(stage: Callable[[Path], int], path: Path, repeat: int) -> float:
    """Return the fastest of `repeat` runs, in seconds."""
    timings = []
    for _attempt in range(repeat):
        if hasattr(stage, "prepare"):
            stage.prepare()
        started = time.perf_counter()
        stage(path)
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> int:
    """Generate the ledger, time every stage, print the figures and check the budget."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=20_000)
    options.add_argument("--repeat", type=int, default=3)
    arguments = options.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "隐患台账.xlsx"
        write_ledger(path, arguments.rows)
        print(f"rows: {arguments.rows}")
        print(f"file_bytes: {path.stat().st_size}")
        stages = [*STAGES, ("sqlite_import", SQLiteImport(Path(folder)))]
        timings = {name: best_time(stage, path, arguments.repeat) for name, stage in stages}
    for name, seconds in timings.items():
        print(f"{name}_seconds: {seconds:.3f}")
    ratio = timings["parse_ledger"] / timings["calamine_read"]
    import_ratio = timings["sqlite_import"] / timings["calamine_read"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"parse_to_raw_ratio: {ratio:.2f} (budget {MAX_RATIO:g})")
    print(f"import_to_raw_ratio: {import_ratio:.2f} (budget {MAX_IMPORT_RATIO:g})")
    print(f"peak_rss_mb: {peak_mb:.0f} (budget {MAX_RSS_MB})")
    within = ratio <= MAX_RATIO and import_ratio <= MAX_IMPORT_RATIO and peak_mb <= MAX_RSS_MB
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
