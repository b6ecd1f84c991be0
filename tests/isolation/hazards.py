"""Isolation table of hazards, evidence and ledger uploads.

objects() records one hazard at S11 (with a photo) and one at S21, so paths can name them.
"""

from datetime import date

from sqlalchemy import select

from schools.hazards.evidence import attach_evidence
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CSV = "排查日期,排查部位,隐患类别,隐患描述\n2026-03-02,操场,校舍,看台栏杆松动\n".encode()

ROUTES = {
    "hazards.list_hazards": Route(
        "GET", "/schools/{S11}/hazards/", owner="school11", outsider="reviewer2", secret="灭火器过期未更换"
    ),
    "hazards.export_hazards": Route(
        "GET", "/schools/{S11}/hazards/export.xlsx", owner="reviewer1", outsider="reviewer2"
    ),
    "hazards.new_hazard": Route(
        "GET", "/schools/{S11}/hazards/new", owner="school11", outsider="reviewer2", wrong_role="viewer"
    ),
    "hazards.show_hazard": Route(
        "GET", "/hazards/{hazard:S11}", owner="reviewer1", outsider="reviewer2", secret="灭火器过期未更换"
    ),
    "hazards.edit_hazard": Route(
        "GET", "/hazards/{hazard:S11}/edit", owner="school11", outsider="reviewer2", wrong_role="reviewer1"
    ),
    "hazards.take_step": Route(
        "POST",
        "/hazards/{hazard:S11}/steps",
        owner="school11",
        outsider="keeper11",
        wrong_role="viewer",
        data={"step": "start"},
    ),
    "hazards.add_evidence": Route(
        "POST",
        "/hazards/{hazard:S11}/evidence",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"stage": "found"},
    ),
    "hazards.download_evidence": Route(
        "GET", "/evidence/{evidence:S11}", owner="reviewer1", outsider="reviewer2"
    ),
    "hazards.supervision": Route("GET", "/supervision", owner="staff", wrong_role="school11"),
    "ledgers.upload_ledger": Route(
        "GET", "/schools/{S11}/ledgers/upload", owner="school11", outsider="reviewer2", wrong_role="reviewer1"
    ),
    "ledgers.confirm_ledger": Route(
        "POST", "/schools/{S11}/ledgers/" + "0" * 32, owner=None, outsider="reviewer2", wrong_role="reviewer1"
    ),
    "ledgers.download_template": Route("GET", "/ledgers/template.xlsx", owner="keeper11"),
    "api.list_hazards": Route(
        "GET", "/api/v1/hazards", owner="reviewer1", api=True, secret="灭火器过期未更换"
    ),
    "api.create_hazard": Route(
        "POST",
        "/api/v1/hazards",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        api=True,
        data={
            "school_id": "{S11}",
            "found_on": "2026-03-05",
            "location": "食堂",
            "category": "food",
            "description": "留样柜温度不足",
        },
    ),
    "api.get_hazard": Route(
        "GET", "/api/v1/hazards/{hazard:S11}", owner="reviewer1", outsider="reviewer2", api=True
    ),
    "api.patch_hazard": Route(
        "PATCH",
        "/api/v1/hazards/{hazard:S11}",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={"measures": "更换灭火器"},
    ),
    "api.take_step": Route(
        "POST",
        "/api/v1/hazards/{hazard:S11}/transitions",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        api=True,
        data={"step": "start"},
    ),
    "api.upload_ledger": Route(
        "POST",
        "/api/v1/ledgers?dry_run=1",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={"school_id": "{S11}"},
        files={"file": ("ledger.csv", CSV)},
    ),
}


def objects(app, world) -> dict[str, int]:
    """One hazard with a photo at S11, one hazard at S21."""
    ids = {}
    with app.app_context(), tenant_context(world.alpha.id):
        for code, text in (("S11", "灭火器过期未更换"), ("S21", "围墙裂缝")):
            school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            hazard = report_hazard(
                school,
                HazardInput(found_on=date(2026, 3, 2), location="教学楼", category="fire", description=text),
            )
            ids[f"hazard:{code}"] = hazard.id
            if code == "S11":
                ids["evidence:S11"] = attach_evidence(hazard, PNG, "photo.png", "found").id
        db.session.commit()
    return ids
