"""Fixtures of the API tests, for the project-wide error handlers tested here."""

from api.tests.conftest import key

__all__ = ["key"]
