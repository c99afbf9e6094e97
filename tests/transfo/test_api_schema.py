"""Schemathesis throws schema-derived requests at every API endpoint: never a 5xx, and every
successful response matches the published OpenAPI schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from transfo.wsgi import application

# Loaded at collection, before any database access is allowed: no page cache (it reads the DB).
with override_settings(PAGE_CACHE_SECONDS=0):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI app directly would close the test's database connection after each
    request (Django's test client disconnects this handler in the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_schema(case, world):
    response = case.call()
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        case.validate_response(response, checks=[response_schema_conformance])
