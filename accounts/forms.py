from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from common.vocabulary import vocabulary_clean

from .models import User
from .services import API_TOKEN_NAME_MAX


class SignUpForm(UserCreationForm[User]):
    """Sign-up: e-mail, optional display name, password twice (Django's validators apply)."""

    class Meta:
        model = User
        fields = ("email", "display_name")


class LoginForm(AuthenticationForm):
    """Django's log-in form, with a message written for an e-mail address.

    Django's own builds its message from the username field's name, which in French gives
    « Saisissez un adresse e-mail » (the article does not agree).
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. The password is "
            "case-sensitive."
        ),
    }


class AdminUserAddForm(AdminUserCreationForm):
    """The admin's "add user" form, keyed on e-mail like the rest of the portal."""

    class Meta:
        model = User
        fields = ("email", "display_name")


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ("display_name", "vocabulary")
        labels = {"display_name": _("Display name"), "vocabulary": _("Vocabulary")}
        help_texts = {
            "vocabulary": _(
                "Names of people and places, and jargon, that your recordings contain: one per "
                "line. The transcription spells them as you write them here."
            )
        }
        widgets = {"vocabulary": forms.Textarea(attrs={"rows": 4})}

    def clean_vocabulary(self) -> str:
        return vocabulary_clean(self.cleaned_data.get("vocabulary", ""))


class ApiKeyForm(forms.Form):
    """The name of a new API key. Its rules are api_token_create's: the form only reads it."""

    name = forms.CharField(
        label=_("Key name"),
        required=False,
        strip=False,
        help_text=_("To recognise it later, e.g. the program or the machine that uses it."),
        widget=forms.TextInput(attrs={"maxlength": API_TOKEN_NAME_MAX, "autocomplete": "off"}),
    )
