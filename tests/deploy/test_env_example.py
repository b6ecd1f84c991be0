"""deploy/.env.example documents exactly the SAFEGRID_* variables the code reads, each with its default."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / "deploy" / ".env.example"
PREFIX = "SAFEGRID_"
NAME = re.compile(r"^SAFEGRID_[A-Z0-9_]+$")
ASSIGNMENT = re.compile(r"^#?([A-Z][A-Z0-9_]*)=(.*)$")


def _sources() -> list[Path]:
    """Every Python file of the application and of the deploy kit (the tests' own variables excluded)."""
    files = [path for package in ("tenancy", "schools", "bureau") for path in (ROOT / package).rglob("*.py")]
    return files + sorted((ROOT / "deploy").glob("*.py"))


def read_variables() -> tuple[set[str], list[str]]:
    """The SAFEGRID_* names the code reads, and the env_* calls whose name is not a literal."""
    names, dynamic = set(), []
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("env_") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(PREFIX + first.value)
                elif path.name != "config.py":  # the helpers themselves pass `name` on
                    dynamic.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and NAME.match(node.value)
                and id(node) not in docstrings
            ):
                names.add(node.value)
    return names, dynamic


def documented() -> dict[str, list[str]]:
    """Each variable of .env.example with the comment block above it (shared by consecutive lines)."""
    found, block, after_assignment = {}, [], False
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            found[match.group(1)] = block
            after_assignment = True
        elif line.startswith("#"):
            if after_assignment:
                block, after_assignment = [], False
            block.append(line)
        else:
            block, after_assignment = [], False
    return found


def test_every_variable_the_code_reads_is_documented_and_nothing_else():
    names, dynamic = read_variables()
    assert not dynamic, f"read a variable whose name is not a literal (the check cannot see it): {dynamic}"
    assert {"SAFEGRID_DATABASE_URL", "SAFEGRID_SECRET_KEY", "SAFEGRID_WEB_WORKERS"} <= names  # the scan works
    listed = {name for name in documented() if name.startswith(PREFIX)}
    assert sorted(names - listed) == [], "add these to deploy/.env.example, with meaning and default"
    assert sorted(listed - names) == [], "deploy/.env.example lists variables nothing reads"


def test_each_variable_says_what_it_means_and_its_default():
    for name, comments in documented().items():
        text = " ".join(comments)
        assert name in text, f"{name}: no comment above it naming it"
        assert "default" in text.lower(), f"{name}: its comment does not give the default"


def test_values_read_alike_by_compose_and_systemd():
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            assert not re.search(r"[\s\"'$`\\]", match.group(2)), f"plain values only: {line}"
