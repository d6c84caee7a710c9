"""Kappa against textbook examples, computed by hand."""

import pytest

from review.agreement import cohen_kappa, fleiss_kappa, group_agreement, pairwise_agreement


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


def test_cohen_kappa_limits() -> None:
    assert cohen_kappa([("s", "s"), ("f", "f")]) == 1.0
    assert cohen_kappa([("s", "f"), ("f", "s")]) == pytest.approx(-1.0)
    assert cohen_kappa([("s", "s"), ("s", "s")]) is None  # chance explains all: undefined
    assert cohen_kappa([]) is None


# Wikipedia's worked example: 10 subjects, 14 raters, 5 categories; κ ≈ 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_on_the_wikipedia_example() -> None:
    kappa = fleiss_kappa(FLEISS_TABLE)

    assert kappa is not None
    assert round(kappa, 3) == 0.210


def test_fleiss_kappa_needs_the_same_number_of_ratings_everywhere() -> None:
    with pytest.raises(ValueError, match="same number of ratings"):
        fleiss_kappa([[2, 0], [1, 2]])
    with pytest.raises(ValueError, match="at least two"):
        fleiss_kappa([[1, 0]])
    assert fleiss_kappa([]) is None
    assert fleiss_kappa([[2, 0], [2, 0]]) is None


def test_fleiss_kappa_of_two_raters_on_perfect_agreement() -> None:
    assert fleiss_kappa([[2, 0, 0], [0, 2, 0], [0, 0, 2]]) == pytest.approx(1.0)


def test_pairwise_agreement_uses_the_items_both_judged() -> None:
    ratings = {
        1: {"ann": "s", "bob": "s", "cyd": "s"},
        2: {"ann": "n", "bob": "f"},
        3: {"ann": "f", "bob": "f", "cyd": "n"},
        4: {"bob": "n", "cyd": "n"},
    }

    pairs = {(p.first, p.second): p for p in pairwise_agreement(ratings)}

    assert set(pairs) == {("ann", "bob"), ("ann", "cyd"), ("bob", "cyd")}
    assert pairs["ann", "bob"].items == 3
    assert pairs["ann", "bob"].kappa == cohen_kappa([("s", "s"), ("n", "f"), ("f", "f")])
    assert pairs["ann", "cyd"].items == 2
    assert pairs["bob", "cyd"].items == 3


def test_group_agreement_takes_the_largest_set_with_the_same_number_of_raters() -> None:
    ratings = {
        1: {"ann": "s", "bob": "s"},
        2: {"ann": "n", "bob": "f"},
        3: {"ann": "f", "bob": "f", "cyd": "n"},
        4: {"ann": "f"},
    }

    group = group_agreement(ratings, ["s", "n", "f"])

    assert group is not None
    assert (group.raters_per_item, group.items) == (2, 2)
    assert group.kappa == fleiss_kappa([[2, 0, 0], [0, 1, 1]])
    assert group_agreement({1: {"ann": "s"}}, ["s", "n", "f"]) is None
