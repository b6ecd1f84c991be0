"""Assessment pages: the years, results in each user's scope, the rubric form, entered scores, the
compute button and the job, closing and reopening, the per-school sheet with its evidence, the download.

Bad input is shown next to the row or field it concerns and nothing is written.
"""

import io
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from bureau.assessment.forms import settings_text
from bureau.assessment.models import EnteredScore, Indicator, Result, Rubric
from bureau.assessment.operations import compute, create_rubric
from bureau.assessment.queries import rubric_of
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit, OutboxItem
from tenancy.scoping import tenant_context
from tests.bureau.assessment.scenario import hazard, unit

LONG = "很" * 501


@contextmanager
def alpha_context(app, world):
    """Alpha's tenant context for reading or preparing records; commits what the block wrote."""
    with app.app_context(), tenant_context(world.alpha.id):
        yield
        db.session.commit()


@pytest.fixture
def year(app, world, last_year) -> int:
    """Last year's default rubric, every alpha unit on the platform since the June before it."""
    with alpha_context(app, world):
        db.session.execute(
            update(OrgUnit)
            .values(created_at=datetime(last_year - 1, 6, 1, tzinfo=UTC))
            .execution_options(synchronize_session=False)
        )
        create_rubric(last_year)
    return last_year


@pytest.fixture
def computed(app, world, year) -> int:
    with alpha_context(app, world):
        compute(rubric_of(year))
    return year


def _body(response) -> str:
    return response.get_data(as_text=True)


def _rows(page: str, prefix: str) -> set[int]:
    return {int(found) for found in re.findall(rf'id="{prefix}-(\d+)"', page)}


def _results(app, world, year) -> dict[str, Result]:
    with alpha_context(app, world):
        rows = db.session.execute(
            select(OrgUnit.code, Result)
            .join(Result, Result.org_unit_id == OrgUnit.id)
            .join(Rubric)
            .where(Rubric.year == year)
        ).all()
        db.session.expunge_all()
        return dict(rows)


def _scores(app, world, code: str = "inspection") -> dict[str, tuple[float, str]]:
    with alpha_context(app, world):
        rows = db.session.execute(
            select(OrgUnit.code, EnteredScore.value, EnteredScore.comment)
            .join(EnteredScore, EnteredScore.org_unit_id == OrgUnit.id)
            .join(Indicator, Indicator.id == EnteredScore.indicator_id)
            .where(Indicator.code == code)
        )
        return {school: (value, comment) for school, value, comment in rows}


def _indicators(app, world, year) -> dict[str, dict]:
    with alpha_context(app, world):
        rubric = rubric_of(year)
        return {
            item.code: {
                "id": item.id,
                "name": item.name,
                "weight": item.weight,
                "rule": item.rule,
                "params": dict(item.params),
                "evidence": item.evidence,
            }
            for item in rubric.indicators
        }


def _rubric_form(app, world, year, **changes) -> dict[str, str]:
    """The rubric form as the page posts it; changes: {code: {field: text}} and bands by name."""
    data = {"excellent": "90", "good": "80", "passing": "60"}
    for position, (code, item) in enumerate(_indicators(app, world, year).items()):
        row = {
            "id": str(item["id"]),
            "code": code,
            "name": item["name"],
            "weight": str(item["weight"]),
            "rule": item["rule"],
            "params": settings_text(item["rule"], item["params"]),
            "evidence": item["evidence"],
        } | changes.get(code, {})
        data.update({f"rows-{position}-{name}": value for name, value in row.items()})
    return data | {name: value for name, value in changes.items() if isinstance(value, str)}


def _score_form(world, rows: dict[str, tuple[str, str]]) -> dict[str, str]:
    data = {}
    for position, (code, (value, comment)) in enumerate(rows.items()):
        data |= {
            f"rows-{position}-school_id": str(world.alpha_orgs[code]),
            f"rows-{position}-value": value,
            f"rows-{position}-comment": comment,
        }
    return data


# --- years and results ------------------------------------------------------------------------


