"""The officer's steps as the core and the review room know them: key and label, in order, and
whether every step holding figures has been saved (a submission is complete).

The step registry (`evaluations/steps/registry.py`) adds each step's forms; the core, the review
room and the notifications may not import that room, so the keys and labels are declared here.
Until the registry takes its labels from this list, a test keeps the two in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from evaluations.models import Submission
from rubrics.scoring import ScoreResult

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Section:
    """One step of the officer's form: its URL key and its Chinese label (lazy)."""

    key: str
    label: StrOrPromise


STEP_SECTIONS: tuple[Section, ...] = (
    Section("basics", _("基本情况")),
    Section("targets", _("绩效目标")),
    Section("expenditure", _("部门支出")),
    Section("funds", _("专项资金与转移支付")),
    Section("budget", _("预算编制与执行")),
    Section("disclosure", _("信息公开与绩效管理")),
    Section("procurement", _("采购管理")),
    Section("assets", _("资产管理")),
    Section("costs", _("运行成本")),
    Section("explanation", _("自评说明")),
    Section("preview", _("预览与提交")),
)
STEP_KEYS = tuple(section.key for section in STEP_SECTIONS)
# Every step but 预览与提交 holds figures that must be saved once before submitting.
FIGURE_SECTIONS = STEP_SECTIONS[:-1]


def missing_steps(submission: Submission) -> list[Section]:
    """The figure steps never saved yet, in order."""
    return [s for s in FIGURE_SECTIONS if s.key not in submission.saved_steps]


def is_complete(submission: Submission, result: ScoreResult) -> bool:
    """Every figure step saved at least once and no blocking error."""
    return not missing_steps(submission) and not result.errors
