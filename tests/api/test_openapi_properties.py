"""Schemathesis over the whole OpenAPI document: no 500, no answer that breaks its schema.

Every operation the document lists is tried with generated requests (valid and invalid,
a fixed number per operation, derandomised so a run repeats), each sent once as a city
officer and once as the committee, against the real application on a fresh database of
each backend. Each answer must not be a server error, must have a status and media type
the operation documents, and must match the schema documented for it.

The live stream (GET /api/events) is tried too: its responses are cut short so each lasts
a fraction of a second (a tuning the stream reads from app.state).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from crossrisk.app import create_app
from tests.support import auth, settings_for_tests

EXAMPLES_PER_OPERATION = 25
CALLERS = ("huangshan", "committee")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@schemathesis.serializer("application/x-ndjson")
def _json_lines(_context: Any, value: Any) -> bytes:
    # The document gives a JSON-lines batch as text; an invalid case may be anything.
    if isinstance(value, str):
        return value.encode("utf-8")
    lines = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(line) for line in lines).encode("utf-8")


def _document_app() -> Any:
    # Building the application opens no database: the document alone is read from it.
    return create_app(settings_for_tests("sqlite://", Path("unused")))


_app = _document_app()
schema = schemathesis.openapi.from_dict(_app.openapi())
schema.app = _app  # requests go in-process; each test names its own application


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_as_documented(
    case: Any, client: TestClient, tokens: dict[str, str]
) -> None:
    client.app.state.live_stream_seconds = 0.3  # type: ignore[attr-defined]
    for caller in CALLERS:
        case.call_and_validate(app=client.app, headers=auth(tokens, caller), checks=CHECKS)
