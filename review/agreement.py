"""Agreement between reviewers, from maintained libraries: Cohen's kappa per pair of reviewers
(scikit-learn) and Krippendorff's alpha over all of them (the ``krippendorff`` package).

The registers are ordered (soutenu > neutre > familier), so the headline figures are ordinal: the
linearly weighted kappa and the ordinal alpha count a soutenu/familier disagreement as worse than
a soutenu/neutre one. The nominal figures (plain kappa, nominal alpha) stand beside them.

Both say how much more the reviewers agree than chance would make them agree: 1 is perfect
agreement, 0 is chance, below 0 is worse than chance. Both are undefined (None here) when every
judgement gave the same register: chance then explains it all.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score  # type: ignore[import-untyped]

R = TypeVar("R", bound=Hashable)  # a rater
C = TypeVar("C", bound=Hashable)  # a category
K = TypeVar("K", bound=Hashable)  # an item


def _defined(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def cohen_kappa(pairs: Sequence[tuple[C, C]], *, order: Sequence[C] | None = None) -> float | None:
    """Cohen's kappa of two raters; ``pairs`` holds (first rater's, second rater's) category.

    With ``order`` (the categories from one end of the scale to the other), the linearly
    weighted kappa: a disagreement weighs its distance on the scale. Without, the nominal kappa.
    """
    if not pairs:
        return None
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    if len(set(first) | set(second)) < 2:
        return None  # one category in all: scikit-learn would divide by zero
    if order is None:
        return _defined(cohen_kappa_score(first, second))
    rank = {category: position for position, category in enumerate(order)}
    return _defined(
        cohen_kappa_score(
            [rank[a] for a in first],
            [rank[b] for b in second],
            labels=list(range(len(order))),
            weights="linear",
        )
    )


def krippendorff_alpha(
    ratings: Mapping[K, Mapping[R, C]], *, order: Sequence[C], level: str
) -> float | None:
    """Krippendorff's alpha (``level``: "ordinal" or "nominal") of every rating; a rater who did
    not judge an item is missing data, which alpha allows. Items with one rating tell nothing and
    are left out; None when fewer than two items remain or every rating is the same."""
    rank = {category: position for position, category in enumerate(order)}
    shared = [by_rater for by_rater in ratings.values() if len(by_rater) >= 2]
    values = {value for by_rater in shared for value in by_rater.values()}
    if len(shared) < 2 or len(values) < 2:
        return None
    raters = _ordered({rater for by_rater in shared for rater in by_rater})
    data = np.full((len(raters), len(shared)), np.nan)
    for column, by_rater in enumerate(shared):
        for row, rater in enumerate(raters):
            if rater in by_rater:
                data[row, column] = rank[by_rater[rater]]
    return _defined(
        krippendorff.alpha(
            reliability_data=data,
            value_domain=list(range(len(order))),
            level_of_measurement=level,  # type: ignore[arg-type]
        )
    )


@dataclass(frozen=True)
class PairAgreement(Generic[R]):
    first: R
    second: R
    items: int  # items both judged
    kappa: float | None  # nominal
    weighted_kappa: float | None  # linear weights on the ordered registers


@dataclass(frozen=True)
class GroupAgreement:
    items: int  # items judged by two reviewers or more
    raters: int
    alpha_ordinal: float | None
    alpha_nominal: float | None


def _ordered(raters: set[R]) -> list[R]:
    try:
        return sorted(raters)  # type: ignore[type-var]  # when raters are comparable
    except TypeError:
        return sorted(raters, key=repr)


def pairwise_agreement(
    ratings: Mapping[K, Mapping[R, C]], order: Sequence[C]
) -> list[PairAgreement[R]]:
    """Both kappas for every pair of raters who judged at least one item in common.

    ``ratings`` maps each item to {rater: category}; ``order`` lists the categories in scale order.
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
            pairs.append(
                PairAgreement(
                    first,
                    second,
                    len(both),
                    kappa=cohen_kappa(both),
                    weighted_kappa=cohen_kappa(both, order=order),
                )
            )
    return pairs


def group_agreement(
    ratings: Mapping[K, Mapping[R, C]], order: Sequence[C]
) -> GroupAgreement | None:
    """Krippendorff's alpha, ordinal and nominal, over the items judged by two raters or more
    (any number of them: alpha needs no constant number of raters per item)."""
    shared = {item: by_rater for item, by_rater in ratings.items() if len(by_rater) >= 2}
    if not shared:
        return None
    raters = {rater for by_rater in shared.values() for rater in by_rater}
    return GroupAgreement(
        items=len(shared),
        raters=len(raters),
        alpha_ordinal=krippendorff_alpha(shared, order=order, level="ordinal"),
        alpha_nominal=krippendorff_alpha(shared, order=order, level="nominal"),
    )
