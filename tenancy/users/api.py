"""/api/v1/me: who the token belongs to."""

from flask import Blueprint
from flask_login import current_user

from tenancy.api.base import documented
from tenancy.users.schemas import MeSchema


@documented(summary="The caller: user, tenant and role grants", response=MeSchema())
def me():
    return MeSchema().dump(current_user._get_current_object())


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/me", view_func=me)
