"""Assemble the SafeGrid application."""

from pathlib import Path

from flask import Flask, jsonify, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from bureau.cli import register_commands
from bureau.tasks import load_tasks
from tenancy.api.base import create_api_blueprint
from tenancy.api.openapi import build_openapi
from tenancy.config import REPO_ROOT, Config
from tenancy.extensions import csrf, db, limiter, login_manager, migrate
from tenancy.ops.logs import configure_logging, init_log_context
from tenancy.ops.views import readyz
from tenancy.redis_url import limiter_storage_uri
from tenancy.web import init_web

TENANCY_DIR = Path(__file__).resolve().parent.parent / "tenancy"


def create_app(config: Config | None = None) -> Flask:
    """Create and configure an app; nothing is built at import time."""
    config = config or Config()
    app = Flask(
        "bureau",
        instance_path=config.INSTANCE_PATH,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(TENANCY_DIR / "static"),
    )
    app.config.from_object(config)
    if app.config.get("PROXY_HOPS"):  # behind nginx: the client's address, not the proxy's (audit, limits)
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TENANCY_DIR / "translations")
    app.config["RATELIMIT_STORAGE_URI"] = limiter_storage_uri(app.config["REDIS_URL"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    import tenancy.auth.sessions  # noqa: F401  (registers the user loader)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    limiter.init_app(app)
    init_web(app)
    init_log_context(app)
    _register_blueprints(app)
    _register_error_pages(app)
    register_commands(app)
    load_tasks()
    if not app.debug and not app.testing:
        configure_logging(app.config["LOG_FORMAT"])  # with request id, tenant, user (tenancy/ops/logs.py)
    return app


def _register_blueprints(app: Flask) -> None:
    from bureau.assessment import api as assessment_api
    from bureau.assessment.blueprint import bp as assessment_bp
    from bureau.dashboards.blueprint import bp as dashboards_bp
    from bureau.flags import api as flags_api
    from bureau.flags.blueprint import bp as flags_bp
    from bureau.home.blueprint import bp as home_bp
    from bureau.notices import api as notices_api
    from bureau.notices.blueprint import bp as notices_bp
    from bureau.review.blueprint import bp as review_bp
    from bureau.review.escalations.blueprint import bp as escalations_bp
    from bureau.rollups import api as rollups_api
    from schools.contacts import api as contacts_api
    from schools.contacts.blueprint import bp as contacts_bp
    from schools.drills import api as drills_api
    from schools.drills.blueprint import bp as drills_bp
    from schools.duty import api as duty_api
    from schools.duty.blueprint import bp as duty_bp
    from schools.grid import api as grid_api
    from schools.grid.blueprint import bp as grid_bp
    from schools.hazards import api as hazards_api
    from schools.hazards.blueprint import bp as hazards_bp
    from schools.incidents import api as incidents_api
    from schools.incidents.blueprint import bp as incidents_bp
    from schools.ledgers import api as ledgers_api
    from schools.ledgers.blueprint import bp as ledgers_bp
    from schools.letters import api as letters_api
    from schools.letters.blueprint import bp as letters_bp
    from schools.submissions import api as submissions_api
    from schools.submissions.blueprint import bp as submissions_bp
    from schools.zeroreports import api as zeroreports_api
    from schools.zeroreports.blueprint import bp as zeroreports_bp
    from tenancy.auditlog.blueprint import bp as auditlog_bp
    from tenancy.auth.blueprint import bp as auth_bp
    from tenancy.ops.blueprint import bp as ops_bp
    from tenancy.orgs import api as orgs_api
    from tenancy.orgs.blueprint import bp as orgs_bp
    from tenancy.platform.blueprint import bp as platform_bp
    from tenancy.settings.blueprint import bp as settings_bp
    from tenancy.users import api as users_api
    from tenancy.users.blueprint import bp as users_bp

    for blueprint in (
        home_bp,
        auth_bp,
        orgs_bp,
        users_bp,
        auditlog_bp,
        platform_bp,
        ops_bp,
        settings_bp,
        hazards_bp,
        ledgers_bp,
        grid_bp,
        notices_bp,
        escalations_bp,
        submissions_bp,
        review_bp,
        flags_bp,
        dashboards_bp,
        contacts_bp,
        drills_bp,
        duty_bp,
        incidents_bp,
        letters_bp,
        zeroreports_bp,
        assessment_bp,
    ):
        app.register_blueprint(blueprint)

    api = create_api_blueprint()
    for module in (
        users_api,
        orgs_api,
        hazards_api,
        ledgers_api,
        grid_api,
        submissions_api,
        flags_api,
        notices_api,
        rollups_api,
        contacts_api,
        drills_api,
        duty_api,
        incidents_api,
        letters_api,
        zeroreports_api,
        assessment_api,
    ):
        module.register(api)
    app.register_blueprint(api)
    app.add_url_rule("/api/v1/openapi.json", "openapi", lambda: jsonify(build_openapi(app)))
    # The process is up and answering (whether the installation can serve is /readyz).
    app.add_url_rule("/healthz", "healthz", lambda: jsonify(status="ok"))
    # Ready to serve: database, Redis, migrations at head, queue depths, outbox age (503 when not).
    app.add_url_rule("/readyz", "readyz", readyz)


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: _l("The request could not be understood."),
        403: _l("You do not have permission to do this."),
        404: _l("The page was not found, or it is outside your area."),
        405: _l("This action is not allowed here."),
        413: _l("The upload is larger than the limit."),
        429: _l("Too many attempts. Wait a minute and try again."),
        500: _l("Something went wrong on our side. The error was logged."),
    }

    def render_error(error):
        status = getattr(error, "code", 500) or 500
        if status == 500:
            db.session.rollback()
        return render_template("errors.html", status=status, message=messages.get(status, "")), status

    for status in messages:
        app.register_error_handler(status, render_error)
