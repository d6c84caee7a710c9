"""Text imports (CSV, JSONL, TXT): every row becomes a queued submission or a problem."""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from annotation.models import Submission
from common import jobs
from corpora.models import Corpus, ImportBatch
from corpora.services import import_create
from corpora.tests.factories import CorpusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Problems are stored in the importer's language; these tests read them in English.
    with translation.override("en"):
        yield


@pytest.fixture
def corpus(user: User) -> Corpus:
    return CorpusFactory.create(owner=user)


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def texts(batch: ImportBatch) -> list[str]:
    return list(batch.submissions.order_by("id").values_list("text", flat=True))


def problems(batch: ImportBatch) -> list[tuple[int | None, str]]:
    return [(problem["line"], problem["code"]) for problem in batch.problems]


def refusal(corpus: Corpus, user: User, name: str, content: str | bytes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        import_create(corpus=corpus, user=user, file=upload(name, content))
    assert not ImportBatch.objects.exists()
    assert not Submission.objects.exists()
    return error.value


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_rows_become_queued_text_submissions_of_the_corpus_and_batch(
    corpus: Corpus, user: User
) -> None:
    content = "id,text\n1,Je vous prie d'agréer mes salutations.\n2,Wesh c'est ouf.\n"

    batch, created = import_create(corpus=corpus, user=user, file=upload("corpus.csv", content))

    assert created
    assert (batch.format, batch.file_name, batch.corpus, batch.created_by) == (
        "csv",
        "corpus.csv",
        corpus,
        user,
    )
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (2, 2, 0)
    assert batch.problems == []
    assert texts(batch) == ["Je vous prie d'agréer mes salutations.", "Wesh c'est ouf."]
    assert set(Submission.objects.values_list("user", "corpus", "batch", "kind", "status")) == {
        (user.pk, corpus.pk, batch.pk, "text", "queued")
    }


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_csv_delimiter_is_found_from_the_header(
    corpus: Corpus, user: User, delimiter: str
) -> None:
    header = delimiter.join(["id", "Texte", "source"])
    content = header + "\n" + delimiter.join(["7", '"Bonjour, à tous ; merci."', "x"]) + "\n"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == ["Bonjour, à tous ; merci."]


def test_a_quoted_multiline_field_is_one_text_and_problems_name_a_rows_first_line(
    corpus: Corpus, user: User
) -> None:
    content = 'text,id\n"Première ligne,\ndeuxième ligne",1\n"",2\n"Fin.",3\n'

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == ["Première ligne,\ndeuxième ligne", "Fin."]
    assert problems(batch) == [(4, "empty")]


def test_a_malformed_csv_row_is_a_line_problem_and_the_rest_is_imported(
    corpus: Corpus, user: User
) -> None:
    content = 'text\nAvant.\n"Mal" fermé\nAprès.\nseul,\n"jamais fermé\nperdu\n'

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == ["Avant.", "Après.", "seul"]
    assert problems(batch) == [(3, "bad_csv"), (6, "bad_csv")]
    assert batch.problems[0]["message"] == "This row is not valid CSV: check its quotes."
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (5, 3, 2)


def test_a_csv_row_shorter_than_the_text_column_is_a_problem(corpus: Corpus, user: User) -> None:
    content = "id;source;text\n1;a;Un texte.\n2;b\n\n3;c;Encore.\n"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == ["Un texte.", "Encore."]
    assert problems(batch) == [(3, "missing_column")]


def test_a_lone_text_column_with_unquoted_commas_keeps_each_line_whole(
    corpus: Corpus, user: User
) -> None:
    content = (
        "text\n"
        "Veuillez agréer, Madame, l'expression de mes sentiments distingués.\n"
        "Bon, ben, on verra demain\n"
        '"Déjà entre guillemets, celle-ci."\n'
    )

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == [
        "Veuillez agréer, Madame, l'expression de mes sentiments distingués.",
        "Bon, ben, on verra demain",
        "Déjà entre guillemets, celle-ci.",
    ]
    assert problems(batch) == []


def test_a_row_with_more_cells_than_several_columns_is_a_problem_not_a_shorter_text(
    corpus: Corpus, user: User
) -> None:
    content = "id,text\n1,Bonjour.\n2,Veuillez agréer, Madame, mes salutations.\n3,Fin.,,\n"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == ["Bonjour.", "Fin."]
    assert problems(batch) == [(3, "too_many_columns")]
    assert batch.problems[0]["message"] == (
        "This row has more cells than the header: a text with commas (or semicolons) must be in "
        "double quotes. Nothing of it was imported."
    )


def test_a_csv_without_a_text_column_is_refused(corpus: Corpus, user: User) -> None:
    error = refusal(corpus, user, "c.csv", "id,phrase\n1,Bonjour.\n")

    assert error.code == "no_text_column"
    assert error.messages == [
        "The first row of a CSV file must name its columns, one of them « text »; none does here."
    ]


def test_a_csv_with_only_its_header_makes_a_batch_that_says_there_was_nothing(
    corpus: Corpus, user: User
) -> None:
    batch, created = import_create(corpus=corpus, user=user, file=upload("c.csv", "text\n"))

    assert created
    assert (batch.items_read, batch.items_accepted) == (0, 0)
    assert batch.problems == [
        {
            "line": None,
            "member": "",
            "code": "no_items",
            "message": "The file holds nothing to import.",
        }
    ]


# --- JSONL --------------------------------------------------------------------------------------


def test_jsonl_lines_with_a_text_string_are_imported_and_bad_lines_are_problems(
    corpus: Corpus, user: User
) -> None:
    content = "\n".join(
        [
            '{"text": "Bonjour à tous.", "id": 1}',
            "",
            "{not json",
            '["text"]',
            '{"id": 4}',
            '{"text": 42}',
            '{"text": "Ligne\u2028avec séparateur."}',  # a raw U+2028, not a line break
            '{"text": "   "}',
        ]
    )

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.jsonl", content))

    assert texts(batch) == ["Bonjour à tous.", "Ligne\u2028avec séparateur."]
    assert problems(batch) == [
        (3, "not_json"),
        (4, "not_object"),
        (5, "no_text"),
        (6, "no_text"),
        (8, "empty"),
    ]
    assert [problem["message"] for problem in batch.problems[:3]] == [
        "This line is not valid JSON.",
        'This line is not a JSON object such as {"text": "…"}.',
        'This line has no "text" string.',
    ]
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (7, 2, 5)


def test_ndjson_is_read_as_jsonl(corpus: Corpus, user: User) -> None:
    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.ndjson", '{"text": "Oui."}'))

    assert (batch.format, texts(batch)) == ("jsonl", ["Oui."])


# --- TXT ----------------------------------------------------------------------------------------


def test_a_text_file_gives_one_submission_per_non_blank_line(corpus: Corpus, user: User) -> None:
    content = "Première phrase.\r\n\r\n  Deuxième phrase.  \rTroisième.\n   \n"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("notes.TXT", content))

    assert batch.format == "txt"
    assert texts(batch) == ["Première phrase.", "Deuxième phrase.", "Troisième."]
    assert batch.items_read == 3


