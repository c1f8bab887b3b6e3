"""The figures a department reports for one year: their shape and their catalogue.

The shape is plain frozen dataclasses (SUBMISSION_FORMAT.md): the scoring service reads it, the
interchange parser produces it, and evaluations builds it from the database. No ORM here.
Money is in 万元 (4 decimals) except operating costs, which are in 元 (2 decimals).

The catalogue below declares every figure once (`rubrics.catalogue` has the vocabulary): its
Submission column, path, label, kind, step, bounds, Excel place and rubric quantity.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop as _  # translated where shown

from rubrics.catalogue import (
    AMOUNT,
    COUNT,
    DATE,
    FLAG,
    NAMES,
    PERCENT,
    POINTS,
    TARGET_CATEGORY,
    TARGET_KIND,
    TEXT,
    YUAN,
    ZERO,
    ColumnSpec,
    FigureSpec,
    ListSpec,
)

TARGET_KINDS = ("output", "outcome")
TARGET_CATEGORIES = {
    "output": ("数量", "质量", "时效", "成本"),
    "outcome": ("经济效益", "社会效益", "生态效益", "可持续影响", "满意度"),
}


@dataclass(frozen=True)
class Narrative:
    functions: str = ""
    annual_work: str = ""
    targets_summary: str = ""
    variance_reason: str = ""
    other_matters: str = ""


@dataclass(frozen=True)
class Target:
    kind: str
    category: str
    name: str
    unit: str = ""
    target: str = ""
    actual: str = ""
    completed: bool = False


@dataclass(frozen=True)
class Lines:
    """An expenditure split into 人员支出, 日常公用支出 and 项目支出 (万元)."""

    personnel: Decimal = ZERO
    public: Decimal = ZERO
    project: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public + self.project


@dataclass(frozen=True)
class Quarters:
    """Cumulative 部门预算资金支出率 at the end of each quarter, in %."""

    q1: Decimal = ZERO
    q2: Decimal = ZERO
    q3: Decimal = ZERO
    q4: Decimal = ZERO

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return (self.q1, self.q2, self.q3, self.q4)


@dataclass(frozen=True)
class Expenditure:
    budget_total: Decimal | None = None
    budget: Lines = field(default_factory=Lines)
    actual: Lines = field(default_factory=Lines)
    carried_forward: Decimal = ZERO
    total_income: Decimal = ZERO
    quarterly_rate: Quarters = field(default_factory=Quarters)


@dataclass(frozen=True)
class SpecialFund:
    name: str
    amount: Decimal
    completion_rate: Decimal


@dataclass(frozen=True)
class Transfer:
    name: str
    amount: Decimal
    spent: Decimal

    @property
    def carried_over(self) -> Decimal:
        return self.amount - self.spent


@dataclass(frozen=True)
class NewProject:
    name: str
    assessed: bool


@dataclass(frozen=True)
class BudgetPreparation:
    annual_budget: Decimal = ZERO
    library_amount: Decimal = ZERO
    budget_from_library: Decimal = ZERO
    new_projects: tuple[NewProject, ...] = ()


@dataclass(frozen=True)
class Finding:
    source: str
    title: str
    rectified: bool


@dataclass(frozen=True)
class BudgetExecution:
    adjustment_amount: Decimal = ZERO
    disbursement_violations: int = 0
    inspection_findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    budget: bool = False
    final_accounts: bool = False
    targets: bool = False
    self_evaluation: bool = False


@dataclass(frozen=True)
class Procurement:
    intentions_required: int = 0
    intentions_on_time: int = 0
    internal_controls: bool = False
    violations: int = 0
    contracts_total: int = 0
    contracts_on_time: int = 0
    filing_warnings: int = 0


@dataclass(frozen=True)
class Assets:
    utilisation_rate: Decimal = ZERO
    city_average_rate: Decimal = ZERO


@dataclass(frozen=True)
class OperatingCosts:
    """三公经费 in 元."""

    sangong_budget: Decimal = ZERO
    sangong_actual: Decimal = ZERO


@dataclass(frozen=True)
class Deduction:
    indicator: str
    points: Decimal
    reason: str


@dataclass(frozen=True)
class Claim:
    indicator: str
    score: Decimal
    reason: str


@dataclass(frozen=True)
class Remedy:
    indicator: str
    text: str


@dataclass(frozen=True)
class Figures:
    rubric: str
    year: int
    department: str
    budget_units: tuple[str, ...] = ()
    report_date: dt.date | None = None
    narrative: Narrative = field(default_factory=Narrative)
    targets: tuple[Target, ...] = ()
    expenditure: Expenditure = field(default_factory=Expenditure)
    special_funds: tuple[SpecialFund, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    budget_preparation: BudgetPreparation = field(default_factory=BudgetPreparation)
    budget_execution: BudgetExecution = field(default_factory=BudgetExecution)
    disclosure: Disclosure = field(default_factory=Disclosure)
    procurement: Procurement = field(default_factory=Procurement)
    assets: Assets = field(default_factory=Assets)
    operating_costs: OperatingCosts = field(default_factory=OperatingCosts)
    deductions: tuple[Deduction, ...] = ()
    claims: tuple[Claim, ...] = ()
    remedies: tuple[Remedy, ...] = ()
    analysis: tuple[tuple[str, str], ...] = ()

    def remedy_for(self, code: str) -> str:
        return next((r.text for r in self.remedies if r.indicator == code), "")


# --- the catalogue ---------------------------------------------------------------------------


def _group(step: str, *specs: FigureSpec) -> tuple[FigureSpec, ...]:
    return tuple(dataclasses.replace(spec, step=step) for spec in specs)


# Every scalar figure of a submission, in the order the officer enters them.
FIGURE_SPECS: tuple[FigureSpec, ...] = (
    *_group(
        "basics",
        FigureSpec("functions", "narrative.functions", _("部门职能"), TEXT, rows=8),
        FigureSpec("budget_units", "department.budget_units", _("预算单位"), NAMES, rows=6,
                   attribute="budget_units"),
        FigureSpec("annual_work", "narrative.annual_work", _("年度总体工作和重点工作任务"), TEXT,
                   rows=10),
        FigureSpec("targets_summary", "narrative.targets_summary", _("部门整体支出绩效目标情况"),
                   TEXT, rows=6),
        FigureSpec("report_date", "report_date", _("报告日期"), DATE, optional=True),
    ),
    *_group(
        "expenditure",
        FigureSpec("budget_total", "expenditure.budget_total", _("预算总支出（人大审议）"), AMOUNT,
                   optional=True, help=_("市人大审议通过的部门预算总支出；不填则按三项之和")),
        FigureSpec("budget_personnel", "expenditure.budget.personnel", _("人员支出预算"), AMOUNT,
                   quantity=True),
        FigureSpec("budget_public", "expenditure.budget.public", _("日常公用支出预算"), AMOUNT,
                   quantity=True),
        FigureSpec("budget_project", "expenditure.budget.project", _("项目支出预算"), AMOUNT,
                   quantity=True),
        FigureSpec("actual_personnel", "expenditure.actual.personnel", _("人员支出"), AMOUNT,
                   quantity=True),
        FigureSpec("actual_public", "expenditure.actual.public", _("日常公用支出"), AMOUNT,
                   quantity=True),
        FigureSpec("actual_project", "expenditure.actual.project", _("项目支出"), AMOUNT,
                   quantity=True),
        FigureSpec("carried_forward", "expenditure.carried_forward", _("结转下年支出"), AMOUNT),
        FigureSpec("total_income", "expenditure.total_income", _("总收入"), AMOUNT),
        FigureSpec("rate_q1", "expenditure.quarterly_rate.q1", _("第一季度累计支出率"), PERCENT),
        FigureSpec("rate_q2", "expenditure.quarterly_rate.q2", _("第二季度累计支出率"), PERCENT,
                   cumulative_after="rate_q1"),
        FigureSpec("rate_q3", "expenditure.quarterly_rate.q3", _("第三季度累计支出率"), PERCENT,
                   cumulative_after="rate_q2"),
        FigureSpec("rate_q4", "expenditure.quarterly_rate.q4", _("第四季度累计支出率"), PERCENT,
                   cumulative_after="rate_q3"),
        FigureSpec("variance_reason", "narrative.variance_reason", _("增支/减支的主要原因"), TEXT,
                   rows=4),
    ),
    *_group(
        "budget",
        FigureSpec("annual_budget", "budget_preparation.annual_budget", _("当年预算数"), AMOUNT,
                   quantity=True),
        FigureSpec("library_amount", "budget_preparation.library_amount", _("入库二级项目金额"),
                   AMOUNT, quantity=_("入库项目金额")),
        FigureSpec("budget_from_library", "budget_preparation.budget_from_library",
                   _("使用储备项目安排的预算"), AMOUNT, quantity=True),
        FigureSpec("adjustment_amount", "budget_execution.adjustment_amount", _("预算调整金额"),
                   AMOUNT, quantity=True),
        FigureSpec("disbursement_violations", "budget_execution.disbursement_violations",
                   _("资金下达违规次数"), COUNT, unit="次", quantity=_("资金下达违规")),
    ),
    *_group(
        "disclosure",
        FigureSpec("disclosed_budget", "disclosure.budget", _("已公开部门预算"), FLAG,
                   quantity=_("预算公开")),
        FigureSpec("disclosed_final_accounts", "disclosure.final_accounts", _("已公开部门决算"), FLAG,
                   quantity=_("决算公开")),
        FigureSpec("disclosed_targets", "disclosure.targets", _("已公开绩效目标"), FLAG,
                   quantity=_("绩效目标公开")),
        FigureSpec("disclosed_self_evaluation", "disclosure.self_evaluation", _("已公开绩效自评"),
                   FLAG, quantity=_("绩效自评公开")),
    ),
    *_group(
        "procurement",
        FigureSpec("intentions_required", "procurement.intentions_required", _("应公开采购意向数"),
                   COUNT, unit="项", quantity=_("应公开采购意向"), quantity_unit="个"),
        FigureSpec("intentions_on_time", "procurement.intentions_on_time", _("按时公开采购意向数"),
                   COUNT, unit="项", quantity=_("按时公开采购意向"), quantity_unit="个",
                   at_most="intentions_required"),
        FigureSpec("internal_controls", "procurement.internal_controls", _("已建立采购内控制度"),
                   FLAG, quantity=_("采购内控制度")),
        FigureSpec("procurement_violations", "procurement.violations", _("采购活动违规次数"), COUNT,
                   unit="次", quantity=_("采购活动违规")),
        FigureSpec("contracts_total", "procurement.contracts_total", _("采购合同数"), COUNT,
                   unit="份", quantity=_("采购合同"), quantity_unit="个"),
        FigureSpec("contracts_on_time", "procurement.contracts_on_time", _("按时签订合同数"), COUNT,
                   unit="份", quantity=_("按时签订的采购合同"), quantity_unit="个",
                   at_most="contracts_total"),
        FigureSpec("filing_warnings", "procurement.filing_warnings", _("合同备案预警次数"), COUNT,
                   unit="次", quantity=_("合同备案预警")),
    ),
    *_group(
        "assets",
        FigureSpec("utilisation_rate", "assets.utilisation_rate", _("固定资产利用率"), PERCENT,
                   quantity=True),
        FigureSpec("city_average_rate", "assets.city_average_rate", _("市本级平均固定资产利用率"),
                   PERCENT, quantity=True),
    ),
    *_group(
        "costs",
        FigureSpec("sangong_budget", "operating_costs.sangong_budget", _("“三公”经费预算（元）"),
                   YUAN, quantity=_("“三公”经费预算"), sheet_label=_("“三公”经费预算")),
        FigureSpec("sangong_actual", "operating_costs.sangong_actual", _("“三公”经费支出（元）"),
                   YUAN, quantity=_("“三公”经费支出"), sheet_label=_("“三公”经费支出")),
    ),
    *_group(
        "explanation",
        FigureSpec("other_matters", "narrative.other_matters", _("其他自评情况"), TEXT, rows=4),
    ),
)


def _text(name: str, label: str, max_length: int, width: int,
          required: bool = True) -> ColumnSpec:
    return ColumnSpec(name, label, TEXT, required, max_length, width)


# Every list of a submission, in the order of the interchange format.
LIST_SPECS: tuple[ListSpec, ...] = (
    ListSpec("targets", "targets", _("绩效目标"), "Target", Target, (
        ColumnSpec("kind", _("指标类型"), TARGET_KIND, width=10),
        ColumnSpec("category", _("指标类别"), TARGET_CATEGORY, width=12),
        _text("name", _("指标名称"), 200, 36),
        _text("unit", _("计量单位"), 20, 10, required=False),
        _text("target", _("目标值"), 60, 14, required=False),
        _text("actual", _("实际完成值"), 60, 14, required=False),
        ColumnSpec("completed", _("是否完成"), FLAG, required=False, width=10),
    ), "targets", in_workbook=True),
    ListSpec("special_funds", "special_funds", _("专项资金"), "SpecialFund", SpecialFund, (
        _text("name", _("名称"), 200, 40),
        ColumnSpec("amount", _("金额（万元）"), AMOUNT, width=18),
        ColumnSpec("completion_rate", _("绩效完成率（%）"), PERCENT, width=18),
    ), "funds", in_workbook=True),
    ListSpec("transfers", "transfers", _("转移支付"), "Transfer", Transfer, (
        _text("name", _("名称"), 200, 40),
        ColumnSpec("amount", _("下达金额（万元）"), AMOUNT, width=18),
        ColumnSpec("spent", _("已支出（万元）"), AMOUNT, width=18),
    ), "funds", in_workbook=True),
    ListSpec("new_projects", "budget_preparation.new_projects", _("新增预算项目"), "NewProject",
             NewProject, (
                 _text("name", _("项目名称"), 200, 48),
                 ColumnSpec("assessed", _("是否开展事前绩效评估"), FLAG, width=22),
             ), "budget", in_workbook=True),
    ListSpec("inspection_findings", "budget_execution.inspection_findings", _("检查发现问题"),
             "InspectionFinding", Finding, (
                 _text("source", _("检查部门"), 100, 24),
                 _text("title", _("检查事项"), 200, 40),
                 ColumnSpec("rectified", _("是否已整改"), FLAG, width=12),
             ), "budget", in_workbook=True),
    # Reasons and remedy texts may be empty in a file: the scoring reports what is missing.
    ListSpec("deductions", "deductions", _("扣分事项"), "ManualDeduction", Deduction, (
        ColumnSpec("indicator", _("指标代码"), TEXT), ColumnSpec("points", _("扣分"), POINTS),
        ColumnSpec("reason", _("扣分原因"), TEXT, required=False),
    ), "explanation"),
    ListSpec("claims", "claims", _("申请调整"), "Claim", Claim, (
        ColumnSpec("indicator", _("指标代码"), TEXT),
        ColumnSpec("score", _("申请自评得分"), POINTS),
        ColumnSpec("reason", _("客观原因"), TEXT, required=False),
    ), "explanation"),
    ListSpec("remedies", "remedies", _("整改措施"), "Remedy", Remedy, (
        ColumnSpec("indicator", _("指标代码"), TEXT),
        ColumnSpec("text", _("整改措施"), TEXT, required=False),
    ), "explanation"),
    ListSpec("analysis", "analysis", _("评分分析"), "AnalysisText", tuple, (
        ColumnSpec("indicator", _("二级指标代码"), TEXT),
        ColumnSpec("text", _("评分分析补充说明"), TEXT, required=False),
    ), "explanation"),
)
LISTS_BY_PATH = {spec.path: spec for spec in LIST_SPECS}


def step_of(path: str) -> str | None:
    """The step on which the value at an interchange path is entered (`transfers[0].spent`).

    A path the catalogue does not declare (`department.name`) goes with its section's figures.
    """
    declared: tuple[FigureSpec | ListSpec, ...] = (*FIGURE_SPECS, *LIST_SPECS)
    for spec in declared:
        if path == spec.path or path.startswith((f"{spec.path}.", f"{spec.path}[")):
            return spec.step
    section = path.partition(".")[0].partition("[")[0]
    return next((spec.step for spec in declared if spec.path.startswith(section)), None)
