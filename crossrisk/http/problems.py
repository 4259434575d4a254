"""RFC 9457 problem details for every refusal."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from crossrisk.domain.errors import (
    Conflict,
    CrossriskError,
    InvalidInput,
    InvalidTransition,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    RetryLater,
    TooLarge,
    TooManyRequests,
    UnsupportedMediaType,
)

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

STATUS: dict[type[CrossriskError], int] = {
    InvalidInput: 422,
    NotAuthenticated: 401,
    NotPermitted: 403,
    NotFound: 404,
    InvalidTransition: 409,
    Conflict: 409,
    TooLarge: 413,
    UnsupportedMediaType: 415,
    TooManyRequests: 429,
    # Busy: the service is up but has no turn free for this request just now.
    RetryLater: 503,
}


class Problem(BaseModel):
    """The body of every refusal (RFC 9457), as the OpenAPI document declares it."""

    # Problems carry what their kind needs beyond the four members (RFC 9457 §3.2).
    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="urn:crossrisk:problem:<code>, stable per kind of failure")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    key: str | None = Field(
        default=None, description="a stable name of the refusal, for pages and clients"
    )
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="each invalid input: where, and what is wrong with it"
    )
    error_id: str | None = Field(default=None, description="of a 500: the log line to quote")


def status_of(error: CrossriskError) -> int:
    """HTTP status of a domain failure."""
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """A problem-details response; `type` is a stable URN per failure kind."""
    body = {
        "type": f"urn:crossrisk:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every expected failure into problem details."""

    @app.exception_handler(CrossriskError)
    async def _domain(_request: Request, error: CrossriskError) -> JSONResponse:
        # The key tells a client which refusal it met without parsing the detail.
        extra: dict[str, Any] = {"key": error.key} if error.key else {}
        # A refusal that lists each invalid part (a plan file's problems by line) says them all.
        listed = error.params.get("errors")
        if isinstance(listed, list):
            extra["errors"] = listed
        response = problem(status_of(error), error.code, error.title, error.detail, **extra)
        if isinstance(error, RetryLater):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        if any(item.get("type") == "json_invalid" for item in errors):
            return problem(
                400, "invalid-json", "Invalid JSON", "the request body is not valid JSON"
            )
        first = errors[0] if errors else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        detail = f"{where}: {first.get('msg', 'invalid value')}" if where else first.get("msg", "")
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            detail,
            errors=[
                {"location": list(item.get("loc", ())), "message": item.get("msg", "")}
                for item in errors
            ],
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        response = problem(error.status_code, "http", str(error.detail), str(error.detail))
        # The framework's own headers stay: a 405 names methods allowed (RFC 9110 §15.5.6).
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # A bug still answers in the same shape, and names the log line that tells what
        # happened, so a duty officer's report leads an operator straight to it.
        error_id = uuid.uuid4().hex[:12]
        log.error(
            "unhandled error %s on %s %s",
            error_id,
            request.method,
            request.url.path,
            exc_info=(type(error), error, error.__traceback__),
        )
        return problem(
            500,
            "internal",
            "Internal error",
            f"the platform failed on this request; quote error id {error_id} to its operator",
            error_id=error_id,
        )
