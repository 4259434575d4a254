"""A bug still answers problem+json (500) with an error id that the log carries too."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crossrisk.app import create_app
from tests.support import settings_for_tests


def test_an_unhandled_error_is_a_500_problem_naming_its_log_line(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings_for_tests(sqlite_url, tmp_path))

    def broken() -> None:
        raise ZeroDivisionError("a bug")

    app.add_api_route("/api/broken-for-this-test", broken)
    caplog.set_level(logging.ERROR, logger="crossrisk.http.problems")
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/broken-for-this-test")
    app.state.engine.dispose()

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == "urn:crossrisk:problem:internal" and body["status"] == 500
    assert "a bug" not in response.text  # what failed stays in the log, not the answer
    assert body["error_id"] in body["detail"]
    [line] = [r for r in caplog.records if body["error_id"] in r.getMessage()]
    assert line.exc_info is not None and line.exc_info[0] is ZeroDivisionError


def test_a_method_the_path_does_not_take_is_a_405_problem_naming_the_allowed_ones(
    sqlite_url: str, tmp_path: Path
) -> None:
    app = create_app(settings_for_tests(sqlite_url, tmp_path))
    with TestClient(app) as client:
        response = client.delete("/api/risks")
    app.state.engine.dispose()
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    # The router names the methods of the first route on the path it finds.
    assert "GET" in response.headers["allow"].replace(" ", "").split(",")
