"""Dates read the same on every page of a language: "5 déc. 2026 à 14:03" in French."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

WHEN = datetime.datetime(2026, 12, 5, 14, 3)


def _render(language: str, source: str) -> str:
    with translation.override(language):
        return Template(source).render(Context({"when": WHEN, "value": 0.5}))


@pytest.mark.parametrize(
    ("language", "date", "datetime_"),
    [("fr", "5 déc. 2026", "5 déc. 2026 à 14:03"), ("en", "Dec. 5, 2026", "Dec. 5, 2026, 14:03")],
)
def test_short_and_long_forms_are_one_format(language: str, date: str, datetime_: str) -> None:
    assert _render(language, '{{ when|date:"DATE_FORMAT" }}') == date
    assert _render(language, '{{ when|date:"SHORT_DATE_FORMAT" }}') == date
    assert _render(language, '{{ when|date:"DATETIME_FORMAT" }}') == datetime_
    assert _render(language, '{{ when|date:"SHORT_DATETIME_FORMAT" }}') == datetime_
    assert _render(language, "{{ when }}") == datetime_


def test_numbers_take_the_languages_decimal_separator() -> None:
    assert _render("fr", "{{ value|floatformat:1 }}") == "0,5"
    assert _render("en", "{{ value|floatformat:1 }}") == "0.5"


def test_counts_are_grouped_the_languages_way_where_a_page_asks() -> None:
    # Not USE_THOUSAND_SEPARATOR: ids in attributes and JSON stay bare; pages use intcomma.
    source = "{% load humanize %}{{ count|intcomma }} {{ count }}"
    with translation.override("fr"):
        assert Template(source).render(Context({"count": 20000})) == "20\u00a0000 20000"
    with translation.override("en"):
        assert Template(source).render(Context({"count": 20000})) == "20,000 20000"
