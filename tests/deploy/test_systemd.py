"""deploy/systemd: the units run the kit's commands as a dedicated, confined user; systemd accepts them."""

import shutil
import subprocess

import pytest

from tests.deploy.kit import ENV_FILE, INSTALL_ROOT, ROOT, UNITS, command, read_unit, unit_value

SERVICES = ("safegrid-web.service", "safegrid-worker@.service", "safegrid-scheduler.service")
ALL_SERVICES = (*SERVICES, "safegrid-migrate.service", "safegrid-backup.service")
VENV = f"{INSTALL_ROOT}/.venv/bin"


@pytest.mark.parametrize("name", ALL_SERVICES)
def test_every_service_is_confined_and_reads_the_env_file(name):
    service = read_unit(name)["Service"]
    assert service["User"] == ["safegrid"] and service["Group"] == ["safegrid"]
    assert service["EnvironmentFile"] == [ENV_FILE]
    assert service["WorkingDirectory"] == [INSTALL_ROOT]  # deploy/gunicorn.conf.py is relative to it
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == [value], f"{name}: {key}"
    # The instance folder (.env.example's SAFEGRID_INSTANCE_PATH) is the one writable place (and backups).
    assert service["ReadWritePaths"][0].split()[0] == "/var/lib/safegrid"


@pytest.mark.parametrize("name", SERVICES)
def test_long_running_services_restart_on_failure_and_belong_to_the_target(name):
    unit = read_unit(name)
    assert unit_value(unit, "Restart") == "on-failure"
    assert unit["Unit"]["PartOf"] == ["safegrid.target"]
    assert unit["Install"]["WantedBy"] == ["safegrid.target"]


def test_the_commands():
    web = read_unit("safegrid-web.service")
    assert command(web, "ExecStartPre") == [f"{ROOT}/.venv/bin/safegrid", "db", "upgrade"]
    assert unit_value(web, "ExecStart") == f"{VENV}/gunicorn -c deploy/gunicorn.conf.py bureau.wsgi:app"
    assert (unit_value(web, "Type"), unit_value(web, "ExecReload")) == ("notify", "/bin/kill -HUP $MAINPID")
    worker = read_unit("safegrid-worker@.service")
    assert unit_value(worker, "ExecStart") == f"{VENV}/safegrid worker"
    assert unit_value(worker, "KillMode") == "mixed"  # SIGTERM to the worker only: it finishes its job
    assert unit_value(read_unit("safegrid-scheduler.service"), "ExecStart") == f"{VENV}/safegrid scheduler"
    migrate = read_unit("safegrid-migrate.service")
    assert (unit_value(migrate, "Type"), unit_value(migrate, "ExecStart")) == (
        "oneshot",
        f"{VENV}/safegrid db upgrade",
    )
    target = read_unit("safegrid.target")
    assert set(target["Unit"]["Wants"][0].split()) == {
        "safegrid-web.service",
        "safegrid-scheduler.service",
        "safegrid-worker@1.service",
        "safegrid-worker@2.service",
    }


def test_the_nightly_backup():
    backup = read_unit("safegrid-backup.service")
    assert unit_value(backup, "Type") == "oneshot"
    assert "/opt/safegrid/.venv/bin/safegrid backup " in unit_value(backup, "ExecStart")
    assert unit_value(backup, "ReadWritePaths") == "/var/lib/safegrid /var/backups/safegrid"
    timer = read_unit("safegrid-backup.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 02:30:00"] and timer["Timer"]["Persistent"] == ["true"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]


def test_the_executables_exist_in_a_checkout():
    for name in ALL_SERVICES:
        for key in ("ExecStartPre", "ExecStart"):
            if key in read_unit(name)["Service"]:
                assert (ROOT / command(read_unit(name), key)[0]).exists(), f"{name}: {key}"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    """`systemd-analyze verify` on copies pointing at this checkout: no unknown key, no bad value."""
    env_file = tmp_path / "safegrid.env"
    env_file.write_text("")
    names = []
    for path in sorted(UNITS.iterdir()):
        text = path.read_text().replace(ENV_FILE, str(env_file)).replace(INSTALL_ROOT, str(ROOT))
        (tmp_path / path.name).write_text(text)
        names.append(f"./{path.name}")
    names.append("./safegrid-worker@1.service")  # an instance of the template
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
