"""The Chinese catalogue is complete, well-formed and actually used by the pages.

`make test` compiles the catalogue before pytest runs, so the rendering test
below sees the current translations.
"""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO_FILE = ROOT / "tenancy" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"

# A %-style conversion as Python applies it: %(name)s, %d, %-5.2f; "%%" is a literal percent.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[a-zA-Z%])"
)


def _read_catalog():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="zh_Hans_CN")


def _placeholders(text: str) -> set[tuple[str | None, str]]:
    return {
        (match.group("name"), match.group("conv"))
        for match in PLACEHOLDER.finditer(text)
        if match.group("conv") != "%"
    }


def _translated_messages():
    return [message for message in _read_catalog() if message.id]


def test_catalog_header_lets_pybabel_compile_it():
    catalog = _read_catalog()
    # Without a header entry (or with a fuzzy one) `pybabel compile` skips the whole file.
    assert not catalog.fuzzy, "messages.po has no header or a fuzzy header; pybabel compile will skip it"
    assert catalog.num_plurals == 1, "Chinese has a single plural form (nplurals=1)"


def test_every_message_is_translated_and_not_fuzzy():
    problems = []
    for message in _translated_messages():
        msgid = message.id[0] if message.pluralizable else message.id
        strings = message.string if message.pluralizable else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if not strings or not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders():
    problems = []
    for message in _translated_messages():
        if not message.python_format:
            continue
        if message.pluralizable:
            # Chinese uses msgstr[0] for every count, so it must carry the plural's placeholders.
            expected = _placeholders(message.id[-1])
            strings = message.string
            msgid = message.id[0]
        else:
            expected = _placeholders(message.id)
            strings = (message.string,)
            msgid = message.id
        for string in strings:
            found = _placeholders(string or "")
            if found != expected:
                problems.append(
                    f"{msgid!r}: expected {sorted(map(str, expected))}, got {sorted(map(str, found))}"
                )
    assert not problems, "\n".join(problems)


def test_catalog_holds_every_extracted_string(tmp_path):
    pot = tmp_path / "messages.pot"
    command = [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        "--quiet",
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-o",
        str(pot),
        "--no-location",
        "--omit-header",
        str(ROOT),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as handle:
        template = read_po(handle)
    extracted = {
        message.id if isinstance(message.id, str) else message.id[0] for message in template if message.id
    }
    assert len(extracted) > 100, "extraction found suspiciously few strings; check babel.cfg"
    catalog = _read_catalog()
    missing = sorted(msgid for msgid in extracted if catalog.get(msgid) is None)
    assert not missing, "run `make extract` and translate the new strings:\n" + "\n".join(missing)


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_pages_are_chinese_by_default_and_switch_to_english(app):
    client = app.test_client()

    page = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in page
    assert "登录" in page
    assert "单位代码" in page
    assert "Log in" not in page

    response = client.post("/language", data={"locale": "en", "csrf_token": _csrf_token(page)})
    assert response.status_code == 302

    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "Unit code" in page
    assert "登录" not in page


def test_failed_login_message_is_translated(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={
            "tenant": "nosuchunit",
            "username": "nobody",
            "password": "wrong-password-1",
            "csrf_token": _csrf_token(page),
        },
    )
    assert "单位代码、用户名或密码错误。" in response.get_data(as_text=True)
