"""Agreement between reviewers, as the review page shows it."""

from dataclasses import dataclass

from accounts.models import User
from annotation.models import Register

from .agreement import GroupAgreement, group_agreement, pairwise_agreement
from .selectors import disagreement_item_ids, judgement_ratings, reviewers_by_id


@dataclass(frozen=True)
class PairRow:
    first: User
    second: User
    items: int
    kappa: float | None  # nominal
    weighted_kappa: float | None  # linear weights: soutenu > neutre > familier


@dataclass(frozen=True)
class AgreementReport:
    shared_items: int  # items judged by two reviewers or more
    disagreements: int
    pairs: list[PairRow]
    group: GroupAgreement | None  # Krippendorff's alpha; see agreement.group_agreement


def agreement_report() -> AgreementReport:
    ratings = judgement_ratings()
    order = [register.value for register in Register]  # soutenu, neutre, familier
    pairs = pairwise_agreement(ratings, order)
    people = reviewers_by_id({p.first for p in pairs} | {p.second for p in pairs})
    return AgreementReport(
        shared_items=len(ratings),
        disagreements=len(disagreement_item_ids()),
        pairs=[
            PairRow(people[p.first], people[p.second], p.items, p.kappa, p.weighted_kappa)
            for p in pairs
        ],
        group=group_agreement(ratings, order),
    )
