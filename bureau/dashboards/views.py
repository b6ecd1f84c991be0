"""Dashboard pages: a unit's figures (adapted to its level), the drill-down list, Excel, print, plotly.js."""

import io
from datetime import date
from functools import partial
from pathlib import Path

import plotly
from flask import redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from plotly.offline import get_plotlyjs_version

from bureau.dashboards import exports, figures
from bureau.dashboards.queries import (
    MEASURE_LABELS,
    drill_query,
    due_soon,
    is_stock,
    kpis,
    ledger_status,
    open_flags,
    overdue_items,
    records,
    report_months,
    waiting_escalations,
    waiting_reports,
)
from bureau.flags.util import KIND_LABELS as FLAG_KIND_LABELS
from bureau.flags.util import kind_label as flag_kind_label
from bureau.flags.util import subject_url
from bureau.rollups.cache import cached
from bureau.rollups.measures import HAZARD_MEASURES
from bureau.rollups.read import (
    OWNERSHIP,
    Filters,
    category_matrix,
    children_table,
    top_schools,
)
from schools.drills.queries import drills_due
from schools.duty.queries import duty_on
from schools.grid.queries import coverage, keeper_only
from schools.hazards.codes import CATEGORIES, LEVELS, STATUSES
from schools.hazards.models import Hazard
from schools.incidents.queries import live_incidents
from schools.submissions.labels import STATUS_LABELS, TIMELINESS_LABELS
from schools.units import keeps_records
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.kinds import KIND_LABELS, SCHOOL_KINDS
from tenancy.orgs.queries import breadcrumbs
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today
from tenancy.ui import paginate, sorted_by
from tenancy.web import require

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PLOTLY_VERSION = get_plotlyjs_version()
ONE_YEAR = 365 * 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRILL_SORTS = {
    "found_on": Hazard.found_on,
    "deadline": Hazard.deadline,
    "unit": OrgUnit.code,
    "level": Hazard.level,
    "status": Hazard.status,
    "category": Hazard.category,
}


# --- formatting helpers for the templates --------------------------------------------------


def percent(value) -> str:
    """A rate as a percentage with one decimal; no denominator → an em dash."""
    return "—" if value is None else f"{value * 100:.1f}%"


def days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def p90(row: dict) -> str:
    """The days bucket bound 90% of rectifications stayed within (over 60: '> 60')."""
    if row.get("p90_days") is not None:
        return f"≤ {int(row['p90_days'])}"
    return "> 60" if row.get("rectified") else "—"


def change(tile) -> str:
    """The change since last month: +3 / −2 / ±0, rates in percentage points."""
    delta = tile.change
    if delta is None:
        return ""
    if tile.is_rate:
        delta = round(delta * 100, 1)
        text = _("%(num).1f pt", num=abs(delta))
    else:
        text = str(abs(int(delta)))
    if delta == 0:
        return "±0"
    return ("+" if delta > 0 else "−") + text


def change_class(tile) -> str:
    delta = tile.change
    if not delta:
        return "same"
    return "better" if (delta > 0) == tile.higher_is_better else "worse"


HELPERS = {
    "percent": percent,
    "days": days,
    "p90": p90,
    "change": change,
    "change_class": change_class,
    "categories": CATEGORIES,
    "levels": LEVELS,
    "statuses": STATUSES,
    "kind_labels": KIND_LABELS,
    "school_kinds": sorted(SCHOOL_KINDS),
    "ownership_choices": OWNERSHIP,
    "measure_labels": MEASURE_LABELS,
    "flag_kind_labels": FLAG_KIND_LABELS,
    "flag_kind_label": flag_kind_label,
    "subject_url": subject_url,
    "report_status_labels": STATUS_LABELS,
    "timeliness_labels": TIMELINESS_LABELS,
    "plotly_version": PLOTLY_VERSION,
}


# --- loading -------------------------------------------------------------------------------


def _load(unit_id: int) -> tuple[OrgUnit, Filters, date]:
    """The unit in the user's scope (else 404) and the view's filters from the query string."""
    unit = get_scoped_or_404(OrgUnit, unit_id, "read")
    today = tenant_today()
    return unit, Filters.from_args(request.args, today), today


