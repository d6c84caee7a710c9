"""Correction snapshots: every correction so far, frozen with a version and a hash."""

import logging

from django.db import IntegrityError, transaction

from accounts.models import User
from review.models import CorrectionSet
from review.selectors import corrections_current, rows_sha256

logger = logging.getLogger(__name__)


def correction_set_create(*, created_by: User | None) -> CorrectionSet | None:
    """A new snapshot of all corrections so far (version = last + 1); None when nothing changed
    since the last one (same rows, same hash) or when there is no correction at all."""
    try:
        with transaction.atomic():
            latest = CorrectionSet.objects.select_for_update().order_by("-version").first()
            rows = corrections_current()
            digest = rows_sha256(rows)
            if not rows or (latest is not None and latest.sha256 == digest):
                return None
            snapshot = CorrectionSet.objects.create(
                version=(latest.version if latest else 0) + 1,
                sha256=digest,
                count=len(rows),
                rows=rows,
                created_by=created_by,
            )
    except IntegrityError:  # a concurrent call took this version with the same corrections
        return None
    logger.info(
        "corrections snapshot v%s (%s rows, sha256 %s) by %s",
        snapshot.version,
        snapshot.count,
        digest[:12],
        created_by.pk if created_by else "system",
    )
    return snapshot
