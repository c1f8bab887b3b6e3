"""The one place the 计算 / 自评 / 复核 totals of a stored submission are computed.

复核得分 per RUBRIC.md §5: starts at the self score; a rejected claim falls back to the
computed score; a reviewer's own score (with its reason) overrides both. The 复核 total is the
sum of the 三级 review marks (an indicator without a mark counts its self score).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from evaluations.models import Claim, IndicatorReview, Submission
from rubrics.scoring import ScoreResult


@dataclass(frozen=True)
class ReviewMark:
    """The reviewer's final score and comment on a 三级 indicator."""

    score: Decimal
    comment: str = ""


def review_marks(result: ScoreResult, claims: Iterable[Claim],
                 reviews: Iterable[IndicatorReview]) -> dict[str, ReviewMark]:
    """The review score and comment of every 三级 indicator."""
    decided = {c.indicator: c for c in claims}
    own = {r.indicator: r for r in reviews}
    marks = {}
    for node in (n for n in result.nodes if n.level == 3):
        value, notes = node.self_score, []
        claim = decided.get(node.code)
        if claim is not None and node.claim is not None:
            if claim.decision == Claim.Decision.REJECTED:
                value = node.computed
                notes.append(f"申请调整不予认可：{claim.decision_comment}".rstrip("："))
            elif claim.decision == Claim.Decision.ACCEPTED:
                said = f"：{claim.decision_comment}" if claim.decision_comment else ""
                notes.append(f"申请调整予以认可{said}")
        review = own.get(node.code)
        if review is not None:
            if review.review_score is not None:
                value = review.review_score
                notes.append(f"复核调整为 {review.review_score} 分：{review.reason}")
            if review.comment:
                notes.append(review.comment)
        marks[node.code] = ReviewMark(score=value, comment="；".join(notes))
    return marks


def review_total(result: ScoreResult, marks: Mapping[str, ReviewMark]) -> Decimal:
    """The 复核 total: the sum of the 三级 marks (self score where an indicator has none)."""
    return sum((marks[n.code].score if n.code in marks else n.self_score
                for n in result.nodes if n.level == 3), Decimal(0))


def submission_review_marks(submission: Submission, result: ScoreResult) -> dict[str, ReviewMark]:
    """Uses the prefetched claims (FIGURE_RELATIONS) and one query for the indicator reviews."""
    return review_marks(result, submission.claim_set.all(),
                        IndicatorReview.objects.filter(submission=submission))
