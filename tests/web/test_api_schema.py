"""Schemathesis against the OpenAPI spec: generated requests to every API operation, signed in
as a senior reviewer (with the CSRF header) and as nobody, never get a server error."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from .conftest import PASSWORD


@pytest.fixture(scope="module")
def api_auth(web_app: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    answer = TestClient(web_app).post("/api/session", json={"username": "sam", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"cookies": {"fw_session": answer.cookies["fw_session"]}, "headers": {"X-CSRF-Token": answer.json()["csrf"]}}


def _operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "signed-out"])
def test_no_operation_gives_a_server_error(web_app, api_auth, signed_in):
    operations = _operations(web_app)
    assert len(operations) >= 14
    kwargs = {"headers": api_auth["headers"], "cookies": api_auth["cookies"]} if signed_in else {}
    for op in operations:
        if signed_in and op.path == "/api/session":
            continue  # signing in or out again would replace the session the other examples use

        @given(case=op.as_strategy())
        @settings(max_examples=12 if signed_in else 4, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error], **kwargs)

        check()
