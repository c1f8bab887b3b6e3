"""The officer's steps as the core and the review room know them: key and label, in order, and
whether every step holding figures has been saved (a submission is complete).

The steps and their labels are declared once, in the figure catalogue (`rubrics.catalogue`);
the step registry (`evaluations/steps/registry.py`) adds each step's forms. The core, the review
room and the notifications may not import that room, so they read the steps here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from evaluations.models import Submission
from rubrics.catalogue import STEPS
from rubrics.scoring import ScoreResult

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Section:
    """One step of the officer's form: its URL key and its Chinese label (lazy)."""

    key: str
    label: StrOrPromise


STEP_SECTIONS: tuple[Section, ...] = tuple(Section(key, _(label)) for key, label in STEPS)
# Every step but 预览与提交 holds figures that must be saved once before submitting.
FIGURE_SECTIONS = STEP_SECTIONS[:-1]


def missing_steps(submission: Submission) -> list[Section]:
    """The figure steps never saved yet, in order."""
    return [s for s in FIGURE_SECTIONS if s.key not in submission.saved_steps]


def is_complete(submission: Submission, result: ScoreResult) -> bool:
    """Every figure step saved at least once and no blocking error."""
    return not missing_steps(submission) and not result.errors
