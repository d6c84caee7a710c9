"""Agreement between reviewers: Cohen's kappa for two, Fleiss' kappa for several. Plain Python.

Both say how much more the reviewers agree than chance would make them agree: 1 is perfect
agreement, 0 is chance, below 0 is worse than chance. Both are undefined (None here) when chance
agreement is already perfect, i.e. every judgement gave the same register.
"""

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

R = TypeVar("R", bound=Hashable)  # a rater
C = TypeVar("C", bound=Hashable)  # a category
K = TypeVar("K", bound=Hashable)  # an item


def cohen_kappa(pairs: Sequence[tuple[C, C]]) -> float | None:
    """Cohen's kappa of two raters; ``pairs`` holds (first rater's, second rater's) category."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa; ``table[i][j]`` is how many raters put subject i in category j.

    Every subject must have the same number of ratings, at least two.
    """
    if not table:
        return None
    raters = sum(table[0])
    if raters < 2 or any(sum(row) != raters for row in table):
        raise ValueError("Every subject needs the same number of ratings, at least two.")
    subjects = len(table)
    per_subject = [
        (sum(count * count for count in row) - raters) / (raters * (raters - 1)) for row in table
    ]
    observed = sum(per_subject) / subjects
    shares = [sum(column) / (subjects * raters) for column in zip(*table, strict=True)]
    expected = sum(share * share for share in shares)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class PairAgreement(Generic[R]):
    first: R
    second: R
    items: int  # items both judged
    kappa: float | None


@dataclass(frozen=True)
class GroupAgreement:
    raters_per_item: int  # Fleiss' kappa needs the same number of ratings on every item
    items: int
    kappa: float | None


def _ordered(raters: set[R]) -> list[R]:
    try:
        return sorted(raters)  # type: ignore[type-var]  # when raters are comparable
    except TypeError:
        return sorted(raters, key=repr)


def pairwise_agreement(ratings: Mapping[K, Mapping[R, C]]) -> list[PairAgreement[R]]:
    """Cohen's kappa for every pair of raters who judged at least one item in common.

    ``ratings`` maps each item to {rater: category}.
    """
    raters = _ordered({rater for by_rater in ratings.values() for rater in by_rater})
    pairs: list[PairAgreement[R]] = []
    for first, second in combinations(raters, 2):
        both = [
            (by_rater[first], by_rater[second])
            for by_rater in ratings.values()
            if first in by_rater and second in by_rater
        ]
        if both:
            pairs.append(PairAgreement(first, second, len(both), cohen_kappa(both)))
    return pairs


def group_agreement(
    ratings: Mapping[K, Mapping[R, C]], categories: Sequence[C]
) -> GroupAgreement | None:
    """Fleiss' kappa on the largest set of items that have the same number (≥ 2) of ratings.

    Items rated by a different number of raters are left out: the standard formula needs a
    constant number. On a tie in size, the set with more raters per item wins.
    """
    by_count: dict[int, list[Mapping[R, C]]] = {}
    for by_rater in ratings.values():
        if len(by_rater) >= 2:
            by_count.setdefault(len(by_rater), []).append(by_rater)
    if not by_count:
        return None
    raters, items = max(by_count.items(), key=lambda entry: (len(entry[1]), entry[0]))
    table = [
        [sum(1 for value in by_rater.values() if value == category) for category in categories]
        for by_rater in items
    ]
    return GroupAgreement(raters, len(items), fleiss_kappa(table))