def test_results_hold_only_the_schools_in_scope(app, world, computed, login):
    orgs = world.alpha_orgs
    schools = {orgs[code] for code in ("S11", "S12", "S21", "D1")}  # not the central schools, not D1-G1
    admin = _body(login("admin").get(f"/assessment/{computed}"))
    assert _rows(admin, "school") == schools
    assert "The whole year is computed" in admin and "Compute now" in admin and "Download Excel" in admin
    only_c1 = _body(login("admin").get(f"/assessment/{computed}?central={orgs['C1']}"))
    assert _rows(only_c1, "school") == {orgs["S11"], orgs["S12"]}

    reviewer = login("reviewer1")
    page = _body(reviewer.get(f"/assessment/{computed}"))
    assert _rows(page, "school") == {orgs["S11"], orgs["S12"]}
    assert "Compute now" not in page and f"/assessment/{computed}/scores/inspection" in page
    wrong = _body(reviewer.get(f"/assessment/{computed}?central={orgs['C2']}"))
    assert "not one of your central schools" in wrong and _rows(wrong, "school") == {orgs["S11"], orgs["S12"]}

    school = login("school11")
    page = _body(school.get(f"/assessment/{computed}"))
    assert _rows(page, "school") == {orgs["S11"]}
    assert "Download Excel" not in page and "Enter:" not in page
    sheet = f"/assessment/{computed}/schools/{orgs['S11']}"
    assert sheet in page and sheet in _body(school.get("/assessment/"))
    assert 'id="nav-assessment"' in page


def test_a_year_without_a_rubric_is_404(world, login):
    assert login("admin").get("/assessment/2024").status_code == 404


def test_starting_a_year(app, world, last_year, login):
    admin = login("admin")
    for form, message in (
        ({"year": "abc"}, "Not a valid integer value."),
        ({"year": ""}, "Give the year, e.g. 2025."),
        ({"year": "1999"}, "The year must be from 2000 to 2100."),
        ({"year": str(last_year), "copy_from": "1990"}, "There is no rubric to copy for that year."),
    ):
        response = admin.post("/assessment/", form)
        assert response.status_code == 400 and message in _body(response), form
    with alpha_context(app, world):
        assert db.session.scalar(select(func.count(Rubric.id))) == 0

    response = admin.post("/assessment/", {"year": str(last_year), "copy_from": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{last_year}/rubric")
    again = admin.post("/assessment/", {"year": str(last_year)})
    assert again.status_code == 400 and f"The {last_year} assessment already exists." in _body(again)
    copied = admin.post("/assessment/", {"year": str(last_year + 1), "copy_from": str(last_year)})
    assert copied.status_code == 302
    assert _indicators(app, world, last_year + 1).keys() == _indicators(app, world, last_year).keys()
    page = _body(admin.get("/assessment/"))
    assert f'id="year-{last_year}"' in page and "Not computed yet" in page
    assert login("staff").post("/assessment/", {"year": "2030"}).status_code == 403


# --- the rubric -------------------------------------------------------------------------------


def test_the_rubric_is_saved_all_at_once(app, world, year, login):
    admin = login("admin")
    page = _body(admin.get(f"/assessment/{year}/rubric"))
    assert "late=2, missing=3, floor=0" in page and "Save the rubric" in page
    form = _rubric_form(
        app,
        world,
        year,
        reports={"params": "late=1, missing=2, floor=3"},
        rectification={"weight": "10"},
        timeliness={"weight": "15", "rule": "deduction", "params": "late=1"},
        education={"name": "安全教育台账"},
        excellent="92",
    )
    response = admin.post(f"/assessment/{year}/rubric", form)
    assert response.status_code == 302, _body(response)
    saved = _indicators(app, world, year)
    assert saved["reports"]["params"] == {"points": {"late": 1, "missing": 2}, "floor": 3}
    assert (saved["rectification"]["weight"], saved["timeliness"]["weight"]) == (10, 15)
    assert saved["timeliness"]["rule"] == "deduction" and saved["timeliness"]["params"] == {
        "points": {"late": 1}
    }
    assert saved["education"]["name"] == "安全教育台账"
    with alpha_context(app, world):
        assert rubric_of(year).bands["excellent"] == 92

    staff = _body(login("staff").get(f"/assessment/{year}/rubric"))
    assert "Save the rubric" not in staff and "disabled" in staff
    assert login("staff").post(f"/assessment/{year}/rubric", form).status_code == 403


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"rectification": {"weight": "10"}},
            ["The weights of the scored indicators add up to 95; they must add up to 100."],
        ),
        (
            {"reports": {"params": "late=x, missing=3"}},
            ["reports: &#39;late&#39; must be a number, not &#39;x&#39;."],
        ),
        (
            {"reports": {"params": "lateness=2"}},
            [
                "reports: &#39;lateness&#39; is not a setting of this rule (it takes: due, on_time, late, missing, floor)."
            ],
        ),
        (
            {"reports": {"params": "late 2"}},
            ["reports: Write each setting as key=value, not &#39;late 2&#39;."],
        ),
        ({"grid": {"params": "full_at=150"}}, ["grid: full_at must be 0–100."]),
        (
            {"drills": {"weight": "ten"}},
            ["drills: The weight must be a whole number from 0 to 100, not &#39;ten&#39;."],
        ),
        ({"timeliness": {"code": "reports"}}, ["reports: Two indicators have the code &#39;reports&#39;."]),
        ({"casualties": {"params": "count=deaths"}}, ["casualties: count must be one of"]),
        ({"good": "95"}, ["The bands must rise"]),
    ],
)
def test_a_bad_rubric_saves_nothing(app, world, year, login, changes, messages):
    before = _indicators(app, world, year)
    response = login("admin").post(f"/assessment/{year}/rubric", _rubric_form(app, world, year, **changes))
    assert response.status_code == 400
    for message in messages:
        assert message in _body(response)
    assert _indicators(app, world, year) == before
    with alpha_context(app, world):
        assert rubric_of(year).bands == {"excellent": 90, "good": 80, "pass": 60}


