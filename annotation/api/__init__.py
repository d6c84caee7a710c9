"""The submissions API (/api/v1/submissions/…): thin views over the services and selectors.

Every object is fetched through ``annotation.access.submission_get`` with the action's ``Can``:
reading needs VIEW, correcting a segment ANNOTATE, validating a transcript REVIEW, cancelling or
deleting MANAGE. 404 when the person cannot see the submission, 403 when they can but their corpus
role does not allow the action. Site staff and reviewers get nothing more here than anyone.
"""
