"""Consistency checks of RUBRIC.md §6 on the figures, each located by its path."""

from __future__ import annotations

from decimal import Decimal

from rubrics.figures import Expenditure, Lines, Quarters, SpecialFund, Transfer
from rubrics.scoring import score
from tests.rubrics.helpers import figures, reference_rubric

D = Decimal


def error_paths(**changes: object) -> list[str]:
    return [e.path for e in score(reference_rubric(), figures(**changes)).errors]


def warning_paths(**changes: object) -> list[str]:
    return [w.path for w in score(reference_rubric(), figures(**changes)).warnings]


def test_negative_amounts_are_errors_with_their_path() -> None:
    spending = Expenditure(actual=Lines(project=D("-1")))
    assert "expenditure.actual.project" in error_paths(expenditure=spending)


def test_percentages_outside_0_to_1000_are_errors() -> None:
    funds = (SpecialFund("甲", D("10"), D("1000.01")),)
    assert "special_funds[0].completion_rate" in error_paths(special_funds=funds)


def test_decreasing_quarterly_rates_are_an_error_on_the_later_quarter() -> None:
    spending = Expenditure(quarterly_rate=Quarters(D("30"), D("20"), D("60"), D("90")))
    assert "expenditure.quarterly_rate.q2" in error_paths(expenditure=spending)


def test_transfers_spending_more_than_their_amount_are_an_error() -> None:
    transfers = (Transfer("甲", D("10"), D("11")),)
    assert "transfers[0].spent" in error_paths(transfers=transfers)


def test_budget_lines_that_do_not_add_up_to_the_total_warn_beyond_a_cent() -> None:
    lines = Lines(D("5000.18"), D("421.99"), D("6608.85"))  # 12031.02
    within = Expenditure(budget_total=D("12031.01"), budget=lines)
    beyond = Expenditure(budget_total=D("12031.00"), budget=lines)
    assert "expenditure.budget_total" not in warning_paths(expenditure=within)
    assert "expenditure.budget_total" in warning_paths(expenditure=beyond)


def test_income_that_differs_from_spending_plus_carry_over_warns() -> None:
    spending = Expenditure(actual=Lines(D("1"), D("1"), D("1")), carried_forward=D("1"),
                           total_income=D("5"))
    assert "expenditure.total_income" in warning_paths(expenditure=spending)
