"""The search box and filters of the lists of submissions: full-text search in French on
PostgreSQL (the test database), a plain search on the embedded SQLite, and the other filters."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Segment, Submission
from annotation.selectors import submission_list_for_user, submission_search, submissions_filter
from annotation.services import transcript_correct
from annotation.tests.api_fixtures import audio_done
from annotation.tests.factories import SubmissionFactory
from corpora.models import Corpus

pytestmark = pytest.mark.django_db

SONG = "Hier soir, elle chantait une vieille chanson de marins."


def found(user: User, q: str) -> set[str]:
    rows = submission_list_for_user(user=user, filters={"q": q})
    return {submission.text for submission in rows}


def test_the_test_database_is_postgresql() -> None:
    # The full-text tests below mean something only there.
    assert connection.vendor == "postgresql"


def test_search_finds_a_word_in_a_text(user: User) -> None:
    SubmissionFactory.create(user=user, text=SONG)
    SubmissionFactory.create(user=user, text="Veuillez agréer mes salutations.")
    assert found(user, "marins") == {SONG}
    assert found(user, "salutations") == {"Veuillez agréer mes salutations."}
    assert found(user, "pirates") == set()


def test_search_stems_french_words(user: User) -> None:
    SubmissionFactory.create(user=user, text=SONG)
    SubmissionFactory.create(user=user, text="Les chevaux couraient dans le pré.")
    # The french configuration stems "chanter" and "chantait" alike ("chant"), "cheval" and
    # "chevaux" alike ("cheval"), and ignores the case.
    assert found(user, "chanter") == {SONG}
    assert found(user, "Cheval") == {"Les chevaux couraient dans le pré."}
    # Web-search syntax: both words, either word, a word left out.
    assert found(user, "chanson marins") == {SONG}
    assert found(user, "chanson cheval") == set()
    assert len(found(user, "chanson or cheval")) == 2
    assert found(user, "chanson -marins") == set()


def test_search_finds_a_word_of_a_transcript(user: User) -> None:
    audio = audio_done(user)  # segments "Bonjour à tous," and "on va commencer la réunion."
    SubmissionFactory.create(user=user, text="Un texte sans rapport.")
    assert {s.public_id for s in submission_list_for_user(user=user, filters={"q": "réunion"})} == {
        audio.public_id
    }
    # A word that only a correction of one segment brings is found too: each correction
    # rewrites the submission's text from the segments.
    segment = Segment.objects.get(transcript__submission=audio, index=1)
    transcript_correct(
        segment=segment, text="on va commencer le budget trimestriel.", acting_user=user
    )
    result = submission_list_for_user(user=user, filters={"q": "trimestriel"})
    assert [s.public_id for s in result] == [audio.public_id]
    assert not submission_list_for_user(user=user, filters={"q": "réunion"}).exists()


def test_search_sees_only_the_persons_submissions(user: User, other_user: User) -> None:
    SubmissionFactory.create(user=other_user, text=SONG)
    assert found(user, "marins") == set()


def test_filters_by_kind_and_corpus(user: User) -> None:
    corpus = Corpus.objects.create(owner=user, name="Chansons")
    text = SubmissionFactory.create(user=user, text=SONG, corpus=corpus)
    loose = SubmissionFactory.create(user=user, text="Une chanson sans corpus.")
    audio = audio_done(user, corpus=corpus)
    mine = Submission.objects.filter(user=user)

    def ids(**filters: object) -> set[int]:
        return set(submissions_filter(mine, filters).values_list("pk", flat=True))  # type: ignore[arg-type]

    assert ids(kind="text") == {text.pk, loose.pk}
    assert ids(kind="audio") == {audio.pk}
    assert ids(corpus=corpus) == {text.pk, audio.pk}
    assert ids(corpus=corpus, kind="text") == {text.pk}
    assert ids(q="chanson", corpus=corpus) == {text.pk}


def test_the_list_page_searches_and_keeps_the_query_in_its_pages(
    member_client: Client, user: User, settings: object
) -> None:
    settings.PARLURE_SUBMISSIONS_PER_PAGE = 2  # type: ignore[attr-defined]
    for number in range(3):
        SubmissionFactory.create(user=user, text=f"Elle chantait le couplet {number}.")
    SubmissionFactory.create(user=user, text="Rien à voir.")
    response = member_client.get(reverse("annotation:submission_list"), {"q": "chanter"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 3
    assert 'href="?q=chanter&amp;page=2"' in response.content.decode()
    second = member_client.get(reverse("annotation:submission_list"), {"q": "chanter", "page": "2"})
    assert [s.text for s in second.context["page"].object_list] == ["Elle chantait le couplet 0."]


def test_the_corpus_filter_offers_only_corpora_the_person_sees(
    member_client: Client, user: User
) -> None:
    mine = Corpus.objects.create(owner=user, name="Le mien")
    theirs = Corpus.objects.create(owner=UserFactory.create(), name="Pas le mien")
    page = member_client.get(reverse("annotation:submission_list"))
    assert list(page.context["form"].fields["corpus"].queryset) == [mine]
    refused = member_client.get(
        reverse("annotation:submission_list"), {"corpus": str(theirs.public_id)}
    )
    assert refused.status_code == 400
    junk = member_client.get(reverse("annotation:submission_list"), {"corpus": "pas-un-id"})
    assert junk.status_code == 400


def test_the_corpus_page_searches_its_submissions(member_client: Client, user: User) -> None:
    corpus = Corpus.objects.create(owner=user, name="Chansons")
    SubmissionFactory.create(user=user, text=SONG, corpus=corpus)
    SubmissionFactory.create(user=user, text="Un autre texte.", corpus=corpus)
    SubmissionFactory.create(user=user, text="Une chanson hors du corpus.")
    url = reverse("corpora:corpus_detail", args=[corpus.public_id])
    response = member_client.get(url, {"q": "chanson"})
    assert response.status_code == 200
    assert [s.text for s in response.context["page"].object_list] == [SONG]
    assert response.context["submission_total"] == 2
    assert "corpus" not in response.context["filter_form"].fields
    audio = member_client.get(url, {"kind": "audio"})
    assert "Aucune soumission ne correspond à ces filtres." in audio.content.decode()


SQLITE_SCRIPT = """
import json
from accounts.models import User
from annotation.models import Segment, Submission, Transcript
from annotation.selectors import submission_list_for_user
from django.db import connection

