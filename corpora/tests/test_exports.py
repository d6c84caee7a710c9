"""Corpus exports: one row per submission, oldest first, with predictions and corrections."""

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Submission, TranscriptRevision
from annotation.tests.factories import SubmissionFactory
from corpora.exports import CSV_COLUMNS, corpus_export_lines, export_filename
from corpora.models import Corpus
from corpora.tests.factories import CorpusFactory
from review.services import feedback_submit, judgement_record
from review.tests.factories import audio_submission, text_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(user: User) -> Corpus:
    return CorpusFactory.create(owner=user, name="Été à Paris")


def in_corpus(submission: Submission, corpus: Corpus) -> Submission:
    submission.corpus = corpus
    submission.save(update_fields=["corpus"])
    return submission


def csv_rows(corpus: Corpus) -> list[dict[str, str]]:
    lines = list(corpus_export_lines(corpus=corpus, file_format="csv"))
    assert lines[0].startswith("\ufeff")  # spreadsheets then read the accents right
    return list(csv.DictReader(io.StringIO("".join(lines)[1:], newline="")))


def jsonl_rows(corpus: Corpus) -> list[dict[str, Any]]:
    lines = list(corpus_export_lines(corpus=corpus, file_format="jsonl"))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    return [json.loads(line) for line in lines]


def test_csv_has_a_header_and_one_row_per_submission_oldest_first(
    corpus: Corpus, user: User
) -> None:
    done = in_corpus(text_submission(user), corpus)
    queued = SubmissionFactory.create(user=user, corpus=corpus, text="Première ligne\nseconde")
    SubmissionFactory.create(user=user)  # not in the corpus

    lines = list(corpus_export_lines(corpus=corpus, file_format="csv"))
    rows = csv_rows(corpus)

    assert lines[0] == "\ufeff" + ",".join(CSV_COLUMNS) + "\r\n"
    finished_at = done.finished_at
    assert finished_at is not None
    assert [row["id"] for row in rows] == [str(done.public_id), str(queued.public_id)]
    assert rows[0] == {
        "id": str(done.public_id),
        "kind": "text",
        "created_at": done.created_at.isoformat(),
        "author": user.email,
        "status": "done",
        "text": done.text,
        "segments": "",
        "label": "familier",
        "top_label": "familier",
        "uncertain": "0",
        "score_soutenu": "0.3",
        "score_neutre": "0.1",
        "score_familier": "0.6",
        "model_version": "test-version",
        "transcript_revisions": "",
        "transcript_validated": "",
        "review_label": "",
        "suggested_labels": "",
        "finished_at": finished_at.isoformat(),
        "corpus": corpus.name,
    }
    assert (rows[1]["status"], rows[1]["text"], rows[1]["label"]) == (
        "queued",
        "Première ligne\nseconde",
        "",
    )


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(
    corpus: Corpus, user: User
) -> None:
    texts = ['=HYPERLINK("http://x")', "+33 6 12", "-moins", "@SUM(A1)", "\tcaché", "Normal"]
    for text in texts:
        SubmissionFactory.create(user=user, corpus=corpus, text=text)

    assert [row["text"] for row in csv_rows(corpus)] == [
        '\'=HYPERLINK("http://x")',
        "'+33 6 12",
        "'-moins",
        "'@SUM(A1)",
        "'\tcaché",
        "Normal",
    ]
    assert [row["text"] for row in jsonl_rows(corpus)] == texts  # JSON needs no such care


def test_an_audio_row_has_its_transcript_segments_corrections_and_reviews(
    corpus: Corpus, user: User
) -> None:
    reviewer = UserFactory.create()
    submission = in_corpus(audio_submission(user, ["Bonjour à tous.", "Ça roule ?"]), corpus)
    transcript = submission.transcript
    first, second = transcript.segments.order_by("index")
    second.text, second.edited = "Ça roule, ma poule ?", True
    first.speaker, second.speaker = "S1", "S2"
    first.save()
    second.save()
    transcript.speaker_names = {"S1": "Marie"}
    for version, (before, after) in enumerate([("Ça roule ?", "Ça roule ma ?")] * 2, start=2):
        TranscriptRevision.objects.create(
            transcript=transcript, segment=second, version=version, author=user,
            before=before, after=after,
        )  # fmt: skip
    transcript.validated_at = timezone.now()
    transcript.save()
    prediction = submission.current_prediction
    assert prediction is not None
    for person, label in [(user, "familier"), (reviewer, "soutenu")]:
        feedback_submit(
            user=person,
            prediction=prediction,
            sentence_index=None,
            kind="register",
            suggested_label=label,
            comment="",
        )
    item = prediction.review_items.get(sentence_index=None)
    judgement_record(item=item, reviewer=reviewer, decision="relabel", label="familier")

    [row] = jsonl_rows(corpus)

    assert row["kind"] == "audio"
    assert row["text"] == submission.text
    assert row["segments"] == [
        {
            "index": 0,
            "start": 0.0,
            "end": 2.0,
            "text": "Bonjour à tous.",
            "corrected": False,
            "label": "neutre",
            "speaker": "S1",
            "speaker_name": "Marie",
        },
        {
            "index": 1,
            "start": 2.0,
            "end": 4.0,
            "text": "Ça roule, ma poule ?",
            "corrected": True,
            "label": "neutre",
            "speaker": "S2",
            "speaker_name": "S2",  # not renamed: the label stands for the name
        },
    ]
    assert (row["label"], row["transcript_revisions"], row["transcript_validated"]) == (
        "neutre",
        2,
        True,
    )
    assert (row["review_label"], row["suggested_labels"]) == ("familier", ["familier", "soutenu"])
    [csv_row] = csv_rows(corpus)
    assert json.loads(csv_row["segments"]) == row["segments"]
    assert csv_row["suggested_labels"] == "familier;soutenu"
    assert (csv_row["transcript_revisions"], csv_row["transcript_validated"]) == ("2", "1")
    assert first.text == "Bonjour à tous."


def test_an_audio_not_yet_transcribed_has_no_segments(corpus: Corpus, user: User) -> None:
    SubmissionFactory.create(user=user, corpus=corpus, kind="audio", text="")

    [row] = jsonl_rows(corpus)

    assert (row["segments"], row["transcript_revisions"], row["label"]) == ([], None, None)


def test_the_number_of_queries_does_not_grow_with_the_rows(corpus: Corpus, user: User) -> None:
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            list(corpus_export_lines(corpus=corpus, file_format="jsonl"))
        return len(queries)

    def add_rows() -> None:
        in_corpus(text_submission(user), corpus)
        in_corpus(audio_submission(user, ["Un.", "Deux."]), corpus)
        SubmissionFactory.create(user=user, corpus=corpus)

    add_rows()
    few = export_queries()
    for _ in range(4):
        add_rows()

    assert export_queries() == few


def test_an_unknown_format_is_refused_before_anything_is_streamed(corpus: Corpus) -> None:
    with pytest.raises(ValidationError) as error:
        corpus_export_lines(corpus=corpus, file_format="xlsx")

    assert error.value.code == "unknown_format"


def test_the_file_name_is_the_corpus_name_in_ascii_with_the_date(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 3, 1))

    assert export_filename(corpus=corpus, file_format="csv") == "ete-a-paris-2026-03-01.csv"
    corpus.name = "«»?!"
    assert export_filename(corpus=corpus, file_format="jsonl") == "corpus-2026-03-01.jsonl"
