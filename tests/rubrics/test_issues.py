"""Every error and warning of the scoring service (RUBRIC.md §5, §6) with its exact path and
Chinese message: the officer's form shows the message beside the field the path names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.figures import (
    Assets,
    BudgetExecution,
    BudgetPreparation,
    Claim,
    Deduction,
    Expenditure,
    Figures,
    Lines,
    OperatingCosts,
    Procurement,
    Quarters,
    Remedy,
    SpecialFund,
    Transfer,
)
from rubrics.rules import Issue
from rubrics.scoring import IndicatorSpec, RubricSpec, ScoreResult, score
from tests.rubrics.helpers import figures, leaf_score, one_indicator

D = Decimal
VIOLATIONS = {"count": "procurement.violations", "each": "0.5"}


def two_leaves() -> RubricSpec:
    """1.1.1 据实扣分 (manual, 5) and 1.1.2 按次扣分 (rule-scored, 5) under 1.1 and 1."""
    manual = IndicatorSpec(code="1.1.1", name="据实", weight=D(5), rule="manual_deductions")
    counted = IndicatorSpec(code="1.1.2", name="按次", weight=D(5), rule="per_item_deduction",
                            params=VIOLATIONS)
    middle = IndicatorSpec(code="1.1", name="二级", weight=D(10), children=(manual, counted))
    top = IndicatorSpec(code="1", name="一级", weight=D(10), children=(middle,))
    return RubricSpec(code="issues", name="校验", indicators=(top,))


def scored(**changes: object) -> ScoreResult:
    return score(two_leaves(), figures(**changes))


def test_clean_figures_raise_no_error_and_no_warning() -> None:
    result = scored()
    assert (result.errors, result.warnings, result.is_valid) == ((), (), True)


@pytest.mark.parametrize(("deduction", "issues"), [
    (Deduction("9.9.9", D("1"), "理由"), [("deductions[0].indicator", "未知的三级指标代码：9.9.9")]),
    (Deduction("1.1.2", D("1"), "理由"),
     [("deductions[0].indicator", "指标 1.1.2 按规则计分，不能手工扣分")]),
    (Deduction("1.1.1", D("1"), "  "), [("deductions[0].reason", "扣分必须填写原因")]),
    (Deduction("1.1.1", D("0"), "理由"), [("deductions[0].points", "扣分应大于 0")]),
    (Deduction("1.1.1", D("0.125"), "理由"), [("deductions[0].points", "扣分最多保留 2 位小数")]),
    (Deduction("1.1", D("-1"), ""), [("deductions[0].indicator", "未知的三级指标代码：1.1"),
                                     ("deductions[0].reason", "扣分必须填写原因"),
                                     ("deductions[0].points", "扣分应大于 0")]),
])
def test_a_faulty_deduction_is_refused_on_the_field_at_fault(
    deduction: Deduction, issues: list[tuple[str, str]]
) -> None:
    result = scored(deductions=(Deduction("1.1.1", D("0.5"), "有效"), deduction))
    expected = [(path.replace("[0]", "[1]"), message) for path, message in issues]
    assert [(e.path, e.message) for e in result.errors] == expected
    assert result.is_valid is False


def test_a_remedy_must_name_a_third_level_indicator() -> None:
    result = scored(remedies=(Remedy("1.1.1", "整改"), Remedy("1.1", "整改")))
    assert [e.as_dict() for e in result.errors] == [
        {"path": "remedies[1].indicator", "message": "未知的三级指标代码：1.1"}]


@pytest.mark.parametrize(("code", "errors"), [
    ("1.1", []), ("1", [("analysis.1", "未知的二级指标代码：1")]),
    ("1.1.1", [("analysis.1.1.1", "未知的二级指标代码：1.1.1")]),
])
def test_an_analysis_paragraph_must_name_a_second_level_indicator(
    code: str, errors: list[tuple[str, str]]
) -> None:
    result = scored(analysis=((code, "分析"),))
    assert [(e.path, e.message) for e in result.errors] == errors


@pytest.mark.parametrize(("claims", "issues"), [
    ((Claim("9.9.9", D("5"), "理由"),), [("claims[0].indicator", "未知的三级指标代码：9.9.9")]),
    ((Claim("1.1.2", D("5"), "理由"), Claim("1.1.2", D("5"), "又一次")),
     [("claims[1].indicator", "指标 1.1.2 已有一项申请调整")]),
    ((Claim("1.1.2", D("5"), " "),), [("claims[0].reason", "申请调整得分必须填写客观原因")]),
    ((Claim("1.1.2", D("4.995"), "理由"),), [("claims[0].score", "自评得分最多保留 2 位小数")]),
])
def test_a_faulty_claim_is_refused_on_the_field_at_fault(
    claims: tuple[Claim, ...], issues: list[tuple[str, str]]
) -> None:
    result = scored(procurement=Procurement(violations=2), claims=claims)
    assert [(e.path, e.message) for e in result.errors] == issues


def test_more_compliant_items_than_items_in_total_is_refused_with_both_counts() -> None:
    contracts = {"compliant": "procurement.contracts_on_time", "total": "procurement.contracts_total"}
    _, result = leaf_score(one_indicator("share_compliant", "3", contracts),
                           figures(procurement=Procurement(contracts_total=2, contracts_on_time=3)))
    assert result.errors == (Issue("procurement.contracts_on_time",
                                   "合规数不能大于总数：按时签订的采购合同 3 个，采购合同 2 个"),)


def test_a_refused_claim_leaves_the_computed_score_and_no_claim_warning() -> None:
    result = scored(procurement=Procurement(violations=2), claims=(Claim("1.1.2", D("5.5"), "理由"),),
                    remedies=(Remedy("1.1.2", "整改"),))
    node = result.node("1.1.2")
    assert (str(node.self_score), node.claim) == ("4.00", None)
    assert result.warnings == ()


def test_an_accepted_claim_warns_with_both_scores_at_its_own_position() -> None:
    claim = Claim("1.1.2", D("5"), "客观原因")
    result = scored(procurement=Procurement(violations=2), claims=(Claim("9.9.9", D("1"), "理由"), claim),
                    remedies=(Remedy("1.1.2", "整改"),))
    assert result.node("1.1.2").claim == claim
    assert result.warnings == (Issue("claims[1]", "申请调整：指标 1.1.2 按次 计算得分 4.00，自评得分 5.00"),)


def test_a_lost_point_without_remedy_warns_once_on_its_third_level_indicator() -> None:
    result = scored(procurement=Procurement(violations=3))
    assert result.warnings == (Issue("remedies.1.1.2", "指标 1.1.2 按次 失分 1.50 分，未填写整改措施"),)


def test_a_lost_point_with_a_remedy_raises_no_warning() -> None:
    assert scored(procurement=Procurement(violations=3), remedies=(Remedy("1.1.2", "已整改"),)).warnings == ()


def every_amount_negative() -> Figures:
    minus = D("-1")
    spending = Expenditure(budget_total=minus, budget=Lines(minus, minus, minus),
                           actual=Lines(minus, minus, minus), carried_forward=minus, total_income=minus)
    return figures(
        expenditure=spending,
        budget_preparation=BudgetPreparation(annual_budget=minus, library_amount=minus,
                                             budget_from_library=minus),
        budget_execution=BudgetExecution(adjustment_amount=minus, disbursement_violations=-1),
        procurement=Procurement(intentions_required=-1, intentions_on_time=-1, violations=-1,
                                contracts_total=-1, contracts_on_time=-1, filing_warnings=-1),
        operating_costs=OperatingCosts(minus, minus),
    )


def test_every_amount_and_count_refuses_a_negative_value_on_its_own_path() -> None:
    errors = score(two_leaves(), every_amount_negative()).errors
    assert [e.path for e in errors] == [
        "expenditure.budget_total", "expenditure.budget.personnel", "expenditure.budget.public",
        "expenditure.budget.project", "expenditure.actual.personnel", "expenditure.actual.public",
        "expenditure.actual.project", "expenditure.carried_forward", "expenditure.total_income",
        "budget_preparation.annual_budget", "budget_preparation.library_amount",
        "budget_preparation.budget_from_library", "budget_execution.adjustment_amount",
        "budget_execution.disbursement_violations", "procurement.intentions_required",
        "procurement.intentions_on_time", "procurement.violations", "procurement.contracts_total",
        "procurement.contracts_on_time", "procurement.filing_warnings", "operating_costs.sangong_budget",
        "operating_costs.sangong_actual",
    ]
    assert {e.message for e in errors} == {"不能为负数"}


def test_an_unstated_budget_total_is_not_compared_with_the_budget_lines() -> None:
    result = scored(expenditure=Expenditure(budget=Lines(D("1"), D("1"), D("1"))))
    assert (result.errors, result.warnings) == ((), ())


def test_every_percentage_refuses_a_value_outside_0_to_1000_on_its_own_path() -> None:
    over = D("1000.01")
    errors = scored(expenditure=Expenditure(quarterly_rate=Quarters(over, over, over, over)),
                    assets=Assets(D("-1"), over),
                    special_funds=(SpecialFund("甲", D("1"), D("-0.01")),)).errors
    assert [(e.path, e.message) for e in errors] == [
        (path, "百分比应在 0 至 1000 之间") for path in (
            "expenditure.quarterly_rate.q1", "expenditure.quarterly_rate.q2", "expenditure.quarterly_rate.q3",
            "expenditure.quarterly_rate.q4", "assets.utilisation_rate", "assets.city_average_rate",
            "special_funds[0].completion_rate")]


def test_special_funds_and_transfers_name_their_position_and_field() -> None:
    errors = scored(special_funds=(SpecialFund("甲", D("1"), D("50")), SpecialFund("乙", D("-1"), D("50"))),
                    transfers=(Transfer("甲", D("1"), D("1")), Transfer("乙", D("-1"), D("0")),
                               Transfer("丙", D("1"), D("-1")), Transfer("丁", D("1"), D("2")))).errors
    assert [(e.path, e.message) for e in errors] == [
        ("special_funds[1].amount", "不能为负数"), ("transfers[1].amount", "不能为负数"),
        ("transfers[2].spent", "不能为负数"), ("transfers[3].spent", "支出金额大于下达金额")]


def test_budget_lines_off_their_total_warn_with_both_figures() -> None:
    spending = Expenditure(budget_total=D("12031.00"), budget=Lines(D("5000.18"), D("421.99"), D("6608.85")),
                           actual=Lines(D("5000"), D("400"), D("6000")), total_income=D("11400"))
    assert scored(expenditure=spending).warnings == (
        Issue("expenditure.budget_total", "预算总支出 12031 万元与各项预算之和 12031.02 万元不一致"),)


def test_income_off_spending_plus_carry_over_warns_with_both_figures() -> None:
    spending = Expenditure(actual=Lines(D("1"), D("1"), D("1")), carried_forward=D("1"), total_income=D("5"))
    assert scored(expenditure=spending).warnings == (
        Issue("expenditure.total_income", "收支不平衡：总收入 5 万元，总支出（含结转）4 万元"),)
