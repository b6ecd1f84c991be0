"""One row of the isolation table."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {S11} etc. are alpha org ids, {user:name} alpha user ids
    owner: str  # may act: gets neither 403 nor 404
    outsider: str | None = None  # same tenant, outside the object's subtree: 404
    wrong_role: str | None = None  # sees the object, lacks the permission: 403
    data: dict = field(default_factory=dict)  # form fields, or the JSON body of an API call
    files: dict = field(default_factory=dict)  # multipart uploads: name → (filename, bytes)
    api: bool = False
    # Text of the object that must not leak to another tenant's user on list pages.
    secret: str | None = None
