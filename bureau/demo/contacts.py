"""Demo data of joint-prevention contacts (联防联控).

Most schools have their police station (派出所), fire and rescue station, the county CDC, the
township hospital, the township government and their community or village committee; about
half also list the county hospital's fever clinic. A few schools lack the police-station or the
CDC contact, so the bureau's gaps page has something to show, and one school replaced its
community police officer (the old contact stays, deactivated).
"""

import random

from sqlalchemy import func, select

from bureau.demo.district import ORG_BY_CODE, person_name, phone_number
from schools.contacts.models import Contact
from schools.contacts.operations import keeps_contacts
from tenancy.extensions import db
from tenancy.models import OrgUnit

COUNTY = "青山县"
SEAT_TOWN = "城关镇"  # directly-run schools are in the county seat
# School code → partner kinds it has not recorded yet (the gaps page's content).
MISSING = {
    "SQ-GJLJXD": ("police_station", "cdc", "fever_clinic"),
    "TY-YJCJXD": ("police_station",),
    "LL-XMFYEY": ("cdc",),
    "HK-SJJXD": ("cdc", "community"),
    "BS-TQYEY": ("police_station", "fire_brigade"),
}
STREETS = ("东街", "西街", "南关", "北关", "新华", "团结", "和平", "光明", "建设", "人民路")
VILLAGES = ("前进", "红旗", "新村", "枫树", "柏林", "大湾", "石门", "杨柳", "沙河", "长岭")
NOTES = {
    "police_station": "社区民警，负责学校周边治安巡逻和上下学护学岗",
    "fire_brigade": "消防安全检查和应急疏散演练指导",
    "cdc": "传染病防控科，学校传染病疫情报告和流调",
    "township_hospital": "急诊值班电话，24小时",
    "township_government": "分管教育的副镇（乡）长",
    "community": "学校周边环境整治、防溺水巡查",
    "fever_clinic": "发热门诊值班电话",
}


def _town(school: OrgUnit) -> str:
    """The town a school lies in, read from its central school's name (城关镇中心学校 → 城关镇)."""
    parent = ORG_BY_CODE.get(school.parent.code) if school.parent is not None else None
    if parent is None or parent.kind != "central":
        return SEAT_TOWN
    return parent.name.removesuffix("中心学校")


def _landline(rng: random.Random) -> str:
    return f"0736-{rng.randrange(2, 9)}{rng.randrange(1000000):06d}"


def _partners(school: OrgUnit, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """Return (kind, unit name, person, phone) of the school's partner units."""
    town = _town(school)
    short = town.removesuffix("镇").removesuffix("乡")
    seat = town == SEAT_TOWN
    community = (
        f"{town}{rng.choice(STREETS)}社区居委会" if seat else f"{town}{rng.choice(VILLAGES)}村村民委员会"
    )
    rows = [
        ("police_station", f"{COUNTY}公安局{short}派出所", person_name(rng), phone_number(rng)),
        (
            "fire_brigade",
            f"{COUNTY}消防救援大队{'城关' if seat else short}消防救援站",
            person_name(rng),
            _landline(rng),
        ),
        ("cdc", f"{COUNTY}疾病预防控制中心", person_name(rng), _landline(rng)),
        (
            "township_hospital",
            f"{COUNTY}人民医院" if seat else f"{town}卫生院",
            person_name(rng),
            _landline(rng),
        ),
        ("township_government", f"{town}人民政府", person_name(rng), phone_number(rng)),
        ("community", community, person_name(rng), phone_number(rng)),
    ]
    if school.kind == "kindergarten" or rng.random() < 0.45:
        rows.append(("fever_clinic", f"{COUNTY}人民医院发热门诊", person_name(rng), _landline(rng)))
    return rows


def load_demo_contacts() -> int:
    """Fill the demo district's contacts (skipped when the demo already has some); return how many."""
    if db.session.scalar(select(func.count()).select_from(Contact)):
        return 0
    schools = [
        unit
        for unit in db.session.scalars(select(OrgUnit).order_by(OrgUnit.id))
        if unit.is_active and keeps_contacts(unit)
    ]
    contacts = []
    for school in schools:
        rng = random.Random(f"demo-contacts-{school.code}")
        missing = MISSING.get(school.code, ())
        if school.kind == "teaching_point" and not missing and rng.random() < 0.3:
            missing = ("fire_brigade", "community")  # small schools are often incomplete
        for kind, unit_name, person, phone in _partners(school, rng):
            if kind in missing:
                continue
            contacts.append(
                Contact(
                    tenant_id=school.tenant_id,
                    org_unit_id=school.id,
                    kind=kind,
                    unit_name=unit_name,
                    person=person,
                    phone=phone,
                    notes=NOTES[kind] if rng.random() < 0.5 else "",
                    is_active=True,
                )
            )
        if school.code == "CG-YX":  # the community police officer changed: the old one is kept, inactive
            contacts.append(
                Contact(
                    tenant_id=school.tenant_id,
                    org_unit_id=school.id,
                    kind="police_station",
                    unit_name=f"{COUNTY}公安局城关派出所",
                    person=person_name(rng),
                    phone=phone_number(rng),
                    notes="已调离，2025年起由新民警负责",
                    is_active=False,
                )
            )
    db.session.add_all(contacts)
    db.session.flush()
    return len(contacts)