def test_adding_and_removing_an_indicator(app, world, year, login):
    admin = login("admin")
    new = {"code": "classes", "name": "安全课", "kind": "score", "source": "entered", "rule": "entered"}
    for form, message in (
        (new | {"params": "max=ten"}, "&#39;max&#39; must be a number, not &#39;ten&#39;."),
        (new | {"code": "inspection"}, "Two indicators have the code &#39;inspection&#39;."),
        (new | {"weight": "-1"}, "The weight must be a whole number from 0 to 100."),
        (new | {"rule": "rate"}, "The rule &#39;rate&#39; does not fit this source."),
        (
            new | {"kind": "veto", "source": "incidents", "rule": "veto", "params": "count=deaths"},
            "count must be one of: reported, on_time, late, with_casualties.",
        ),
    ):
        response = admin.post(f"/assessment/{year}/rubric/indicators", form)
        assert response.status_code == 400 and message in _body(response), form
    assert "classes" not in _indicators(app, world, year)

    response = admin.post(f"/assessment/{year}/rubric/indicators", new | {"params": "max=10"})
    assert response.status_code == 302
    added = _indicators(app, world, year)["classes"]
    assert (added["weight"], added["params"]) == (0, {"max": 10})
    assert 'id="indicator-classes"' in _body(admin.get(f"/assessment/{year}/rubric"))

    removed = admin.post(f"/assessment/{year}/rubric/indicators/{added['id']}/delete")
    assert removed.status_code == 302 and "classes" not in _indicators(app, world, year)
    assert admin.post(f"/assessment/{year}/rubric/indicators/{added['id']}/delete").status_code == 404


# --- entered scores ---------------------------------------------------------------------------


def test_entered_scores_are_saved_and_rescore(app, world, computed, login):
    staff = login("staff")
    page = _body(staff.get(f"/assessment/{computed}/scores/inspection"))
    orgs = world.alpha_orgs
    assert _rows(page, "score") == {orgs[code] for code in ("S11", "S12", "S21", "D1")}
    total_before = _results(app, world, computed)["S11"].total
    form = _score_form(world, {"S11": ("85", "现场检查：消防通道畅通"), "S12": ("", ""), "D1": ("70.5", "")})
    response = staff.post(f"/assessment/{computed}/scores/inspection", form)
    assert response.status_code == 302
    assert _scores(app, world) == {"S11": (85.0, "现场检查：消防通道畅通"), "D1": (70.5, "")}
    after = _results(app, world, computed)
    assert after["S11"].total == round(total_before + 12.75, 2)  # 15 × 85/100
    assert after["S11"].details["inspection"]["comment"] == "现场检查：消防通道畅通"

    cleared = staff.post(f"/assessment/{computed}/scores/inspection", _score_form(world, {"D1": ("", "")}))
    assert cleared.status_code == 302 and set(_scores(app, world)) == {"S11"}