def test_duplicates_are_kept(corpus: Corpus, user: User) -> None:
    batch, _ = import_create(corpus=corpus, user=user, file=upload("t.txt", "Oui.\nOui.\n"))

    assert texts(batch) == ["Oui.", "Oui."]


# --- Encodings and binary content ---------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_is_read(corpus: Corpus, user: User) -> None:
    data = "\ufefftext\nÉté à Noël.\n".encode()

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", data))

    assert texts(batch) == ["Été à Noël."]


def test_utf16_with_its_byte_order_mark_is_read(corpus: Corpus, user: User) -> None:
    data = "text\tid\nÇa va très bien.\t1\n".encode("utf-16")  # Excel's "Unicode text"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", data))

    assert texts(batch) == ["Ça va très bien."]


def test_a_file_in_a_legacy_encoding_is_refused_naming_the_first_bad_byte_and_its_line(
    corpus: Corpus, user: User
) -> None:
    data = "Bonjour.\nÇa va.\nÉté.\n".encode("cp1252")

    error = refusal(corpus, user, "t.txt", data)

    assert error.code == "encoding"
    assert error.messages == [
        "The file is not UTF-8 text: byte 0xC7 on line 2 cannot be read. "
        "Save it as UTF-8 (in a spreadsheet: CSV UTF-8) and import it again."
    ]


def test_binary_content_is_refused_whatever_its_name(corpus: Corpus, user: User) -> None:
    data = b"PK\x03\x04\x14\x00\x00\x00\x08\x00 an xlsx renamed"

    error = refusal(corpus, user, "c.csv", data)

    assert error.code == "binary"


def test_a_damaged_utf16_file_is_refused(corpus: Corpus, user: User) -> None:
    error = refusal(corpus, user, "t.txt", b"\xff\xfeA\x00\x00\xd8")  # a lone surrogate

    assert error.code == "encoding"


# --- Whole-file refusals ------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n \n\t\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(corpus: Corpus, user: User, content: bytes) -> None:
    error = refusal(corpus, user, "t.txt", content)

    assert (error.code, error.messages) == ("empty", ["The file is empty."])


