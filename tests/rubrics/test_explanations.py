"""The explanation of every rule branch, word for word: it is the 评分表's 扣分原因 column and the
source of the report's 评分分析 (RUBRIC.md §3), so a changed figure, unit or mark is a visible bug."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rubrics.figures import (
    Assets,
    BudgetExecution,
    BudgetPreparation,
    Deduction,
    Disclosure,
    Expenditure,
    Figures,
    Finding,
    Lines,
    OperatingCosts,
    Procurement,
    Quarters,
    SpecialFund,
    Target,
)
from rubrics.rules import Issue
from tests.rubrics.helpers import figures, leaf_score, one_indicator

D = Decimal
LIBRARY = {"numerator": "budget_preparation.library_amount",
           "denominator": "budget_preparation.annual_budget", "full_at": "80"}
CONTRACTS = {"compliant": "procurement.contracts_on_time", "total": "procurement.contracts_total"}
ADJUSTMENT = {"amount": "budget_execution.adjustment_amount", "base": "budget_preparation.annual_budget"}
UTILISATION = {"own": "assets.utilisation_rate", "benchmark": "assets.city_average_rate"}
SANGONG = {"actual": "operating_costs.sangong_actual", "budget": "operating_costs.sangong_budget",
           "per_pp": "0.1"}
DISCLOSURE = [{"quantity": "disclosure.budget", "points": 1},
              {"quantity": "disclosure.final_accounts", "points": "1"}]


def library(annual: str, amount: str) -> Figures:
    return figures(budget_preparation=BudgetPreparation(annual_budget=D(annual), library_amount=D(amount)))


CASES: list[tuple[str, str, dict[str, Any] | None, Figures, str]] = [
    ("quarterly_progress", "5", {"q1": 25, "q2": 50, "q3": 75, "q4": 95},
     figures(expenditure=Expenditure(quarterly_rate=Quarters(D("16.65"), D("50"), D("75"), D("95")))),
     "第一季度支出率 16.65%（序时进度 25%，未达到）；第二季度支出率 50%（序时进度 50%）；"
     "第三季度支出率 75%（序时进度 75%）；第四季度支出率 95%（序时进度 95%），扣 0.42 分"),
    ("target_completion", "10", {"kind": "output"},
     figures(targets=(Target("output", "数量", "甲", completed=True), Target("output", "质量", "乙"),
                      Target("output", "数量", "丙", completed=True), Target("outcome", "满意度", "丁"))),
     "产出指标共 3 个（其中数量指标 2 个、质量指标 1 个），已完成 2 个，完成率 66.67%，扣 3.33 分"),
    ("target_completion", "10", {"kind": "outcome"},
     figures(targets=(Target("outcome", "社会效益", "甲", completed=True),)),
     "效益指标共 1 个（其中社会效益指标 1 个），已完成 1 个，完成率 100%，得满分"),
    ("target_completion", "10", {"kind": "output"}, figures(), "未设置产出指标，扣 10.00 分"),
    ("target_completion", "10", {"kind": "outcome"}, figures(), "未设置效益指标，扣 10.00 分"),
    ("fund_completion", "20", None,
     figures(special_funds=(SpecialFund("甲", D("300"), D("120")), SpecialFund("乙", D("100"), D("50")))),
     "专项资金 2 项共 400.00 万元，按金额加权的绩效完成率 87.5%，扣 2.50 分"),
    ("fund_completion", "20", None, figures(), "未涉及专项资金，得满分"),
    ("ratio_threshold", "2", LIBRARY, library("25937.41", "20749.928"),
     "入库项目金额 20,749.928 万元，当年预算数 25,937.41 万元，比率 80%（达到 80% 得满分），得满分"),
    ("ratio_threshold", "2", {**LIBRARY, "full_at": "100"}, library("1234.56789", "1000"),
     "入库项目金额 1,000.00 万元，当年预算数 1,234.5679 万元，比率 81%（达到 100% 得满分），扣 0.38 分"),
    ("ratio_threshold", "2", LIBRARY, library("0", "0"), "不涉及，得满分"),
    ("ratio_threshold", "1", {"numerator": "disclosure.budget", "denominator": "disclosure.final_accounts"},
     figures(disclosure=Disclosure(budget=True, final_accounts=True)),  # quantities without a unit
     "预算公开 1，决算公开 1，比率 100%（达到 100% 得满分），得满分"),
    ("ratio_threshold", "2", LIBRARY, library("0", "1"), "当年预算数为 0，无法计算比率，扣 2.00 分"),
    ("share_compliant", "3", CONTRACTS,
     figures(procurement=Procurement(contracts_total=9, contracts_on_time=7)),
     "按时签订的采购合同 7 个，采购合同 9 个，扣 0.67 分"),
    ("share_compliant", "3", CONTRACTS, figures(), "不涉及，得满分"),
    ("share_compliant", "3", CONTRACTS,
     figures(procurement=Procurement(contracts_total=2, contracts_on_time=3)),
     "按时签订的采购合同 3 个，采购合同 2 个，扣 3.00 分"),
    ("proportional_deduction", "1", ADJUSTMENT,
     figures(budget_execution=BudgetExecution(adjustment_amount=D("195.6793")),
             budget_preparation=BudgetPreparation(annual_budget=D("25937.41"))),
     "预算调整金额 195.6793 万元，占当年预算数 25,937.41 万元的 0.75%，扣 0.01 分"),
    ("proportional_deduction", "1", ADJUSTMENT, figures(), "不涉及，得满分"),
    ("per_item_deduction", "1", {"count": "budget_execution.disbursement_violations", "each": "0.5"},
     figures(budget_execution=BudgetExecution(disbursement_violations=1)),
     "资金下达违规 1 次，每次扣 0.5 分，扣 0.50 分"),
    ("per_item_deduction", "1", {"count": "disclosure.budget", "each": "0.5"}, figures(),
     "预算公开 0 项，每项扣 0.5 分，得满分"),  # a quantity without a unit counts in 项
    ("findings_deduction", "2", None,
     figures(budget_execution=BudgetExecution(inspection_findings=(
         Finding("市财政局", "会计信息质量检查", True), Finding("市审计局", "审计", False)))),
     "市财政局会计信息质量检查发现问题（已整改，每项扣 0.5 分）；"
     "市审计局审计发现问题（未整改，每项扣 1 分），扣 1.50 分"),
    ("findings_deduction", "2", None, figures(), "未发现问题，得满分"),
    ("checklist", "2", {"items": DISCLOSURE},
     figures(disclosure=Disclosure(budget=True, final_accounts=True)),
     "各项均已落实，得满分"),
    ("checklist", "2", {"items": DISCLOSURE}, figures(),
     "未落实：预算公开（1 分）、决算公开（1 分），扣 2.00 分"),
    ("checklist", "1", {"items": [{"quantity": "disclosure.targets", "points": "0.5"}]}, figures(),
     "未落实：绩效目标公开（0.5 分），扣 1.00 分"),
    ("manual_deductions", "5", None,
     figures(deductions=(Deduction("1.1.1", D("0.5"), "制度不健全"),
                         Deduction("1.1.1", D("1.25"), "未更新"))),
     "制度不健全，扣 0.5 分；未更新，扣 1.25 分，扣 1.75 分"),
    ("manual_deductions", "5", None, figures(), "无扣分事项，得满分"),
    ("benchmark", "2", UTILISATION, figures(assets=Assets(D("90"), D("99.44"))),
     "固定资产利用率 90%，市本级平均固定资产利用率 99.44%，扣 0.19 分"),
    ("benchmark", "2", UTILISATION, figures(assets=Assets(D("99.44"), D("99.44"))),
     "固定资产利用率 99.44%，市本级平均固定资产利用率 99.44%，得满分"),
    ("cap_overrun", "1", SANGONG, figures(operating_costs=OperatingCosts(D("1000"), D("1055"))),
     "“三公”经费支出 1,055.00 元，“三公”经费预算 1,000.00 元，超预算 5.5 个百分点，"
     "每个百分点扣 0.1 分，扣 0.55 分"),
    ("cap_overrun", "1", SANGONG, figures(operating_costs=OperatingCosts(D("1000"), D("1000"))),
     "“三公”经费支出 1,000.00 元，“三公”经费预算 1,000.00 元，未超预算，得满分"),
    ("cap_overrun", "1", SANGONG, figures(operating_costs=OperatingCosts(D("0"), D("12.5"))),
     "“三公”经费支出 12.50 元，“三公”经费预算 0.00 元，无预算安排而发生支出，扣 1.00 分"),
    ("cap_overrun", "2", {"actual": "expenditure.actual.public", "budget": "expenditure.budget.public",
                          "per_pp": "0.2"},
     figures(expenditure=Expenditure(budget=Lines(public=D("421.99")), actual=Lines(public=D("430.1234")))),
     "日常公用支出 430.1234 万元，日常公用支出预算 421.99 万元，超预算 1.93 个百分点，每个百分点扣 0.2 分，"
     "扣 0.39 分"),
]


@pytest.mark.parametrize(("rule", "weight", "params", "data", "expected"), CASES,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)])
def test_each_rule_explains_its_score_in_exact_words(
    rule: str, weight: str, params: dict[str, Any] | None, data: Figures, expected: str
) -> None:
    node, _ = leaf_score(one_indicator(rule, weight, params), data)
    assert node.explanation == expected


def test_deductions_of_another_indicator_are_neither_counted_nor_explained() -> None:
    data = figures(deductions=(Deduction("9.9.9", D("1"), "别处"),))
    node, _ = leaf_score(one_indicator("manual_deductions", "5"), data)
    assert (str(node.computed), node.explanation) == ("5.00", "无扣分事项，得满分")


@pytest.mark.parametrize(("kind", "message"), [("output", "未设置绩效指标：产出指标"),
                                               ("outcome", "未设置绩效指标：效益指标")])
def test_a_kind_without_targets_warns_on_the_targets_path(kind: str, message: str) -> None:
    _, result = leaf_score(one_indicator("target_completion", "10", {"kind": kind}), figures())
    assert Issue("targets", message) in result.warnings


def test_an_issue_is_a_path_and_a_message() -> None:
    assert Issue("claims[0].score", "超过").as_dict() == {"path": "claims[0].score", "message": "超过"}
