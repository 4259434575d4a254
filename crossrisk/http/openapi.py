"""The OpenAPI document, made to tell the truth about refusals.

FastAPI documents a route's success and, where it has parameters, a 422 in its own shape
(HTTPValidationError), which this platform never sends. Every refusal here is an RFC 9457
problem (crossrisk.http.problems), so the document is finished in one place: each
operation gets the problem answers its shape implies, all in one `Problem` schema under
application/problem+json, and a status a route declares itself (`responses={409: ...}`)
gets that body too. A new route is documented the same way without a line of its own.

What an operation's shape implies:

- every operation: 500, a bug answered with an error id;
- one that needs a login (it declares the bearer scheme, see deps.current_actor): 401
  and 403;
- one with parameters or a body: 422, and 404 (what it names may not exist);
- one with a body: 400 (not JSON) and 413 (over the body limit);
- a change (POST, PUT, PATCH, DELETE) that needs a login: 409 (the state it changes has
  moved on, or forbids the change).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from crossrisk.http.problems import MEDIA_TYPE, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
CHANGES = frozenset({"post", "put", "patch", "delete"})
# Why each status is answered, as the document says it.
REASONS = {
    400: "the body is not valid JSON (or not UTF-8)",
    401: "no valid bearer token or session",
    403: "the caller may not do this",
    404: "what the request names does not exist, or is not the caller's to see",
    409: "the change conflicts with the current state",
    413: "the request body is over its limit",
    415: "the body's media type is not one this operation reads",
    422: "the input breaks a rule of its schema or of the domain",
    429: "too many requests; wait as long as Retry-After says",
    500: "the platform failed; the problem carries an error id its log names too",
}


def install(app: FastAPI) -> None:
    """Make the application serve the finished document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = finish(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def finish(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every operation's problem answers, in one schema."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    # FastAPI's validation shape is answered nowhere.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for methods in document.get("paths", {}).values():
        for method, operation in methods.items():
            if method in CHANGES | {"get", "head", "options"}:
                _finish_operation(method, operation)
    return document


def implied_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The problem statuses an operation of this shape can answer."""
    statuses = {500}
    authenticated = bool(operation.get("security"))
    if authenticated:
        statuses |= {401, 403}
    if operation.get("parameters") or "requestBody" in operation:
        statuses.add(422)
    # What a path names, or what a logged-in caller's input names, may not exist.
    if authenticated and (operation.get("parameters") or "requestBody" in operation):
        statuses.add(404)
    if any(parameter.get("in") == "path" for parameter in operation.get("parameters", ())):
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}
    if authenticated and method in CHANGES:
        statuses.add(409)
    return statuses


def _finish_operation(method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for implied in implied_statuses(method, operation):
        responses.setdefault(str(implied), {})
    for status, response in responses.items():
        if not status.isdigit() or int(status) < 400:
            continue
        response.setdefault("description", REASONS.get(int(status), "refused"))
        # A route's own note on a status stays; its body is the problem, whatever it said.
        response["content"] = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
