"""Named quantities a rubric's rule parameters may refer to (`transfers.spent`, …).

A rubric is data: its rules name their inputs by these keys, so an administrator can point a
rule at another figure without code. Each quantity has a Chinese label and unit for the
explanations, and reads a Decimal (counts and booleans become Decimal too) from Figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop as _  # translated where shown

from rubrics.figures import Figures


@dataclass(frozen=True)
class Quantity:
    label: str
    unit: str
    read: Callable[[Figures], Decimal]


def _count(n: int | bool) -> Decimal:
    return Decimal(int(n))


WAN = "万元"
YUAN = "元"
PCT = "%"
ITEM = "个"
TIMES = "次"

QUANTITIES: dict[str, Quantity] = {
    "expenditure.budget.personnel": Quantity(
        _("人员支出预算"), WAN, lambda f: f.expenditure.budget.personnel),
    "expenditure.budget.public": Quantity(
        _("日常公用支出预算"), WAN, lambda f: f.expenditure.budget.public),
    "expenditure.budget.project": Quantity(
        _("项目支出预算"), WAN, lambda f: f.expenditure.budget.project),
    "expenditure.budget.total": Quantity(
        _("预算总支出"), WAN, lambda f: f.expenditure.budget.total),
    "expenditure.actual.personnel": Quantity(
        _("人员支出"), WAN, lambda f: f.expenditure.actual.personnel),
    "expenditure.actual.public": Quantity(
        _("日常公用支出"), WAN, lambda f: f.expenditure.actual.public),
    "expenditure.actual.project": Quantity(
        _("项目支出"), WAN, lambda f: f.expenditure.actual.project),
    "expenditure.actual.total": Quantity(
        _("实际支出"), WAN, lambda f: f.expenditure.actual.total),
    "transfers.amount": Quantity(
        _("转移支付下达金额"), WAN, lambda f: sum((t.amount for t in f.transfers), Decimal(0))),
    "transfers.spent": Quantity(
        _("转移支付支出金额"), WAN, lambda f: sum((t.spent for t in f.transfers), Decimal(0))),
    "budget_preparation.annual_budget": Quantity(
        _("当年预算数"), WAN, lambda f: f.budget_preparation.annual_budget),
    "budget_preparation.library_amount": Quantity(
        _("入库项目金额"), WAN, lambda f: f.budget_preparation.library_amount),
    "budget_preparation.budget_from_library": Quantity(
        _("使用储备项目安排的预算"), WAN, lambda f: f.budget_preparation.budget_from_library),
    "new_projects.count": Quantity(
        _("新增预算项目"), ITEM, lambda f: _count(len(f.budget_preparation.new_projects))),
    "new_projects.assessed": Quantity(
        _("已开展事前绩效评估的新增项目"), ITEM,
        lambda f: _count(sum(p.assessed for p in f.budget_preparation.new_projects))),
    "budget_execution.adjustment_amount": Quantity(
        _("预算调整金额"), WAN, lambda f: f.budget_execution.adjustment_amount),
    "budget_execution.disbursement_violations": Quantity(
        _("资金下达违规"), TIMES, lambda f: _count(f.budget_execution.disbursement_violations)),
    "disclosure.budget": Quantity(_("预算公开"), "", lambda f: _count(f.disclosure.budget)),
    "disclosure.final_accounts": Quantity(
        _("决算公开"), "", lambda f: _count(f.disclosure.final_accounts)),
    "disclosure.targets": Quantity(_("绩效目标公开"), "", lambda f: _count(f.disclosure.targets)),
    "disclosure.self_evaluation": Quantity(
        _("绩效自评公开"), "", lambda f: _count(f.disclosure.self_evaluation)),
    "procurement.intentions_required": Quantity(
        _("应公开采购意向"), ITEM, lambda f: _count(f.procurement.intentions_required)),
    "procurement.intentions_on_time": Quantity(
        _("按时公开采购意向"), ITEM, lambda f: _count(f.procurement.intentions_on_time)),
    "procurement.internal_controls": Quantity(
        _("采购内控制度"), "", lambda f: _count(f.procurement.internal_controls)),
    "procurement.violations": Quantity(
        _("采购活动违规"), TIMES, lambda f: _count(f.procurement.violations)),
    "procurement.contracts_total": Quantity(
        _("采购合同"), ITEM, lambda f: _count(f.procurement.contracts_total)),
    "procurement.contracts_on_time": Quantity(
        _("按时签订的采购合同"), ITEM, lambda f: _count(f.procurement.contracts_on_time)),
    "procurement.filing_warnings": Quantity(
        _("合同备案预警"), TIMES, lambda f: _count(f.procurement.filing_warnings)),
    "assets.utilisation_rate": Quantity(
        _("固定资产利用率"), PCT, lambda f: f.assets.utilisation_rate),
    "assets.city_average_rate": Quantity(
        _("市本级平均固定资产利用率"), PCT, lambda f: f.assets.city_average_rate),
    "operating_costs.sangong_budget": Quantity(
        _("“三公”经费预算"), YUAN, lambda f: f.operating_costs.sangong_budget),
    "operating_costs.sangong_actual": Quantity(
        _("“三公”经费支出"), YUAN, lambda f: f.operating_costs.sangong_actual),
}
