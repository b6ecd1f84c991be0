"""Reads of responsibility letters: lists in scope, a letter's history, expected letters and gaps.

Expected letters of a year (what counts as a gap):
- every active level-2 unit (central school or directly-run school) needs a signed
  ``bureau_central`` letter;
- every active level-3 school (kindergartens and teaching points included, grade groups never)
  needs a signed ``central_school`` letter from its parent;
- every school (directly-run ones included) needs ``staff_count`` signed principal → staff letters
  and ``class_count`` signed head teacher → class letters, as declared in its `LetterTarget` for
  the year. A school that declared nothing needs one letter per in-school tier, so declaring
  nothing never looks complete.
Only letters that are not superseded count; closed units are left out. Each query is set-based
over the subtree (one for units, one for letters, one for targets).
"""

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from schools.letters.models import SCHOOL_TIERS, Letter, LetterTarget
from schools.letters.operations import is_school, unit_tier
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import visible_org_ids


def visible_letters(user=None) -> Select:
    """Select the letters of every unit in the user's subtrees (the issuer's included)."""
    return select(Letter).where(Letter.org_unit_id.in_(visible_org_ids(user)))


def filter_letters(
    query: Select,
    *,
    year: int | None = None,
    tier: str = "",
    org_unit_id: int | None = None,
    status: str = "",
) -> Select:
    """Narrow a letter query by year, tier, unit (the letter's own unit) and status."""
    if year is not None:
        query = query.where(Letter.year == year)
    if tier:
        query = query.where(Letter.tier == tier)
    if org_unit_id is not None:
        query = query.where(Letter.org_unit_id == org_unit_id)
    if status:
        query = query.where(Letter.status == status)
    return query


def history(letter: Letter) -> list[Letter]:
    """Return every letter of the same year, tier, unit and signer, oldest first (re-signings)."""
    return list(
        db.session.scalars(
            select(Letter)
            .where(
                Letter.year == letter.year,
                Letter.tier == letter.tier,
                Letter.org_unit_id == letter.org_unit_id,
                Letter.signer_label == letter.signer_label,
            )
            .order_by(Letter.id)
        )
    )


def issued_by(unit: OrgUnit, year: int) -> list[Letter]:
    """Return the current (not superseded) letters the unit issued for the year."""
    return list(
        db.session.scalars(
            select(Letter)
            .where(Letter.issuer_unit_id == unit.id, Letter.year == year, Letter.status != "superseded")
            .order_by(Letter.tier, Letter.org_unit_id, Letter.signer_label)
        )
    )


def school_letters(school: OrgUnit, year: int) -> list[Letter]:
    """Return the school's in-school letters of the year (superseded ones too), by tier and signer."""
    return list(
        db.session.scalars(
            select(Letter)
            .where(Letter.org_unit_id == school.id, Letter.year == year, Letter.tier.in_(SCHOOL_TIERS))
            .order_by(Letter.tier, Letter.signer_label, Letter.id)
        )
    )


def target_of(school: OrgUnit, year: int) -> LetterTarget | None:
    """Return the school's declared staff and class counts for the year."""
    return db.session.scalar(
        select(LetterTarget).where(LetterTarget.org_unit_id == school.id, LetterTarget.year == year)
    )


@dataclass
class TierCount:
    """In-school letters of one tier: the declared target and the current letters."""

    target: int | None = None  # None: the school declared nothing for the year
    issued: int = 0  # current letters, signed or not
    signed: int = 0

    @property
    def required(self) -> int:
        return 1 if self.target is None else self.target

    @property
    def missing(self) -> int:
        return max(self.required - self.signed, 0)


@dataclass
class UnitLetters:
    """One unit's letters of a year: the one it signs upward, and its in-school counts."""

    unit: OrgUnit
    tier: str | None  # the unit tier it signs at
    letter: Letter | None = None  # its current letter at that tier
    school_tiers: dict[str, TierCount] = field(default_factory=dict)  # empty for central schools

    @property
    def upward_status(self) -> str:
        """missing / issued / signed, or '' when the unit signs no upward letter."""
        if self.tier is None:
            return ""
        return "missing" if self.letter is None else self.letter.status

    @property
    def gaps(self) -> dict[str, str | int]:
        """Tier → "missing" or "unsigned" (unit tiers), or the number of letters still missing."""
        found: dict[str, str | int] = {}
        if self.upward_status == "missing":
            found[self.tier] = "missing"
        elif self.upward_status == "issued":
            found[self.tier] = "unsigned"
        for tier, count in self.school_tiers.items():
            if count.missing:
                found[tier] = count.missing
        return found

    @property
    def required(self) -> int:
        return (1 if self.tier else 0) + sum(count.required for count in self.school_tiers.values())

    @property
    def signed(self) -> int:
        upward = 1 if self.upward_status == "signed" else 0
        return upward + sum(min(c.signed, c.required) for c in self.school_tiers.values())


def letter_rows(unit: OrgUnit, year: int) -> list[UnitLetters]:
    """Return, for every active unit in the subtree that signs letters, its letters of the year."""
    subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True))
    units = db.session.scalars(
        select(OrgUnit)
        .where(OrgUnit.id.in_(subtree), OrgUnit.is_active, OrgUnit.level >= 2, OrgUnit.kind != "grade_group")
        .order_by(OrgUnit.path)
    ).all()
    rows = {
        u.id: UnitLetters(
            u, unit_tier(u), school_tiers={t: TierCount() for t in SCHOOL_TIERS} if is_school(u) else {}
        )
        for u in units
    }
    for target in db.session.scalars(
        select(LetterTarget).where(LetterTarget.year == year, LetterTarget.org_unit_id.in_(subtree))
    ):
        row = rows.get(target.org_unit_id)
        if row is not None and row.school_tiers:
            row.school_tiers["principal_staff"].target = target.staff_count
            row.school_tiers["teacher_class"].target = target.class_count
    current = (Letter.year == year, Letter.status != "superseded", Letter.org_unit_id.in_(subtree))
    for letter in db.session.scalars(select(Letter).where(*current, Letter.tier.not_in(SCHOOL_TIERS))):
        row = rows.get(letter.org_unit_id)
        if row is not None and letter.tier == row.tier:
            row.letter = letter
    counts = db.session.execute(
        select(Letter.org_unit_id, Letter.tier, Letter.status, func.count())
        .where(*current, Letter.tier.in_(SCHOOL_TIERS))
        .group_by(Letter.org_unit_id, Letter.tier, Letter.status)
    )
    for unit_id, tier, status, number in counts:
        row = rows.get(unit_id)
        if row is None or tier not in row.school_tiers:
            continue
        row.school_tiers[tier].issued += number
        if status == "signed":
            row.school_tiers[tier].signed += number
    return list(rows.values())


def letter_gaps(unit: OrgUnit, year: int) -> list[UnitLetters]:
    """Return the units in the subtree with missing or unsigned letters of the year (`.gaps` per tier)."""
    return [row for row in letter_rows(unit, year) if row.gaps]


def letter_completion(school: OrgUnit, year: int) -> tuple[int, int]:
    """Return (required, signed) letters of a school for the year, for the annual assessment.

    Required: its upward letter plus the in-school targets; signed letters beyond a target do not
    count twice. A unit that is closed or signs nothing answers (0, 0).
    """
    for row in letter_rows(school, year):
        if row.unit.id == school.id:
            return row.required, row.signed
    return 0, 0
