"""Demo data of contacts."""


def load_demo_contacts() -> None:
    """Fill the demo district's contacts records idempotently."""
