"""Org-unit kinds (SPEC §1) and which kind may sit at which level under which parent."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "bureau": _l("Education bureau"),
    "central": _l("Central school"),
    "primary": _l("Primary school"),
    "junior_middle": _l("Junior middle school"),
    "senior_high": _l("Senior high school"),
    "complete_middle": _l("Complete middle school"),
    "nine_year": _l("Nine-year school"),
    "twelve_year": _l("Twelve-year school"),
    "kindergarten": _l("Kindergarten"),
    "teaching_point": _l("Teaching point"),
    "vocational": _l("Vocational school"),
    "special": _l("Special education school"),
    "grade_group": _l("Grade group"),
}

SCHOOL_KINDS = frozenset(KIND_LABELS) - {"bureau", "central", "grade_group"}

LEVEL_LABELS = {
    1: _l("Grid level 1: the bureau"),
    2: _l("Grid level 2: central or directly-run school"),
    3: _l("Grid level 3: school, kindergarten, teaching point or grade group"),
}


def placement_problem(kind: str, level: int, parent_kind: str | None, parent_level: int | None) -> str | None:
    """Return why a unit of `kind` at `level` cannot sit under the given parent, or None."""
    if kind not in KIND_LABELS:
        return str(_l("Unknown kind '%(value)s'.", value=kind))
    if level not in (1, 2, 3):
        return str(_l("Level must be 1, 2 or 3."))
    if level == 1:
        if kind != "bureau":
            return str(_l("Only the bureau is at level 1."))
        if parent_kind is not None:
            return str(_l("The bureau has no parent."))
        return None
    if parent_level is None:
        return str(_l("A unit of level %(level)d needs a parent.", level=level))
    if parent_level != level - 1:
        return str(
            _l(
                "A level-%(level)d unit must sit under a level-%(parent)d unit.",
                level=level,
                parent=level - 1,
            )
        )
    if level == 2 and kind not in SCHOOL_KINDS | {"central"}:
        return str(_l("Level 2 holds central schools and directly-run schools."))
    if level == 3:
        if kind in ("bureau", "central"):
            return str(_l("Level 3 holds schools, kindergartens, teaching points and grade groups."))
        if kind == "grade_group" and parent_kind == "central":
            return str(_l("A grade group belongs to a directly-run school, not a central school."))
        if kind != "grade_group" and parent_kind != "central":
            return str(_l("A school at level 3 belongs to a central school."))
    return None
