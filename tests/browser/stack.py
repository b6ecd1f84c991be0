"""The browser tests' shared stack: the demo district served by gunicorn, and a fresh Chromium page.

Runs the real stack end to end: `safegrid db upgrade` and `safegrid demo` (which also builds
the rollups) on a fresh SQLite instance, once per session, gunicorn serving
`bureau.wsgi:app`, and Debian's headless Chromium driven through Playwright. Screenshots land
in test-artifacts/ (git-ignored) or $SAFEGRID_TEST_ARTIFACTS.
"""

import gettext
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("SAFEGRID_TEST_ARTIFACTS") or REPO_ROOT / "test-artifacts")
CATALOG = REPO_ROOT / "tenancy" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.mo"
STARTUP_SECONDS = 20
TIMEOUT_MS = 10_000

try:
    from playwright import sync_api
except ImportError:  # the test modules skip themselves (MISSING)
    sync_api = None

# Why the browser tests cannot run here, or None; each test module skips itself with it.
MISSING = (
    f"{CHROMIUM} is not installed (apt-get install chromium)"
    if not CHROMIUM.exists()
    else ("playwright is not installed" if sync_api is None else None)
)

DEMO_TENANT = "qingshan"
DEMO_ADMIN = "admin"
DEMO_PASSWORD = "Qingshan@2026"


def catalog_translates(message: str) -> bool:
    """Whether the compiled Chinese catalog (if any) has a translation for `message`."""
    if not CATALOG.exists():
        return False
    with CATALOG.open("rb") as file:
        return gettext.GNUTranslations(file).gettext(message) != message


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_command(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            args, env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=60, check=False
        )
    assert result.returncode == 0, f"{' '.join(args[2:])} failed:\n{log.read_text(errors='replace')}"


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(
        f"gunicorn did not answer {url} within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, redis_url):
    """Migrate and seed a fresh SQLite demo instance, serve it with gunicorn, yield its base URL."""
    instance = tmp_path_factory.mktemp("demo-instance")
    log = instance / "server.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGRID_")}
    env.update(
        SAFEGRID_INSTANCE_PATH=str(instance),
        SAFEGRID_DATABASE_URL=f"sqlite:///{instance / 'demo.db'}",
        SAFEGRID_REDIS_URL=redis_url,
        PYTHONUNBUFFERED="1",
    )
    run_command([sys.executable, "-m", "bureau", "db", "upgrade"], env, log)
    run_command([sys.executable, "-m", "bureau", "demo"], env, log)

    base_url = f"http://127.0.0.1:{free_port()}"
    with log.open("ab") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                base_url.removeprefix("http://"),
                "--workers",
                "1",
                "bureau.wsgi:app",
            ],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"{base_url}/login", server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


@pytest.fixture
def page():
    """A page in a fresh Chromium profile, closed after the test."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
            context.set_default_timeout(TIMEOUT_MS)
            yield context.new_page()
            context.close()
        finally:
            browser.close()


def login(page, base_url: str, username: str) -> None:
    """Log in to the demo district as `username` and wait for the start page."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=tenant]", DEMO_TENANT)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def console_problems(page) -> list[str]:
    """Collect the page's console errors and warnings and its uncaught errors into a list."""
    problems: list[str] = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        if message.type in ("error", "warning") and not url.endswith("/favicon.ico"):
            problems.append(f"console {message.type}: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems
