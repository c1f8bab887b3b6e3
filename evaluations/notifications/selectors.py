"""Notices: who is told (users by role), the user's own notices, and where a notice links to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse

from evaluations.models import Notification, Submission
from evaluations.scores import review_total, submission_review_marks
from evaluations.selectors import submission_scored, submission_with_figures

# The kinds of notice: the first part of a notice's `event`, and the name of its templates.
SUBMITTED, RETURNED, REVIEWED, REMINDER = "submitted", "returned", "reviewed", "reminder"


def recipients(role: str, department_id: int | None = None) -> QuerySet[Any]:
    """Active users holding `role` (in the department, for officers)."""
    memberships = {"memberships__role": role}
    if department_id is not None:
        memberships["memberships__department_id"] = department_id  # type: ignore[assignment]
    return get_user_model().objects.filter(is_active=True, **memberships).distinct().order_by("pk")


def notification_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Notification]:
    """The user's own notices, newest first (the model's ordering)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).select_related("submission__department",
                                                                 "submission__campaign")


def notification_unread_count(*, user: AbstractBaseUser | AnonymousUser) -> int:
    return notification_list_for_user(user=user).filter(read_at__isnull=True).count()


def submission_review_total(*, submission_id: int) -> tuple[Decimal, str]:
    """The final 复核得分 and its grade, as the score sheet prints them."""
    submission = submission_with_figures(pk=submission_id)
    result = submission_scored(submission=submission).result
    total = review_total(result, submission_review_marks(submission, result))
    return total, result.rubric.grade_for(total)


# Links ------------------------------------------------------------------------------------


def event_kind(event: str) -> str:
    return event.partition(":")[0]


def detail_link(submission: Submission) -> str:
    return reverse("submission_detail", kwargs={"pk": submission.pk})


def review_link(submission: Submission) -> str:
    return reverse("submission_review", kwargs={"pk": submission.pk})


def notice_link(notice: Notification) -> str:
    """Reviewers were told about a submission to review; officers about their own."""
    if notice.submission_id is None:
        return ""
    if event_kind(notice.event) == SUBMITTED:
        return review_link(notice.submission)  # type: ignore[arg-type]
    return detail_link(notice.submission)  # type: ignore[arg-type]
