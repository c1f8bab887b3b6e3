"""Each rule type of RUBRIC.md §3 on worked cases and edge cases, in exact decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.figures import (
    Assets,
    BudgetExecution,
    BudgetPreparation,
    Claim,
    Deduction,
    Disclosure,
    Expenditure,
    Finding,
    Lines,
    NewProject,
    OperatingCosts,
    Procurement,
    Quarters,
    SpecialFund,
    Target,
    Transfer,
)
from tests.rubrics.helpers import figures, leaf_score, one_indicator

D = Decimal


def adjustment(amount: str, base: str) -> dict[str, object]:
    return {
        "budget_execution": BudgetExecution(adjustment_amount=D(amount)),
        "budget_preparation": BudgetPreparation(annual_budget=D(base)),
    }


PROPORTIONAL = {"amount": "budget_execution.adjustment_amount",
                "base": "budget_preparation.annual_budget"}


@pytest.mark.parametrize(("rounding", "expected"), [("half_up", "0.98"), ("truncate", "0.97")])
def test_an_exact_half_cent_rounds_by_the_rubric_policy(rounding: str, expected: str) -> None:
    # 1 − 25/1000 = 0.975 exactly in Decimal; a float gives 0.97499999… and rounds wrong.
    rubric = one_indicator("proportional_deduction", "1", PROPORTIONAL, rounding)
    node, _ = leaf_score(rubric, figures(**adjustment("25", "1000")))
    assert node.computed == D(expected)
    assert str(node.computed) == expected


def test_half_up_and_truncate_agree_when_no_third_decimal_exists() -> None:
    for rounding in ("half_up", "truncate"):
        rubric = one_indicator("proportional_deduction", "1", PROPORTIONAL, rounding)
        node, _ = leaf_score(rubric, figures(**adjustment("20", "1000")))
        assert node.computed == D("0.98")


def test_truncate_drops_the_third_decimal_of_a_quarterly_score() -> None:
    params = {"q1": 25, "q2": 50, "q3": 75, "q4": 95}
    rates = Quarters(D("16.65"), D("42.87"), D("61.99"), D("90.99"))
    data = figures(expenditure=Expenditure(quarterly_rate=rates))
    half_up, _ = leaf_score(one_indicator("quarterly_progress", "5", params), data)
    truncate, _ = leaf_score(one_indicator("quarterly_progress", "5", params, "truncate"), data)
    assert (half_up.computed, truncate.computed) == (D("4.13"), D("4.13"))
    rates = Quarters(D("25"), D("50"), D("75"), D("94.05"))  # 3.75 + 1.25 × 0.99 = 4.9875
    data = figures(expenditure=Expenditure(quarterly_rate=rates))
    half_up, _ = leaf_score(one_indicator("quarterly_progress", "5", params), data)
    truncate, _ = leaf_score(one_indicator("quarterly_progress", "5", params, "truncate"), data)
    assert (half_up.computed, truncate.computed) == (D("4.99"), D("4.98"))


def test_proportional_deduction_with_zero_base_is_not_applicable_and_full() -> None:
    node, result = leaf_score(one_indicator("proportional_deduction", "1", PROPORTIONAL),
                              figures(**adjustment("10", "0")))
    assert node.computed == D("1.00")
    assert node.not_applicable
    assert "不涉及" in node.explanation
    assert result.errors == ()


def test_proportional_deduction_clamps_at_zero_when_adjustment_exceeds_budget() -> None:
    node, _ = leaf_score(one_indicator("proportional_deduction", "1", PROPORTIONAL),
                         figures(**adjustment("1500", "1000")))
    assert node.computed == D("0.00")


TRANSFER_RATIO = {"numerator": "transfers.spent", "denominator": "transfers.amount",
                  "full_at": 100}


def test_ratio_threshold_scores_the_reference_transfers() -> None:
    transfers = (Transfer("甲", D("16358.69"), D("16267.16")), Transfer("乙", D("42.55"),
                 D("42.55")), Transfer("丙", D("120"), D("120")))
    node, _ = leaf_score(one_indicator("ratio_threshold", "5", TRANSFER_RATIO),
                         figures(transfers=transfers))
    assert node.computed == D("4.97")
    assert "99.45%" in node.explanation


def test_ratio_threshold_without_transfers_is_not_applicable() -> None:
    node, result = leaf_score(one_indicator("ratio_threshold", "5", TRANSFER_RATIO), figures())
    assert (node.computed, node.not_applicable, result.errors) == (D("5.00"), True, ())


def test_ratio_threshold_with_a_numerator_but_zero_denominator_is_an_error() -> None:
    rubric = one_indicator("ratio_threshold", "2", {
        "numerator": "budget_preparation.library_amount",
        "denominator": "budget_preparation.annual_budget"})
    data = figures(budget_preparation=BudgetPreparation(library_amount=D("10")))
    node, result = leaf_score(rubric, data)
    assert node.computed == D("0.00")
    assert [e.path for e in result.errors] == ["budget_preparation.annual_budget"]


def test_ratio_threshold_is_full_above_the_threshold_and_never_above_the_weight() -> None:
    rubric = one_indicator("ratio_threshold", "2", {
        "numerator": "budget_preparation.library_amount",
        "denominator": "budget_preparation.annual_budget", "full_at": "100"})
    data = figures(budget_preparation=BudgetPreparation(annual_budget=D("25937.41"),
                                                        library_amount=D("37803.67")))
    node, _ = leaf_score(rubric, data)
    assert node.computed == D("2.00")
    assert "145.75%" in node.explanation


def test_quarterly_progress_gives_each_quarter_a_quarter_of_the_weight() -> None:
    params = {"q1": 25, "q2": 50, "q3": 75, "q4": 95}
    rates = Quarters(D("25"), D("40"), D("75"), D("100"))  # Q2: 1.25 × 40/50 = 1
    node, _ = leaf_score(one_indicator("quarterly_progress", "5", params),
                         figures(expenditure=Expenditure(quarterly_rate=rates)))
    assert node.computed == D("4.75")
    assert "第二季度支出率 40%（序时进度 50%，未达到）" in node.explanation


def test_target_completion_without_targets_scores_zero_with_a_warning() -> None:
    node, result = leaf_score(one_indicator("target_completion", "10", {"kind": "output"}),
                              figures())
    assert node.computed == D("0.00")
    assert any("未设置绩效指标" in w.message for w in result.warnings)


def test_target_completion_scores_the_completed_share() -> None:
    targets = tuple(Target("output", "数量", f"指标{i}", completed=i < 2) for i in range(3))
    node, _ = leaf_score(one_indicator("target_completion", "10", {"kind": "output"}),
                         figures(targets=targets))
    assert node.computed == D("6.67")  # 10 × 2/3 = 6.666…


def test_fund_completion_weights_rates_by_amount_and_caps_each_at_100() -> None:
    funds = (SpecialFund("甲", D("300"), D("120")), SpecialFund("乙", D("100"), D("50")))
    node, _ = leaf_score(one_indicator("fund_completion", "20"), figures(special_funds=funds))
    assert node.computed == D("17.50")  # 20 × (300×100 + 100×50) / (400×100)


def test_fund_completion_without_funds_is_full_and_not_applicable() -> None:
    node, _ = leaf_score(one_indicator("fund_completion", "20"), figures())
    assert (node.computed, node.not_applicable) == (D("20.00"), True)


SHARE = {"compliant": "procurement.contracts_on_time", "total": "procurement.contracts_total"}


def test_share_compliant_with_nothing_to_comply_is_full() -> None:
    node, _ = leaf_score(one_indicator("share_compliant", "3", SHARE), figures())
    assert (node.computed, node.not_applicable) == (D("3.00"), True)


def test_share_compliant_scores_the_share() -> None:
    data = figures(procurement=Procurement(contracts_total=9, contracts_on_time=7))
    node, _ = leaf_score(one_indicator("share_compliant", "3", SHARE), data)
    assert node.computed == D("2.33")


def test_share_compliant_refuses_more_compliant_than_total() -> None:
    data = figures(procurement=Procurement(contracts_total=2, contracts_on_time=3))
    _, result = leaf_score(one_indicator("share_compliant", "3", SHARE), data)
    assert [e.path for e in result.errors] == ["procurement.contracts_on_time"]


def test_new_project_assessment_counts_assessed_projects() -> None:
    rubric = one_indicator("share_compliant", "1", {"compliant": "new_projects.assessed",
                                                    "total": "new_projects.count"})
    projects = (NewProject("甲", True), NewProject("乙", False))
    node, _ = leaf_score(rubric, figures(budget_preparation=BudgetPreparation(
        new_projects=projects)))
    assert node.computed == D("0.50")


def test_per_item_deduction_clamps_at_zero() -> None:
    rubric = one_indicator("per_item_deduction", "1",
                           {"count": "procurement.filing_warnings", "each": 1})
    one, _ = leaf_score(rubric, figures(procurement=Procurement(filing_warnings=1)))
    three, _ = leaf_score(rubric, figures(procurement=Procurement(filing_warnings=3)))
    assert (one.computed, three.computed) == (D("0.00"), D("0.00"))
    half = one_indicator("per_item_deduction", "2",
                         {"count": "procurement.violations", "each": "0.5"})
    node, _ = leaf_score(half, figures(procurement=Procurement(violations=1)))
    assert node.computed == D("1.50")


def test_findings_deduction_charges_rectified_half_and_unrectified_one() -> None:
    findings = (Finding("市财政局", "会计信息质量检查", True), Finding("市审计局", "审计", False))
    node, _ = leaf_score(one_indicator("findings_deduction", "2"),
                         figures(budget_execution=BudgetExecution(inspection_findings=findings)))
    assert node.computed == D("0.50")
    assert "已整改" in node.explanation and "未整改" in node.explanation


def test_checklist_sums_the_points_of_true_items() -> None:
    rubric = one_indicator("checklist", "1", {"items": [
        {"quantity": "disclosure.targets", "points": "0.5"},
        {"quantity": "disclosure.self_evaluation", "points": "0.5"}]})
    node, _ = leaf_score(rubric, figures(disclosure=Disclosure(targets=True)))
    assert node.computed == D("0.50")
    assert "绩效自评公开" in node.explanation


def test_manual_deductions_subtract_points_and_clamp_at_zero() -> None:
    rubric = one_indicator("manual_deductions", "2")
    data = figures(deductions=(Deduction("1.1.1", D("0.5"), "制度不健全"),))
    node, _ = leaf_score(rubric, data)
    assert node.computed == D("1.50")
    assert "制度不健全，扣 0.5 分" in node.explanation
    many = figures(deductions=(Deduction("1.1.1", D("1.5"), "甲"), Deduction("1.1.1", D("1"), "乙")))
    node, _ = leaf_score(rubric, many)
    assert node.computed == D("0.00")


def test_a_deduction_without_reason_is_an_error_with_its_path() -> None:
    rubric = one_indicator("manual_deductions", "2")
    _, result = leaf_score(rubric, figures(deductions=(Deduction("1.1.1", D("0.5"), " "),)))
    assert [e.path for e in result.errors] == ["deductions[0].reason"]


def test_benchmark_is_full_at_or_above_the_average_and_proportional_below() -> None:
    rubric = one_indicator("benchmark", "2", {"own": "assets.utilisation_rate",
                                              "benchmark": "assets.city_average_rate"})
    above, _ = leaf_score(rubric, figures(assets=Assets(D("100"), D("99.44"))))
    below, _ = leaf_score(rubric, figures(assets=Assets(D("90"), D("99.44"))))
    assert (above.computed, below.computed) == (D("2.00"), D("1.81"))


def test_cap_overrun_deducts_per_percentage_point_over_budget() -> None:
    rubric = one_indicator("cap_overrun", "1", {"actual": "operating_costs.sangong_actual",
                                                "budget": "operating_costs.sangong_budget",
                                                "per_pp": "0.1"})
    within, _ = leaf_score(rubric, figures(operating_costs=OperatingCosts(D("277236.31"),
                                                                          D("229366.13"))))
    over, _ = leaf_score(rubric, figures(operating_costs=OperatingCosts(D("1000"), D("1055"))))
    far, _ = leaf_score(rubric, figures(operating_costs=OperatingCosts(D("1000"), D("3000"))))
    assert (within.computed, over.computed, far.computed) == (D("1.00"), D("0.45"), D("0.00"))  # 5.5 pp × 0.1


PUBLIC = {"actual": "expenditure.actual.public", "budget": "expenditure.budget.public",
          "per_pp": "0.2"}


def test_cap_overrun_with_spending_and_no_budget_scores_zero() -> None:
    data = figures(expenditure=Expenditure(actual=Lines(public=D("5"))))
    node, _ = leaf_score(one_indicator("cap_overrun", "2", PUBLIC), data)
    assert node.computed == D("0.00")


def test_a_claim_between_computed_and_weight_raises_the_self_score() -> None:
    data = figures(**adjustment("25", "1000"),
                   claims=(Claim("1.1.1", D("1"), "客观原因"),))
    node, result = leaf_score(one_indicator("proportional_deduction", "1", PROPORTIONAL), data)
    assert (node.computed, node.self_score) == (D("0.98"), D("1"))
    assert result.self_total == D("1") and result.computed == D("0.98")
    assert [w.path for w in result.warnings if w.path.startswith("claims")] == ["claims[0]"]


def test_a_claim_below_the_computed_score_is_refused() -> None:
    data = figures(**adjustment("25", "1000"), claims=(Claim("1.1.1", D("0.5"), "理由"),))
    node, result = leaf_score(one_indicator("proportional_deduction", "1", PROPORTIONAL), data)
    assert node.self_score == D("0.98")
    assert [(e.path, "低于计算得分" in e.message) for e in result.errors] == [
        ("claims[0].score", True)]


def test_a_claim_above_the_weight_is_refused() -> None:
    data = figures(**adjustment("25", "1000"), claims=(Claim("1.1.1", D("1.5"), "理由"),))
    node, result = leaf_score(one_indicator("proportional_deduction", "1", PROPORTIONAL), data)
    assert node.self_score == D("0.98")
    assert [e.path for e in result.errors] == ["claims[0].score"]
    assert "超过指标分值" in result.errors[0].message


def test_a_claim_without_reason_or_on_an_unknown_code_is_refused_with_its_path() -> None:
    data = figures(claims=(Claim("1.1.1", D("1"), ""), Claim("9.9.9", D("1"), "理由")))
    _, result = leaf_score(one_indicator("proportional_deduction", "1", PROPORTIONAL), data)
    assert [e.path for e in result.errors] == ["claims[0].reason", "claims[1].indicator"]
    assert "9.9.9" in result.errors[1].message
