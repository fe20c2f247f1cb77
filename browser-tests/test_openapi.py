"""The OpenAPI document served by AnyDoor is a valid OpenAPI 3.1 description of the JSON API."""

from __future__ import annotations

import requests
from openapi_spec_validator import validate


def test_openapi_document_is_valid_3_1(base_url):
    response = requests.get(f"{base_url}/openapi.json", timeout=10)
    assert response.status_code == 200, response.text[:500]
    assert response.headers.get("Content-Type", "").startswith("application/json")
    spec = response.json()

    assert str(spec.get("openapi", "")).startswith("3.1"), f"expected OpenAPI 3.1, got {spec.get('openapi')!r}"
    validate(spec)  # raises OpenAPIValidationError with the offending path

    paths = spec["paths"]
    assert {"get", "post"} <= set(paths.get("/api/v1/ministries", {})), "GET and POST /api/v1/ministries"
    assert {"get", "patch"} <= set(paths.get("/api/v1/ministries/{id}", {})), "GET and PATCH /api/v1/ministries/{id}"