user = User.objects.create_user(email="a@example.org", password="x")
Submission.objects.create(user=user, text="Hier soir, elle chantait une chanson de marins.")
# For audio, the text is the transcript's segments, joined (annotation.services.transcripts).
segments = ["Bonjour à tous,", "on commence la réunion."]
audio = Submission.objects.create(user=user, kind="audio", text=" ".join(segments))
transcript = Transcript.objects.create(submission=audio, language="fr", duration_s=4.0)
for index, text in enumerate(segments):
    Segment.objects.create(transcript=transcript, index=index, start=0, end=1, text=text)
def kinds(q):
    return sorted(s.kind for s in submission_list_for_user(user=user, filters={"q": q}))
print(json.dumps({
    "vendor": connection.vendor,
    "marins": kinds("marins"),
    "Chanson": kinds("Chanson"),
    "réunion": kinds("réunion"),
    "both": kinds("chanson marins"),
    "neither": kinds("chanson réunion"),
}))
"""


@pytest.mark.slow
def test_search_on_the_embedded_sqlite(tmp_path: Path) -> None:
    """The same selector on the embedded default (SQLite, a fresh database in tmp_path)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "PARLURE_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    run = subprocess.run(
        [*manage, "shell", "-c", SQLITE_SCRIPT],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {
        "vendor": "sqlite",
        "marins": ["text"],
        "Chanson": ["text"],  # any case
        "réunion": ["audio"],  # the transcript
        "both": ["text"],
        "neither": [],
    }


def test_postgresql_can_search_through_the_index(user: User) -> None:
    """Migration 0007's GIN index is on the expression the search writes: the planner uses it
    (told to avoid reading the whole table, as it would on a table this small)."""
    query = submission_search(Submission.objects.all(), "chanter").values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "submission_text_fts" in plan, plan
