"""Schemathesis over /api/v1 (ninja's own OpenAPI) and /open311/v2 (our static document), through the
WSGI app in the test's own transaction: as the public, a citizen, an officer and an integration key.
No 5xx, no status code the document does not declare, no body outside its schema."""

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lapor.api.open311.openapi import DOCUMENT
from lapor.channels.apikeys import apikey_create
from lapor.reports.workflow import Status
from tests.adversarial.conftest import bearer
from tests.factories import World, report_in

APP = get_wsgi_application()
API = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
OPEN311 = schemathesis.openapi.from_dict(DOCUMENT)
OPEN311.app = APP
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(
    max_examples=8,  # per operation and role, plus schemathesis' own coverage cases
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# People reach /api/v1 with tokens; integrations reach Open311 with keys.
API_ROLES = ["public", "citizen", "officer"]
OPEN311_ROLES = ["public", "apikey"]


def _headers(world: World, role: str) -> dict[str, str]:
    match role:
        case "citizen":
            return bearer(world.citizen)
        case "officer":
            return bearer(world.officer_pu)
        case "apikey":
            issued = apikey_create(
                agency=world.pemda, name="Aplikasi Pemda", permissions=["submit", "read", "act", "webhooks"]
            )
            return {"X-API-Key": issued.raw}
        case _:
            return {}


@pytest.fixture(autouse=True)
def _keep_connection() -> Any:
    """A real WSGI request closes the connection when it finishes; the test's transaction lives on it."""
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)
    request_started.connect(close_old_connections)


@pytest.fixture
def headers(world: World, request: pytest.FixtureRequest) -> dict[str, str]:
    # Something to find, so lists and the officer's queues are not empty.
    report_in(world, Status.RESPONDED)
    return _headers(world, request.param)


def _run(case: Any, headers: dict[str, str]) -> None:
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.parametrize("headers", API_ROLES, indirect=True)
@API.parametrize()
@BOUNDED
def test_api_v1(case: Any, headers: dict[str, str]) -> None:
    _run(case, headers)


@pytest.mark.parametrize("headers", OPEN311_ROLES, indirect=True)
@OPEN311.parametrize()
@BOUNDED
def test_open311(case: Any, headers: dict[str, str]) -> None:
    _run(case, headers)
