"""WSGI entry point for gunicorn: `gunicorn bureau.wsgi:app`."""

from bureau.app import create_app

app = create_app()
