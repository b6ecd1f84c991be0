"""Demo data of letters."""


def load_demo_letters() -> None:
    """Fill the demo district's letters records idempotently."""