def dashboard_url(unit_id: int, *, filters: Filters, **more) -> str:
    return url_for("dashboards.show_dashboard", unit_id=unit_id, **filters.to_args(), **more)


def drill_url(unit_id: int, measure: str, *, filters: Filters, **more) -> str:
    """The drill-down list of `measure` for a unit; more= narrows it (a category, one month)."""
    args = filters.to_args() | {key: value for key, value in more.items() if value}
    return url_for("dashboards.list_hazards", unit_id=unit_id, measure=measure, **args)


def _month_drill(unit: OrgUnit, filters: Filters, measure: str, month: str) -> str:
    return drill_url(unit.id, measure, filters=filters, **{"from": month, "to": month})


def _category_drills(filters: Filters):
    """drill(child_id, category) → the list of hazards found of that category at that child.

    A heatmap of 200 central schools has 3,000 cells: build the URL once and fill it in.
    """
    template = drill_url(0, "found", filters=filters, category="CATEGORY")
    prefix = url_for("dashboards.list_hazards", unit_id=0)

    def drill(child_id: int, category: str) -> str:
        if filters.category and filters.category != category:
            return ""
        path = prefix.replace("/0/", f"/{child_id}/")
        return path + template.removeprefix(prefix).replace("category=CATEGORY", f"category={category}")

    return drill


def _figures(unit: OrgUnit, filters: Filters, today: date, printing: bool) -> dict:
    """The parts of a dashboard computed from the rollups, rendered (cached per rollup version)."""
    key = ("dashboard", unit.id, today, str(get_locale()), printing, filters.to_args())
    parts = cached(key, partial(_render_figures, unit, filters, today, printing))
    return {name: Markup(html) for name, html in parts.items()}


def _render_figures(unit: OrgUnit, filters: Filters, today: date, printing: bool) -> dict:
    school_view = keeps_records(unit)
    tiles, series = kpis(unit, filters, with_schools=not school_view)
    children = children_table(unit, filters)
    children_rows = records(children)
    for row in children_rows:
        row["kind_label"] = exports.kind_label(row["kind"])
    charts = {"trend": figures.trend(series, partial(_month_drill, unit, filters))}
    context = _base_context(unit, filters, today, printing) | {
        "tiles": tiles,
        "children": children_rows,
        "charts": charts,
    }
    if school_view:
        return {
            name: render_template(f"bureau/dashboards/_figures_{name}.html", **context)
            for name in ("head", "units")
        }
    matrix = category_matrix(unit, filters)
    charts["heatmap"] = figures.heatmap(matrix, _category_drills(filters))
    charts["rates"] = figures.rates(children)
    major = drill_query(unit, "major_open_end", filters, today).order_by(Hazard.found_on, Hazard.id)
    context.update(
        top=records(top_schools(unit, filters)),
        major=[tuple(row) for row in db.session.execute(major.limit(10))],
        # the list's total is the tile's number (the drill-down and the tile share one definition)
        major_total=next(int(tile.value or 0) for tile in tiles if tile.key == "major_open_end"),
    )
    return {
        name: render_template(f"bureau/dashboards/_figures_{name}.html", **context)
        for name in ("head", "units", "top", "supervision")
    }


def _base_context(unit: OrgUnit, filters: Filters, today: date, printing: bool) -> dict:
    return HELPERS | {
        "unit": unit,
        "filters": filters,
        "today": today,
        "printing": printing,
        "school_view": keeps_records(unit),
        "dashboard_url": partial(dashboard_url, filters=filters),
        "drill_url": partial(drill_url, filters=filters),
    }


def _page(unit: OrgUnit, filters: Filters, today: date, *, printing: bool = False) -> dict:
    """Everything a dashboard shows, for the screen and the print view."""
    context = _base_context(unit, filters, today, printing)
    parts = _figures(unit, filters, today, printing)
    flags, flag_counts = open_flags(unit)
    context.update(crumbs=breadcrumbs(unit), parts=parts, flags=flags, flag_counts=flag_counts)
    context["incidents"] = live_incidents(unit, limit=5)
    if not context["school_view"]:
        context.update(
            reviews=waiting_reports(unit),
            escalations=waiting_escalations(unit),
        )
    else:
        overdue, overdue_total = overdue_items(unit, today)
        context.update(
            status=ledger_status(unit),
            due=due_soon(unit, today),
            overdue=overdue,
            overdue_total=overdue_total,
            coverage=None if keeper_only(unit) else coverage(unit, today).counts,
            reports=report_months(unit) if unit.kind != "grade_group" else None,
            duty=duty_on(unit, today),
            drills=drills_due(unit, today) if unit.kind != "grade_group" else [],
        )
    return context


