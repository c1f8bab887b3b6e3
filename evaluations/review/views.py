"""Workflow views: the officer's submit, the reviewer's page and decisions, the admin's reopen.

Thin: an access-checked fetch (404 outside the user's departments), one service call, a message
and a redirect. A refused action (wrong role or state) is a message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.models import Role
from evaluations import selectors
from evaluations.exceptions import SubmissionError
from evaluations.models import Claim, IndicatorReview, Submission, Transition
from evaluations.review import workflow
from evaluations.review.diff import figure_changes
from evaluations.scores import review_total, submission_review_marks
from evaluations.steps.registry import STEPS
from rubrics.numbers import score_text


def review_url(submission: Submission) -> str:
    return reverse("submission_review", kwargs={"pk": submission.pk})


def back_url(request: HttpRequest, submission: Submission) -> str:
    """Reviewers return to the review page; anyone else to the submission's preview step."""
    if selectors.user_roles(request.user) & {Role.REVIEWER, Role.RUBRIC_ADMIN}:
        return review_url(submission)
    return reverse("submission_step", kwargs={"pk": submission.pk, "key": "preview"})


def visible_submission(request: HttpRequest, pk: int) -> Submission:
    """For POSTed actions: 404 outside the user's departments; the service checks the role."""
    return selectors.submission_get_for_user(user=request.user, pk=pk)


def attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a workflow service; its refusal becomes an error message instead of a 500."""
    try:
        action()
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    confirmed = request.POST.get("warnings_confirmed") == "on"
    attempt(request, lambda: workflow.submission_submit(
        submission=submission, actor=request.user, warnings_confirmed=confirmed),
        _("已提交，等待财政局审核。提交后数据只读。"))
    return redirect("submission_step", pk=pk, key="preview")


def reviewer_submission(request: HttpRequest, pk: int) -> Submission:
    """Reviewers and administrators only: anyone else gets 404, like another department."""
    roles = selectors.user_roles(request.user)
    if not roles & {Role.REVIEWER, Role.RUBRIC_ADMIN}:
        raise Http404
    return selectors.submission_get_for_user(user=request.user, pk=pk)


@login_required
@require_GET
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = reviewer_submission(request, pk)
    scored = selectors.submission_scored(submission=submission)
    spec, result = scored.spec, scored.result
    marks = submission_review_marks(submission, result)
    reviews = {r.indicator: r for r in IndicatorReview.objects.filter(submission=submission)}
    claims = {c.indicator: c for c in submission.claim_set.all()}
    transitions = list(Transition.objects.filter(submission=submission)
                       .select_related("actor").order_by("created_at", "id"))
    rows = [{"node": n, "mark": marks.get(n.code), "review": reviews.get(n.code),
             "claim": claims.get(n.code) if n.claim else None,
             "subtotal": review_subtotal(n, spec, marks)} for n in result.nodes]
    total = review_total(result, marks)
    roles = selectors.user_roles(request.user)
    return render(request, "evaluations/review/review.html", {
        "submission": submission, "result": result, "rows": rows,
        "review_total": score_text(total), "review_grade": spec.grade_for(total),
        "pending_claims": sum(1 for c in claims.values() if c.decision == Claim.Decision.PENDING
                              and c.indicator in marks),
        "transitions": transitions, "changes": resubmission_changes(transitions),
        "steps": STEPS, "is_reviewer": Role.REVIEWER in roles,
        "is_admin": Role.RUBRIC_ADMIN in roles, "attachments": submission.attachment_set.all(),
    })


def review_subtotal(node: Any, spec: Any, marks: dict[str, Any]) -> str:
    if node.level == 3:
        return score_text(marks[node.code].score)
    codes = [code for code in marks if code.startswith(f"{node.code}.")]
    return score_text(sum((marks[c].score for c in codes), Decimal(0)))


def resubmission_changes(transitions: list[Transition]) -> list[Any]:
    submits = [t for t in transitions if t.to_status == Submission.Status.SUBMITTED]
    if len(submits) < 2:
        return []
    return figure_changes(submits[-2].snapshot, submits[-1].snapshot)


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int, claim_id: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    claim = get_object_or_404(Claim, pk=claim_id, submission=submission)
    accept = request.POST.get("decision") == "accept"
    attempt(request, lambda: workflow.claim_decide(
        claim=claim, actor=request.user, accept=accept, comment=request.POST.get("comment", "")),
        _("已记录对指标 %(code)s 申请调整的审核结论。") % {"code": claim.indicator})
    return redirect(f"{back_url(request, submission)}#claim-{claim.indicator}")


@login_required
@require_POST
def indicator_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    submission = visible_submission(request, pk)
    raw = request.POST.get("review_score", "").strip().replace(",", "")
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation:
        messages.error(request, _("复核得分应为数字。"))
        return redirect(f"{back_url(request, submission)}#row-{code}")
    attempt(request, lambda: workflow.indicator_review_set(
        submission=submission, actor=request.user, indicator=code, review_score=value,
        reason=request.POST.get("reason", ""), comment=request.POST.get("comment", "")),
        _("已保存指标 %(code)s 的复核意见。") % {"code": code})
    return redirect(f"{back_url(request, submission)}#row-{code}")


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    step_comments = {s.key: request.POST.get(f"step_{s.key}", "") for s in STEPS}
    attempt(request, lambda: workflow.submission_return(
        submission=submission, actor=request.user, comment=request.POST.get("comment", ""),
        step_comments=step_comments), _("已退回，填报员将收到通知。"))
    return redirect(back_url(request, submission))


@login_required
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    attempt(request, lambda: workflow.submission_approve(
        submission=submission, actor=request.user, comment=request.POST.get("comment", "")),
        _("已审核通过，复核得分为最终得分。"))
    return redirect(back_url(request, submission))


@login_required
@require_POST
def submission_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    attempt(request, lambda: workflow.submission_reopen(
        submission=submission, actor=request.user, reason=request.POST.get("reason", "")),
        _("已撤回为“已退回”，填报员可以修改。"))
    return redirect(back_url(request, submission))
