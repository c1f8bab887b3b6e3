"""Workflow views: the officer's submit, the reviewer's page and decisions, the admin's reopen.

Thin: an access-checked fetch (404 outside the user's departments), a form, one service call,
a message and a redirect. A refused action (wrong role or state) is a message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments import access
from evaluations import selectors
from evaluations.exceptions import SubmissionError
from evaluations.models import Submission
from evaluations.review import forms as review_forms
from evaluations.review import selectors as review_selectors
from evaluations.review import workflow


class AuthenticatedHttpRequest(HttpRequest):
    """What `login_required` lets through (django-stubs' documented pattern): a signed-in user."""

    user: User


def back_url(request: HttpRequest, submission: Submission) -> str:
    """Reviewers return to the review page; anyone else to the submission's preview step."""
    if access.sees_all_submissions(request.user):
        return reverse("submission_review", kwargs={"pk": submission.pk})
    return reverse("submission_step", kwargs={"pk": submission.pk, "key": "preview"})


def visible_submission(request: HttpRequest, pk: int) -> Submission:
    """For POSTed actions: 404 outside the user's departments; the service checks the role."""
    return selectors.submission_get_for_user(user=request.user, pk=pk)


def attempt(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any],
            success: str) -> bool:
    """Run a workflow service on the form's data; an invalid form or the service's refusal
    becomes an error message instead of a 500."""
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return False
    try:
        action(form.cleaned_data)
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def submission_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    attempt(request, review_forms.SubmitForm(request.POST), lambda data: workflow.submission_submit(
        submission=submission, actor=request.user, warnings_confirmed=data["warnings_confirmed"]),
        _("已提交，等待财政局审核。提交后数据只读。"))
    return redirect("submission_step", pk=pk, key="preview")


@login_required
@require_GET
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = review_selectors.submission_get_for_review(user=request.user, pk=pk)
    page = review_selectors.submission_review_page(submission=submission)
    return render(request, "evaluations/review/review.html", {
        "submission": submission, **page.context(),
        "is_reviewer": access.is_reviewer(request.user),
        "is_admin": access.is_rubric_admin(request.user),
    })


@login_required
@require_POST
def claim_decide(request: AuthenticatedHttpRequest, pk: int, claim_id: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    claim = review_selectors.claim_get_for_submission(submission=submission, pk=claim_id)
    form = review_forms.ClaimDecisionForm(request.POST)
    attempt(request, form, lambda data: workflow.claim_decide(
        claim=claim, actor=request.user, accept=form.accept, comment=data["comment"]),
        _("已记录对指标 %(code)s 申请调整的审核结论。") % {"code": claim.indicator})
    return redirect(f"{back_url(request, submission)}#claim-{claim.indicator}")


@login_required
@require_POST
def indicator_review(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    submission = visible_submission(request, pk)
    attempt(request, review_forms.IndicatorReviewForm(request.POST),
            lambda data: workflow.indicator_review_set(
                submission=submission, actor=request.user, indicator=code,
                review_score=data["review_score"], reason=data["reason"], comment=data["comment"]),
            _("已保存指标 %(code)s 的复核意见。") % {"code": code})
    return redirect(f"{back_url(request, submission)}#row-{code}")


@login_required
@require_POST
def submission_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    form = review_forms.ReturnForm(request.POST)
    attempt(request, form, lambda data: workflow.submission_return(
        submission=submission, actor=request.user, comment=data["comment"],
        step_comments=form.step_comments()), _("已退回，填报员将收到通知。"))
    return redirect(back_url(request, submission))


@login_required
@require_POST
def submission_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    attempt(request, review_forms.ApproveForm(request.POST), lambda data: workflow.submission_approve(
        submission=submission, actor=request.user, comment=data["comment"]),
        _("已审核通过，复核得分为最终得分。"))
    return redirect(back_url(request, submission))


@login_required
@require_POST
def submission_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    attempt(request, review_forms.ReopenForm(request.POST), lambda data: workflow.submission_reopen(
        submission=submission, actor=request.user, reason=data["reason"]),
        _("已撤回为“已退回”，填报员可以修改。"))
    return redirect(back_url(request, submission))
