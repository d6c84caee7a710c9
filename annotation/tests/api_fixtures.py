"""People, a shared corpus and finished submissions for the API tests.

Corpora and members are made with the ORM (not the corpora services) so that these tests depend
on the access rules only. API clients speak English: the tests read messages.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import REVIEWER
from accounts.services import user_set_role
from accounts.tests.factories import UserFactory
from annotation.models import Segment, Submission, Transcript
from annotation.tests.factories import PredictionFactory, SubmissionFactory
from corpora.models import Corpus, CorpusMember

TEXT = "Je vous prie d'agréer mes salutations. T'as vu le match hier soir ?"
SECOND = TEXT.index("T'as")
SEGMENTS = ["Bonjour à tous,", "on va commencer la réunion."]
WORDS = [
    {
        "start": 0.0,
        "end": 0.6,
        "word": " Bonjour",
        "probability": 0.98,
        "confidence": 0.97,
        "uncertain": False,
    },
    {
        "start": 0.6,
        "end": 0.8,
        "word": " à",
        "probability": 0.45,
        "confidence": 0.6,
        "uncertain": True,
    },
    {
        "start": 0.8,
        "end": 1.2,
        "word": " tous,",
        "probability": 0.97,
        "confidence": 0.96,
        "uncertain": False,
    },
]


def api_client(user: User | None = None) -> APIClient:
    """A client authenticated as ``user`` (anonymous without one), in English."""
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_authenticate(user=user)
    return client


def sentence(start: int, end: int, label: str, evidence: list[list[Any]]) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "label": label,
        "top_label": label,
        "uncertain": False,
        "scores": {"soutenu": 0.1, "neutre": 0.2, "familier": 0.7},
        "evidence": evidence,
    }


def text_done(user: User, **fields: Any) -> Submission:
    """A classified text of two sentences: soutenu (evidence "prie"), familier ("T'as")."""
    submission = SubmissionFactory.create(user=user, text=TEXT, **fields)
    prie = TEXT.index("prie")
    submission.current_prediction = PredictionFactory.create(
        submission=submission,
        label="familier",
        top_label="familier",
        scores={"soutenu": 0.3, "neutre": 0.1, "familier": 0.6},
        sentences=[
            sentence(0, SECOND - 1, "soutenu", [[prie, prie + 4, 0.42]]),
            sentence(SECOND, len(TEXT), "familier", [[SECOND, SECOND + 4, 0.37]]),
        ],
    )
    submission.status = Submission.Status.DONE
    submission.started_at = submission.finished_at = timezone.now()
    submission.save()
    return submission


def audio_done(user: User, **fields: Any) -> Submission:
    """A transcribed and classified recording: two segments, each with its register."""
    submission = SubmissionFactory.create(
        user=user, kind=Submission.Kind.AUDIO, text=" ".join(SEGMENTS), **fields
    )
    transcript = Transcript.objects.create(
        submission=submission,
        language="fr",
        detected_language="fr",
        language_probability=0.99,
        duration_s=4.0,
        model="test-whisper",
    )
    for index, text in enumerate(SEGMENTS):
        segment = Segment.objects.create(
            transcript=transcript,
            index=index,
            start=2.0 * index,
            end=2.0 * index + 2,
            text=text,
            words=WORDS if index == 0 else [],
        )
        segment.current_prediction = PredictionFactory.create(
            submission=submission,
            segment=segment,
            transcript_version=1,
            label="neutre",
            top_label="neutre",
            scores={"soutenu": 0.2, "neutre": 0.7, "familier": 0.1},
            sentences=[sentence(0, len(text), "neutre", [[0, 7, 0.3]] if index == 0 else [])],
        )
        segment.save()
    submission.current_prediction = PredictionFactory.create(
        submission=submission,
        transcript_version=1,
        label="neutre",
        top_label="neutre",
        scores={"soutenu": 0.2, "neutre": 0.7, "familier": 0.1},
        sentences=[sentence(0, len(submission.text), "neutre", [])],
    )
    submission.status = Submission.Status.DONE
    submission.finished_at = timezone.now()
    submission.save()
    return submission


@dataclass(frozen=True)
class Cast:
    """A corpus, the people around it, and people outside it."""

    corpus: Corpus
    corpus_owner: User
    author: User  # an annotator of the corpus, who sent the submission
    viewer: User
    annotator: User
    reviewer: User
    other: User
    site_reviewer: User  # a reviewer of the portal, not of this corpus
    superuser: User

    def person(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def member(corpus: Corpus, role: str, user: User | None = None) -> User:
    person = user or UserFactory.create()
    CorpusMember.objects.create(corpus=corpus, user=person, role=role, added_by=corpus.owner)
    return person


def cast_create() -> Cast:
    owner = UserFactory.create(display_name="Owner")
    corpus = Corpus.objects.create(owner=owner, name="Réunions")
    site_reviewer = user_set_role(user=UserFactory.create(), role=REVIEWER, acting_user=None)
    return Cast(
        corpus=corpus,
        corpus_owner=owner,
        author=member(corpus, CorpusMember.Role.ANNOTATOR),
        viewer=member(corpus, CorpusMember.Role.VIEWER),
        annotator=member(corpus, CorpusMember.Role.ANNOTATOR),
        reviewer=member(corpus, CorpusMember.Role.REVIEWER),
        other=UserFactory.create(),
        site_reviewer=site_reviewer,
        superuser=User.objects.create_superuser(email="root@example.org", password="x"),
    )


def api_error_text(response: Any) -> str:
    """The API's one error shape, as text: the fields' messages, else the detail."""
    data = response.json()
    fields = [message for messages in data.get("errors", {}).values() for message in messages]
    return " ".join(fields) or str(data["detail"])
