"""The corpus list's filters (GET /api/v1/corpora/?role=...&name=...)."""

from django_filters import rest_framework as filters

from .models import Corpus
from .serializers import ROLE_CHOICES


class CorpusFilter(filters.FilterSet):
    # ``role`` is the requester's, annotated by corpus_list_for_user.
    role = filters.ChoiceFilter(
        field_name="role", choices=ROLE_CHOICES, label="Your role in the corpus."
    )
    name = filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="Part of the name, in any case."
    )

    class Meta:
        model = Corpus
        fields = ["role", "name"]
