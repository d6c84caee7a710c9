"""Corrections become data: versioned, hashed snapshots, pages and downloads for staff."""

import csv
import hashlib
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from review.models import CorrectionSet
from review.selectors import correction_set_latest, corrections_current, corrections_since
from review.services import correction_set_create, judgement_record
from review.tests.conftest import english_client
from review.tests.factories import TEXT, feedback_item, uncertain_item

pytestmark = pytest.mark.django_db

PAGE = reverse("review:corrections")


def test_decided_feedback_and_relabelled_uncertain_items_are_corrections(
    user: User, reviewer: User
) -> None:
    accepted = feedback_item(user, label="soutenu")
    rejected = feedback_item(user, label="neutre")
    confirmed = uncertain_item(user, top_label="familier")
    relabelled = uncertain_item(user, top_label="familier")
    feedback_item(user)  # still open
    judgement_record(item=accepted, reviewer=reviewer, decision="accept")
    judgement_record(item=rejected, reviewer=reviewer, decision="reject")
    judgement_record(item=confirmed, reviewer=reviewer, decision="accept")
    judgement_record(item=relabelled, reviewer=reviewer, decision="relabel", label="neutre")

    rows = corrections_current()

    assert [(row["item"], row["label"], row["model_label"]) for row in rows] == [
        (accepted.pk, "soutenu", "familier"),
        (rejected.pk, "familier", "familier"),
        (relabelled.pk, "neutre", "familier"),
    ]
    assert rows[0]["text"] == TEXT
    assert set(rows[0]) == {"item", "text", "label", "model_label", "decided_at"}


def test_snapshots_are_versioned_hashed_and_only_taken_when_something_is_new(
    user: User, reviewer: User
) -> None:
    assert correction_set_create(created_by=reviewer) is None  # nothing at all yet
    first = feedback_item(user, label="soutenu")
    judgement_record(item=first, reviewer=reviewer, decision="accept")

    v1 = correction_set_create(created_by=reviewer)

    assert v1 is not None
    assert (v1.version, v1.count, v1.created_by) == (1, 1, reviewer)
    canonical = json.dumps(v1.rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert v1.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert correction_set_create(created_by=reviewer) is None  # nothing new
    assert corrections_since(1) == []

    second = feedback_item(user, label="neutre")
    judgement_record(item=second, reviewer=reviewer, decision="accept")
    assert [row["item"] for row in corrections_since(1)] == [second.pk]
    assert len(corrections_since(None)) == 2

    v2 = correction_set_create(created_by=None)

    assert v2 is not None
    assert (v2.version, v2.count) == (2, 2)
    assert v2.rows[0] == v1.rows[0]
    assert correction_set_latest() == v2
    assert corrections_since(2) == []


def test_the_hash_is_stable_and_a_changed_label_is_new(user: User, reviewer: User) -> None:
    item = feedback_item(user, label="soutenu")
    judgement_record(item=item, reviewer=reviewer, decision="accept")
    v1 = correction_set_create(created_by=None)
    assert v1 is not None

    # A second judgement that agrees changes nothing, not even the decision time.
    judgement_record(item=item, reviewer=reviewer, decision="accept")
    assert correction_set_create(created_by=None) is None

    judgement_record(item=item, reviewer=reviewer, decision="relabel", label="neutre")
    assert [row["label"] for row in corrections_since(1)] == ["neutre"]
    v2 = correction_set_create(created_by=None)
    assert v2 is not None
    assert v2.sha256 != v1.sha256
    assert CorrectionSet.objects.get(version=1).sha256 == v1.sha256  # snapshots are frozen


def test_staff_take_and_download_snapshots(
    user: User, reviewer: User, reviewer_client: Client
) -> None:
    item = feedback_item(user, label="soutenu")
    judgement_record(item=item, reviewer=reviewer, decision="accept")
    assert "1 correction, no snapshot yet." in reviewer_client.get(PAGE).content.decode()

    taken = reviewer_client.post(reverse("review:correction_set_create"), follow=True)
    again = reviewer_client.post(reverse("review:correction_set_create"), follow=True)

    assert "Snapshot v1 taken: 1 correction." in taken.content.decode()
    assert "Nothing new since the last snapshot" in again.content.decode()
    assert CorrectionSet.objects.count() == 1
    csv_file = reviewer_client.get(reverse("review:correction_set_download", args=[1, "csv"]))
    jsonl = reviewer_client.get(reverse("review:correction_set_download", args=[1, "jsonl"]))
    assert csv_file["Content-Disposition"] == 'attachment; filename="parlure-corrections-v1.csv"'
    rows = list(csv.DictReader(io.StringIO(csv_file.content.decode())))
    assert list(rows[0]) == ["text", "label", "model_label", "item", "decided_at"]
    assert (rows[0]["text"], rows[0]["label"], rows[0]["item"]) == (TEXT, "soutenu", str(item.pk))
    record = json.loads(jsonl.content.decode().splitlines()[0])
    assert (record["label"], record["model_label"], record["item"]) == (
        "soutenu",
        "familier",
        item.pk,
    )
    assert list(record) == ["text", "label", "model_label", "item", "decided_at"]


def test_snapshot_pages_need_the_permissions(owner_client: Client, reviewer_client: Client) -> None:
    download = reverse("review:correction_set_download", args=[1, "csv"])
    assert owner_client.get(PAGE).status_code == 403
    assert owner_client.post(reverse("review:correction_set_create")).status_code == 403
    assert owner_client.get(download).status_code == 403
    assert english_client().get(PAGE).status_code == 302
    assert reviewer_client.get(download).status_code == 404  # no such version
    assert (
        reviewer_client.get(reverse("review:correction_set_download", args=[1, "xml"])).status_code
        == 404
    )
    assert reviewer_client.get(reverse("review:correction_set_create")).status_code == 405
