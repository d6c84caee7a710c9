"""Cursor pagination: stable pages while new rows arrive, and no page counting on big tables."""

from typing import Any

from rest_framework.pagination import CursorPagination

NEXT_EXAMPLE = "https://parlure.example.org/api/v1/submissions/?cursor=cD0yMDI1LTAzLTE0"
PREVIOUS_EXAMPLE = "https://parlure.example.org/api/v1/submissions/?cursor=cj0xJnA9MjAyNS0wMy0x"


class NewestFirstPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # The schema is written in English; DRF's own texts would follow the request's language.
    cursor_query_description = "Where the page starts: the cursor from a `next` or `previous` link."
    page_size_query_description = "Results per page (50 by default, 200 at most)."

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    **link,
                    "description": "The next (older) page; null on the last page.",
                    "example": NEXT_EXAMPLE,
                },
                "previous": {
                    **link,
                    "description": "The previous (newer) page; null on the first page.",
                    "example": PREVIOUS_EXAMPLE,
                },
                "results": schema,
            },
        }
