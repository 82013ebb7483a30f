"""The OpenAPI document is generated from the code, valid, and covers the integration API."""

from openapi_spec_validator import validate


def test_openapi_document_validates_and_lists_the_routes(admin_api) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json
    validate(doc)
    assert "/api/v1/zones" in doc["paths"] and "post" in doc["paths"]["/api/v1/zones"]
    assert "/api/v1/nodes/{node_id}" in doc["paths"]
    assert doc["paths"]["/healthz"]["get"]["security"] == []
