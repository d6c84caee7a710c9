"""OpenAPI: the token scheme, and the error responses every operation may give."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

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

# One typical body per status, shown next to each operation's error responses.
ERROR_EXAMPLES: dict[str, dict[str, Any]] = {
    "400": {
        "status": 400,
        "code": "invalid",
        "detail": "Some fields are not valid.",
        "errors": {"name": ["This field is required."]},
    },
    "401": {
        "status": 401,
        "code": "authentication_failed",
        "detail": "Invalid or revoked API key.",
        "errors": {},
    },
    "403": {
        "status": 403,
        "code": "permission_denied",
        "detail": "You do not have permission to perform this action.",
        "errors": {},
    },
    "404": {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {}},
    "429": {
        "status": 429,
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 12 seconds.",
        "errors": {},
    },
}


def error_response(description: str) -> OpenApiResponse:
    """A status the hook below does not add by itself (409, 413), in the one error format."""
    return OpenApiResponse(
        response={"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}, description=description
    )


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made on your profile page: `Authorization: Bearer plr_…`.",
        }


def _may_be_invalid(method: str, operation: dict[str, Any]) -> bool:
    """A read without query parameters cannot be a 400 (a bad id in its path is a 404); a write
    can, even without a body, when its service refuses the change."""
    return method not in {"get", "head"} or any(
        parameter.get("in") == "query" for parameter in operation.get("parameters", [])
    )


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: document the error format once and on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_DESCRIPTIONS.items():
                if code == "400" and not _may_be_invalid(method, operation):
                    continue
                examples = {"error": {"summary": description, "value": ERROR_EXAMPLES[code]}}
                content = {"application/json": {"schema": reference, "examples": examples}}
                responses.setdefault(code, {"description": description, "content": content})
    return result
