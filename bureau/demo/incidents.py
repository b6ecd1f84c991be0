"""Demo data of incidents."""


def load_demo_incidents() -> None:
    """Fill the demo district's incidents records idempotently."""
