"""The OpenAPI schema is valid and documents every operation; its readers need no other host."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

# The schema and its two readers document the others; they are drf-spectacular's own views.
UNDOCUMENTED_PATHS = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"}
ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""")


def test_the_schema_is_valid_without_a_warning(tmp_path: Path) -> None:
    GENERATOR_STATS.reset()  # warnings of earlier generations in this process are not ours

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")


def _examples(operation: dict[str, Any]) -> list[Any]:
    """The operation's own examples: its request body's, its successful answers', and (for an
    answer without a body, such as a 204) its parameters'. The error responses' shared examples
    do not count."""
    found: list[Any] = []
    for media in operation.get("requestBody", {}).get("content", {}).values():
        found.extend(media.get("examples", {}).values())
    for code, response in operation.get("responses", {}).items():
        if str(code).startswith(("2", "3")):
            for media in response.get("content", {}).values():
                found.extend(media.get("examples", {}).values())
    for parameter in operation.get("parameters", []):
        found.extend(parameter.get("examples", {}).values())
    return found


def test_every_operation_has_a_description_and_an_example() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        (method.upper(), route, operation)
        for route, item in schema["paths"].items()
        if route not in UNDOCUMENTED_PATHS
        for method, operation in item.items()
    ]

    undescribed = [f"{m} {r}" for m, r, op in operations if not op.get("description", "").strip()]
    without_example = [f"{m} {r}" for m, r, op in operations if not _examples(op)]

    assert operations
    assert undescribed == []
    assert without_example == []


def test_every_operation_documents_the_error_format() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert set(schema["components"]["schemas"]["Error"]["required"]) == {
        "status",
        "code",
        "detail",
        "errors",
    }
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404", "429"} <= codes, f"{method} {route}"
            if method in {"post", "put", "patch"}:
                assert "400" in codes, f"{method} {route}"


def test_the_schema_is_public(client: Client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Parlure API"


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_is_public_and_loads_only_local_assets(client: Client, page: str) -> None:
    response = client.get(page)

    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert assets, "the reader's script and styles"
    # The sidecar's files, and Swagger UI's set-up script served by the page itself (not inline).
    local = ("/static/drf_spectacular_sidecar/", f"{page}?script")
    assert all(asset.startswith(local) for asset in assets), assets
    assert "//fonts.googleapis.com" not in html
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
