from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from corpora.models import Corpus

from .models import SPEAKERS_CHOICES, AudioRecording, Register, Submission
from .selectors import SubmissionFilters, corpora_for_filter
from .services import text_clean


class TextSubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Text to annotate"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true", "lang": "fr"}),
        strip=False,
        required=False,  # text_clean gives the clearer message for an empty text
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.PARLURE_TEXT_MAX_CHARS
        # No `maxlength` attribute: a browser silently cuts a longer paste to it and sends the
        # cut text. The page counts instead, and the server refuses with the length (text_clean).
        self.max_chars = limit
        self.fields["text"].help_text = _("Up to %(limit)s characters, in French.") % {
            # The page's language groups the digits, as the counter (Intl.NumberFormat) does.
            "limit": number_format(limit, force_grouping=True)
        }

    def clean_text(self) -> str:
        return text_clean(self.cleaned_data.get("text", ""))


class SubmissionFilterForm(forms.Form):
    """The search box and filters of a list of submissions (GET). Without a ``user``, or on a
    corpus's page (``with_corpus=False``), there is no corpus filter."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "lang": "fr"}),
        help_text=_("Words of the text or of the transcript."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Texts and audio")), *Submission.Kind.choices],
        required=False,
    )
    corpus = forms.ModelChoiceField(
        label=_("Corpus"),
        queryset=Corpus.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("All corpora"),
    )
    label = forms.ChoiceField(
        label=_("Register"),
        choices=[("", _("All registers")), *Register.choices],
        required=False,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, user: User | None = None, with_corpus: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["corpus"]
        if user is None or not with_corpus:
            del self.fields["corpus"]
        else:
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = corpora_for_filter(user=user)

    def filters(self) -> SubmissionFilters:
        """The filters that were filled in, for submission_list_for_user (call after is_valid)."""
        data = self.cleaned_data
        filters: SubmissionFilters = {}
        if data.get("q", "").strip():
            filters["q"] = data["q"].strip()
        if data.get("kind"):
            filters["kind"] = data["kind"]
        if data.get("corpus"):
            filters["corpus"] = data["corpus"]
        if data.get("label"):
            filters["label"] = data["label"]
        if data.get("date_from"):
            filters["date_from"] = data["date_from"]
        if data.get("date_to"):
            filters["date_to"] = data["date_to"]
        return filters


class AudioSubmissionForm(forms.Form):
    """An uploaded file or an in-page recording; the content is checked by the service."""

    audio = forms.FileField(
        label=_("Audio file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "audio/*,.wav,.mp3,.m4a,.aac,.ogg,.opus,.webm,.flac"}
        ),
        error_messages={
            "required": _("Choose an audio file or record yourself."),
            "empty": _("The file is empty."),
        },
    )
    source = forms.ChoiceField(
        choices=AudioRecording.Source.choices,
        initial=AudioRecording.Source.UPLOAD,
        widget=forms.HiddenInput,
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    speakers = forms.ChoiceField(
        label=_("Speakers"),
        choices=[],  # set per form, in the language of the request
        required=False,
        error_messages={
            "invalid_choice": _('Speakers: leave empty, or give "auto" or a number from 2 to 6.')
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["speakers"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", gettext("Do not label speakers")),
            ("auto", gettext("Label speakers, find how many")),
            *[
                (count, gettext("Label %(count)s speakers") % {"count": count})
                for count in SPEAKERS_CHOICES
                if count.isdigit()
            ],
        ]


class ReplaceForm(forms.Form):
    """Find and replace in transcripts (annotation.services.replace checks the texts)."""

    find = forms.CharField(label=_("Find"), strip=False, required=False)
    replace = forms.CharField(label=_("Replace with"), strip=False, required=False)
    whole_word = forms.BooleanField(label=_("Whole words only"), required=False)
    case_sensitive = forms.BooleanField(label=_("Match case"), required=False)
