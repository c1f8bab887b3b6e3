"""Values exactly ON every threshold of the rule types jiangmen-2023 uses (RUBRIC.md §3), one cent
either side, under both rounding policies (§4), and the grade band minimums (§2).

Each case names the rubric's own indicator and weight, so a failure reads as the 评分表 line it
breaks. Scores are exact Decimals with their two printed places.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rubrics.figures import (
    Assets,
    BudgetExecution,
    BudgetPreparation,
    Claim,
    Deduction,
    Disclosure,
    Expenditure,
    Figures,
    Finding,
    Lines,
    Procurement,
    Quarters,
    SpecialFund,
    Target,
    Transfer,
)
from rubrics.scoring import GradeBand, IndicatorSpec, RubricSpec, score
from tests.rubrics.helpers import figures, leaf_score, one_indicator

D = Decimal
QUARTERS = {"q1": 25, "q2": 50, "q3": 75, "q4": 95}  # 1.1.3 部门预算资金支出率
LIBRARY = {"numerator": "budget_preparation.library_amount",  # 2.1.1 项目入库率
           "denominator": "budget_preparation.annual_budget", "full_at": 100}
TRANSFERS = {"numerator": "transfers.spent", "denominator": "transfers.amount", "full_at": 100}
CONTRACTS = {"compliant": "procurement.contracts_on_time", "total": "procurement.contracts_total"}
ADJUSTMENT = {"amount": "budget_execution.adjustment_amount", "base": "budget_preparation.annual_budget"}
DISBURSEMENT = {"count": "budget_execution.disbursement_violations", "each": "0.5"}
DISCLOSURE = {"items": [{"quantity": "disclosure.budget", "points": 1},
                        {"quantity": "disclosure.final_accounts", "points": 1}]}
UTILISATION = {"own": "assets.utilisation_rate", "benchmark": "assets.city_average_rate"}
PUBLIC = {"actual": "expenditure.actual.public", "budget": "expenditure.budget.public", "per_pp": "0.2"}
JIANGMEN_GRADES = (GradeBand("优", D(90)), GradeBand("良", D(80)), GradeBand("中", D(60)),
                   GradeBand("差", D(0)))


def computed(rule: str, weight: str, params: dict[str, Any] | None, data: Figures,
             rounding: str = "half_up") -> str:
    node, _ = leaf_score(one_indicator(rule, weight, params, rounding), data)
    return str(node.computed)


def both_policies(rule: str, weight: str, params: dict[str, Any] | None,
                  data: Figures) -> tuple[str, str]:
    return computed(rule, weight, params, data), computed(rule, weight, params, data, "truncate")


def quarterly(*rates: str) -> Figures:
    return figures(expenditure=Expenditure(quarterly_rate=Quarters(*(D(r) for r in rates))))


# 1.1.3 部门预算资金支出率: each quarter carries w/4, full when rate >= its target.

@pytest.mark.parametrize(("rates", "half_up", "truncate"), [
    (("25", "50", "75", "95"), "5.00", "5.00"),          # every quarter exactly on target
    (("24.99", "50", "75", "95"), "5.00", "4.99"),       # Q1 a cent short: 3.75 + 1.2495
    (("25", "50", "75", "94.99"), "5.00", "4.99"),       # the last quarter a cent short
    (("24.99", "49.99", "74.99", "94.99"), "5.00", "4.99"),
    (("25", "50", "75", "100"), "5.00", "5.00"),         # above target is still one share
    (("50", "50", "50", "50"), "3.99", "3.99"),          # 1.25 + 1.25 + 0.8333 + 0.6579
    (("0", "0", "0", "0"), "0.00", "0.00"),
])
def test_each_quarter_scores_its_full_share_from_exactly_its_target(
    rates: tuple[str, ...], half_up: str, truncate: str
) -> None:
    assert both_policies("quarterly_progress", "5", QUARTERS, quarterly(*rates)) == (half_up, truncate)


def test_a_quarter_exactly_on_target_is_not_marked_as_missed() -> None:
    node, _ = leaf_score(one_indicator("quarterly_progress", "5", QUARTERS),
                         quarterly("25", "50", "75", "95"))
    assert "未达到" not in node.explanation
    assert node.explanation.startswith("第一季度支出率 25%（序时进度 25%）；")


def test_a_quarter_a_cent_below_target_is_marked_as_missed() -> None:
    node, _ = leaf_score(one_indicator("quarterly_progress", "5", QUARTERS),
                         quarterly("25", "50", "75", "94.99"))
    assert node.explanation.endswith("第四季度支出率 94.99%（序时进度 95%，未达到），得满分")
    assert node.explanation.count("未达到") == 1


@pytest.mark.parametrize(("rates", "paths"), [
    (("10", "20", "30", "30"), []),                                   # equal is not a decrease
    (("10", "20", "30", "29.99"), ["expenditure.quarterly_rate.q4"]),  # the last quarter
    (("10", "9.99", "30", "40"), ["expenditure.quarterly_rate.q2"]),
    (("10", "20", "19.99", "40"), ["expenditure.quarterly_rate.q3"]),
    (("10", "20", "30", "95"), []),                                   # q1 < q4 is the normal case
])
def test_cumulative_rates_may_stay_level_but_not_fall_in_any_quarter(
    rates: tuple[str, ...], paths: list[str]
) -> None:
    _, result = leaf_score(one_indicator("quarterly_progress", "5", QUARTERS), quarterly(*rates))
    assert [e.path for e in result.errors] == paths


def test_a_falling_last_quarter_names_the_third_quarter_rate_in_its_message() -> None:
    _, result = leaf_score(one_indicator("quarterly_progress", "5", QUARTERS),
                           quarterly("10", "20", "30", "29.99"))
    assert result.errors[0].message == "累计支出率不能低于上一季度（30%）"


# 1.1.1 / 1.1.2 绩效目标完成情况: w × completed / total.

def outputs(done: int, total: int) -> Figures:
    targets = tuple(Target("output", "数量", f"指标{i}", completed=i < done) for i in range(total))
    return figures(targets=(*targets, Target("outcome", "社会效益", "效益", completed=False)))


@pytest.mark.parametrize(("done", "total", "half_up", "truncate"), [
    (3, 3, "10.00", "10.00"), (2, 3, "6.67", "6.66"), (1, 3, "3.33", "3.33"), (0, 3, "0.00", "0.00"),
])
def test_target_completion_counts_only_targets_of_its_kind(
    done: int, total: int, half_up: str, truncate: str
) -> None:
    result = both_policies("target_completion", "10", {"kind": "output"}, outputs(done, total))
    assert result == (half_up, truncate)


def test_target_completion_of_outcomes_ignores_completed_outputs() -> None:
    data = figures(targets=(Target("output", "数量", "甲", completed=True),
                            Target("outcome", "社会效益", "乙", completed=False),
                            Target("outcome", "满意度", "丙", completed=True)))
    assert computed("target_completion", "10", {"kind": "outcome"}, data) == "5.00"


# 1.2.1 专项资金绩效完成情况: each fund's rate counts up to 100.

@pytest.mark.parametrize(("rate", "half_up", "truncate"), [
    ("100", "20.00", "20.00"), ("100.01", "20.00", "20.00"), ("99.99", "20.00", "19.99"),
    ("0", "0.00", "0.00"),
])
def test_a_fund_completion_rate_counts_up_to_exactly_100(rate: str, half_up: str, truncate: str) -> None:
    data = figures(special_funds=(SpecialFund("甲", D("500"), D(rate)),))
    assert both_policies("fund_completion", "20", None, data) == (half_up, truncate)


def test_funds_of_zero_total_amount_are_not_applicable_and_full() -> None:
    data = figures(special_funds=(SpecialFund("甲", D("0"), D("10")),))
    node, _ = leaf_score(one_indicator("fund_completion", "20"), data)
    assert (str(node.computed), node.not_applicable) == ("20.00", True)


def test_a_fund_of_one_unit_of_amount_is_scored_not_skipped() -> None:
    data = figures(special_funds=(SpecialFund("甲", D("1"), D("50")),))
    node, _ = leaf_score(one_indicator("fund_completion", "20"), data)
    assert (str(node.computed), node.not_applicable) == ("10.00", False)


# 1.2.2, 2.1.1, 2.1.2 ratio_threshold: full from rate >= full_at.

@pytest.mark.parametrize(("library", "half_up", "truncate"), [
    ("25937.41", "2.00", "2.00"),        # exactly 100 %
    ("25937.40", "2.00", "1.99"),        # a cent short: 1.99999922…
    ("12968.705", "1.00", "1.00"),       # exactly half
    ("0", "0.00", "0.00"),
])
def test_the_library_rate_is_full_from_exactly_100_percent(
    library: str, half_up: str, truncate: str
) -> None:
    data = figures(budget_preparation=BudgetPreparation(annual_budget=D("25937.41"),
                                                        library_amount=D(library)))
    assert both_policies("ratio_threshold", "2", LIBRARY, data) == (half_up, truncate)


@pytest.mark.parametrize(("library", "expected"), [("80", "2.00"), ("79.99", "2.00"), ("40", "1.00"),
                                                   ("79", "1.98")])
def test_a_lower_full_at_is_full_from_exactly_that_rate(library: str, expected: str) -> None:
    data = figures(budget_preparation=BudgetPreparation(annual_budget=D("100"), library_amount=D(library)))
    assert computed("ratio_threshold", "2", {**LIBRARY, "full_at": "80"}, data) == expected


def test_transfers_spent_in_full_score_full_and_a_cent_short_is_proportional() -> None:
    full = figures(transfers=(Transfer("甲", D("100"), D("100")),))
    short = figures(transfers=(Transfer("甲", D("100"), D("99.99")),))
    assert computed("ratio_threshold", "5", TRANSFERS, full) == "5.00"
    assert both_policies("ratio_threshold", "5", TRANSFERS, short) == ("5.00", "4.99")  # 4.9995


@pytest.mark.parametrize(("library", "errors", "not_applicable"), [
    ("0", [], True), ("0.0001", ["budget_preparation.annual_budget"], False),
])
def test_a_zero_denominator_is_not_applicable_only_when_the_numerator_is_zero_too(
    library: str, errors: list[str], not_applicable: bool
) -> None:
    data = figures(budget_preparation=BudgetPreparation(library_amount=D(library)))
    node, result = leaf_score(one_indicator("ratio_threshold", "2", LIBRARY), data)
    assert ([e.path for e in result.errors], node.not_applicable) == (errors, not_applicable)
    assert str(node.computed) == ("2.00" if not_applicable else "0.00")


# 2.1.3, 2.5.1, 2.5.4 share_compliant: w × compliant / total.

@pytest.mark.parametrize(("on_time", "total", "expected", "errors"), [
    (9, 9, "3.00", []), (8, 9, "2.67", []), (10, 9, "0.00", ["procurement.contracts_on_time"]),
    (0, 9, "0.00", []), (0, 0, "3.00", []), (1, 1, "3.00", []),
])
def test_compliant_contracts_score_their_share_up_to_exactly_all(
    on_time: int, total: int, expected: str, errors: list[str]
) -> None:
    data = figures(procurement=Procurement(contracts_total=total, contracts_on_time=on_time))
    node, result = leaf_score(one_indicator("share_compliant", "3", CONTRACTS), data)
    assert (str(node.computed), [e.path for e in result.errors]) == (expected, errors)


# 2.2.1 预算编制约束性: w − w × amount / base.

@pytest.mark.parametrize(("amount", "half_up", "truncate"), [
    ("0", "1.00", "1.00"), ("1000", "0.00", "0.00"), ("1000.01", "0.00", "0.00"),
    ("25", "0.98", "0.97"), ("5", "1.00", "0.99"),
])
def test_the_budget_adjustment_deducts_its_share_of_the_budget(
    amount: str, half_up: str, truncate: str
) -> None:
    data = figures(budget_execution=BudgetExecution(adjustment_amount=D(amount)),
                   budget_preparation=BudgetPreparation(annual_budget=D("1000")))
    assert both_policies("proportional_deduction", "1", ADJUSTMENT, data) == (half_up, truncate)


# 2.2.2, 2.5.3, 2.5.5 per_item_deduction: w − count × each, never below 0.

@pytest.mark.parametrize(("count", "expected"), [(0, "1.00"), (1, "0.50"), (2, "0.00"), (3, "0.00")])
def test_each_disbursement_violation_costs_half_a_point_down_to_zero(count: int, expected: str) -> None:
    data = figures(budget_execution=BudgetExecution(disbursement_violations=count))
    assert computed("per_item_deduction", "1", DISBURSEMENT, data) == expected


# 2.2.3 财务管理合规性: rectified 0.5, unrectified 1.0.

@pytest.mark.parametrize(("rectified", "expected"), [
    ((), "2.00"), ((True,), "1.50"), ((False,), "1.00"), ((True, True), "1.00"),
    ((False, False), "0.00"), ((False, False, True), "0.00"),
])
def test_findings_cost_half_a_point_rectified_and_one_point_not(
    rectified: tuple[bool, ...], expected: str
) -> None:
    findings = tuple(Finding("市财政局", f"检查{i}", done) for i, done in enumerate(rectified))
    data = figures(budget_execution=BudgetExecution(inspection_findings=findings))
    assert computed("findings_deduction", "2", None, data) == expected


def test_findings_deduction_takes_its_points_from_the_rubric_parameters() -> None:
    findings = (Finding("市财政局", "甲", True), Finding("市审计局", "乙", False))
    data = figures(budget_execution=BudgetExecution(inspection_findings=findings))
    params = {"rectified": "0.25", "unrectified": "0.75"}
    assert computed("findings_deduction", "2", params, data) == "1.00"


# 2.3.1 预决算公开合规性: the points of the items that are true.

@pytest.mark.parametrize(("budget", "final", "expected"), [
    (True, True, "2.00"), (True, False, "1.00"), (False, True, "1.00"), (False, False, "0.00"),
])
def test_disclosure_scores_the_points_of_each_item_published(
    budget: bool, final: bool, expected: str
) -> None:
    data = figures(disclosure=Disclosure(budget=budget, final_accounts=final))
    assert computed("checklist", "2", DISCLOSURE, data) == expected


# 2.4.x, 2.5.6, 2.6.1-5 manual_deductions: w − Σ points of this indicator's deductions.

@pytest.mark.parametrize(("points", "expected"), [("5", "0.00"), ("4.99", "0.01"), ("0.01", "4.99")])
def test_manual_deductions_take_off_exactly_their_points(points: str, expected: str) -> None:
    data = figures(deductions=(Deduction("1.1.1", D(points), "制度不健全"),))
    assert computed("manual_deductions", "5", None, data) == expected


# 2.6.6 固定资产利用率: full from own >= benchmark.

@pytest.mark.parametrize(("own", "half_up", "truncate"), [
    ("99.44", "2.00", "2.00"), ("99.43", "2.00", "1.99"), ("100", "2.00", "2.00"),
    ("49.72", "1.00", "1.00"), ("0", "0.00", "0.00"),
])
def test_asset_utilisation_is_full_from_exactly_the_city_average(
    own: str, half_up: str, truncate: str
) -> None:
    data = figures(assets=Assets(D(own), D("99.44")))
    assert both_policies("benchmark", "2", UTILISATION, data) == (half_up, truncate)


def test_asset_utilisation_without_a_city_average_is_full() -> None:
    assert computed("benchmark", "2", UTILISATION, figures(assets=Assets(D("30"), D("0")))) == "2.00"


def test_asset_utilisation_below_an_average_of_one_percent_is_still_proportional() -> None:
    assert computed("benchmark", "2", UTILISATION, figures(assets=Assets(D("0.5"), D("1")))) == "1.00"


def test_a_negative_utilisation_against_no_average_is_reported_not_divided_by_zero() -> None:
    node, result = leaf_score(one_indicator("benchmark", "2", UTILISATION),
                              figures(assets=Assets(D("-1"), D("0"))))
    assert (str(node.computed), [e.path for e in result.errors]) == ("2.00", ["assets.utilisation_rate"])


# 2.7.1 经济成本控制情况: full up to exactly the budget, then 0.2 per percentage point over.

def public_spending(budget: str, actual: str) -> Figures:
    return figures(expenditure=Expenditure(budget=Lines(public=D(budget)), actual=Lines(public=D(actual))))


@pytest.mark.parametrize(("actual", "half_up", "truncate"), [
    ("100", "2.00", "2.00"), ("99.99", "2.00", "2.00"), ("100.01", "2.00", "1.99"),
    ("105", "1.00", "1.00"), ("110", "0.00", "0.00"), ("120", "0.00", "0.00"),
])
def test_public_spending_is_full_up_to_exactly_its_budget(actual: str, half_up: str, truncate: str) -> None:
    assert both_policies("cap_overrun", "2", PUBLIC, public_spending("100", actual)) == (half_up, truncate)


@pytest.mark.parametrize(("actual", "expected"), [("0", "2.00"), ("0.01", "0.00")])
def test_public_spending_without_a_budget_is_full_only_when_nothing_was_spent(
    actual: str, expected: str
) -> None:
    assert computed("cap_overrun", "2", PUBLIC, public_spending("0", actual)) == expected


# RUBRIC.md §2 grade bands (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60) on a total that lands exactly.

def hundred_points() -> RubricSpec:
    leaf = IndicatorSpec(code="1.1.1", name="据实扣分", weight=D(100), rule="manual_deductions")
    middle = IndicatorSpec(code="1.1", name="二级", weight=D(100), children=(leaf,))
    top = IndicatorSpec(code="1", name="一级", weight=D(100), children=(middle,))
    return RubricSpec(code="grades", name="等级", grades=JIANGMEN_GRADES, indicators=(top,))


def total_after(points: str, *claims: Claim) -> Figures:
    return figures(deductions=(Deduction("1.1.1", D(points), "扣分"),), claims=claims)


@pytest.mark.parametrize(("points", "total", "grade"), [
    ("0.01", "99.99", "优"), ("10", "90.00", "优"), ("10.01", "89.99", "良"), ("20", "80.00", "良"),
    ("20.01", "79.99", "中"), ("40", "60.00", "中"), ("40.01", "59.99", "差"), ("100", "0.00", "差"),
])
def test_each_grade_starts_exactly_at_its_band_minimum(points: str, total: str, grade: str) -> None:
    result = score(hundred_points(), total_after(points))
    assert (str(result.self_total), result.grade) == (total, grade)


def test_the_grade_follows_the_self_score_raised_by_a_claim() -> None:
    result = score(hundred_points(), total_after("10.01", Claim("1.1.1", D("90"), "客观原因")))
    assert (str(result.computed), str(result.self_total), result.grade) == ("89.99", "90.00", "优")


@pytest.mark.parametrize(("total", "grade"), [
    ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"),
    ("0", "差"), ("-0.01", ""),
])
def test_grade_for_reads_the_bands_from_the_highest_minimum_down(total: str, grade: str) -> None:
    # The bands are given lowest first, so the lookup must sort them itself.
    rubric = RubricSpec(code="g", name="g", grades=tuple(reversed(JIANGMEN_GRADES)))
    assert rubric.grade_for(D(total)) == grade


# RUBRIC.md §5: a claim lies between the computed score and w, both ends included.

@pytest.mark.parametrize(("claimed", "self_score", "error"), [
    ("89.99", "89.99", ""), ("100", "100.00", ""), ("95.5", "95.50", ""),
    ("89.98", "89.99", "申请的自评得分 89.98 低于计算得分 89.99"),
    ("100.01", "89.99", "申请的自评得分 100.01 超过指标分值 100"),
])
def test_a_claim_is_accepted_from_exactly_the_computed_score_to_exactly_the_weight(
    claimed: str, self_score: str, error: str
) -> None:
    result = score(hundred_points(), total_after("10.01", Claim("1.1.1", D(claimed), "客观原因")))
    assert str(result.node("1.1.1").self_score) == self_score
    assert [e.message for e in result.errors] == ([error] if error else [])


@pytest.mark.parametrize(("claimed", "errors"), [
    ("95.5", []), ("95.55", []), ("95.555", ["claims[0].score"]),
])
def test_a_claim_may_carry_two_decimals_but_not_three(claimed: str, errors: list[str]) -> None:
    result = score(hundred_points(), total_after("10.01", Claim("1.1.1", D(claimed), "客观原因")))
    assert [e.path for e in result.errors] == errors


@pytest.mark.parametrize(("points", "errors"), [
    ("0.01", []), ("0.1", []), ("0.15", []), ("0.155", ["deductions[0].points"]),
    ("0", ["deductions[0].points"]), ("-1", ["deductions[0].points"]),
])
def test_a_deduction_is_more_than_zero_with_at_most_two_decimals(points: str, errors: list[str]) -> None:
    assert [e.path for e in score(hundred_points(), total_after(points)).errors] == errors


# RUBRIC.md §6 limits: percentages 0–1000 inclusive, tolerance 0.01 inclusive.

@pytest.mark.parametrize(("rate", "errors"), [
    ("0", []), ("1000", []), ("-0.01", ["assets.utilisation_rate"]),
    ("1000.01", ["assets.utilisation_rate"]),
])
def test_a_percentage_may_be_exactly_0_or_exactly_1000(rate: str, errors: list[str]) -> None:
    data = figures(assets=Assets(D(rate), D("50")))
    assert [e.path for e in score(hundred_points(), data).errors] == errors


@pytest.mark.parametrize(("income", "warned"), [("100.01", False), ("99.99", False), ("100.02", True),
                                                ("99.98", True)])
def test_income_may_differ_from_spending_plus_carry_over_by_exactly_a_cent(income: str, warned: bool) -> None:
    spending = Expenditure(actual=Lines(D("50"), D("20"), D("20")), carried_forward=D("10"),
                           total_income=D(income))
    result = score(hundred_points(), figures(expenditure=spending))
    assert ("expenditure.total_income" in [w.path for w in result.warnings]) is warned


@pytest.mark.parametrize(("amount", "spent", "errors"), [
    ("100", "100", []), ("0", "0", []), ("100", "100.01", ["transfers[0].spent"]),
    ("-0.01", "0", ["transfers[0].amount"]), ("10", "-0.01", ["transfers[0].spent"]),
    ("-1", "-1", ["transfers[0].amount"]), ("0", "-1", ["transfers[0].spent"]),
    ("0.5", "-1", ["transfers[0].spent"]),
])
def test_a_transfer_may_be_spent_exactly_in_full_but_not_more(
    amount: str, spent: str, errors: list[str]
) -> None:
    data = figures(transfers=(Transfer("甲", D(amount), D(spent)),))
    assert [e.path for e in score(hundred_points(), data).errors] == errors


@pytest.mark.parametrize(("amount", "errors"), [
    ("0", []), ("0.5", []), ("-0.01", ["special_funds[0].amount"]),
])
def test_a_special_fund_amount_may_be_zero_but_not_negative(amount: str, errors: list[str]) -> None:
    data = figures(special_funds=(SpecialFund("甲", D(amount), D("100")),))
    assert [e.path for e in score(hundred_points(), data).errors] == errors
