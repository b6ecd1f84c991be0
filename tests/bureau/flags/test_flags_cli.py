"""`safegrid flags`: recompute now and list the open flags, as text or JSON."""

import json

from sqlalchemy import select

from bureau.flags.models import Flag
from tenancy.extensions import db
from tenancy.scoping import tenant_context
from tests.bureau.flags.helpers import overdue_hazard


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["flags", *args])


def _hazards(app, world) -> tuple[int, int]:
    with app.app_context(), tenant_context(world.alpha.id):
        alpha = overdue_hazard("S11", text="灭火器过期").id
        db.session.commit()
    with app.app_context(), tenant_context(world.beta.id):
        beta = overdue_hazard("BS1", text="门锁损坏").id
        db.session.commit()
    return alpha, beta


def test_flags_json_for_one_tenant(app, world):
    alpha, _beta = _hazards(app, world)
    result = _run(app, "--tenant", "alpha", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(row["unit_code"], row["kind"], row["subject"]) for row in rows] == [
        ("S11", "hazard_overdue", f"hazard:{alpha}")
    ]
    [row] = rows
    assert set(row) == {"tenant", "unit_code", "unit", "kind", "subject", "raised_at", "details"}
    assert row["unit"] == "城关镇第一小学" and row["details"]["description"] == "灭火器过期"
    assert "1 raised" in result.stderr
    again = _run(app, "--tenant", "alpha", "--json")
    assert json.loads(again.stdout) == rows and "0 raised, 0 cleared" in again.stderr
    with app.app_context(), tenant_context(world.alpha.id):
        assert len(db.session.scalars(select(Flag)).all()) == 1  # recomputing twice changes nothing


def test_flags_for_every_tenant_as_text(app, world):
    _hazards(app, world)
    result = _run(app)
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    assert sorted((line[0], line[1], line[3]) for line in lines) == [
        ("alpha", "S11", "hazard_overdue"),
        ("beta", "BS1", "hazard_overdue"),
    ]


def test_an_unknown_tenant_is_named(app, world):
    result = _run(app, "--tenant", "nowhere")
    assert result.exit_code == 2 and "--tenant" in result.output and "nowhere" in result.output
