"""Canaries: another tenant's data and another subtree's data never reach a dashboard, drill-down or export."""

import io

import pytest
from openpyxl import load_workbook

from bureau.dashboards.exports import TABLES
from bureau.rollups.measures import HAZARD_MEASURES
from tests.bureau.dashboards.helpers import CANARY_BETA, CANARY_C2, login


def _text(response) -> str:
    """A page's text, or every cell of a workbook."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.get_data()))
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return response.get_data(as_text=True)


def _paths(unit_id: int) -> list[str]:
    paths = [f"/dashboards/{unit_id}", f"/dashboards/{unit_id}/print"]
    paths += [f"/dashboards/{unit_id}/hazards?measure={measure}" for measure in HAZARD_MEASURES]
    paths += [f"/dashboards/{unit_id}/export.xlsx?table={table}&measure=found" for table in TABLES]
    return paths


def test_the_alpha_bureau_never_sees_the_beta_canary(web, district):
    login(web, district, "admin")
    for code in ("ALPHA", "C2", "S21"):
        for path in _paths(district.orgs[code]):
            response = web.get(path)
            assert response.status_code == 200, path
            text = _text(response)
            assert "CANARY-BETA" not in text, path
    # The bureau does see C2's canary: it is in its subtree.
    assert CANARY_C2 in _text(web.get(f"/dashboards/{district.orgs['ALPHA']}/hazards?measure=found"))


def test_beta_cannot_open_alpha_dashboards(web, district):
    assert web.login("betaadmin", district.world.password, tenant="beta").status_code == 302
    for path in _paths(district.orgs["ALPHA"])[:4] + _paths(district.orgs["S21"])[-2:]:
        assert web.get(path).status_code == 404, path
    own = web.get(f"/dashboards/{district.world.beta_orgs['beta']}/hazards?measure=found").get_data(
        as_text=True
    )
    assert CANARY_BETA in own and CANARY_C2 not in own


def test_a_central_school_reviewer_gets_404_outside_their_subtree(web, district):
    login(web, district, "reviewer1")
    c2 = district.orgs["C2"]
    for path in (
        f"/dashboards/{c2}",
        f"/dashboards/{c2}/print",
        f"/dashboards/{c2}/hazards?measure=found",
        f"/dashboards/{c2}/export.xlsx?table=children",
        f"/dashboards/{district.orgs['S21']}/export.xlsx?table=hazards",
        f"/dashboards/{district.orgs['ALPHA']}",
    ):
        assert web.get(path).status_code == 404, path
    for path in _paths(district.orgs["C1"]) + _paths(district.orgs["S11"]):
        response = web.get(path)
        assert response.status_code == 200, path
        text = _text(response)
        assert "CANARY-C2" not in text and "河口镇" not in text and "CANARY-BETA" not in text, path


def test_a_school_sees_only_itself(web, district):
    login(web, district, "school11")
    assert web.get(f"/dashboards/{district.orgs['S12']}").status_code == 404
    assert web.get(f"/dashboards/{district.orgs['C1']}/hazards").status_code == 404
    body = web.get(f"/dashboards/{district.orgs['S11']}/hazards?measure=found").get_data(as_text=True)
    assert "食堂留样不全" not in body and "CANARY" not in body


@pytest.mark.parametrize("suffix", ["", "/print", "/hazards?measure=found", "/export.xlsx?table=trend"])
def test_anonymous_is_sent_to_login(web, district, suffix):
    response = web.get(f"/dashboards/{district.orgs['ALPHA']}{suffix}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_grid_keeper_lists_only_their_own_hazards(web, district):
    """A keeper reaches S11 only as a grid keeper: the drill-down keeps the ledger's keeper rule."""
    login(web, district, "keeper11")
    assert web.get(f"/dashboards/{district.orgs['S11']}").status_code == 200
    body = web.get(f"/dashboards/{district.orgs['S11']}/hazards?measure=found").get_data(as_text=True)
    assert "data-hazard-id" not in body  # no cell of theirs, no report of theirs
    assert web.get(f"/dashboards/{district.orgs['C1']}").status_code == 404
