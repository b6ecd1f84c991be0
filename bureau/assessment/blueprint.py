"""URL rules of the assessment pages (/assessment/…)."""

from flask import Blueprint

from bureau.assessment import views
from bureau.assessment.models import GRADES

bp = Blueprint("assessment", __name__, url_prefix="/assessment")

bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/", view_func=views.create_year, methods=["POST"])
bp.add_url_rule("/<int:year>", view_func=views.show_year)
bp.add_url_rule("/<int:year>/compute", view_func=views.compute, methods=["POST"])
bp.add_url_rule("/<int:year>/close", view_func=views.close_year, methods=["POST"])
bp.add_url_rule("/<int:year>/reopen", view_func=views.reopen_year, methods=["POST"])
bp.add_url_rule("/<int:year>/export.xlsx", view_func=views.export_workbook)
bp.add_url_rule("/<int:year>/rubric", view_func=views.rubric)
bp.add_url_rule("/<int:year>/rubric", view_func=views.save_rubric, methods=["POST"])
bp.add_url_rule("/<int:year>/rubric/indicators", view_func=views.add_indicator, methods=["POST"])
bp.add_url_rule(
    "/<int:year>/rubric/indicators/<int:indicator_id>/delete",
    view_func=views.delete_indicator,
    methods=["POST"],
)
bp.add_url_rule("/<int:year>/scores/<code>", view_func=views.scores)
bp.add_url_rule("/<int:year>/scores/<code>", view_func=views.save_scores, methods=["POST"])
bp.add_url_rule("/<int:year>/schools/<int:school_id>", view_func=views.school_sheet)


@bp.app_template_filter("assessment_grade")
def assessment_grade(grade: str) -> str:
    return str(GRADES.get(grade, grade))
