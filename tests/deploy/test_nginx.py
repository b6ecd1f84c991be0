"""deploy/nginx/safegrid.conf agrees with the app (upload limit, static folder, X-Accel prefix, bind)
and, where nginx is installed, `nginx -t` accepts it."""

import re
import runpy
import shutil
import subprocess

import pytest

from bureau.app import TENANCY_DIR
from tenancy.config import Config
from tests.deploy.kit import DEPLOY, INSTALL_ROOT, ROOT, read_env_file

SITE = (DEPLOY / "nginx" / "safegrid.conf").read_text()
ENV_EXAMPLE = (DEPLOY / ".env.example").read_text()


def _location(prefix: str) -> str:
    match = re.search(r"\n    location " + re.escape(prefix) + r" \{\n(.*?)\n    \}", SITE, re.S)
    assert match, f"no location {prefix}"
    return match.group(1)


def test_the_upload_limit_is_the_apps(tmp_path, monkeypatch):
    monkeypatch.delenv("SAFEGRID_UPLOAD_MAX_MB", raising=False)
    monkeypatch.setenv("SAFEGRID_SECRET_KEY", "k")
    limit = Config(tmp_path).MAX_CONTENT_LENGTH
    assert re.findall(r"client_max_body_size (\d+)m;", SITE) == [str(limit // (1024 * 1024))]


def test_static_files_come_from_the_packages_static_folder():
    static = _location("/static/")
    alias = re.search(r"alias (\S+);", static).group(1)
    assert alias == f"{INSTALL_ROOT}/tenancy/static/"
    assert (ROOT / alias.removeprefix(INSTALL_ROOT + "/")).resolve() == TENANCY_DIR / "static"
    assert "proxy_pass http://safegrid_web;" in _location("= /static/vendor/plotly.min.js")


def test_attached_files_go_through_the_internal_location():
    prefix = re.search(r"^#SAFEGRID_X_ACCEL_PREFIX=(\S+)$", ENV_EXAMPLE, re.M).group(1)
    protected = _location(f"{prefix}/")
    assert "internal;" in protected
    instance = read_env_file(DEPLOY / ".env.example")["SAFEGRID_INSTANCE_PATH"]
    assert re.search(r"alias (\S+);", protected).group(1) == f"{instance}/uploads/"
    assert "X-Content-Type-Options nosniff always" in protected


def test_tls_redirect_and_proxy_headers():
    assert "return 301 https://$host$request_uri;" in SITE
    assert re.findall(r"ssl_protocols ([^;]+);", SITE) == ["TLSv1.2 TLSv1.3"]
    for header in (
        "X-Forwarded-For $proxy_add_x_forwarded_for",
        "X-Forwarded-Proto $scheme",
        "X-Request-Id $request_id",
        "Host $http_host",
    ):
        assert f"proxy_set_header {header};" in SITE, header
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert f"server {gunicorn['bind']};" in SITE
    assert int(re.search(r"keepalive_timeout (\d+)s;", SITE).group(1)) < gunicorn["keepalive"]
    assert int(re.search(r"proxy_read_timeout (\d+)s;", SITE).group(1)) > gunicorn["timeout"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_nginx_accepts_the_site(tmp_path):
    """`nginx -t` on the site inside a minimal http {} block, with a throwaway certificate."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (
        SITE.replace("/etc/ssl/safegrid/", f"{tmp_path}/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace(INSTALL_ROOT, str(ROOT))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [
            "nginx",
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "e.log"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    warnings = [
        line
        for line in result.stderr.splitlines()
        if "[warn]" in line and "http2" not in line  # 1.25.1+
    ]
    assert not warnings and "[emerg]" not in result.stderr, result.stderr
