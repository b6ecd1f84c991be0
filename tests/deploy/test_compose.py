"""deploy/compose.yaml and deploy/Dockerfile: the services, their health checks and volumes, and that
every variable they use is documented in deploy/.env.example (docker cannot run here, so the file is
checked as data)."""

import re

import yaml

from tests.deploy.kit import DEPLOY, ROOT, read_env_file, read_unit, unit_value

COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "scheduler")


def test_the_services():
    assert set(SERVICES) == {"postgres", "redis", *APP_SERVICES}
    assert SERVICES["migrate"]["command"] == ["safegrid", "db", "upgrade"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["scheduler"]["deploy"]["replicas"] == 1
    assert "replicas" not in SERVICES["worker"].get("deploy", {})  # scaled with --scale worker=N


def test_the_app_services_run_what_the_systemd_units_run():
    """One way to run each process: the container commands are the units' ExecStart= without the venv."""
    units = {
        "web": "safegrid-web.service",
        "worker": "safegrid-worker@.service",
        "scheduler": "safegrid-scheduler.service",
        "migrate": "safegrid-migrate.service",
    }
    for service, unit in units.items():
        command = unit_value(read_unit(unit), "ExecStart").split()
        assert [command[0].rsplit("/", 1)[1], *command[1:]] == SERVICES[service]["command"], service


def test_the_app_services_wait_for_healthy_databases_and_the_migrations():
    for name in ("web", "worker", "scheduler"):
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_health_checks():
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "Worker.all" in " ".join(SERVICES["worker"]["healthcheck"]["test"])


def test_volumes():
    assert set(COMPOSE["volumes"]) == {"postgres", "redis", "instance"}
    assert SERVICES["postgres"]["volumes"] == ["postgres:/var/lib/postgresql/data"]
    assert SERVICES["redis"]["volumes"] == ["redis:/data"]
    for name in APP_SERVICES:
        assert SERVICES[name]["volumes"] == ["instance:/var/lib/safegrid"], name
        assert SERVICES[name]["environment"]["SAFEGRID_INSTANCE_PATH"] == "/var/lib/safegrid"


def test_the_web_server_is_published_on_the_loopback_only():
    assert SERVICES["web"]["ports"] == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    assert SERVICES["web"]["environment"]["SAFEGRID_WEB_BIND"] == "0.0.0.0:8000"


def test_every_variable_compose_uses_is_in_the_env_example():
    documented = set(read_env_file(DEPLOY / ".env.example")) | {
        line.lstrip("#").split("=")[0]
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if re.match(r"^#[A-Z][A-Z0-9_]*=", line)
    }
    text = (DEPLOY / "compose.yaml").read_text()
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text))
    assert interpolated >= {"POSTGRES_PASSWORD", "SAFEGRID_SECRET_KEY", "WEB_PORT"}
    environment = {
        key
        for service in SERVICES.values()
        for key in (service.get("environment") or {})
        if key.startswith("SAFEGRID_")
    }
    assert sorted((interpolated | environment) - documented) == []


def test_the_secrets_are_required():
    for variable in ("POSTGRES_PASSWORD", "SAFEGRID_SECRET_KEY"):
        assert re.search(r"\$\{" + variable + r":\?", (DEPLOY / "compose.yaml").read_text()), variable


def test_the_image():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "\nFROM python:3.11-slim\n" in dockerfile
    assert "\nUSER safegrid\n" in dockerfile
    assert "pip install -e ." in dockerfile and "pybabel compile" in dockerfile
    # Everything the app reads from the source tree is copied in.
    for folder in ("tenancy", "schools", "bureau", "templates", "migrations", "deploy"):
        assert f"\nCOPY {folder} {folder}\n" in dockerfile, folder
        assert (ROOT / folder).is_dir()
    for service in APP_SERVICES:
        assert SERVICES[service]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
