"""Who may see and act on a hazard, on top of the tenant and subtree scope."""

from flask_login import current_user
from sqlalchemy import Select, or_, select

from schools.grid.queries import cells_of_keeper, keeper_only
from schools.hazards.lifecycle import KEEPER, RECEIVER, REVIEWER, SCHOOL
from schools.hazards.models import Hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.roles import can


def keeper_filter(query: Select, user=None) -> Select:
    """Limit a hazard query to the keeper's cells and the hazards they reported."""
    user = user if user is not None else current_user
    cell_ids = [cell.id for cell in cells_of_keeper(user)]
    return query.where(or_(Hazard.grid_cell_id.in_(cell_ids), Hazard.reported_by_id == user.id))


def keeper_sees(hazard: Hazard, user=None) -> bool:
    """Whether a grid keeper's own cells (or own reports) include the hazard."""
    user = user if user is not None else current_user
    if hazard.reported_by_id == user.id:
        return True
    return hazard.grid_cell_id in {cell.id for cell in cells_of_keeper(user)}


def capacities(hazard: Hazard, user=None) -> set[str]:
    """Return the capacities (school, keeper, reviewer, receiver) in which the user may act."""
    user = user if user is not None else current_user
    school = hazard.school or db.session.get(OrgUnit, hazard.org_unit_id)
    found = set()
    if can("hazard.manage", school, user):
        found.add(SCHOOL)
    if can("hazard.report", school, user) and keeper_sees(hazard, user):
        found.add(KEEPER)
    if can("hazard.review", school, user):
        found.add(REVIEWER)
    if hazard.escalated_to_id is not None:
        receiver = hazard.escalated_to or db.session.get(OrgUnit, hazard.escalated_to_id)
        if can("hazard.review", receiver, user):
            found.add(RECEIVER)
    return found


def visible_hazards(school: OrgUnit) -> Select:
    """Select the school's hazards the current user may see."""
    query = select(Hazard).where(Hazard.org_unit_id == school.id)
    return keeper_filter(query) if keeper_only(school) else query
