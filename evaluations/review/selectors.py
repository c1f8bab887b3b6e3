"""Reads of the review room: the access-checked getters and everything the review page shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from departments import access
from evaluations import selectors
from evaluations.figures.sections import STEP_SECTIONS, Section
from evaluations.models import Attachment, Claim, IndicatorReview, Submission, Transition
from evaluations.review.diff import Change, figure_changes
from evaluations.scores import ReviewMark, review_total, submission_review_marks
from rubrics.numbers import score_text
from rubrics.scoring import NodeScore, ScoreResult

User = AbstractBaseUser | AnonymousUser


def submission_get_for_review(*, user: User, pk: int) -> Submission:
    """The review page's submission: reviewers and administrators only; anyone else gets 404,
    exactly as for another department's submission."""
    if not access.sees_all_submissions(user):
        raise Http404
    return selectors.submission_get_for_user(user=user, pk=pk)


def claim_get_for_submission(*, submission: Submission, pk: int) -> Claim:
    """A claim of this (already access-checked) submission, or 404."""
    try:
        return Claim.objects.select_related("submission").get(pk=pk, submission=submission)
    except Claim.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ReviewRow:
    """One indicator of the score table with the reviewer's mark, score, claim and subtotal."""

    node: NodeScore
    mark: ReviewMark | None
    review: IndicatorReview | None
    claim: Claim | None
    subtotal: str


@dataclass(frozen=True)
class ReviewPage:
    result: ScoreResult
    rows: list[ReviewRow]
    review_total: str
    review_grade: str
    pending_claims: int
    transitions: list[Transition]
    changes: list[Change]
    steps: tuple[Section, ...]
    attachments: QuerySet[Attachment]

    def context(self) -> dict[str, Any]:
        """The template's names (a shallow dict: model instances stay as they are)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def submission_review_page(*, submission: Submission) -> ReviewPage:
    """Score table with 复核得分, pending claims, history and what changed since the last submit."""
    scored = selectors.submission_scored(submission=submission)
    result = scored.result
    marks = submission_review_marks(submission, result)
    reviews = {r.indicator: r for r in IndicatorReview.objects.filter(submission=submission)}
    claims = {c.indicator: c for c in submission.claim_set.all()}
    transitions = submission_transitions(submission=submission)
    total = review_total(result, marks)
    return ReviewPage(
        result=result,
        rows=[ReviewRow(node=n, mark=marks.get(n.code), review=reviews.get(n.code),
                        claim=claims.get(n.code) if n.claim else None,
                        subtotal=review_subtotal(n, marks)) for n in result.nodes],
        review_total=score_text(total), review_grade=scored.spec.grade_for(total),
        pending_claims=sum(1 for c in claims.values()
                           if c.decision == Claim.Decision.PENDING and c.indicator in marks),
        transitions=transitions, changes=resubmission_changes(transitions),
        steps=STEP_SECTIONS, attachments=submission.attachment_set.all(),
    )


def submission_transitions(*, submission: Submission) -> list[Transition]:
    return list(Transition.objects.filter(submission=submission)
                .select_related("actor").order_by("created_at", "id"))


def review_subtotal(node: NodeScore, marks: dict[str, ReviewMark]) -> str:
    """A 三级 indicator's review mark, or the sum of the marks below a 一级/二级 indicator."""
    if node.level == 3:
        return score_text(marks[node.code].score)
    codes = [code for code in marks if code.startswith(f"{node.code}.")]
    return score_text(sum((marks[c].score for c in codes), Decimal(0)))


def resubmission_changes(transitions: list[Transition]) -> list[Change]:
    """The figures changed between the last two submissions (none before a resubmission)."""
    submits = [t for t in transitions if t.to_status == Submission.Status.SUBMITTED]
    if len(submits) < 2:
        return []
    return figure_changes(submits[-2].snapshot, submits[-1].snapshot)
