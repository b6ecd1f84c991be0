"""Demo data of duty."""


def load_demo_duty() -> None:
    """Fill the demo district's duty records idempotently."""
