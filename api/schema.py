"""OpenAPI: the token scheme, and the error responses every operation may give."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error format of the API.",
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status code."},
        "code": {"type": "string", "description": "A stable code, e.g. invalid, not_found."},
        "detail": {"type": "string", "description": "A message for people."},
        "errors": {
            "type": "object",
            "description": "Field → messages, for rejected fields (non_field_errors: the rest).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "code", "detail", "errors"],
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `errors` says which field and why.",
    "401": "No credentials, or an invalid or revoked key.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such object, or not one you may see.",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
}


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made on your profile page: `Authorization: Bearer plr_…`.",
        }


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: document the error format once and on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_DESCRIPTIONS.items():
                content = {"application/json": {"schema": reference}}
                responses.setdefault(code, {"description": description, "content": content})
    return result
