"""Demo data of zeroreports."""


def load_demo_zeroreports() -> None:
    """Fill the demo district's zeroreports records idempotently."""
