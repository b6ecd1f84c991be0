"""deploy/gunicorn.conf.py loads, every name in it is a gunicorn setting, and its values are sensible."""

import runpy

import pytest
from gunicorn.config import Config

from tests.deploy.kit import DEPLOY

CONF = str(DEPLOY / "gunicorn.conf.py")
HELPERS = {"multiprocessing", "os", "MAX_WORKERS", "default_workers"}


def _load(monkeypatch, **env) -> dict:
    for name in ("SAFEGRID_WEB_BIND", "SAFEGRID_WEB_WORKERS", "SAFEGRID_WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {name: value for name, value in runpy.run_path(CONF).items() if not name.startswith("_")}


def test_gunicorn_accepts_every_setting(monkeypatch):
    settings = _load(monkeypatch)
    config = Config()
    for name, value in settings.items():
        if name in HELPERS:
            continue
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)  # gunicorn's own validation
    assert config.worker_class_str == "gthread"
    assert config.address == [("127.0.0.1", 8000)]


def test_sensible_values(monkeypatch):
    settings = _load(monkeypatch)
    assert 1 <= settings["workers"] <= settings["MAX_WORKERS"]
    assert settings["threads"] == 4
    assert 30 <= settings["timeout"] <= 120 and settings["graceful_timeout"] <= settings["timeout"]
    assert 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert settings["preload_app"] is False  # a reload (HUP) must load new code in new workers
    assert settings["control_socket_disable"] is True
    assert "%({x-request-id}o)s" in settings["access_log_format"]
    assert (settings["accesslog"], settings["errorlog"]) == ("-", "-")


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (3, 7), (4, 8), (64, 8)])
def test_workers_from_the_cpu_count(monkeypatch, cpus, workers):
    assert _load(monkeypatch)["default_workers"](cpus) == workers


def test_the_environment_overrides(monkeypatch):
    settings = _load(
        monkeypatch, SAFEGRID_WEB_WORKERS="3", SAFEGRID_WEB_THREADS="8", SAFEGRID_WEB_BIND="0.0.0.0:9000"
    )
    assert (settings["workers"], settings["threads"], settings["bind"]) == (3, 8, "0.0.0.0:9000")


@pytest.mark.parametrize("value", ["many", "0", "-2"])
def test_a_bad_worker_count_is_refused_by_name(monkeypatch, value):
    with pytest.raises(RuntimeError, match="SAFEGRID_WEB_WORKERS"):
        _load(monkeypatch, SAFEGRID_WEB_WORKERS=value)


def test_it_imports_nothing_of_the_app():
    """The master must not hold app modules that workers forked after a reload would inherit."""
    source = (DEPLOY / "gunicorn.conf.py").read_text()
    for package in ("tenancy", "schools", "bureau"):
        assert f"import {package}" not in source and f"from {package}" not in source
