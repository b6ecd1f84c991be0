"""The demo district in a real browser: log in, switch language, read the org tree.

Runs the real stack end to end: `safegrid db upgrade` and `safegrid demo` on a fresh
SQLite instance, gunicorn serving `bureau.wsgi:app`, and Debian's headless Chromium
driven through Playwright. Screenshots land in test-artifacts/ (git-ignored).
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
ARTIFACTS = REPO_ROOT / "test-artifacts"
CATALOG = REPO_ROOT / "tenancy" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.mo"
STARTUP_SECONDS = 20
TIMEOUT_MS = 10_000

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser

DEMO_TENANT = "qingshan"
DEMO_ADMIN = "admin"
DEMO_PASSWORD = "Qingshan@2026"


def _catalog_translates(message: str) -> bool:
    """Whether the compiled Chinese catalog (if any) has a translation for `message`."""
    if not CATALOG.exists():
        return False
    with CATALOG.open("rb") as file:
        return gettext.GNUTranslations(file).gettext(message) != message


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            args, env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=60, check=False
        )
    assert result.returncode == 0, f"{' '.join(args[2:])} failed:\n{log.read_text(errors='replace')}"


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
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


@pytest.fixture(scope="module")
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
    _run([sys.executable, "-m", "bureau", "db", "upgrade"], env, log)
    _run([sys.executable, "-m", "bureau", "demo"], env, log)

    base_url = f"http://127.0.0.1:{_free_port()}"
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
        _wait_until_up(f"{base_url}/login", server, log)
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


def test_demo_login_language_switch_and_org_tree(demo_server, page):
    problems: list[str] = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        # Chromium asks for /favicon.ico on its own; the app has none, which is no page error.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            problems.append(f"console error: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    ARTIFACTS.mkdir(exist_ok=True)

    # The login page speaks Chinese by default.
    page.goto(f"{demo_server}/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    if _catalog_translates("Log in to SafeGrid"):  # else the strings fall back to English
        expect(page.locator("h1")).to_contain_text("登录")
    page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)

    # Log in as the bureau admin and land on the start page.
    page.fill("input[name=tenant]", DEMO_TENANT)
    page.fill("input[name=username]", DEMO_ADMIN)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/")
    expect(page.locator("nav.mainnav")).to_be_visible()

    # Switch to English.
    page.locator("form.lang button[name=locale][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("nav.mainnav")
    expect(nav).to_contain_text("Org tree")

    # The org tree lists the whole demo district.
    nav.get_by_role("link", name="Org tree").click()
    page.wait_for_url(f"{demo_server}/orgs/")
    tree = page.locator("table#org-tree")
    expect(tree).to_contain_text("青山县教育局")
    expect(tree).to_contain_text("城关镇第一小学")
    rows = tree.locator("tbody tr")
    assert rows.count() >= 60, f"only {rows.count()} rows in the org tree"
    page.screenshot(path=str(ARTIFACTS / "org-tree.png"), full_page=True)

    assert not problems, "browser reported errors:\n" + "\n".join(problems)


SAMPLE_LEDGER = REPO_ROOT / "tests" / "data" / "ledgers" / "城关镇第一小学_隐患排查治理台账_2026年3月.xlsx"


def test_school_uploads_a_ledger_and_moves_a_hazard_along(demo_server, page):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{demo_server}/login")
    page.fill("input[name=tenant]", DEMO_TENANT)
    page.fill("input[name=username]", "cgyx_admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/")

    # From the start page to the school's ledger, then to the upload page.
    page.locator(".actions.quick a").first.click()
    page.locator("a[href$='/ledgers/upload']").click()
    page.set_input_files("input[type=file]", str(SAMPLE_LEDGER))
    page.locator("form[enctype] button[type=submit]").click()
    rows = page.locator("table#ledger-rows tbody tr")
    expect(rows).to_have_count(16)
    page.screenshot(path=str(ARTIFACTS / "ledger-preview.png"), full_page=True)
    page.locator("form[action*='/ledgers/'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # The imported hazards are in the ledger: open one in March 2026 and start its rectification.
    page.goto(page.url.split("?")[0] + "?month=2026-03&status=open")
    first = page.locator("table#hazards tbody tr a").first
    first.click()
    page.locator("form.step-form:has(input[value=start]) button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("table#history")).to_contain_text("cgyx_admin")
    page.screenshot(path=str(ARTIFACTS / "hazard.png"), full_page=True)
    assert not problems, problems
