"""Find and replace: the matching rules, the preview, and applying it as corrections."""

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Segment, Submission, TranscriptRevision
from annotation.replacing import Search, marked_parts, search_pattern, text_replace
from annotation.services import (
    transcript_correct,
    transcript_revision_revert,
    transcripts_replace_apply,
    transcripts_replace_preview,
)
from annotation.tests.api_fixtures import audio_done


def replaced(text: str, find: str, replace: str = "X", **options: bool) -> str | None:
    result = text_replace(text, search_pattern(Search(find, replace, **options)), replace)
    return None if result is None else result.after


# --- Matching rules --------------------------------------------------------------------------


def test_the_search_is_literal_text_not_a_pattern() -> None:
    assert replaced("Prix : 3.50 € (env.)", "3.50") == "Prix : X € (env.)"
    assert replaced("Prix : 3750 €", "3.50") is None
    assert replaced("a (b) c", "(b)") == "a X c"
    assert replaced("un \\1 deux", "un", r"\1") == r"\1 \1 deux"  # the replacement too


def test_accents_count_but_case_is_ignored_the_unicode_way() -> None:
    assert replaced("Cet été, en ÉTÉ", "été", "hiver") == "Cet hiver, en hiver"
    assert replaced("Cet ete", "été") is None
    assert replaced("Cet été", "ete") is None
    assert replaced("Œuvre et œuvre", "œuvre", "ouvrage") == "ouvrage et ouvrage"
    assert replaced("ÇA et ça", "ça", "cela") == "cela et cela"


def test_case_sensitive_matches_the_case_too() -> None:
    assert replaced("Été et été", "été", "hiver", case_sensitive=True) == "Été et hiver"


def test_a_decomposed_accent_matches_its_composed_form() -> None:
    decomposed = unicodedata.normalize("NFD", "un café")
    assert replaced(decomposed, "café", "thé") == "un thé"


def test_whole_word_needs_no_letter_or_digit_touching_the_match() -> None:
    text = "l'homme, les hommes, surhomme, Homme2, peut-homme"
    assert replaced(text, "homme", "femme", whole_word=True) == (
        "l'femme, les hommes, surhomme, Homme2, peut-femme"
    )
    assert replaced("aux élèves, élève", "élève", "X", whole_word=True) == "aux élèves, X"


def test_the_spans_say_where_the_matches_are_before_and_after() -> None:
    result = text_replace("a bb a", search_pattern(Search("a", "ccc")), "ccc")

    assert result is not None
    assert result.count == 2
    assert result.before_spans == ((0, 1), (5, 6))
    assert result.after_spans == ((0, 3), (7, 10))
    assert marked_parts(result.after, result.after_spans) == [
        ("ccc", True),
        (" bb ", False),
        ("ccc", True),
    ]


# --- Preview and apply ------------------------------------------------------------------------


def texts(submission: Submission) -> list[str]:
    return list(
        Segment.objects.filter(transcript__submission=submission)
        .order_by("index")
        .values_list("text", flat=True)
    )


def test_the_preview_changes_nothing_and_applying_does_what_it_showed(user: User) -> None:
    submission = audio_done(user)  # "Bonjour à tous,", "on va commencer la réunion."
    search = Search(find="O", replace="0")
    transcript = submission.transcript

    preview = transcripts_replace_preview(transcripts=[transcript], search=search)

    assert texts(submission) == ["Bonjour à tous,", "on va commencer la réunion."]
    shown = [(match.segment.index, match.replaced.after) for match in preview[0].matches]
    assert shown == [(0, "B0nj0ur à t0us,"), (1, "0n va c0mmencer la réuni0n.")]
    assert preview[0].match_count == 6

    applied = transcripts_replace_apply(transcripts=[transcript], search=search, acting_user=user)

    assert [(m.segment.index, m.replaced.after) for m in applied[0].matches] == shown
    assert texts(submission) == [after for _, after in shown]
    assert applied[0].changed == 2


