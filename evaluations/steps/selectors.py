"""Reads of the officer's pages: the home list, the step page's context, the unsaved preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from evaluations import selectors
from evaluations.figures import codec, derived
from evaluations.figures.sections import is_complete, missing_steps
from evaluations.models import Submission, Transition
from evaluations.services import submission_save_step
from evaluations.steps import panels
from evaluations.steps.page import StepPage
from evaluations.steps.registry import STEPS, Step, neighbours
from rubrics.scoring import ScoreResult


@dataclass(frozen=True)
class HomeRow:
    submission: Submission
    result: ScoreResult
    days_left: int


def home_rows(*, user: AbstractBaseUser | AnonymousUser) -> list[HomeRow]:
    """Every submission the user sees, scored, with the days left before its deadline."""
    visible = (selectors.submission_list_for_user(user=user)
               .prefetch_related(*selectors.FIGURE_RELATIONS).select_related("campaign__rubric"))
    now = timezone.now()
    return [HomeRow(submission=s, result=selectors.submission_scored(submission=s).result,
                    days_left=(s.campaign.deadline - now).days) for s in visible]


def first_open_step(*, submission: Submission) -> str:
    """Where opening a submission leads: its first unsaved step, or the preview."""
    missing = missing_steps(submission)
    return missing[0].key if missing else "preview"


def step_context(*, submission: Submission, step: Step, result: ScoreResult) -> dict[str, Any]:
    """What a step page shows besides its forms: navigator, score panel, issues, derived figures."""
    before, after = neighbours(step.key)
    context = {
        "steps": STEPS, "nav": panels.navigator(submission, result, step.key),
        "panel": panels.score_panel(result), "issues": panels.field_issues(result, step),
        "previous": before, "next": after, "result": result, "rubric": result.rubric,
        **derived_context(submission=submission),
    }
    if step.key == "preview":
        context["complete"] = is_complete(submission, result)
        context["missing"] = missing_steps(submission)
    if submission.status == Submission.Status.RETURNED:
        context["last_return"] = last_return(submission=submission)
    return context


def last_return(*, submission: Submission) -> Transition | None:
    """The latest return, whose comments the officer sees on every step."""
    return (submission.transitions.filter(to_status=Submission.Status.RETURNED)
            .order_by("-created_at", "-id").first())


def derived_context(*, submission: Submission) -> dict[str, Any]:
    figures = codec.submission_figures(submission=submission)
    return {
        "figures": figures,
        "spending": derived.expenditure_summary(figures),
        "transfer_totals": derived.transfer_summary(figures),
        "target_counts": [derived.target_counts(figures, k) for k in ("output", "outcome")],
        "ratios": derived.management_ratios(figures),
    }


def step_preview(*, submission: Submission, step: Step, page: StepPage) -> dict[str, Any]:
    """The score panel and derived figures of a valid unsaved form.

    Saved in a savepoint, read back, scored and rolled back: the stored data, its version and
    the audit log are unchanged afterwards.
    """
    with transaction.atomic():
        preview = submission_save_step(submission=submission, step_key=step.key,
                                       expected_version=submission.version,
                                       values=page.values(), lists=page.lists())
        fresh = selectors.submission_with_figures(pk=preview.pk)
        result = selectors.submission_scored(submission=fresh).result
        context = {"panel": panels.score_panel(result), "preview": True,
                   **derived_context(submission=fresh)}
        transaction.set_rollback(True)
    return context
