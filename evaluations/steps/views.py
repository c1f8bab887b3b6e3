"""The officer's pages: the home list and one URL for every step (GET shows, POST saves).

Thin: an access-checked fetch (404 outside the user's departments), the step's forms, one
service or selector call, a message and a redirect; the page's reads are in `selectors.py`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from departments import access
from evaluations import selectors
from evaluations.exceptions import SubmissionError
from evaluations.models import Submission
from evaluations.services import submission_save_step
from evaluations.steps import selectors as step_selectors
from evaluations.steps.page import StepPage
from evaluations.steps.registry import BY_KEY, Step
from rubrics.scoring import ScoreResult
from rubrics.selectors import rubric_spec

# Steps whose page shows derived figures that the unsaved preview refreshes.
DERIVED_STEPS = {"targets", "expenditure", "funds", "budget", "procurement", "costs"}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluations/steps/home.html", {
        "rows": step_selectors.home_rows(user=request.user),
        "is_reviewer": access.sees_all_submissions(request.user)})


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    return redirect("submission_step", pk=submission.pk,
                    key=step_selectors.first_open_step(submission=submission))


@login_required
@require_http_methods(["GET", "POST"])
def submission_step(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    step = step_or_404(key)
    scored = selectors.submission_scored(submission=submission)
    editable = selectors.user_can_edit(user=request.user, submission=submission)
    if request.method == "GET" or not editable:
        page = StepPage(step, submission, scored.spec)
        return render_step(request, submission, page, editable, scored.result)
    page = StepPage(step, submission, scored.spec, data=request.POST)
    if not page.is_valid():
        messages.error(request, _("有填写错误，请按提示修改；本页数据尚未保存。"))
        return render_step(request, submission, page, editable, scored.result)
    try:
        submission_save_step(submission=submission, step_key=step.key,
                             expected_version=page.expected_version,
                             values=page.values(), lists=page.lists())
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
        return render_step(request, submission, page, editable, scored.result, status=409)
    messages.success(request, _("“%(step)s”已保存。") % {"step": step.label})
    return redirect("submission_step", pk=submission.pk, key=page.destination())


def step_or_404(key: str) -> Step:
    if key not in BY_KEY:
        raise Http404
    return BY_KEY[key]


def render_step(request: HttpRequest, submission: Submission, page: StepPage, editable: bool,
                result: ScoreResult, status: int = 200) -> HttpResponse:
    if not editable:
        page.disable()
    context = {
        "submission": submission, "step": page.step, "page": page, "editable": editable,
        **step_selectors.step_context(submission=submission, step=page.step, result=result),
    }
    return render(request, "evaluations/steps/step.html", context, status=status)


@login_required
@require_POST
def submission_step_preview(request: HttpRequest, pk: int, key: str) -> JsonResponse:
    """The score panel for the unsaved form (saved in a savepoint, scored, rolled back)."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    step = step_or_404(key)
    if not selectors.user_can_edit(user=request.user, submission=submission):
        raise Http404
    spec = rubric_spec(version=submission.campaign.rubric)  # no need to score the stored data
    page = StepPage(step, submission, spec, data=request.POST)
    if not page.is_valid():
        return JsonResponse({"valid": False})
    context = step_selectors.step_preview(submission=submission, step=step, page=page)
    html = render_to_string("evaluations/steps/_score_panel.html", context, request=request)
    derived_html = render_to_string(step.extra_template, {**context, "step": step},
                                    request=request) if step.key in DERIVED_STEPS else ""
    return JsonResponse({"valid": True, "panel": html, "derived": derived_html})