def test_applying_makes_one_revision_per_changed_segment_and_classifies_once(
    user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    submission = audio_done(user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transcripts_replace_apply(
            transcripts=[submission.transcript],
            search=Search(find="on", replace="ON"),
            acting_user=user,
        )

    revisions = list(TranscriptRevision.objects.order_by("version"))
    assert [(r.segment.index, r.version, r.before, r.after, r.author) for r in revisions] == [
        (0, 2, "Bonjour à tous,", "BONjour à tous,", user),
        (1, 3, "on va commencer la réunion.", "ON va commencer la réuniON.", user),
    ]
    submission.refresh_from_db()
    assert submission.transcript.version == 3
    assert submission.text == "BONjour à tous, ON va commencer la réuniON."
    assert Segment.objects.filter(edited=True).count() == 2
    assert len(callbacks) == 1  # the last version only


def test_a_transcript_that_cannot_be_changed_is_skipped_and_reported(user: User) -> None:
    validated = audio_done(user)
    validated.transcript.validated_at = timezone.now()
    validated.transcript.save()
    busy = audio_done(user)
    Submission.objects.filter(pk=busy.pk).update(status=Submission.Status.CLASSIFYING)
    open_ = audio_done(user)
    transcripts = [s.transcript for s in (validated, busy, open_)]

    outcome = transcripts_replace_apply(
        transcripts=transcripts, search=Search(find="réunion", replace="séance"), acting_user=user
    )

    assert [(item.submission_id, item.refused and item.refused[0]) for item in outcome] == [
        (validated.public_id, "validated"),
        (busy.public_id, "not_done"),
        (open_.public_id, None),
    ]
    assert texts(validated)[1] == texts(busy)[1] == "on va commencer la réunion."
    assert texts(open_)[1] == "on va commencer la séance."


def test_a_segment_corrected_since_the_preview_is_left_as_it_is(user: User) -> None:
    submission = audio_done(user)
    transcript = submission.transcript
    search = Search(find="o", replace="0")
    seen = transcripts_replace_preview(transcripts=[transcript], search=search)
    version = seen[0].transcript.version
    other = UserFactory.create()
    transcript_correct(
        segment=transcript.segments.get(index=1), text="on commence la réunion.", acting_user=other
    )

    outcome = transcripts_replace_apply(
        transcripts=[transcript],
        search=search,
        acting_user=user,
        versions={submission.public_id: version},
    )

    assert texts(submission) == ["B0nj0ur à t0us,", "on commence la réunion."]
    assert [(segment.index, code) for segment, code, _ in outcome[0].skipped] == [(1, "changed")]
    assert outcome[0].changed == 1


def test_a_transcript_missing_from_the_previewed_versions_is_left_alone(user: User) -> None:
    submission = audio_done(user)

    outcome = transcripts_replace_apply(
        transcripts=[submission.transcript],
        search=Search(find="on", replace="ON"),
        acting_user=user,
        versions={},
    )

    assert outcome[0].refused is not None
    assert outcome[0].refused[0] == "not_previewed"
    assert TranscriptRevision.objects.count() == 0


def test_an_emptied_or_too_long_segment_is_skipped(user: User) -> None:
    submission = audio_done(user)

    outcome = transcripts_replace_apply(
        transcripts=[submission.transcript],
        search=Search(find="Bonjour à tous,", replace=""),
        acting_user=user,
    )

    assert [(segment.index, code) for segment, code, _ in outcome[0].skipped] == [(0, "empty")]
    assert texts(submission)[0] == "Bonjour à tous,"
    with override_settings(PARLURE_TEXT_MAX_CHARS=30):
        outcome = transcripts_replace_apply(
            transcripts=[submission.transcript],
            search=Search(find="o", replace="o" * 10),
            acting_user=user,
        )
    assert [(segment.index, code) for segment, code, _ in outcome[0].skipped] == [
        (0, "too_long"),
        (1, "too_long"),
    ]
    assert TranscriptRevision.objects.count() == 0


@pytest.mark.parametrize(
    ("search", "field", "message"),
    [
        (Search(find="", replace="x"), "find", "Type the text to find."),
        (Search(find="a" * 1001, replace="x"), "find", "at most 1000 characters"),
        (Search(find="a", replace="x" * 20_001), "replace", "at most 20000 characters"),
    ],
)
def test_a_search_that_cannot_run_is_refused_by_field(
    user: User, search: Search, field: str, message: str
) -> None:
    submission = audio_done(user)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        transcripts_replace_preview(transcripts=[submission.transcript], search=search)

    assert message in raised.value.message_dict[field][0]


def test_undoing_a_change_restores_the_text_as_a_new_revision(user: User) -> None:
    submission = audio_done(user)
    transcripts_replace_apply(
        transcripts=[submission.transcript],
        search=Search(find="on", replace="ON", whole_word=True),
        acting_user=user,
    )
    revision = TranscriptRevision.objects.get()

    undo = transcript_revision_revert(revision=revision, acting_user=user)

    assert (undo.version, undo.before, undo.after) == (3, revision.after, revision.before)
    assert texts(submission)[1] == "on va commencer la réunion."


def test_undoing_a_change_corrected_again_since_is_refused(user: User) -> None:
    submission = audio_done(user)
    segment = submission.transcript.segments.get(index=0)
    transcript_correct(segment=segment, text="Bonjour à toutes,", acting_user=user)
    transcript_correct(segment=segment, text="Bonjour à toutes !", acting_user=user)
    first = TranscriptRevision.objects.get(version=2)

    with pytest.raises(ValidationError) as raised:
        transcript_revision_revert(revision=first, acting_user=user)

    assert raised.value.code == "changed_since"
    assert texts(submission)[0] == "Bonjour à toutes !"