# --- pages ---------------------------------------------------------------------------------


@require("read")
def index():
    """Open the dashboard of the highest unit the user holds a role at."""
    units = sorted((grant.org_unit for grant in current_user.grants), key=lambda u: (u.level, u.code))
    return redirect(url_for("dashboards.show_dashboard", unit_id=units[0].id))


@require("read")
def show_dashboard(unit_id: int):
    """A unit's dashboard: oversight of its schools (bureau, central school) or a school's own status."""
    unit, filters, today = _load(unit_id)
    return render_template("bureau/dashboards/show.html", **_page(unit, filters, today))


@require("read")
def print_dashboard(unit_id: int):
    """The dashboard laid out for A4 paper, without navigation or filters."""
    unit, filters, today = _load(unit_id)
    return render_template("bureau/dashboards/print.html", **_page(unit, filters, today, printing=True))


def _measure() -> str:
    measure = request.args.get("measure", "")
    return measure if measure in HAZARD_MEASURES else "open_end"


@require("read")
def list_hazards(unit_id: int):
    """The hazards behind a dashboard number: exactly those the figure counts, paged and sortable."""
    unit, filters, today = _load(unit_id)
    measure = _measure()
    query, sort = sorted_by(drill_query(unit, measure, filters, today), DRILL_SORTS, "-found_on")
    page = paginate(query.order_by(Hazard.id.desc()), scalars=False)
    return render_template(
        "bureau/dashboards/hazards.html",
        unit=unit,
        filters=filters,
        measure=measure,
        stock=is_stock(measure),
        crumbs=breadcrumbs(unit),
        page=page,
        sort=sort,
        today=today,
        measures=HAZARD_MEASURES,
        dashboard_url=partial(dashboard_url, filters=filters),
        **HELPERS,
    )


def _export_rows(table: str, unit: OrgUnit, filters: Filters, today: date) -> tuple[str, list, list[dict]]:
    if table == "top":
        return _("Top overdue schools"), exports.top_columns(), records(top_schools(unit, filters))
    if table == "categories":
        matrix = category_matrix(unit, filters)
        names = matrix.attrs.get("names", {})
        rows = [{"name": names.get(uid, uid), **matrix.loc[uid].to_dict()} for uid in matrix.index]
        return _("Categories"), exports.category_columns(list(matrix.columns)), rows
    if table == "trend":
        series = kpis(unit, filters, with_schools=False)[1]
        rows = records(series.reset_index())
        for row in rows:
            row["month"] = f"{row['period']:%Y-%m}"
        return _("Trend by month"), exports.trend_columns(), rows
    if table == "hazards":
        measure = _measure()
        query = drill_query(unit, measure, filters, today).order_by(Hazard.found_on, Hazard.id)
        rows = [exports.hazard_row(hazard, owner) for hazard, owner in db.session.execute(query)]
        return str(MEASURE_LABELS[measure]), exports.hazard_columns(), rows
    rows = records(children_table(unit, filters))
    for row in rows:
        row["kind_label"] = exports.kind_label(row["kind"])
    return _("Units"), exports.children_columns(), rows


@require("read")
def export_table(unit_id: int):
    """Download one dashboard table (children, top, categories, trend, hazards) as Excel."""
    unit, filters, today = _load(unit_id)
    table = request.args.get("table", "")
    table = table if table in exports.TABLES else "children"
    title, columns, rows = _export_rows(table, unit, filters, today)
    data = exports.workbook(title, columns, rows)
    name = f"{unit.name}_{title}_{filters.first:%Y%m}-{filters.last:%Y%m}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=XLSX)


@require("read")
def plotly_js():
    """plotly.min.js from the installed package: the dashboards work without internet access."""
    response = send_file(PLOTLY_JS, mimetype="text/javascript", max_age=ONE_YEAR, conditional=True)
    response.cache_control.immutable = True
    return response
