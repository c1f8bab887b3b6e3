"""The derived figures on numbers that differ everywhere, so a swapped operand shows.

Each ratio gets a numerator and a denominator of its own (no two ratios share a value), rates
end in a 5 in the third decimal where they can (half-up), and every "no denominator" case is
asked for separately.
"""

from __future__ import annotations

from decimal import Decimal

from evaluations.figures.derived import (
    ExpenditureSummary,
    LineExecution,
    expenditure_summary,
    management_ratios,
    ratio,
    target_counts,
    transfer_summary,
)
from rubrics.figures import (
    BudgetExecution,
    BudgetPreparation,
    Expenditure,
    Figures,
    Lines,
    OperatingCosts,
    Procurement,
    Target,
    Transfer,
)

D = Decimal


def figures(**changes: object) -> Figures:
    return Figures(rubric="jiangmen-2023", year=2024, department="测试局", **changes)  # type: ignore[arg-type]


def summary(budget_total: str | None = None, income: str = "1300.00") -> ExpenditureSummary:
    return expenditure_summary(figures(expenditure=Expenditure(
        budget_total=None if budget_total is None else D(budget_total),
        budget=Lines(D("200.00"), D("80.00"), D("1720.00")),
        actual=Lines(D("24.69"), D("80.00"), D("1000.00")),
        carried_forward=D("100.00"), total_income=D(income))))


def test_the_expenditure_summary_keeps_each_total_apart() -> None:
    s = summary()
    assert (s.budget_total, s.budget_lines_total, s.actual_total, s.carried_forward,
            s.total_spending, s.total_income) == (
        D("2000.00"), D("2000.00"), D("1104.69"), D("100.00"), D("1204.69"), D("1300.00"))
    assert [(line.key, line.label, line.budget, line.actual, line.rate) for line in s.lines] == [
        ("personnel", "人员支出", D("200.00"), D("24.69"), D("12.35")),
        ("public", "日常公用支出", D("80.00"), D("80.00"), D("100.00")),
        ("project", "项目支出", D("1720.00"), D("1000.00"), D("58.14")),
    ]


def test_a_spending_cut_is_a_negative_variance_with_a_positive_rate() -> None:
    s = summary()
    assert (s.completion_rate, s.variance, s.variance_rate, s.variance_word) == (
        D("60.23"), D("-795.31"), D("39.77"), "减支")
    assert (s.balance_gap, s.is_balanced) == (D("95.31"), False)


def test_an_approved_total_other_than_the_lines_is_the_budget_compared_with() -> None:
    s = summary(budget_total="1204.68")
    assert (s.budget_total, s.budget_lines_total) == (D("1204.68"), D("2000.00"))
    assert (s.variance, s.variance_word, s.completion_rate, s.variance_rate) == (
        D("0.01"), "增支", D("100.00"), D("0.00"))


def test_spending_equal_to_the_budget_counts_as_zengzhi() -> None:
    s = summary(budget_total="1204.69")
    assert (s.variance, s.variance_word, s.completion_rate) == (D("0.00"), "增支", D("100.00"))


def test_the_balance_tolerates_one_cent_either_way_and_no_more() -> None:
    gaps = {income: (summary(income=income).balance_gap, summary(income=income).is_balanced)
            for income in ("1204.71", "1204.70", "1204.68", "1204.67")}
    assert gaps == {"1204.71": (D("0.02"), False), "1204.70": (D("0.01"), True),
                    "1204.68": (D("-0.01"), True), "1204.67": (D("-0.02"), False)}


def test_without_a_budget_there_is_no_rate_to_print() -> None:
    s = expenditure_summary(figures(expenditure=Expenditure(
        actual=Lines(D("1"), D("2"), D("3")), carried_forward=D("4"))))
    assert (s.completion_rate, s.variance_rate, s.variance, s.total_spending) == (
        None, None, D("10"), D("10"))
    assert [line.rate for line in s.lines] == [None, None, None]
    assert LineExecution("x", "x", D("0.01"), D("0")).rate == D("0.00")


def test_transfers_add_up_and_the_rate_rounds_half_up() -> None:
    t = transfer_summary(figures(transfers=(Transfer("甲", D("150.00"), D("100.00")),
                                            Transfer("乙", D("50.00"), D("24.69")))))
    # 124.69 of 200.00 is 62.345 % → 62.35 %.
    assert (t.amount, t.spent, t.carried_over, t.rate) == (
        D("200.00"), D("124.69"), D("75.31"), D("62.35"))
    empty = transfer_summary(figures())
    assert (empty.amount, empty.spent, empty.carried_over, empty.rate) == (D(0), D(0), D(0), None)
    # Decimal even without a transfer: the page formats it as an amount.
    assert (type(empty.amount), type(empty.spent)) == (Decimal, Decimal)


def test_targets_are_counted_by_kind_category_and_completion() -> None:
    targets = (Target("output", "数量", "a", completed=True), Target("output", "质量", "b"),
               Target("outcome", "社会效益", "c", completed=True),
               Target("output", "数量", "d", completed=True))
    output = target_counts(figures(targets=targets), "output")
    assert (output.kind, output.total, output.completed, output.by_category) == (
        "output", 3, 2, (("数量", 2), ("质量", 1)))
    outcome = target_counts(figures(targets=targets), "outcome")
    assert (outcome.total, outcome.completed, outcome.by_category) == (1, 1, (("社会效益", 1),))


def test_each_management_ratio_divides_its_own_pair() -> None:
    r = management_ratios(figures(
        budget_preparation=BudgetPreparation(annual_budget=D("2000.00"), library_amount=D("1600.00"),
                                             budget_from_library=D("246.90")),
        budget_execution=BudgetExecution(adjustment_amount=D("30.00")),
        expenditure=Expenditure(budget=Lines(D("1"), D("80.00"), D("1")),
                                actual=Lines(D("1"), D("71.00"), D("1"))),
        operating_costs=OperatingCosts(sangong_budget=D("40.00"), sangong_actual=D("13.00")),
        procurement=Procurement(intentions_required=8, intentions_on_time=7, contracts_total=3,
                                contracts_on_time=2),
    ))
    assert (r.library_rate, r.from_library_rate, r.adjustment_rate, r.public_rate,
            r.sangong_rate, r.intentions_rate, r.contracts_rate) == (
        D("80.00"), D("12.35"), D("1.50"), D("88.75"), D("32.50"), D("87.50"), D("66.67"))


def test_no_management_ratio_without_a_denominator() -> None:
    r = management_ratios(figures())
    assert (r.library_rate, r.from_library_rate, r.adjustment_rate, r.public_rate,
            r.sangong_rate, r.intentions_rate, r.contracts_rate) == (None,) * 7
    assert (ratio(D("1"), D("0")), ratio(D("1"), D("8"))) == (None, D("12.50"))
