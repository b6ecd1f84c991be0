"""The hazard lifecycle as a state machine: which step leads where, and who may take it.

open (待整改) → rectifying (整改中) → rectified (已整改) → verified (已复查销号);
open/rectifying → escalated (已上报) to the central school or the bureau, which records how
it was coordinated and either resolves it, forwards it upward (central school → bureau) or
sends it back to the school.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Who takes a step, relative to the hazard:
#   school   — the school's safety officer (school_admin at the school)
#   keeper   — a grid keeper owning the hazard's grid cell (or who reported it)
#   reviewer — central-school reviewer or bureau staff above the school
#   receiver — the level the hazard is escalated to
SCHOOL, KEEPER, REVIEWER, RECEIVER = "school", "keeper", "reviewer", "receiver"


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    label: object
    actors: frozenset[str]
    needs_note: bool = False


STEPS = {
    step.name: step
    for step in (
        Step(
            "start", frozenset({"open"}), "rectifying", _l("Start rectification"), frozenset({SCHOOL, KEEPER})
        ),
        Step(
            "rectify",
            frozenset({"open", "rectifying"}),
            "rectified",
            _l("Record rectification"),
            frozenset({SCHOOL, KEEPER}),
        ),
        Step(
            "verify",
            frozenset({"rectified"}),
            "verified",
            _l("Verify and close (销号)"),
            frozenset({SCHOOL, REVIEWER}),
        ),
        Step(
            "reject",
            frozenset({"rectified"}),
            "rectifying",
            _l("Re-check failed: rectify again"),
            frozenset({SCHOOL, REVIEWER}),
            needs_note=True,
        ),
        Step(
            "escalate",
            frozenset({"open", "rectifying"}),
            "escalated",
            _l("Escalate (beyond the school)"),
            frozenset({SCHOOL}),
            needs_note=True,
        ),
        Step(
            "resolve",
            frozenset({"escalated"}),
            "rectified",
            _l("Record coordinated rectification"),
            frozenset({RECEIVER}),
            needs_note=True,
        ),
        Step(
            "send_back",
            frozenset({"escalated"}),
            "rectifying",
            _l("Send back to the school"),
            frozenset({RECEIVER}),
            needs_note=True,
        ),
        Step(
            "forward",
            frozenset({"escalated"}),
            "escalated",
            _l("Forward to the bureau"),
            frozenset({RECEIVER}),
            needs_note=True,
        ),
    )
}


def legal_steps(status: str) -> list[Step]:
    """Return the steps that may follow a status."""
    return [step for step in STEPS.values() if status in step.sources]


# Names of history entries that are not steps.
EVENT_LABELS = {
    "report": _l("Reported"),
    "edit": _l("Corrected"),
    "import": _l("Updated from a ledger file"),
    "coordinate": _l("Coordination note"),
    "notice": _l("Listed on a rectification notice"),
    **{name: step.label for name, step in STEPS.items()},
}