@pytest.mark.parametrize("name", ["c.xlsx", "csv", "c.csv.exe", ".csv"])
def test_an_unknown_format_is_refused(corpus: Corpus, user: User, name: str) -> None:
    error = refusal(corpus, user, name, "text\nBonjour.\n")

    assert error.code == "unknown_format"
    assert error.messages == [
        "Parlure imports .csv, .jsonl (or .ndjson), .txt and .zip files; not this one."
    ]


def test_a_text_file_over_the_limit_is_refused(corpus: Corpus, user: User, settings: Any) -> None:
    settings.PARLURE_IMPORT_MAX_BYTES = 1024 * 1024

    error = refusal(corpus, user, "t.txt", "Bonjour.\n" * 120_000)

    assert (error.code, error.messages) == (
        "too_large",
        ["The file is too large: the limit is 1 MB."],
    )


# --- Row-level limits ---------------------------------------------------------------------------


def test_rows_past_the_limit_are_not_read_and_one_problem_says_so(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_IMPORT_MAX_ROWS = 3
    content = "un\n\ndeux\ntrois\nquatre\ncinq\n"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("t.txt", content))

    assert texts(batch) == ["un", "deux", "trois"]
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (3, 3, 0)
    assert batch.problems == [
        {
            "line": 5,
            "member": "",
            "code": "too_many_rows",
            "message": "Only the first 3 rows are imported: the rest of the file, from this "
            "line on, was not read.",
        }
    ]


def test_a_text_over_the_length_limit_is_a_problem_with_its_line(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_TEXT_MAX_CHARS = 10
    content = "text\ncourt\nbeaucoup trop long\n"

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.csv", content))

    assert texts(batch) == ["court"]
    assert batch.problems == [
        {
            "line": 3,
            "member": "",
            "code": "too_long",
            "message": "The text is 18 characters long; the limit is 10 characters.",
        }
    ]


def test_control_characters_are_removed_as_in_the_single_form(corpus: Corpus, user: User) -> None:
    batch, _ = import_create(
        corpus=corpus, user=user, file=upload("c.jsonl", '{"text": "Bon\\u0000jour\\u0007."}')
    )

    assert texts(batch) == ["Bonjour."]


def test_only_the_first_problems_are_kept_and_a_last_entry_counts_the_others(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_IMPORT_MAX_PROBLEMS = 2
    content = "\n".join(["{", "[", "Bonjour", "1", '{"text": "Oui."}', "2"])

    batch, _ = import_create(corpus=corpus, user=user, file=upload("c.jsonl", content))

    assert texts(batch) == ["Oui."]
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (6, 1, 5)
    assert problems(batch) == [(1, "not_json"), (2, "not_json"), (None, "more_problems")]
    assert batch.problems[-1]["message"] == "… and 3 more problems."


def test_a_file_without_any_valid_row_still_makes_a_batch_with_its_problems(
    corpus: Corpus, user: User
) -> None:
    batch, created = import_create(corpus=corpus, user=user, file=upload("c.jsonl", "{\n[\n"))

    assert created
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (2, 0, 2)
    assert problems(batch) == [(1, "not_json"), (2, "not_json")]
    assert not batch.submissions.exists()


# --- Storage and queueing -----------------------------------------------------------------------


def test_a_repeated_client_token_returns_the_first_batch(corpus: Corpus, user: User) -> None:
    token = uuid.uuid4()
    first, created = import_create(
        corpus=corpus, user=user, file=upload("t.txt", "Un.\nDeux.\n"), client_token=token
    )

    again, created_again = import_create(
        corpus=corpus, user=user, file=upload("t.txt", "Un.\nDeux.\n"), client_token=token
    )

    assert (created, created_again) == (True, False)
    assert again == first
    assert Submission.objects.count() == 2


def test_rows_are_stored_in_bulk_and_classification_is_queued_once_after_commit(
    corpus: Corpus,
    user: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(jobs, "job_send", lambda _name, batch_id: queued.append(batch_id))
    content = "".join(f"Phrase numéro {n}.\n" for n in range(1200))

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        batch, _ = import_create(corpus=corpus, user=user, file=upload("t.txt", content))

    assert batch.submissions.count() == 1200
    assert len(queries) <= 10  # not 1,200 INSERTs
    assert len(callbacks) == 1
    assert queued == [batch.pk]


def test_nothing_is_queued_when_no_row_was_accepted(
    corpus: Corpus, user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        import_create(corpus=corpus, user=user, file=upload("c.jsonl", "{\n"))

    assert callbacks == []
