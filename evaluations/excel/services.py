"""The Excel import: an uploaded workbook read, checked and saved as the submission's figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments.audit import audit_record
from evaluations.excel.apply import locate, merged, owner_errors
from evaluations.excel.layout import EXCEL_STEPS, LIST_SHEETS
from evaluations.excel.read import MAX_FILE_BYTES, ExcelFigures, ExcelRefused, read_workbook
from evaluations.figures.codec import submission_figures
from evaluations.models import Submission
from evaluations.services import submission_replace_figures
from rubrics.scoring import score
from rubrics.selectors import rubric_spec

MAX_AUDITED_PROBLEMS = 20


@dataclass(frozen=True)
class ExcelImport:
    submission: Submission  # as saved, with its new version
    parsed: ExcelFigures

    def summary(self) -> str:
        counts = "、".join(
            _("%(sheet)s %(n)d 项") % {"sheet": sheet.title, "n": len(self.parsed.lists[sheet.path])}
            for sheet in LIST_SHEETS)
        return _("已从 Excel 导入并保存（第 %(version)d 版）：%(n)d 项数值，%(counts)s。"
                 "文字说明、申请调整、扣分事项、整改措施和评分分析未改变。") % {
            "version": self.submission.version, "n": len(self.parsed.scalars), "counts": counts}


def submission_excel_import(
    *, submission: Submission, user: AbstractBaseUser | AnonymousUser, content: bytes | None,
    name: str = "", content_type: str = "", expected_version: int | None,
) -> ExcelImport:
    """Import a workbook into an editable submission, all or nothing, and audit the attempt.

    `content` None is no file chosen; `expected_version` None a page that did not say which
    version it showed (an offline workbook never overwrites blind). A file, cell or scoring
    error, or a stale version, saves nothing and raises ExcelRefused with every problem; its
    audit row is written after the rollback, so that the refusal stays on record.
    """
    try:
        with transaction.atomic():
            imported = import_workbook(submission, content, name, content_type, expected_version)
            audit_record(event="excel_import", user=user, obj=imported.submission,
                         version=imported.submission.version)
    except ExcelRefused as refused:
        audit_record(event="excel_import", user=user, obj=submission, outcome="refused",
                     problems=refused.messages[:MAX_AUDITED_PROBLEMS])
        raise
    return imported


def import_workbook(submission: Submission, content: bytes | None, name: str, content_type: str,
                    expected_version: int | None) -> ExcelImport:
    """Read, merge, score and save the workbook, or raise ExcelRefused."""
    if expected_version is None:
        raise ExcelRefused([_("页面已过期，请刷新页面后重新导入。")])
    if content is None:
        raise ExcelRefused([_("请选择要导入的 Excel 文件（.xlsx）。")])
    if len(content) > MAX_FILE_BYTES:
        raise ExcelRefused([_("文件超过 5 MB，不能导入。")])
    parsed = read_workbook(content, name=name, content_type=content_type)
    current = submission_figures(submission=submission)
    refusals = owner_errors(current, parsed)
    figures = merged(current, parsed)
    spec = rubric_spec(version=submission.campaign.rubric)
    refusals += [locate(parsed, issue) for issue in score(spec, figures).errors]
    if refusals:
        raise ExcelRefused(refusals)
    try:
        saved = submission_replace_figures(submission=submission, figures=figures,
                                           expected_version=expected_version, steps=EXCEL_STEPS)
    except ValidationError as problem:  # StaleVersion, SubmissionError, FiguresLocked
        raise ExcelRefused(problem.messages) from problem
    return ExcelImport(saved, parsed)
