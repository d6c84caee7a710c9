"""What every app's API endpoints share: one error format, the OpenAPI additions, paging."""
