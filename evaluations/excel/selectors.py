"""Reads of the Excel room: a submission's figures as a downloadable workbook."""

from __future__ import annotations

from evaluations.excel.write import build_workbook
from evaluations.figures.codec import submission_figures
from evaluations.models import Submission


def submission_workbook(*, submission: Submission, export: bool) -> bytes:
    """The template (export False) or the export of the submission's current figures."""
    figures = submission_figures(submission=submission)
    return build_workbook(figures, version=submission.version, export=export)


def download_name(submission: Submission) -> str:
    department = submission.department.name.replace("/", "-").replace("\\", "-")
    return f"{department}-{submission.campaign.year}-自评数据.xlsx"