def test_bad_scores_write_nothing(app, world, computed, login):
    staff = login("staff")
    staff.post(f"/assessment/{computed}/scores/inspection", _score_form(world, {"S11": ("85", "")}))
    form = _score_form(
        world, {"S11": ("120", ""), "S12": ("abc", ""), "S21": ("60", LONG), "D1": ("90", "fine")}
    )
    response = staff.post(f"/assessment/{computed}/scores/inspection", form)
    body = _body(response)
    assert response.status_code == 400 and "Nothing was saved" in body
    assert "城关镇第一小学: The score must be a number from 0 to 100." in body
    assert "城关镇中心幼儿园: The score must be a number from 0 to 100." in body
    assert "河口镇中心小学: The comment must be at most 500 characters." in body
    assert _scores(app, world) == {"S11": (85.0, "")}  # D1's good row was not written either


def test_a_central_school_scores_only_its_schools(app, world, computed, login):
    reviewer = login("reviewer1")
    page = _body(reviewer.get(f"/assessment/{computed}/scores/inspection"))
    assert _rows(page, "score") == {world.alpha_orgs["S11"], world.alpha_orgs["S12"]}
    forged = _score_form(world, {"S11": ("80", ""), "S21": ("10", "伪造")})
    assert reviewer.post(f"/assessment/{computed}/scores/inspection", forged).status_code == 404
    assert _scores(app, world) == {}
    good = reviewer.post(f"/assessment/{computed}/scores/inspection", _score_form(world, {"S12": ("90", "")}))
    assert good.status_code == 302 and _scores(app, world) == {"S12": (90.0, "")}
    assert login("school11").get(f"/assessment/{computed}/scores/inspection").status_code == 403


def test_entered_veto_and_unknown_codes(app, world, computed, login):
    staff = login("staff")
    page = _body(staff.get(f"/assessment/{computed}/scores/concealment"))
    assert "Applies: the school fails" in page
    response = staff.post(
        f"/assessment/{computed}/scores/concealment", _score_form(world, {"S21": ("1", "瞒报")})
    )
    assert response.status_code == 302
    s21 = _results(app, world, computed)["S21"]
    assert s21.vetoed and s21.grade == "fail" and s21.rank_tenant == 4
    for code in ("reports", "casualties", "nothing"):
        assert staff.get(f"/assessment/{computed}/scores/{code}").status_code == 404, code


# --- computing, closing -----------------------------------------------------------------------


def test_the_compute_button_runs_the_job(app, world, year, login, run_jobs):
    admin = login("admin")
    page = _body(admin.get(f"/assessment/{year}"))
    assert "Not computed yet." in page and _rows(page, "school") == set()
    refused = admin.post(f"/assessment/{year}/close")
    assert refused.status_code == 400 and f"Compute the {year} assessment before closing it." in _body(
        refused
    )

    staff = login("staff")
    response = staff.post(f"/assessment/{year}/compute")
    assert response.status_code == 302
    assert "is being computed" in _body(staff.get(f"/assessment/{year}"))
    with alpha_context(app, world):
        items = db.session.execute(
            select(OutboxItem.key, OutboxItem.args).where(OutboxItem.job == "assessment.compute")
        )
        assert [tuple(item) for item in items] == [(f"assessment:{year}", {"year": year})]
    run_jobs()
    page = _body(admin.get(f"/assessment/{year}"))
    assert "The whole year is computed" in page and len(_rows(page, "school")) == 4

    future = year + 2
    assert admin.post("/assessment/", {"year": str(future)}).status_code == 302
    early = admin.post(f"/assessment/{future}/compute")
    assert early.status_code == 400 and "cannot be computed before the year starts" in _body(early)


def test_a_closed_year_refuses_every_write(app, world, computed, login):
    admin = login("admin")
    assert admin.post(f"/assessment/{computed}/close").status_code == 302
    page = _body(admin.get(f"/assessment/{computed}"))
    assert "Closed on" in page and "by admin" in page and 'id="reopen"' in page and "Compute now" not in page
    closed = f"The {computed} assessment is closed; reopen it first."
    inspection = _indicators(app, world, computed)["inspection"]["id"]
    for path, form in (
        (f"/assessment/{computed}/compute", {}),
        (f"/assessment/{computed}/close", {}),
        (f"/assessment/{computed}/rubric", _rubric_form(app, world, computed, education={"name": "改"})),
        (
            f"/assessment/{computed}/rubric/indicators",
            {"code": "x", "name": "x", "kind": "score", "source": "entered", "rule": "entered"},
        ),
        (f"/assessment/{computed}/rubric/indicators/{inspection}/delete", {}),
        (f"/assessment/{computed}/scores/inspection", _score_form(world, {"S11": ("50", "")})),
    ):
        response = admin.post(path, form)
        assert response.status_code == 409 and closed in _body(response), path
    assert _scores(app, world) == {} and "x" not in _indicators(app, world, computed)
    assert "disabled" in _body(admin.get(f"/assessment/{computed}/scores/inspection"))

    blank = admin.post(f"/assessment/{computed}/reopen", {"reason": "  "})
    assert blank.status_code == 400 and "Give the reason for reopening the year." in _body(blank)
    assert admin.post(f"/assessment/{computed}/reopen", {"reason": "复核更正现场检查分"}).status_code == 302
    with alpha_context(app, world):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.reopened"))
        assert event.changes["reason"] == {"new": "复核更正现场检查分"} and event.actor == "admin"
    assert (
        admin.post(
            f"/assessment/{computed}/scores/inspection", _score_form(world, {"S11": ("50", "")})
        ).status_code
        == 302
    )


