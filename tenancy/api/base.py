"""The /api/v1 blueprint: Bearer-token auth, JSON errors, pagination, endpoint documentation.

API requests are authenticated by their token only, never by a session cookie, so CSRF
does not apply to them.
"""

from functools import wraps

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields
from sqlalchemy import Select, func, select
from werkzeug.exceptions import HTTPException

from tenancy.auth.sessions import user_for_token
from tenancy.extensions import csrf, db
from tenancy.roles import can

API_PREFIX = "/api/v1"
MAX_PER_PAGE = 200


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Machine-readable error code"})
    message = fields.String(required=True)
    fields = fields.Dict(
        keys=fields.String(), values=fields.Raw(), metadata={"description": "Field → problems"}
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=lambda n: n >= 1 or _raise(_("Must be 1 or more.")))
    per_page = fields.Integer(
        load_default=50,
        validate=lambda n: (
            1 <= n <= MAX_PER_PAGE or _raise(_("Must be between 1 and %(n)d.", n=MAX_PER_PAGE))
        ),
    )


def _raise(message: str):
    raise ValidationError(message)


class ApiError(Exception):
    """An error answered as {"error": {"code", "message", "fields"}}."""

    def __init__(self, status: int, code: str, message: str, fields_: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields_ or {}


ERROR_CODES = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict"}


def json_body() -> dict:
    """The request's JSON object, else a 400 asking for one."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid", _("Send a JSON object."))
    return body


def operation_failed(error: Exception) -> ApiError:
    """The API answer for a feature's operation error (its .field and .status, else 400); rolls back.

    Use as `raise operation_failed(error) from None`: nothing of the failed write stays.
    """
    db.session.rollback()
    status = getattr(error, "status", 400)
    message = str(error)
    return ApiError(
        status,
        ERROR_CODES.get(status, "invalid"),
        message,
        {getattr(error, "field", None) or "body": [message]},
    )


def error_response(status: int, code: str, message: str, fields_: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "fields": fields_ or {}}})
    response.status_code = status
    return response


def _authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    user = user_for_token(secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
    if user is None:
        raise ApiError(
            401, "unauthorized", _("A valid API token is required (Authorization: Bearer <token>).")
        )
    g._login_user = user  # Flask-Login's current_user, without touching the session cookie
    g.tenant_id = user.tenant_id


def _handle_http_error(error: HTTPException):
    codes = {
        404: "not_found",
        403: "forbidden",
        405: "method_not_allowed",
        401: "unauthorized",
        413: "too_large",
    }
    messages = {
        404: _("Not found."),
        403: _("You do not have permission to do this."),
        413: _("The upload is larger than the limit."),
    }
    status = error.code or 500
    return error_response(status, codes.get(status, "error"), messages.get(status, error.description or ""))


def create_api_blueprint() -> Blueprint:
    """Return a fresh /api/v1 blueprint with auth and error handling installed."""
    bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
    csrf.exempt(bp)
    bp.before_request(_authenticate)
    bp.register_error_handler(ApiError, lambda e: error_response(e.status, e.code, e.message, e.fields))
    bp.register_error_handler(HTTPException, _handle_http_error)
    # Status-specific handlers win over class handlers in Flask, so the app's HTML error
    # pages would answer API calls unless each status is claimed here too.
    for status in (400, 401, 403, 404, 405, 413, 429, 500):
        bp.register_error_handler(status, _handle_http_error)
    bp.register_error_handler(
        ValidationError,
        lambda e: error_response(400, "invalid", _("The request has invalid values."), e.messages),
    )
    return bp


def documented(
    *,
    summary: str,
    response: Schema | None = None,
    body: Schema | None = None,
    query: Schema | None = None,
    paginated: bool = False,
    permission: str = "read",
):
    """Describe an endpoint for the OpenAPI document and check the caller's permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(permission):
                raise ApiError(403, "forbidden", _("You do not have permission to do this."))
            return view(*args, **kwargs)

        wrapped.api_doc = {
            "summary": summary,
            "response": response,
            "body": body,
            "query": query,
            "paginated": paginated,
        }
        return wrapped

    return decorator


def load_args(schema: Schema) -> dict:
    """Validate the query string against a schema (a bad value is a 400 naming the field)."""
    return schema.load({k: v for k, v in request.args.items() if k not in PageArgsSchema().fields})


def paginated(query: Select, schema: Schema) -> dict:
    """Answer {"items", "total", "page", "per_page"} for one page of `query`."""
    args = PageArgsSchema().load({k: v for k, v in request.args.items() if k in ("page", "per_page")})
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": schema.dump(items, many=True), "total": total or 0, "page": page, "per_page": per_page}
