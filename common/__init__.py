"""Plumbing every app shares: text hygiene, the REST API's error format, schema and paging.

Not a Django app and above no app: any layer may import it (see docs/architecture.md).
"""
