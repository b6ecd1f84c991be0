"""Turn SAFEGRID_REDIS_URL into the forms each client library expects."""


def limiter_storage_uri(redis_url: str | None) -> str:
    """Return the Flask-Limiter storage URI for a Redis URL (memory:// when there is none)."""
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url
