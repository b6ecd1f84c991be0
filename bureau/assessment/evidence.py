"""Where the records behind an assessment number are listed: a link per source, for one school.

Each link opens a page the school itself may read (its reports, the dashboards' hazard drill-down,
its grid coverage, drills, letters and incidents), narrowed to the result's period
(first_day..last_day) where the page takes a range, so the list holds what the figure counted.
"""

from flask import url_for
from flask_babel import gettext as _

from bureau.assessment.models import Result
from tenancy.models import OrgUnit
from tenancy.settings.semesters import school_year

# The dashboards' drill-down measure of each hazard source (bureau/rollups/measures.py).
HAZARD_MEASURES = {"rectification": "found", "timeliness": "rectified_late", "major": "major_open_end"}


def _months(result: Result, source: str) -> dict[str, str]:
    """The drill-down's month range: the year's months, or the last month for a stock."""
    first = result.last_day if source == "major" else result.first_day
    return {"from": f"{first:%Y-%m}", "to": f"{result.last_day:%Y-%m}"}


def evidence_links(source: str, school: OrgUnit, result: Result) -> list[tuple[str, str]]:
    """(label, URL) of the pages listing the records behind a source's figures; none for entered ones."""
    year = result.last_day.year
    if source == "reports":
        return [
            (
                _("Monthly reports %(year)s", year=year),
                url_for("submissions.list_reports", school_id=school.id, year=year),
            )
        ]
    if source in HAZARD_MEASURES:
        url = url_for(
            "dashboards.list_hazards",
            unit_id=school.id,
            measure=HAZARD_MEASURES[source],
            **_months(result, source),
        )
        return [(_("Hazards"), url)]
    if source == "grid":
        url = url_for("grid.coverage", school_id=school.id, on=result.last_day.isoformat())
        return [(_("Grid coverage on %(day)s", day=result.last_day.isoformat()), url)]
    if source == "drills":
        # The calendar shows one school year; the assessment year spans the end of one and the
        # start of the next.
        starts = sorted({school_year(day)[0].year for day in (result.first_day, result.last_day)})
        return [
            (
                _("Drills %(first)s–%(last)s", first=start, last=start + 1),
                url_for("drills.calendar", school_id=school.id, year=start),
            )
            for start in starts
        ]
    if source == "letters":
        url = url_for("letters.school_letters", school_id=school.id, year=year)
        return [(_("Responsibility letters %(year)s", year=year), url)]
    if source == "incidents":
        url = url_for(
            "incidents.list_incidents",
            school_id=school.id,
            **{"from": result.first_day.isoformat(), "to": result.last_day.isoformat()},
        )
        return [(_("Incidents"), url)]
    return []


def evidence_url(source: str, school: OrgUnit, result: Result) -> str | None:
    """The page listing the records behind a source's number for the result's period, if any."""
    links = evidence_links(source, school, result)
    return links[0][1] if links else None
