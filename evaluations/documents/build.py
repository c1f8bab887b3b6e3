"""From a stored submission to report data: the one place that gathers what the PDFs need."""

from __future__ import annotations

from django.utils import timezone

from evaluations.documents.data import ReportContext, ReportData, ScoreSheet, build_report
from evaluations.documents.data import build_score_sheet as build_sheet
from evaluations.models import Submission
from evaluations.scores import submission_review_marks
from evaluations.selectors import submission_scored


def report_context(submission: Submission) -> ReportContext:
    """Figures, scores and workflow marks of a submission (prefetch FIGURE_RELATIONS first)."""
    scored = submission_scored(submission=submission)
    figures, result = scored.figures, scored.result
    reviewed = submission.status == Submission.Status.REVIEWED
    return ReportContext(
        figures=figures, result=result,
        deadline=timezone.localtime(submission.campaign.deadline).date(),
        draft=submission.is_editable, digest=submission.snapshot_digest if not
        submission.is_editable else "",
        review=submission_review_marks(submission, result) if reviewed else {},
        reviewed=reviewed,
    )


def submission_report(submission: Submission) -> ReportData:
    return build_report(report_context(submission))


def submission_score_sheet(submission: Submission) -> ScoreSheet:
    return build_sheet(report_context(submission))
