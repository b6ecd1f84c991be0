"""Jobs of the assessment: compute a year on request, and refresh the current year's preview nightly."""

import logging

from bureau.assessment.operations import AssessmentError, compute
from bureau.assessment.queries import rubric_of
from tenancy.jobs import Schedule, job, schedule
from tenancy.settings.store import tenant_today

log = logging.getLogger(__name__)


@job("assessment.compute", queue="rollups")
def compute_job(year: int) -> None:
    """Compute the year's assessment of the current tenant (nothing if it has no rubric or is closed)."""
    rubric = rubric_of(year)
    if rubric is None or rubric.is_closed:
        return
    try:
        done = compute(rubric)
    except AssessmentError as error:  # an invalid rubric: retrying would not help
        log.warning("assessment %s not computed: %s", year, error)
        return
    log.info("assessment %s: %s school(s) in %.1f s", year, done.schools, done.seconds)


@job("assessment.preview", queue="rollups")
def preview_job() -> None:
    """Refresh the mid-year preview of the current year, if the tenant keeps a rubric for it."""
    compute_job(tenant_today().year)


schedule(Schedule("assessment-nightly", "assessment.preview", "day", at_hour=3, at_minute=0))
