"""The corpus pages' forms. They only read input: the rules live in the services, whose
ValidationError a view puts back on the form (``form.add_error(None, error)``)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from annotation.models import Submission

from .models import CorpusMember
from .selectors import submissions_addable_for_user
from .services.corpora import CORPUS_DESCRIPTION_MAX, CORPUS_NAME_MAX

# How many of one's own recent submissions the "add my submissions" form offers.
ADDABLE_SHOWN = 50


class CorpusForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        required=False,  # corpus_name_clean gives the clearer message
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": str(CORPUS_NAME_MAX)}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": str(CORPUS_DESCRIPTION_MAX)}),
        help_text=_("What the texts are and where they come from (optional)."),
    )
    vocabulary = forms.CharField(
        label=_("Vocabulary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Names of people and places, and jargon, that the corpus's recordings contain: one "
            "per line. The transcription spells them as written here (optional)."
        ),
    )


class MemberAddForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("The person must already have a Parlure account."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=CorpusMember.Role.choices, initial=CorpusMember.Role.VIEWER
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CorpusMember.Role.choices)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.jsonl,.ndjson,.txt,.zip"}),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("The file is empty."),
        },
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)


class SubmissionsAddForm(forms.Form):
    """The person's newest own submissions that are in no corpus yet (older ones: the API)."""

    submissions = forms.ModelMultipleChoiceField(
        label=_("Your submissions not in a corpus"),
        queryset=Submission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one submission.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        addable = submissions_addable_for_user(user=user)
        newest = list(addable.values_list("pk", flat=True)[:ADDABLE_SHOWN])
        field = self.fields["submissions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = addable.filter(pk__in=newest)
        field.label_from_instance = _submission_label  # type: ignore[method-assign, assignment]
        self.has_choices = bool(newest)


def _submission_label(submission: Submission) -> str:
    text = submission.text or submission.get_kind_display()
    limit = 80
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _megabytes(size: int) -> str:
    """A size in MB as the page's language writes it: "2,5" in French, no ",0" for a whole one."""
    value = float(f"{size / 1024 / 1024:g}")
    return number_format(int(value) if value == int(value) else value)


def import_limits() -> dict[str, str]:
    """The import limits, as the form's help shows them (figures grouped the page's way)."""
    return {
        "text_mb": _megabytes(settings.PARLURE_IMPORT_MAX_BYTES),
        "archive_mb": _megabytes(settings.PARLURE_IMPORT_MAX_ARCHIVE_BYTES),
        "files": number_format(settings.PARLURE_IMPORT_MAX_FILES, force_grouping=True),
        "rows": number_format(settings.PARLURE_IMPORT_MAX_ROWS, force_grouping=True),
        "text_chars": number_format(settings.PARLURE_TEXT_MAX_CHARS, force_grouping=True),
        "audio_mb": _megabytes(settings.PARLURE_AUDIO_MAX_BYTES),
    }
