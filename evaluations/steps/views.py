from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from departments.models import Role
from evaluations import selectors
from evaluations.exceptions import SubmissionError
from evaluations.figures import derived
from evaluations.models import Submission
from evaluations.services import submission_save_step
from evaluations.steps import panels
from evaluations.steps.page import StepPage
from evaluations.steps.registry import BY_KEY, STEPS, Step, neighbours
from rubrics.scoring import RubricSpec, ScoreResult
from rubrics.selectors import rubric_spec


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    rows = [home_row(s) for s in selectors.submission_list_for_user(user=request.user)
            .prefetch_related(*selectors.FIGURE_RELATIONS).select_related("campaign__rubric")]
    roles = selectors.user_roles(request.user)
    return render(request, "evaluations/steps/home.html", {
        "rows": rows, "is_reviewer": bool(roles & {Role.REVIEWER, Role.RUBRIC_ADMIN})})


def home_row(submission: Submission) -> dict[str, Any]:
    result = scored(submission)[1]
    left = (submission.campaign.deadline - timezone.now()).days
    return {"submission": submission, "result": result, "days_left": left}


def scored(submission: Submission) -> tuple[RubricSpec, ScoreResult]:
    scored = selectors.submission_scored(submission=submission)
    return scored.spec, scored.result


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    missing = panels.missing_steps(submission)
    first = missing[0].key if missing else "preview"
    return redirect("submission_step", pk=submission.pk, key=first)


@login_required
@require_http_methods(["GET", "POST"])
def submission_step(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    step = step_or_404(key)
    spec, result = scored(submission)
    editable = selectors.user_can_edit(user=request.user, submission=submission)
    if request.method == "GET" or not editable:
        page = StepPage(step, submission, spec)
        return render_step(request, submission, step, page, editable, result)
    page = StepPage(step, submission, spec, data=request.POST)
    if not page.is_valid():
        messages.error(request, _("有填写错误，请按提示修改；本页数据尚未保存。"))
        return render_step(request, submission, step, page, editable, result)
    try:
        submission_save_step(submission=submission, step_key=step.key,
                             expected_version=page.expected_version,
                             values=page.values(), lists=page.lists())
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
        return render_step(request, submission, step, page, editable, result, status=409)
    messages.success(request, _("“%(step)s”已保存。") % {"step": step.label})
    return redirect("submission_step", pk=submission.pk, key=destination(request, step))


def step_or_404(key: str) -> Step:
    if key not in BY_KEY:
        raise Http404
    return BY_KEY[key]


def destination(request: HttpRequest, step: Step) -> str:
    """Where the pressed button leads: 上一步, 下一步, a step of the navigator, or here."""
    before, after = neighbours(step.key)
    target = request.POST.get("goto", "")
    if target == "__prev__":
        return before or step.key
    if target == "__next__":
        return after or step.key
    return target if target in BY_KEY else step.key


def render_step(request: HttpRequest, submission: Submission, step: Step, page: StepPage,
                editable: bool, result: ScoreResult, status: int = 200) -> HttpResponse:
    if not editable:
        page.disable()
    before, after = neighbours(step.key)
    context = {
        "submission": submission, "step": step, "page": page, "editable": editable,
        "steps": STEPS, "nav": panels.navigator(submission, result, step.key),
        "panel": panels.score_panel(result), "issues": panels.field_issues(result, step),
        "previous": before, "next": after, "result": result, "rubric": result.rubric,
        **derived_context(submission),
    }
    if step.key == "preview":
        context["complete"] = panels.is_complete(submission, result)
        context["missing"] = panels.missing_steps(submission)
    if submission.status == Submission.Status.RETURNED:
        context["last_return"] = submission.transitions.filter(
            to_status=Submission.Status.RETURNED).order_by("-created_at", "-id").first()
    return render(request, "evaluations/steps/step.html", context, status=status)


def derived_context(submission: Submission) -> dict[str, Any]:
    figures = selectors.submission_figures(submission=submission)
    return {
        "figures": figures,
        "spending": derived.expenditure_summary(figures),
        "transfer_totals": derived.transfer_summary(figures),
        "target_counts": [derived.target_counts(figures, k) for k in ("output", "outcome")],
        "ratios": derived.management_ratios(figures),
    }


@login_required
@require_POST
def submission_step_preview(request: HttpRequest, pk: int, key: str) -> JsonResponse:
    """The score panel for the unsaved form: saved in a savepoint, scored, rolled back."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    step = step_or_404(key)
    if not selectors.user_can_edit(user=request.user, submission=submission):
        raise Http404
    spec = rubric_spec(version=submission.campaign.rubric)  # no need to score the stored data
    page = StepPage(step, submission, spec, data=request.POST)
    if not page.is_valid():
        return JsonResponse({"valid": False})
    with transaction.atomic():
        preview = submission_save_step(submission=submission, step_key=step.key,
                                       expected_version=submission.version,
                                       values=page.values(), lists=page.lists())
        fresh = selectors.submission_with_figures(pk=preview.pk)
        _spec, result = scored(fresh)
        context = {"panel": panels.score_panel(result), "preview": True, **derived_context(fresh)}
        transaction.set_rollback(True)
    html = render_to_string("evaluations/steps/_score_panel.html", context, request=request)
    derived_html = render_to_string(step.extra_template, {**context, "step": step},
                                    request=request) if step.key in DERIVED_STEPS else ""
    return JsonResponse({"valid": True, "panel": html, "derived": derived_html})


DERIVED_STEPS = {"targets", "expenditure", "funds", "budget", "procurement", "costs"}
