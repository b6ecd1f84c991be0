"""Per-tenant settings: defaults live here in code, tenants override single keys."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blinker import Namespace
from flask import g
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.models import TenantSetting
from tenancy.scoping import current_tenant_id

TIMEZONES = ("Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau")

DEFAULTS: dict[str, Any] = {
    "timezone": "Asia/Shanghai",
    # Monthly reports are due on this day of the following month, at 23:59 local time.
    "report_due_day": 5,
    # Semesters as month-day strings (tenancy/settings/semesters.py): spring within one calendar
    # year, autumn may run into January of the next year. Drill obligations are counted per semester.
    "semesters": {
        "spring_start": "03-01",
        "spring_end": "07-10",
        "autumn_start": "09-01",
        "autumn_end": "01-20",
    },
}


def get_setting(key: str) -> Any:
    """Return the current tenant's value for `key`, or its default."""
    if key not in DEFAULTS:
        raise KeyError(key)
    cache = g.setdefault("tenant_settings", {})
    cache_key = (current_tenant_id(), key)
    if cache_key not in cache:
        value = db.session.scalar(select(TenantSetting.value).where(TenantSetting.key == key))
        cache[cache_key] = DEFAULTS[key] if value is None else value
    return cache[cache_key]


# Sent with key=… when a tenant changes a setting, for what depends on it (the rollups count
# reports by the due day and months in the tenant's time zone).
setting_changed = Namespace().signal("tenant-setting-changed")


def set_setting(key: str, value: Any) -> TenantSetting:
    """Override `key` for the current tenant (the caller records the audit event)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    g.pop("tenant_settings", None)
    row = db.session.scalar(select(TenantSetting).where(TenantSetting.key == key))
    if row is None:
        row = TenantSetting(key=key, value=value)
        db.session.add(row)
    elif row.value == value:
        return row
    else:
        row.value = value
    setting_changed.send(row, key=key)
    return row


def tenant_timezone() -> ZoneInfo:
    """Return the current tenant's time zone."""
    return ZoneInfo(get_setting("timezone"))


def tenant_today() -> date:
    """Return today's date in the tenant's time zone (deadlines and duties are local dates)."""
    return datetime.now(tenant_timezone()).date()
