"""Responsibility letters (安全责任书) of last year and this year for the demo district.

Last year every letter was signed. This year the bureau has signed with every central school and
most directly-run schools, most schools have signed with their central school, a few have a letter
waiting for its signature and a few have none yet; every school declared its staff and classes, and
the in-school letters are partly signed. 城关镇第一小学 changed principal this spring: its
letter was re-signed (the old one is kept as superseded). The bureau's letters to the central
schools carry a scan of the signed letter.
"""

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from bureau.demo.district import person_name
from schools.letters.models import Letter
from schools.letters.operations import (
    attach_scan,
    is_school,
    issue_letter,
    resign_letter,
    save_target,
    sign_letter,
    unit_tier,
)
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_today

RESIGNED_SCHOOL = "CG-YX"
DEPARTMENTS = ("办公室", "教务处", "政教处", "总务处", "安全办", "后勤保卫处", "食堂", "门卫室")
GRADES = ("一", "二", "三", "四", "五", "六", "七", "八", "九")
SCAN = b"%PDF-1.4\n% demo scan of a signed responsibility letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _posts(unit: OrgUnit) -> str:
    return "校长" if unit.kind != "central" else "中心学校校长"


def load_demo_letters() -> int:
    """Write two years of letters (skipped when the demo already has some); return how many."""
    if db.session.scalar(select(func.count()).select_from(Letter)):
        return 0
    today = tenant_today()
    units = [
        unit
        for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.is_active).order_by(OrgUnit.path))
        if unit_tier(unit)
    ]
    total = 0
    for year, current in ((today.year - 1, False), (today.year, True)):
        issued_on = min(date(year, 2, 20), today)
        for unit in units:
            rng = random.Random(f"demo-letters-{year}-{unit.code}")
            tier = unit_tier(unit)
            roll = rng.random()
            if current and tier == "central_school" and roll < 0.06:
                continue  # no letter yet: a gap
            letter = issue_letter(
                unit, year, tier, issued_on=issued_on, signer_name=person_name(rng), signer_post=_posts(unit)
            )
            total += 1
            unsigned = current and (
                (tier == "central_school" and roll < 0.14)
                or (unit.kind != "central" and tier == "bureau_central" and roll < 0.2)
            )
            if not unsigned:
                signed_on = min(issued_on + timedelta(days=rng.randint(2, 20)), today)
                sign_letter(
                    letter,
                    signed_on=signed_on,
                    signer_name=letter.signer_name,
                    signer_post=letter.signer_post,
                )
                if current and unit.kind == "central":
                    attach_scan(letter, SCAN, f"{year}年{unit.name}安全目标责任书.pdf")
                if current and unit.code == RESIGNED_SCHOOL:
                    total += _resign(letter, rng, today)
            if is_school(unit):
                total += _in_school(unit, year, current, issued_on, rng, today)
    db.session.flush()
    return total


def _resign(letter: Letter, rng: random.Random, today: date) -> int:
    """The principal changed: the letter is re-signed by the new one."""
    changed_on = min(letter.signed_on + timedelta(days=30), today)
    new = resign_letter(
        letter,
        signer_name=person_name(rng),
        signer_post="校长",
        issued_on=changed_on,
        note="原校长调任，新任校长重新签订",
    )
    sign_letter(
        new,
        signed_on=min(changed_on + timedelta(days=3), today),
        signer_name=new.signer_name,
        signer_post="校长",
    )
    return 1


def _in_school(school: OrgUnit, year: int, current: bool, issued_on: date, rng, today: date) -> int:
    """Declare the school's staff and classes and write its in-school letters (bulk, no audit)."""
    small = school.kind in ("teaching_point", "kindergarten")
    grades = 3 if school.kind == "kindergarten" else (2 if school.kind == "teaching_point" else 6)
    per_grade = rng.randint(1, 2) if small else rng.randint(2, 4)
    classes = [f"{GRADES[g]}年级({n + 1})班" for g in range(grades) for n in range(per_grade)]
    if school.kind == "kindergarten":
        classes = [f"{size}班({n + 1})" for size in ("小", "中", "大") for n in range(per_grade)]
    staff = list(DEPARTMENTS[: 4 if small else len(DEPARTMENTS)]) + [
        f"{person_name(rng)}（班主任）" for _n in range(len(classes))
    ]
    save_target(school, year, len(staff), len(classes))
    share = 1.0 if not current else rng.choice((1.0, 0.9, 0.75, 0.5))
    rows = []
    for tier, labels in (("principal_staff", staff), ("teacher_class", classes)):
        for label in labels:
            if current and rng.random() > share + 0.1:
                continue  # not issued yet
            signed = not current or rng.random() < share
            rows.append(
                {
                    "tenant_id": school.tenant_id,
                    "year": year,
                    "tier": tier,
                    "issuer_unit_id": school.id,
                    "org_unit_id": school.id,
                    "signer_label": label,
                    "signer_name": "",
                    "signer_post": "",
                    "status": "signed" if signed else "issued",
                    "issued_on": issued_on,
                    "signed_on": min(issued_on + timedelta(days=rng.randint(1, 15)), today)
                    if signed
                    else None,
                    "note": "",
                }
            )
    if rows:
        db.session.execute(insert(Letter), rows)
    return len(rows)
