"""Build the OpenAPI document from the API's URL rules and their marshmallow schemas."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from tenancy.api.base import API_PREFIX, ErrorSchema, PageArgsSchema

_CONVERTER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def _schema_name(schema) -> str:
    """Name a schema in the document; a partial one (PATCH bodies) gets its own name."""
    schema_class = schema if isinstance(schema, type) else type(schema)
    name = schema_class.__name__.removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) is True else name


def build_openapi(app: Flask) -> dict:
    """Return the OpenAPI 3 document of every documented /api/v1 endpoint."""
    spec = APISpec(
        title="SafeGrid API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={
            "description": "Bearer-token JSON API; objects outside the caller's tenant or subtree are 404."
        },
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    errors = {
        str(code): {"description": text, "content": {"application/json": {"schema": "Error"}}}
        for code, text in (
            (400, "Invalid input"),
            (401, "No valid token"),
            (403, "Not allowed"),
            (404, "Not found or out of scope"),
        )
    }
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        doc = getattr(view, "api_doc", None)
        if not rule.rule.startswith(API_PREFIX) or doc is None:
            continue
        path = _CONVERTER.sub(r"{\1}", rule.rule.removeprefix(API_PREFIX))
        operation: dict = {"summary": doc["summary"], "security": [{"bearer": []}], "responses": dict(errors)}
        parameters = [
            {"in": "path", "name": name, "required": True, "schema": {"type": "integer"}}
            for name in rule.arguments
        ]
        if doc["query"] is not None:
            parameters.append({"in": "query", "schema": doc["query"]})
        if doc["paginated"]:
            parameters.append({"in": "query", "schema": PageArgsSchema})
        if parameters:
            operation["parameters"] = parameters
        if doc["body"] is not None:
            operation["requestBody"] = {"content": {"application/json": {"schema": doc["body"]}}}
        if doc["response"] is not None:
            schema = doc["response"]
            name = _schema_name(schema)
            if name not in spec.components.schemas:
                spec.components.schema(name, schema=type(schema))
            body = {"$ref": f"#/components/schemas/{name}"}
            if doc["paginated"]:
                body = {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": body},
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                    },
                }
            operation["responses"]["200"] = {
                "description": "OK",
                "content": {"application/json": {"schema": body}},
            }
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            spec.path(path=path, operations={method.lower(): operation})
    return spec.to_dict()
