import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from review.services import correction_set_create, judgement_record
from review.tests.factories import TEXT, feedback_item

pytestmark = pytest.mark.django_db


def _export(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_corrections", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_corrections_writes_a_snapshot_as_csv_or_jsonl(user: User, reviewer: User) -> None:
    first = feedback_item(user, label="soutenu")
    judgement_record(item=first, reviewer=reviewer, decision="accept")
    correction_set_create(created_by=reviewer)
    second = feedback_item(user, label="neutre")
    judgement_record(item=second, reviewer=reviewer, decision="relabel", label="soutenu")
    v2 = correction_set_create(created_by=reviewer)
    assert v2 is not None

    latest_csv, err = _export()
    v1_jsonl, _ = _export("--version", "1", "--format", "jsonl")

    rows = list(csv.DictReader(io.StringIO(latest_csv)))
    assert [(row["item"], row["label"]) for row in rows] == [
        (str(first.pk), "soutenu"),
        (str(second.pk), "soutenu"),
    ]
    assert rows[0]["text"] == TEXT
    assert f"v2: 2 corrections, sha256 {v2.sha256}." in err
    records = [json.loads(line) for line in v1_jsonl.splitlines()]
    assert [(r["item"], r["label"], r["model_label"]) for r in records] == [
        (first.pk, "soutenu", "familier")
    ]


def test_export_corrections_says_when_there_is_nothing(user: User) -> None:
    with pytest.raises(CommandError, match="No corrections snapshot yet"):
        _export()
    with pytest.raises(CommandError, match="No corrections snapshot v3"):
        _export("--version", "3")
