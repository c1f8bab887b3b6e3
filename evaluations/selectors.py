from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from departments import access
from departments.models import Role
from evaluations.figures.codec import FIGURE_RELATIONS, submission_figures
from evaluations.models import Attachment, Campaign, Submission
from rubrics.figures import Figures
from rubrics.scoring import RubricSpec, ScoreResult, score
from rubrics.selectors import rubric_spec


def submission_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Submission]:
    """Reviewers and administrators see every submission; officers their departments'."""
    qs = Submission.objects.select_related("department", "campaign")
    if not user.is_authenticated:
        return qs.none()
    if access.sees_all_submissions(user):
        return qs
    return qs.filter(department__memberships__user_id=user.pk,
                     department__memberships__role=Role.OFFICER).distinct()


def submission_with_figures(*, pk: int) -> Submission:
    return (
        Submission.objects.select_related("department", "campaign", "campaign__rubric")
        .prefetch_related(*FIGURE_RELATIONS)
        .get(pk=pk)
    )


def submission_get_for_user(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Submission:
    """The submission with its figures prefetched, or 404 outside the user's departments."""
    visible = submission_list_for_user(user=user).values("pk")
    try:
        return (
            Submission.objects.select_related("department", "campaign", "campaign__rubric")
            .prefetch_related(*FIGURE_RELATIONS, Prefetch(
                "attachment_set", queryset=Attachment.objects.select_related("uploaded_by")))
            .get(pk=pk, pk__in=visible)
        )
    except Submission.DoesNotExist:
        raise Http404 from None


def user_can_edit(*, user: AbstractBaseUser | AnonymousUser, submission: Submission) -> bool:
    """Officers of the submission's department, while it is a draft or returned."""
    return submission.is_editable and access.is_officer_of(user, submission.department_id)


@dataclass(frozen=True)
class Scored:
    spec: RubricSpec
    figures: Figures
    result: ScoreResult


def submission_scored(*, submission: Submission) -> Scored:
    """A stored submission's rubric spec, figures and score (prefetch FIGURE_RELATIONS first)."""
    spec = rubric_spec(version=submission.campaign.rubric)
    figures = submission_figures(submission=submission)
    return Scored(spec=spec, figures=figures, result=score(spec, figures))


def campaign_get_for_review(*, user: AbstractBaseUser | AnonymousUser, year: int) -> Campaign:
    """The campaign of that year with its rubric, or 404 for an unknown year or a user who
    sees only their own department's submissions (the campaign pages: queue, dashboard,
    exports, documents)."""
    campaign = Campaign.objects.select_related("rubric").filter(year=year).first()
    if campaign is None or not access.sees_all_submissions(user):
        raise Http404
    return campaign
