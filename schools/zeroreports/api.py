"""/api/v1 endpoints of zeroreports."""

from flask import Blueprint


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
