"""Agreement from the libraries (scikit-learn, krippendorff) against published and hand-worked
values."""

import math

import pytest

from review.agreement import cohen_kappa, group_agreement, krippendorff_alpha, pairwise_agreement

REGISTERS = ["s", "n", "f"]  # soutenu > neutre > familier


def test_cohen_kappa_on_the_textbook_yes_no_example() -> None:
    # Two readers, 50 grant proposals: both yes 20, yes/no 5, no/yes 10, both no 15.
    # p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    pairs += [("no", "no")] * 15

    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_with_three_registers() -> None:
    # 10 items: 7 agreements; both raters use s 4 times, n 3 times, f 3 times.
    # p_o = 0.7; p_e = (16 + 9 + 9) / 100 = 0.34; κ = 0.36 / 0.66 = 0.5454…
    pairs = [("s", "s")] * 3 + [("n", "n")] * 2 + [("f", "f")] * 2
    pairs += [("s", "n"), ("n", "f"), ("f", "s")]

    assert cohen_kappa(pairs) == pytest.approx(0.36 / 0.66)


def test_linear_weighted_kappa_worked_by_hand() -> None:
    # Cohen (1968): κw = 1 - Σ w_ij o_ij / Σ w_ij e_ij, linear disagreement weights
    # w_ij = |i - j| / (k - 1). The same 10 items as above, ranks s 0, n 1, f 2:
    # observed: s/n and n/f weigh 1/2 each, f/s weighs 1, so Σ w o = 2 / 10 = 0.2;
    # marginals 0.4 0.3 0.3 for both raters, so Σ w e = 2·(0.4·0.3·½ + 0.4·0.3·1 + 0.3·0.3·½)
    # = 2·(0.06 + 0.12 + 0.045) = 0.45; κw = 1 - 0.2 / 0.45 = 0.5555…
    pairs = [("s", "s")] * 3 + [("n", "n")] * 2 + [("f", "f")] * 2
    pairs += [("s", "n"), ("n", "f"), ("f", "s")]

    assert cohen_kappa(pairs, order=REGISTERS) == pytest.approx(1 - 0.2 / 0.45)


def test_weighted_kappa_counts_a_far_disagreement_as_worse() -> None:
    agree = [("s", "s"), ("n", "n"), ("f", "f")] * 3
    near = cohen_kappa([*agree, ("s", "n"), ("n", "s")], order=REGISTERS)
    far = cohen_kappa([*agree, ("s", "f"), ("f", "s")], order=REGISTERS)

    assert near is not None
    assert far is not None
    assert far < near
    # Nominal kappa cannot tell them apart.
    assert cohen_kappa([*agree, ("s", "n"), ("n", "s")]) == pytest.approx(
        cohen_kappa([*agree, ("s", "f"), ("f", "s")])
    )


def test_cohen_kappa_limits() -> None:
    assert cohen_kappa([("s", "s"), ("f", "f")]) == 1.0
    assert cohen_kappa([("s", "f"), ("f", "s")]) == pytest.approx(-1.0)
    assert cohen_kappa([("s", "s"), ("s", "s")]) is None  # chance explains all: undefined
    assert cohen_kappa([("s", "s"), ("s", "s")], order=REGISTERS) is None
    assert cohen_kappa([]) is None


# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers,
# 12 units, values 1-5, missing data. The paper gives alpha = 0.743 nominal, 0.815 ordinal and
# 0.849 interval.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _by_unit(table: list[list[int | None]]) -> dict[int, dict[int, int]]:
    by_unit: dict[int, dict[int, int]] = {}
    for rater, row in enumerate(table):
        for unit, value in enumerate(row):
            if value is not None:
                by_unit.setdefault(unit, {})[rater] = value
    return by_unit


def test_krippendorff_alpha_on_the_published_example() -> None:
    ratings = _by_unit(KRIPPENDORFF_2011)
    scale = [1, 2, 3, 4, 5]

    nominal = krippendorff_alpha(ratings, order=scale, level="nominal")
    ordinal = krippendorff_alpha(ratings, order=scale, level="ordinal")

    assert nominal is not None
    assert ordinal is not None
    assert round(nominal, 3) == 0.743
    assert round(ordinal, 3) == 0.815


def test_krippendorff_alpha_leaves_out_single_ratings_and_is_undefined_without_variation() -> None:
    ratings = {1: {"ann": "s", "bob": "s"}, 2: {"ann": "f", "bob": "f"}}

    with_single = {**ratings, 3: {"ann": "n"}}

    assert krippendorff_alpha(ratings, order=REGISTERS, level="ordinal") == pytest.approx(1.0)
    assert krippendorff_alpha(with_single, order=REGISTERS, level="ordinal") == pytest.approx(1.0)
    same = {1: {"ann": "s", "bob": "s"}, 2: {"ann": "s", "bob": "s"}}
    assert krippendorff_alpha(same, order=REGISTERS, level="nominal") is None
    assert krippendorff_alpha({1: {"ann": "s"}}, order=REGISTERS, level="nominal") is None


def test_pairwise_agreement_uses_the_items_both_judged() -> None:
    ratings = {
        1: {"ann": "s", "bob": "s", "cyd": "s"},
        2: {"ann": "n", "bob": "f"},
        3: {"ann": "f", "bob": "f", "cyd": "n"},
        4: {"bob": "n", "cyd": "n"},
    }

    pairs = {(p.first, p.second): p for p in pairwise_agreement(ratings, REGISTERS)}

    assert set(pairs) == {("ann", "bob"), ("ann", "cyd"), ("bob", "cyd")}
    both = [("s", "s"), ("n", "f"), ("f", "f")]
    assert pairs["ann", "bob"].items == 3
    assert pairs["ann", "bob"].kappa == cohen_kappa(both)
    assert pairs["ann", "bob"].weighted_kappa == cohen_kappa(both, order=REGISTERS)
    assert pairs["ann", "cyd"].items == 2
    assert pairs["bob", "cyd"].items == 3


def test_group_agreement_takes_every_item_judged_twice_or_more() -> None:
    ratings = {
        1: {"ann": "s", "bob": "s"},
        2: {"ann": "n", "bob": "f"},
        3: {"ann": "f", "bob": "f", "cyd": "n"},
        4: {"ann": "f"},
    }

    group = group_agreement(ratings, REGISTERS)

    assert group is not None
    assert (group.items, group.raters) == (3, 3)
    shared = {key: ratings[key] for key in (1, 2, 3)}
    assert group.alpha_ordinal == krippendorff_alpha(shared, order=REGISTERS, level="ordinal")
    assert group.alpha_nominal == krippendorff_alpha(shared, order=REGISTERS, level="nominal")
    assert group.alpha_ordinal is not None
    assert not math.isnan(group.alpha_ordinal)
    assert group_agreement({1: {"ann": "s"}}, REGISTERS) is None
