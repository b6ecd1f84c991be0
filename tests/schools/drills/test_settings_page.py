"""The semester dates on the bureau admin's settings page: saved and audited, bad dates refused."""

import pytest
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.scoping import tenant_context
from tenancy.settings.store import get_setting
from tests.fixtures.app import WebClient
from tests.schools.drills.conftest import DEFAULT_SEMESTERS

BASE = {"timezone": "Asia/Shanghai", "report_due_day": "5"}


@pytest.fixture
def admin(app, world):
    client = WebClient(app)
    assert client.login("admin", world.password).status_code == 302
    assert client.post("/language", {"locale": "en"}).status_code == 302
    return client


def _semesters(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        return get_setting("semesters")


def test_semesters_are_saved_and_audited(app, world, admin):
    page = admin.get("/settings/").get_data(as_text=True)
    assert 'value="03-01"' in page and 'value="01-20"' in page
    changed = DEFAULT_SEMESTERS | {"spring_start": "02-24", "autumn_end": "01-25"}
    assert admin.post("/settings/", BASE | changed).status_code == 302
    assert _semesters(app, world) == changed
    with app.app_context(), tenant_context(world.alpha.id):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.update"))
        assert event.summary == "semesters"
        assert event.changes["semesters"] == {"before": DEFAULT_SEMESTERS, "after": changed}
    with app.app_context(), tenant_context(world.beta.id):
        assert get_setting("semesters") == DEFAULT_SEMESTERS


def test_all_four_empty_means_the_defaults_and_absent_means_unchanged(app, world, admin):
    changed = DEFAULT_SEMESTERS | {"spring_start": "02-24"}
    admin.post("/settings/", BASE | changed)
    assert admin.post("/settings/", BASE).status_code == 302  # a form without the fields
    assert _semesters(app, world) == changed
    assert admin.post("/settings/", BASE | dict.fromkeys(DEFAULT_SEMESTERS, "")).status_code == 302
    assert _semesters(app, world) == DEFAULT_SEMESTERS


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"spring_start": "2-24"}, "spring_start", "Give a date as MM-DD"),
        ({"autumn_end": "02-29"}, "autumn_end", "Give a date as MM-DD"),
        ({"spring_end": ""}, "spring_end", "Give a date as MM-DD"),
        ({"spring_end": "02-01"}, "spring_end", "must end after it starts"),
        ({"autumn_start": "06-01"}, "autumn_start", "must start after the spring semester ends"),
        ({"autumn_end": "03-10"}, "autumn_end", "before the next spring semester starts"),
    ],
)
def test_bad_semesters_are_refused_next_to_the_field(app, world, admin, change, field, message):
    response = admin.post("/settings/", BASE | DEFAULT_SEMESTERS | change)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    position = page.index(f'id="{field}"')
    assert message in page[position : page.index("</div>", position)]
    assert _semesters(app, world) == DEFAULT_SEMESTERS
