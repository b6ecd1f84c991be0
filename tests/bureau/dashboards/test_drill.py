"""The drill-down lists exactly the hazards a dashboard number counts."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from bureau.rollups.read import Filters, children_table, totals, unit_series
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.bureau.dashboards.helpers import listed_ids, login, month

# measure → the hazards of seed_district it counts, over the default range (the last 12 months).
EXPECTED = {
    "found": {"h_overdue", "h_ontime", "h_major", "h_late", "h_food", "h_c2"},
    "found_closed": {"h_ontime", "h_late"},
    "rectified": {"h_ontime", "h_late"},
    "rectified_on_time": {"h_ontime"},
    "rectified_late": {"h_late"},
    "verified": {"h_late"},
    "became_overdue": {"h_overdue", "h_c2"},
    "open_end": {"h_overdue", "h_major", "h_food", "h_c2"},
    "overdue_end": {"h_overdue", "h_c2"},
    "major_open_end": {"h_major"},
}
C1_HAZARDS = {"h_overdue", "h_ontime", "h_major", "h_late", "h_food"}


def _figures(app, district, code: str, args: dict | None = None) -> tuple:
    """The unit's figures over the range, from the rollup read API (late = rectified − on time)."""
    with app.test_request_context(), tenant_context(district.world.alpha.id):
        unit = next(iter(select_unit(code)))
        filters = Filters.from_args(args or {}, district.today)
        total = totals(unit_series(unit, filters))
        figures = {name: int(total[name]) for name in EXPECTED if name in total.index}
        figures["rectified_late"] = figures["rectified"] - figures["rectified_on_time"]
        return figures


def select_unit(code: str):
    from tenancy.extensions import db

    return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code))


@pytest.mark.parametrize("measure", sorted(EXPECTED))
def test_drill_down_lists_exactly_the_counted_hazards(app, web, district, measure):
    login(web, district, "admin")
    ids = district.ids
    for code, names in (("ALPHA", EXPECTED[measure]), ("C1", EXPECTED[measure] & C1_HAZARDS)):
        listed = listed_ids(web, f"/dashboards/{district.orgs[code]}/hazards?measure={measure}")
        assert listed == {ids[name] for name in names}, (code, measure)
        assert len(listed) == _figures(app, district, code)[measure], (code, measure)


@pytest.mark.parametrize("key", ["open_end", "overdue_end", "major_open_end", "rectification_rate"])
def test_kpi_links_open_the_hazards_behind_them(web, district, key):
    login(web, district, "admin")
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}").get_data(as_text=True)
    tile = re.search(rf'id="kpi-{key}">(.*?)</li>', body, re.S).group(1)
    href, shown = re.search(r'<a class="num" href="([^"]+)">([^<]+)</a>', tile).groups()
    listed = listed_ids(web, unescape(href))
    measure = re.search(r"measure=(\w+)", href).group(1)
    assert listed == {district.ids[name] for name in EXPECTED[measure]}
    if key != "rectification_rate":
        assert int(shown) == len(listed)


@pytest.mark.parametrize("measure", ["found", "rectified", "open_end", "overdue_end", "major_open_end"])
def test_child_table_numbers_link_to_their_hazards(app, web, district, measure):
    """Bureau → central school → hazards: each number in C1's row opens exactly its hazards."""
    login(web, district, "admin")
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}").get_data(as_text=True)
    row = re.search(rf'<tr id="child-{district.orgs["C1"]}"[^>]*>(.*?)</tr>', body, re.S).group(1)
    href, shown = re.search(rf'<a class="num" href="([^"]*measure={measure}[^"]*)">(\d+)</a>', row).groups()
    listed = listed_ids(web, unescape(href))
    assert listed == {district.ids[name] for name in EXPECTED[measure] & C1_HAZARDS}
    assert int(shown) == len(listed)
    with app.test_request_context(), tenant_context(district.world.alpha.id):
        bureau = next(iter(select_unit("ALPHA")))
        table = children_table(bureau, Filters.from_args({}, district.today))
        assert int(table.set_index("code").at["C1", measure]) == len(listed)


def test_stocks_are_taken_at_the_end_of_the_last_month(app, web, district):
    """To the end of last month: h_major and h_food were not found yet, h_ontime was rectified."""
    login(web, district, "admin")
    args = {"from": month(district.m1), "to": month(district.m1)}
    path = (
        f"/dashboards/{district.orgs['ALPHA']}/hazards?measure=open_end&from={args['from']}&to={args['to']}"
    )
    listed = listed_ids(web, path)
    assert listed == {district.ids["h_overdue"], district.ids["h_c2"]}
    assert _figures(app, district, "ALPHA", args)["open_end"] == 2
    found = listed_ids(web, path.replace("open_end", "found"))
    assert found == {district.ids[name] for name in ("h_overdue", "h_ontime", "h_late", "h_c2")}


def test_filters_narrow_the_drill_down_like_the_figures(app, web, district):
    login(web, district, "admin")
    ids = district.ids
    base = f"/dashboards/{district.orgs['ALPHA']}/hazards?measure=found"
    assert listed_ids(web, base + "&category=fire") == {ids["h_overdue"], ids["h_ontime"], ids["h_c2"]}
    assert listed_ids(web, base + "&level=major") == {ids["h_major"]}
    assert listed_ids(web, base + "&kind=kindergarten") == {ids["h_food"]}
    assert listed_ids(web, base + "&ownership=private") == set()
    figures = _figures(app, district, "ALPHA", {"category": "fire"})
    assert figures["found"] == 3 and figures["open_end"] == 2


def test_drill_down_rows_link_to_each_hazard_and_its_school(web, district):
    login(web, district, "reviewer1")
    body = web.get(f"/dashboards/{district.orgs['C1']}/hazards?measure=overdue_end").get_data(as_text=True)
    assert f'href="/hazards/{district.ids["h_overdue"]}"' in body
    assert f'href="/dashboards/{district.orgs["S11"]}?' in body
    assert web.get(f"/hazards/{district.ids['h_overdue']}").status_code == 200
