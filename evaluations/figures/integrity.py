"""Detecting figures changed behind the application's back after submission."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from evaluations.figures.codec import FIGURE_RELATIONS, submission_figures
from evaluations.figures.snapshot import build_snapshot, digest_of
from evaluations.models import Submission
from rubrics.selectors import rubric_spec


@dataclass(frozen=True)
class Finding:
    department: str
    year: int
    ok: bool
    problem: str = ""


def verify(submission: Submission) -> Finding:
    """The stored snapshot must hash to the stored digest, and today's figures to both."""
    where = (submission.department.name, submission.campaign.year)
    if not submission.snapshot or digest_of(submission.snapshot) != submission.snapshot_digest:
        return Finding(*where, ok=False, problem=_("提交快照与其摘要不符（快照被改动）"))
    spec = rubric_spec(version=submission.campaign.rubric)
    current = digest_of(build_snapshot(submission_figures(submission=submission), spec))
    if current != submission.snapshot_digest:
        return Finding(*where, ok=False, problem=_("当前数据与提交快照不一致（提交后数据被改动）"))
    return Finding(*where, ok=True)


def verify_all() -> list[Finding]:
    locked = (Submission.objects.filter(status__in=[Submission.Status.SUBMITTED,
                                                    Submission.Status.REVIEWED])
              .select_related("department", "campaign", "campaign__rubric")
              .prefetch_related(*FIGURE_RELATIONS))
    return [verify(submission) for submission in locked]
