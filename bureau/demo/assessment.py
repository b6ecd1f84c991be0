"""The annual assessment (年度考核) of the demo district: last year closed, this year a preview.

Both years use the default rubric, except that the grids were only mapped this year: last year
a school without a grid earned the grid points in full (the bureau's note is kept as the
indicator's evidence). The bureau's safety
office (安全科) entered the on-site inspection score of almost every school last year and of most
schools so far this year; the safety-education records were scored by the central schools'
reviewers for their schools and by the bureau for the others, fewer of them this year. Every
score has a comment in the inspectors' words. Last year 石桥乡马家小学 was found to have concealed an
injury (瞒报): an entered veto, so it failed. Both years are computed from the demo's records (the
loader calls this after rebuilding the rollups), and last year is closed, so the demo shows a
frozen year next to this year's preview. Deterministic (one seeded random.Random per school and
year); skipped when the demo already has a rubric.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from bureau.assessment.models import EnteredScore, Rubric
from bureau.assessment.operations import (
    close_year,
    compute,
    create_rubric,
    enter_score,
    period_for,
    save_rubric,
    schools_assessed,
)
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_timezone, tenant_today

CONCEALED = "SQ-MJXX"  # 石桥乡马家小学: last year's veto
CONCEALMENT = "瞒报：学生课间摔伤致骨折，学校未按规定上报，经家长反映后查实，一票否决"
GRID_NOTE = "网格化管理本年度尚未推行：未建网格的学校本项按满分计；已建网格的按年末最后一天的覆盖率计。"
REVIEWERS = {"CG-ZX": "cg_reviewer", "HK-ZX": "hk_reviewer"}  # score their own schools' education
BUREAU_STAFF = "anquanke"
# Share of schools scored: (inspection, education), last year and so far this year.
SCORED = {False: (0.96, 0.9), True: (0.75, 0.6)}
INSPECTION_COMMENTS = (
    (
        90,
        (
            "安全管理制度健全，台账规范，隐患整改及时",
            "校园安全设施完好，值班值守落实到位",
            "消防器材配备齐全，检查记录完整，疏散通道畅通",
            "校园周边环境整治到位，护学岗常态化开展",
        ),
    ),
    (
        80,
        (
            "安全台账基本齐全，个别记录填写不规范",
            "消防通道畅通，但部分灭火器未按月检查",
            "门卫来访登记落实，监控存在个别盲区",
            "食堂管理规范，留样记录偶有缺漏",
        ),
    ),
    (
        70,
        (
            "隐患排查记录不完整，整改销号不及时",
            "食堂从业人员健康证有过期，已责令整改",
            "应急预案未结合学校实际修订，演练记录简单",
            "配电房堆放杂物，电线私拉乱接，已现场督促整改",
        ),
    ),
    (
        0,
        (
            "安全工作责任不落实，多项台账缺失，限期整改",
            "校舍存在安全隐患未及时上报，约谈校长",
            "消防设施损坏未修复，安全出口上锁，责令立即整改",
        ),
    ),
)
EDUCATION_COMMENTS = (
    (90, ("安全教育课时落实，教案齐全，家长告知书回收完整", "防溺水、交通安全专题教育扎实，班会记录规范")),
    (80, ("安全教育课开展正常，班会记录偶有缺漏", "安全教育平台学习完成率较高，个别班级未完成")),
    (0, ("安全教育教案不全，防溺水家长告知书回收率偏低", "安全教育课被挤占，记录补写痕迹明显")),
)


def _comment(score: float, bands, rng: random.Random) -> str:
    return rng.choice(next(comments for low, comments in bands if score >= low))


def _score(rng: random.Random, mean: float, spread: float) -> float:
    return float(max(50, min(99, round(rng.gauss(mean, spread)))))


def _entered_on(year: int, current: bool, today: date, rng: random.Random) -> datetime:
    """When the score was entered: last year's in December, this year's in the last weeks."""
    day = date(year, 12, rng.randint(1, 20)) if not current else today - timedelta(days=rng.randint(1, 30))
    moment = datetime.combine(max(day, date(year, 1, 1)), time(rng.randint(9, 17), rng.randint(0, 59)))
    return moment.replace(tzinfo=tenant_timezone()).astimezone(UTC)


def _enter_scores(rubric: Rubric, schools: list[OrgUnit], current: bool, today: date) -> int:
    """Write the entered scores of the year in bulk (like the other demo parts: no audit)."""
    inspection, education = rubric.indicator("inspection"), rubric.indicator("education")
    shares = SCORED[current]
    rows = []
    for school in schools:
        rng = random.Random(f"demo-assessment-{rubric.year}-{school.code}")
        # A school's care shows in both scores: most do well, a few are weak.
        mean = rng.choice((92, 90, 88, 86, 84, 80, 76, 70))
        central = school.parent.code if school.parent.kind == "central" else ""
        for item, share, bands, who in (
            (inspection, shares[0], INSPECTION_COMMENTS, BUREAU_STAFF),
            (education, shares[1], EDUCATION_COMMENTS, REVIEWERS.get(central, BUREAU_STAFF)),
        ):
            if rng.random() >= share:
                continue  # not scored (yet)
            value = _score(rng, mean, 5)
            rows.append(
                {
                    "tenant_id": school.tenant_id,
                    "indicator_id": item.id,
                    "org_unit_id": school.id,
                    "value": value,
                    "comment": _comment(value, bands, rng),
                    "entered_by": who,
                    "entered_at": _entered_on(rubric.year, current, today, rng),
                }
            )
    if rows:
        db.session.execute(insert(EnteredScore), rows)
    return len(rows)


def load_demo_assessment() -> int:
    """Create, score and compute last year's and this year's assessment; close last year.

    Returns the number of schools assessed this year (0 when the demo already has a rubric).
    """
    if db.session.scalar(select(func.count(Rubric.id))):
        return 0
    today = tenant_today()
    previous = today.year - 1
    last_schools = schools_assessed(period_for(previous, today))
    if last_schools:  # the demo's records reach back into last year
        last = create_rubric(previous)
        grid = last.indicator("grid")
        save_rubric(last, {grid.id: {"params": {"if_none": 100}, "evidence": GRID_NOTE}}, last.bands)
        _enter_scores(last, last_schools, False, today)
        concealed = next((school for school in last_schools if school.code == CONCEALED), None)
        if concealed is not None:
            enter_score(last.indicator("concealment"), concealed, 1, CONCEALMENT).entered_by = BUREAU_STAFF
        compute(last, today)
        close_year(last)
    current = create_rubric(today.year)
    schools = schools_assessed(period_for(today.year, today))
    _enter_scores(current, schools, True, today)
    db.session.flush()
    return compute(current, today).schools
