"""Demo data of drills."""


def load_demo_drills() -> None:
    """Fill the demo district's drills records idempotently."""
