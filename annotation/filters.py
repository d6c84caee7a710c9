"""Query filters of the submissions API: an explicit list, each one documented."""

import datetime
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from .models import Register, Submission


class DateOrDateTimeField(forms.Field):
    """A date, or an ISO 8601 date and time (in the portal's time zone when it has none)."""

    def to_python(self, value: str | None) -> datetime.date | datetime.datetime | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            moment = parse_datetime(value) if "T" in value or " " in value else None
            if moment is not None:
                return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise ValidationError(
                _("Give a date (2025-03-14) or a date and time (2025-03-14T09:30:00+01:00)."),
                code="invalid",
            )
        return day


class StrictBooleanField(forms.Field):
    """true or false (1 or 0): anything else is an error, not silently no filter at all."""

    def to_python(self, value: str | None) -> bool | None:
        value = (value or "").strip().lower()
        if not value:
            return None
        if value in {"true", "1"}:
            return True
        if value in {"false", "0"}:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(filters.Filter):
    field_class = StrictBooleanField


class DateOrDateTimeFilter(filters.Filter):
    field_class = DateOrDateTimeField


F = TypeVar("F", bound=filters.Filter)


def documented(filter_: F, *, type_: str, description: str) -> F:
    """A filter of our own type, documented in the schema as the value it takes."""
    annotated: F = extend_schema_field({"type": type_, "description": description})(filter_)
    return annotated


def date_or_datetime_filter(*, method: str, meaning: str) -> DateOrDateTimeFilter:
    description = (
        f"{meaning} A date (2025-03-14) or a date and time (2025-03-14T09:30:00+01:00); "
        "without a time zone, the portal's."
    )
    return documented(DateOrDateTimeFilter(method=method), type_="string", description=description)


class SubmissionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Submission.Status.choices, help_text="The job's state.")
    kind = filters.ChoiceFilter(choices=Submission.Kind.choices, help_text="Text or audio.")
    label = filters.ChoiceFilter(
        field_name="current_prediction__label",
        choices=Register.choices,
        help_text="The register shown (the current prediction's).",
    )
    corpus = filters.UUIDFilter(
        field_name="corpus__public_id", help_text="Only the submissions of this corpus (its id)."
    )
    created_after = date_or_datetime_filter(
        method="filter_created_after",
        meaning="Submitted at or after this moment; a date means from the start of that day.",
    )
    created_before = date_or_datetime_filter(
        method="filter_created_before",
        meaning="Submitted before this moment; a date means up to the end of that day, included.",
    )
    mine = documented(
        StrictBooleanFilter(method="filter_mine"),
        type_="boolean",
        description="true: only your own submissions; false: only other people's (in your "
        "corpora).",
    )

    class Meta:
        model = Submission
        fields = ["status", "kind", "label", "corpus", "created_after", "created_before", "mine"]

    def filter_created_after(
        self, queryset: QuerySet[Submission], name: str, value: datetime.date | datetime.datetime
    ) -> QuerySet[Submission]:
        if isinstance(value, datetime.datetime):
            return queryset.filter(created_at__gte=value)
        return queryset.filter(created_at__date__gte=value)

    def filter_created_before(
        self, queryset: QuerySet[Submission], name: str, value: datetime.date | datetime.datetime
    ) -> QuerySet[Submission]:
        if isinstance(value, datetime.datetime):
            return queryset.filter(created_at__lt=value)
        return queryset.filter(created_at__date__lte=value)

    def filter_mine(
        self, queryset: QuerySet[Submission], name: str, value: bool
    ) -> QuerySet[Submission]:
        user = self.request.user if self.request is not None else None
        if user is None:
            return queryset.none()
        return queryset.filter(user=user) if value else queryset.exclude(user=user)
