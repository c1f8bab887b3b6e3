"""The officer's steps: a registry of step objects, one URL pattern for all (CONVENTIONS §6).

The steps, their labels and the figures each one holds are declared in the figure catalogue
(`rubrics.catalogue`, `rubrics.figures`), which also says on which step each interchange path
is entered (so errors and warnings of the scoring service land on the right step and field).
Here each step gets its form, its list sections (formsets over child tables) and its intro.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy
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
from rubrics.catalogue import STEPS as CATALOGUE_STEPS
from rubrics.figures import FIGURE_SPECS, step_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ListSection:
    """A formset over one child table; `path` is its name in the interchange format."""

    prefix: str
    label: StrOrPromise
    path: str
    model: type
    formset: type[f.BaseRowFormSet]
    indicator_rule: str | None = None  # IndicatorRow choices: leaves, or leaves of this rule


@dataclass(frozen=True)
class Step:
    key: str
    label: StrOrPromise
    form_class: type[f.StepForm]
    lists: tuple[ListSection, ...] = ()
    has_analysis: bool = False
    intro: StrOrPromise = ""

    @property
    def extra_template(self) -> str:
        """Step-specific read-outs (derived figures) shown above the form."""
        return f"evaluations/steps/{self.key}.html"


def catalogue_step(key: str, lists: tuple[ListSection, ...] = (), **options: Any) -> Step:
    """A step of the catalogue, with its label and the form of its figures."""
    return Step(key, gettext_lazy(STEP_LABELS[key]), f.step_form(key), lists, **options)


STEP_LABELS = dict(CATALOGUE_STEPS)
# Submission field → its path in the interchange format (inline errors and warnings).
FIELD_PATHS = {spec.key: spec.path for spec in FIGURE_SPECS}

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
    catalogue_step(
        "basics", intro=_("部门职能、纳入部门预算的预算单位和年度总体工作，将写入自评报告第一部分。")),
    catalogue_step(
        "targets", (TARGETS,),
        intro=_("逐项填写部门整体绩效目标的产出指标和效益指标，以及年底是否完成。")),
    catalogue_step(
        "expenditure", intro=_("金额单位：万元。合计、支出率、增减支金额和比例由系统计算。")),
    catalogue_step(
        "funds", (FUNDS, TRANSFERS), intro=_("金额单位：万元。没有的可不填，按“不涉及”计分。")),
    catalogue_step("budget", (NEW_PROJECTS, FINDINGS), intro=_("金额单位：万元。")),
    catalogue_step(
        "disclosure", intro=_("绩效管理三项指标据实扣分，如有扣分事项请在“自评说明”中填写。")),
    catalogue_step("procurement"),
    catalogue_step("assets"),
    catalogue_step("costs", intro=_("“三公”经费单位：元。日常公用支出取自“部门支出”一步。")),
    catalogue_step(
        "explanation", (CLAIMS, DEDUCTIONS, REMEDIES), has_analysis=True,
        intro=_("对失分指标填写整改措施；因客观原因申请调整得分的，须写明原因并可附佐证材料。")),
    catalogue_step("preview"),
)
STEP_KEYS = tuple(step.key for step in STEPS)
BY_KEY = {step.key: step for step in STEPS}
# Steps whose figures must be saved once before the submission counts as complete.
FIGURE_STEPS = STEP_KEYS[:-1]


def step_for_path(path: str) -> Step | None:
    """The step owning an interchange path (`transfers[0].spent` → 专项资金与转移支付)."""
    key = step_of(path)
    return BY_KEY[key] if key is not None else None


def neighbours(key: str) -> tuple[str | None, str | None]:
    index = STEP_KEYS.index(key)
    before = STEP_KEYS[index - 1] if index > 0 else None
    after = STEP_KEYS[index + 1] if index + 1 < len(STEP_KEYS) else None
    return before, after
