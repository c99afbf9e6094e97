"""Schemathesis throws schema-derived requests at every API endpoint: never a 5xx, and every
successful response matches the published OpenAPI schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from transfo.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_schema(case, world):
    response = case.call()
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        case.validate_response(response, checks=[response_schema_conformance])
