"""URL rules of the dashboards (/dashboards/…) and the locally served plotly.js."""

from flask import Blueprint, request

from bureau.dashboards import views
from tenancy.web import CONTENT_SECURITY_POLICY

bp = Blueprint("dashboards", __name__)

bp.add_url_rule("/dashboards/", view_func=views.index)
bp.add_url_rule("/dashboards/<int:unit_id>", view_func=views.show_dashboard)
bp.add_url_rule("/dashboards/<int:unit_id>/hazards", view_func=views.list_hazards)
bp.add_url_rule("/dashboards/<int:unit_id>/export.xlsx", view_func=views.export_table)
bp.add_url_rule("/dashboards/<int:unit_id>/print", view_func=views.print_dashboard)
bp.add_url_rule("/static/vendor/plotly.min.js", view_func=views.plotly_js)

# Plotly draws with a <style> element it creates (modebar, hover, legend, colorbar rules) and
# style attributes; under `style-src 'self'` Chromium blocks both and the charts break apart
# (checked in headless Chromium, tests/browser/test_dashboards_in_browser.py). So the pages that
# draw charts, and only those, allow inline styles. Scripts stay 'self' only: no inline script,
# no 'unsafe-eval' (plotly.min.js 4 draws these SVG charts without eval).
CHART_PAGES = {"dashboards.show_dashboard", "dashboards.print_dashboard"}
CHART_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@bp.after_request
def allow_chart_styles(response):
    # Blueprint hooks run before the app's, which only sets the policy if none is set yet.
    if request.endpoint in CHART_PAGES:
        response.headers["Content-Security-Policy"] = CHART_PAGE_POLICY
    return response
