"""Uncertain words: accepting one (service and API), and the share of them a transcript has."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from annotation.models import Segment, Submission, Transcript, TranscriptRevision
from annotation.selectors import (
    UncertainShare,
    segments_uncertain_share,
    submissions_uncertain_shares,
)
from annotation.services import segment_word_accept, transcript_correct
from annotation.tests.api_fixtures import WORDS, api_client, audio_done, cast_create, text_done

pytestmark = pytest.mark.django_db

ACCEPT = "segments/0/words/1/accept/"  # " à", the uncertain word of WORDS


def url(submission: Submission, suffix: str) -> str:
    return f"/api/v1/submissions/{submission.public_id}/transcript/{suffix}"


def first_segment(submission: Submission) -> Segment:
    return Segment.objects.get(transcript__submission=submission, index=0)


# --- The service ---------------------------------------------------------------------------------


def test_accepting_a_word_clears_its_flag_and_nothing_else(user: User) -> None:
    submission = audio_done(user)
    segment = first_segment(submission)

    segment_word_accept(segment=segment, index=1, word="à", acting_user=user)

    segment.refresh_from_db()
    assert segment.words == [WORDS[0], {**WORDS[1], "uncertain": False}, WORDS[2]]
    assert segment.words[1]["confidence"] == 0.6  # the model's estimate is kept
    assert segment.text == "Bonjour à tous,"
    assert segment.edited is False
    transcript = Transcript.objects.get(submission=submission)
    assert transcript.version == 1  # not a correction: no new version, nothing reclassified
    assert not TranscriptRevision.objects.exists()


def test_accepting_twice_or_a_sure_word_changes_nothing(user: User) -> None:
    submission = audio_done(user)
    segment = first_segment(submission)
    segment_word_accept(segment=segment, index=1, word=" à", acting_user=user)
    updated_at = Transcript.objects.get(submission=submission).updated_at

    segment_word_accept(segment=segment, index=1, word=" à", acting_user=user)
    segment_word_accept(segment=segment, index=0, word="Bonjour", acting_user=user)

    assert first_segment(submission).words == [
        WORDS[0],
        {**WORDS[1], "uncertain": False},
        WORDS[2],
    ]
    assert Transcript.objects.get(submission=submission).updated_at == updated_at


@pytest.mark.parametrize(
    ("index", "word", "code"),
    [(1, "a", "word_changed"), (3, "tous,", "bad_index"), (-1, "tous,", "bad_index")],
)
def test_a_changed_word_or_a_bad_index_is_refused(
    user: User, index: int, word: str, code: str
) -> None:
    submission = audio_done(user)

    with pytest.raises(ValidationError) as refused:
        segment_word_accept(
            segment=first_segment(submission), index=index, word=word, acting_user=user
        )

    assert refused.value.code == code
    assert first_segment(submission).words == WORDS


def test_a_word_corrected_meanwhile_is_not_accepted(user: User) -> None:
    submission = audio_done(user)
    segment = first_segment(submission)
    # Someone else replaced "à" by "pour" since the page showed "à" at index 1.
    transcript_correct(segment=segment, text="Bonjour pour tous,", acting_user=user)

    with pytest.raises(ValidationError) as refused:
        segment_word_accept(segment=segment, index=1, word="à", acting_user=user)

    assert refused.value.code == "word_changed"
    assert first_segment(submission).words[1]["word"] == " pour"


def test_a_validated_transcript_accepts_nothing(user: User) -> None:
    submission = audio_done(user)
    Transcript.objects.filter(submission=submission).update(validated_at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        segment_word_accept(segment=first_segment(submission), index=1, word="à", acting_user=user)

    assert refused.value.code == "validated"
    assert first_segment(submission).words == WORDS


# --- The API -------------------------------------------------------------------------------------


def test_the_api_accepts_a_word_and_answers_the_segment(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)

    first = client.post(url(submission, ACCEPT), {"word": "à"})
    again = client.post(url(submission, ACCEPT), {"word": "à"})

    assert first.status_code == again.status_code == 200
    body = first.json()
    assert body["words"][1] == {**WORDS[1], "uncertain": False}
    assert body["transcript_version"] == 1
    assert again.json()["words"] == body["words"]
    transcript = client.get(url(submission, "")).json()
    assert [word["uncertain"] for word in transcript["segments"][0]["words"]] == [False] * 3


def test_the_api_refuses_a_changed_word_a_bad_index_and_a_closed_transcript(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)
    accept = "segments/0/words/{}/accept/"

    changed = client.post(url(submission, accept.format(1)), {"word": "a"})
    bad_index = client.post(url(submission, accept.format(3)), {"word": "à"})
    no_word = client.post(url(submission, accept.format(1)), {})
    no_segment = client.post(url(submission, "segments/5/words/0/accept/"), {"word": "à"})
    Transcript.objects.filter(submission=submission).update(validated_at=timezone.now())
    validated = client.post(url(submission, accept.format(1)), {"word": "à"})

    assert changed.status_code == 409
    assert changed.json()["detail"] == (
        "This word changed since the page was loaded; reload the page to see it."
    )
    assert bad_index.status_code == 400
    assert bad_index.json()["errors"] == {"word_index": ["This segment has no word number 4."]}
    assert no_word.status_code == 400
    assert no_word.json()["errors"] == {"word": ["This field is required."]}
    assert no_segment.status_code == 404
    assert validated.status_code == 409
    assert validated.json()["detail"] == (
        "This transcript was validated; it can no longer be changed."
    )
    assert first_segment(submission).words == WORDS


def test_someone_elses_submission_or_a_text_is_a_404(user: User, other_user: User) -> None:
    submission = audio_done(user)
    text = text_done(user)

    someone_else = api_client(other_user).post(url(submission, ACCEPT), {"word": "à"})
    on_a_text = api_client(user).post(url(text, ACCEPT), {"word": "à"})

    assert someone_else.status_code == on_a_text.status_code == 404
    assert first_segment(submission).words == WORDS


def test_a_viewer_of_the_corpus_may_not_accept_but_an_annotator_may() -> None:
    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)

    by_viewer = api_client(cast.viewer).post(url(submission, ACCEPT), {"word": "à"})
    by_annotator = api_client(cast.annotator).post(url(submission, ACCEPT), {"word": "à"})

    assert by_viewer.status_code == 403
    assert by_annotator.status_code == 200


# --- The share of uncertain words ----------------------------------------------------------------


def test_the_share_counts_the_words_the_editor_marks(user: User) -> None:
    submission = audio_done(user)  # 3 timed words (1 uncertain), then 5 words of text alone
    segments = list(Segment.objects.filter(transcript__submission=submission))

    assert segments_uncertain_share(segments) == UncertainShare(uncertain=1, total=8)
    assert segments_uncertain_share(segments).percent == 12


def test_old_words_without_the_flag_and_stale_words_count_as_sure(user: User) -> None:
    submission = audio_done(user)
    new_keys = {"confidence", "uncertain"}
    old_words = [{key: w[key] for key in w if key not in new_keys} for w in WORDS]
    Segment.objects.filter(transcript__submission=submission, index=0).update(words=old_words)
    stale = [{**WORDS[1], "word": " autre"}]  # words that no longer spell the text
    Segment.objects.filter(transcript__submission=submission, index=1).update(words=stale)

    share = segments_uncertain_share(Segment.objects.filter(transcript__submission=submission))

    assert share == UncertainShare(uncertain=0, total=8)
    assert share.percent == 0


@pytest.mark.parametrize(
    ("uncertain", "total", "percent"),
    [(0, 0, 0), (1, 400, 1), (12, 240, 5), (399, 400, 99), (3, 3, 100)],
)
def test_the_percent_never_rounds_to_none_or_all(uncertain: int, total: int, percent: int) -> None:
    assert UncertainShare(uncertain=uncertain, total=total).percent == percent


def test_the_shares_of_a_page_of_submissions_take_one_query(user: User) -> None:
    recordings = [audio_done(user) for _ in range(4)]
    accepted = recordings[0]
    segment_word_accept(segment=first_segment(accepted), index=1, word="à", acting_user=user)
    text = text_done(user)
    waiting = Submission.objects.create(user=user, kind=Submission.Kind.AUDIO, text="")
    listed = list(Submission.objects.filter(user=user))

    with CaptureQueriesContext(connection) as queries:
        shares = submissions_uncertain_shares(submissions=listed)

    assert len(queries) == 1
    assert shares[accepted.pk] == UncertainShare(uncertain=0, total=8)
    for recording in recordings[1:]:
        assert shares[recording.pk] == UncertainShare(uncertain=1, total=8)
    assert text.pk not in shares
    assert waiting.pk not in shares
    with CaptureQueriesContext(connection) as none:
        assert submissions_uncertain_shares(submissions=[text]) == {}
    assert len(none) == 0


# --- Pages ---------------------------------------------------------------------------------------


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_editor_marks_uncertain_words_and_says_how_many(user: User) -> None:
    submission = audio_done(user)

    page = signed_in(user).get(reverse("annotation:submission_detail", args=[submission.public_id]))

    html = page.content.decode()
    assert (
        '<span class="word is-uncertain" data-uncertain aria-describedby="uncertain-word-hint" '
        'data-confidence="0.600" title="Uncertain word (confidence 60 %)" '
        'data-start="0.600" data-end="0.800">à</span>'
    ) in html
    assert '<span class="word" data-start="0.000" data-end="0.600">Bonjour</span>' in html
    assert 'id="uncertain-word-hint"' in html
    assert "1 word to check out of 8 (12 %)" in html
    assert 'aria-keyshortcuts="Alt+N"' in html
    assert 'aria-keyshortcuts="Alt+Enter"' in html


def test_the_corpus_page_shows_each_recordings_words_to_check_without_a_query_each() -> None:
    cast = cast_create()
    page_url = reverse("corpora:corpus_detail", args=[cast.corpus.public_id])
    first = audio_done(cast.author, corpus=cast.corpus)
    client = signed_in(cast.viewer)
    with CaptureQueriesContext(connection) as one:
        client.get(page_url)
    segment_word_accept(segment=first_segment(first), index=1, word="à", acting_user=cast.author)
    audio_done(cast.author, corpus=cast.corpus)
    audio_done(cast.author, corpus=cast.corpus)
    text_done(cast.author, corpus=cast.corpus)

    with CaptureQueriesContext(connection) as four:
        response = client.get(page_url)

    assert len(four) == len(one)
    html = response.content.decode()
    assert html.count('title="1 word to check out of 8 (12 %)">1 word to check (12 %)</span>') == 2
    assert html.count(">no word to check</span>") == 1
