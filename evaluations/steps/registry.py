"""The officer's steps: a registry of step objects, one URL pattern for all (CONVENTIONS §6).

Each step names its form, its list sections (formsets over child tables), the interchange paths
it owns (so errors and warnings of the scoring service land on the right step and field) and
when it counts as complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    Claim,
    InspectionFinding,
    ManualDeduction,
    NewProject,
    Remedy,
    SpecialFund,
    Target,
    Transfer,
)
from evaluations.steps import forms as f


@dataclass(frozen=True)
class ListSection:
    """A formset over one child table; `path` is its name in the interchange format."""

    prefix: str
    label: str
    path: str
    model: type
    formset: type[f.BaseRowFormSet]
    indicator_rule: str | None = None  # IndicatorRow choices: leaves, or leaves of this rule


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    form_class: type[f.StepForm]
    paths: tuple[str, ...] = ()
    lists: tuple[ListSection, ...] = ()
    has_analysis: bool = False
    intro: str = ""

    @property
    def extra_template(self) -> str:
        """Step-specific read-outs (derived figures) shown above the form."""
        return f"evaluations/steps/{self.key}.html"


# Submission field → its path in the interchange format (inline errors and warnings).
FIELD_PATHS = {
    "functions": "narrative.functions", "annual_work": "narrative.annual_work",
    "targets_summary": "narrative.targets_summary",
    "variance_reason": "narrative.variance_reason", "other_matters": "narrative.other_matters",
    "budget_units": "department.budget_units", "report_date": "report_date",
    "budget_total": "expenditure.budget_total",
    **{f"budget_{k}": f"expenditure.budget.{k}" for k in ("personnel", "public", "project")},
    **{f"actual_{k}": f"expenditure.actual.{k}" for k in ("personnel", "public", "project")},
    "carried_forward": "expenditure.carried_forward", "total_income": "expenditure.total_income",
    **{f"rate_q{q}": f"expenditure.quarterly_rate.q{q}" for q in range(1, 5)},
    **{k: f"budget_preparation.{k}"
       for k in ("annual_budget", "library_amount", "budget_from_library")},
    "adjustment_amount": "budget_execution.adjustment_amount",
    "disbursement_violations": "budget_execution.disbursement_violations",
    **{f"disclosed_{k}": f"disclosure.{k}"
       for k in ("budget", "final_accounts", "targets", "self_evaluation")},
    **{k: f"procurement.{k}" for k in ("intentions_required", "intentions_on_time",
                                       "internal_controls", "contracts_total",
                                       "contracts_on_time", "filing_warnings")},
    "procurement_violations": "procurement.violations",
    "utilisation_rate": "assets.utilisation_rate",
    "city_average_rate": "assets.city_average_rate",
    "sangong_budget": "operating_costs.sangong_budget",
    "sangong_actual": "operating_costs.sangong_actual",
}

TARGETS = ListSection("targets", _("绩效目标"), "targets", Target, f.row_formset(f.TargetRow))
FUNDS = ListSection("special_funds", _("专项资金"), "special_funds", SpecialFund,
                    f.row_formset(f.SpecialFundRow))
TRANSFERS = ListSection("transfers", _("部门主管转移支付"), "transfers", Transfer,
                        f.row_formset(f.TransferRow))
NEW_PROJECTS = ListSection("new_projects", _("新增预算项目"), "budget_preparation.new_projects",
                           NewProject, f.row_formset(f.NewProjectRow))
FINDINGS = ListSection("findings", _("财政、审计等检查发现的问题"),
                       "budget_execution.inspection_findings", InspectionFinding,
                       f.row_formset(f.FindingRow))
CLAIMS = ListSection("claims", _("申请调整得分"), "claims", Claim,
                     f.row_formset(f.ClaimRow, unique="indicator"), indicator_rule="")
DEDUCTIONS = ListSection("deductions", _("据实扣分事项"), "deductions", ManualDeduction,
                         f.row_formset(f.DeductionRow), indicator_rule="manual_deductions")
REMEDIES = ListSection("remedies", _("整改措施"), "remedies", Remedy,
                       f.row_formset(f.RemedyRow, unique="indicator"), indicator_rule="")

STEPS: tuple[Step, ...] = (
    Step("basics", _("基本情况"), f.BasicsForm,
         ("narrative.functions", "narrative.annual_work", "narrative.targets_summary",
          "department", "report_date"),
         intro=_("部门职能、纳入部门预算的预算单位和年度总体工作，将写入自评报告第一部分。")),
    Step("targets", _("绩效目标"), f.StepForm, ("targets",), (TARGETS,),
         intro=_("逐项填写部门整体绩效目标的产出指标和效益指标，以及年底是否完成。")),
    Step("expenditure", _("部门支出"), f.ExpenditureForm, ("expenditure", "narrative.variance"),
         intro=_("金额单位：万元。合计、支出率、增减支金额和比例由系统计算。")),
    Step("funds", _("专项资金与转移支付"), f.StepForm, ("special_funds", "transfers"),
         (FUNDS, TRANSFERS), intro=_("金额单位：万元。没有的可不填，按“不涉及”计分。")),
    Step("budget", _("预算编制与执行"), f.BudgetForm, ("budget_preparation", "budget_execution"),
         (NEW_PROJECTS, FINDINGS), intro=_("金额单位：万元。")),
    Step("disclosure", _("信息公开与绩效管理"), f.DisclosureForm, ("disclosure",),
         intro=_("绩效管理三项指标据实扣分，如有扣分事项请在“自评说明”中填写。")),
    Step("procurement", _("采购管理"), f.ProcurementForm, ("procurement",)),
    Step("assets", _("资产管理"), f.AssetsForm, ("assets",)),
    Step("costs", _("运行成本"), f.CostsForm, ("operating_costs",),
         intro=_("“三公”经费单位：元。日常公用支出取自“部门支出”一步。")),
    Step("explanation", _("自评说明"), f.ExplanationForm,
         ("claims", "deductions", "remedies", "analysis", "narrative.other_matters"),
         (CLAIMS, DEDUCTIONS, REMEDIES), has_analysis=True,
         intro=_("对失分指标填写整改措施；因客观原因申请调整得分的，须写明原因并可附佐证材料。")),
    Step("preview", _("预览与提交"), f.PreviewForm),
)
STEP_KEYS = tuple(step.key for step in STEPS)
BY_KEY = {step.key: step for step in STEPS}
# Steps whose figures must be saved once before the submission counts as complete.
FIGURE_STEPS = STEP_KEYS[:-1]


def step_for_path(path: str) -> Step | None:
    """The step owning an interchange path (`transfers[0].spent` → 专项资金与转移支付)."""
    for step in STEPS:
        if any(path.startswith(p) for p in step.paths):
            return step
    return None


def neighbours(key: str) -> tuple[str | None, str | None]:
    index = STEP_KEYS.index(key)
    before = STEP_KEYS[index - 1] if index > 0 else None
    after = STEP_KEYS[index + 1] if index + 1 < len(STEP_KEYS) else None
    return before, after
