"""Read the deploy kit's files as their programs do: systemd units, the env file, compose.yaml.

Used by the kit's tests and by the end-to-end run (e2e_production.py), which starts the processes
with exactly the commands and environment the systemd units give them.
"""

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL_ROOT = "/opt/safegrid"  # where the units expect the checkout (deploy/README.md)
ENV_FILE = "/etc/safegrid/safegrid.env"
ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def read_unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file → key → every value given (systemd allows a key more than once)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in (UNITS / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{name}: {line!r} outside a section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit_value(unit: dict, key: str, section: str = "Service") -> str:
    """The last value of a key (later assignments win in systemd)."""
    return unit[section][key][-1]


def command(unit: dict, key: str = "ExecStart", root: Path = ROOT) -> list[str]:
    """A unit's command line as argv, with the install root replaced by `root`."""
    return [part.replace(INSTALL_ROOT, str(root)) for part in shlex.split(unit_value(unit, key))]


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= and compose's .env read them (comments skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        match = ASSIGNMENT.match(line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values