# --- the school's sheet and the download -------------------------------------------------------


def test_the_school_sheet_shows_how_the_score_was_made(app, world, computed, login):
    orgs = world.alpha_orgs
    login("staff").post(
        f"/assessment/{computed}/scores/inspection", _score_form(world, {"S11": ("80", "消防器材齐全")})
    )
    with alpha_context(app, world):
        s11 = unit("S11")
        hazard(s11, date(computed, 5, 10), date(computed, 5, 20), text="本年度：楼道应急灯损坏")
        hazard(s11, date(computed - 1, 11, 10), date(computed - 1, 11, 20), text="上年度：围栏松动")
    school = login("school11")
    response = school.get(f"/assessment/{computed}/schools/{orgs['S11']}")
    page = _body(response)
    assert response.status_code == 200 and "data-print" in page
    assert school.get("/static/js/print.js").status_code == 200
    assert f"{computed}-01-01 – {computed}-12-31" in page and "opened on" not in page
    assert re.search("15 points − 2 per “[^”]+” − 3 per “[^”]+”, not below 0", page)
    assert "entered 80 of 100 → 12 of 15 points" in page and "消防器材齐全" in page
    assert "Total" in page and "Excellent ≥ 90, Good ≥ 80, Pass ≥ 60" in page
    assert "in the district" in page and "of 2 in the central school" in page
    links = re.findall(r'<a href="([^"]+)" class="small evidence">', page)
    assert len(links) == 10  # eight sources, drills in two school years, and the casualties veto
    for link in links:
        assert school.get(link.replace("&amp;", "&")).status_code == 200, link
    found = next(link for link in links if "measure=found" in link).replace("&amp;", "&")
    hazards = _body(school.get(found))
    assert "本年度：楼道应急灯损坏" in hazards and "上年度：围栏松动" not in hazards

    assert school.get(f"/assessment/{computed}/schools/{orgs['S12']}").status_code == 404
    assert login("reviewer2").get(f"/assessment/{computed}/schools/{orgs['S11']}").status_code == 404
    admin = login("admin")
    assert admin.get(f"/assessment/{computed}/schools/{orgs['D1-G1']}").status_code == 404
    assert admin.get(f"/assessment/{computed}/schools/{orgs['C1']}").status_code == 404
    assert admin.get(f"/assessment/{computed - 3}/schools/{orgs['S11']}").status_code == 404


def test_a_sheet_before_computing_and_for_a_school_opened_mid_year(app, world, year, login):
    orgs = world.alpha_orgs
    admin = login("admin")
    page = _body(admin.get(f"/assessment/{year}/schools/{orgs['S11']}"))
    assert 'id="sheet-not-computed"' in page
    with alpha_context(app, world):
        db.session.get(OrgUnit, orgs["S12"]).created_at = datetime(year, 3, 15, 4, tzinfo=UTC)
        db.session.flush()
        compute(rubric_of(year))
    page = _body(admin.get(f"/assessment/{year}/schools/{orgs['S12']}"))
    assert f"opened on {year}-03-15" in page and f"{year}-03-15 – {year}-12-31" in page


def test_the_download_is_for_the_bureau_and_central_schools(app, world, computed, login):
    response = login("admin").get(f"/assessment/{computed}/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert len(load_workbook(io.BytesIO(response.data)).sheetnames) >= 2
    assert login("reviewer1").get(f"/assessment/{computed}/export.xlsx").status_code == 200
    assert login("school11").get(f"/assessment/{computed}/export.xlsx").status_code == 403


def test_no_download_before_computing(world, year, login):
    response = login("admin").get(f"/assessment/{year}/export.xlsx")
    assert response.status_code == 409 and "has not been computed yet" in _body(response)
