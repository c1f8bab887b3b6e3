"""Excel template, export and import of a submission's figures (the workbook is `excel.py`).

Downloads are open to whoever may see the submission (its department's officers, reviewers);
the import to the officers who may edit it. An import is all or nothing: a file, cell or
scoring error, or a stale version, saves nothing and lists every problem as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.audit import audit_record
from evaluations import selectors
from evaluations.common.redirects import back_to
from evaluations.excel import workbook as excel
from evaluations.models import Submission
from evaluations.services import submission_replace_figures
from rubrics.scoring import score
from rubrics.selectors import rubric_spec

MAX_MESSAGES = 50


@login_required
@require_GET
def excel_template(request: HttpRequest, pk: int) -> HttpResponse:
    return workbook_download(request, pk, export=False)


@login_required
@require_GET
def excel_export(request: HttpRequest, pk: int) -> HttpResponse:
    return workbook_download(request, pk, export=True)


def workbook_download(request: HttpRequest, pk: int, *, export: bool) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    figures = selectors.submission_figures(submission=submission)
    content = excel.build_workbook(figures, version=submission.version, export=export)
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, download_name(submission))
    response["Cache-Control"] = "private, no-store"
    audit_record(event="excel_export" if export else "excel_template", obj=submission,
                 version=submission.version)
    return response


def download_name(submission: Submission) -> str:
    department = submission.department.name.replace("/", "-").replace("\\", "-")
    return f"{department}-{submission.campaign.year}-自评数据.xlsx"


@login_required
@require_POST
def excel_import(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    back = back_url(request, submission)
    if not selectors.user_can_edit(user=request.user, submission=submission):
        messages.error(request, _("不能导入：只有本部门的填报员可以在草稿或退回状态下导入数据。"))
        return redirect(back)
    try:
        saved, parsed = import_workbook(request, submission)
    except excel.ExcelRefused as refused:
        audit_record(event="excel_import", obj=submission, outcome="refused",
                     problems=refused.messages[:20])
        report_refusal(request, refused.messages)
    else:
        audit_record(event="excel_import", obj=saved, version=saved.version)
        messages.success(request, success_message(saved, parsed))
    return redirect(back)


def back_url(request: HttpRequest, submission: Submission) -> str:
    return back_to(request, submission_pk=submission.pk, step="preview")


def import_workbook(request: HttpRequest,
                    submission: Submission) -> tuple[Submission, excel.ExcelFigures]:
    """Read, merge, score and save the uploaded workbook, or raise ExcelRefused."""
    version = posted_version(request)
    upload = posted_file(request)
    parsed = excel.read_workbook(upload_content(upload), name=upload.name or "",
                                 content_type=upload.content_type or "")
    current = selectors.submission_figures(submission=submission)
    refusals = excel.owner_errors(current, parsed)
    figures = excel.merged(current, parsed)
    spec = rubric_spec(version=submission.campaign.rubric)
    refusals += [excel.locate(parsed, issue) for issue in score(spec, figures).errors]
    if refusals:
        raise excel.ExcelRefused(refusals)
    try:
        saved = submission_replace_figures(submission=submission, figures=figures,
                                           expected_version=version, steps=EXCEL_STEPS)
    except ValidationError as problem:  # StaleVersion, SubmissionError, FiguresLocked
        raise excel.ExcelRefused(problem.messages) from problem
    return saved, parsed


# The steps whose figures the workbook carries (texts, claims and remedies stay on the web).
EXCEL_STEPS = ("targets", "expenditure", "funds", "budget", "disclosure", "procurement",
               "assets", "costs")


def posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise excel.ExcelRefused([_("页面已过期，请刷新页面后重新导入。")]) from None


def posted_file(request: HttpRequest) -> UploadedFile:
    upload = request.FILES.get("file")
    if upload is None:
        raise excel.ExcelRefused([_("请选择要导入的 Excel 文件（.xlsx）。")])
    return upload


def upload_content(upload: UploadedFile) -> bytes:
    """The uploaded bytes, refused before reading when over the size limit."""
    if (upload.size or 0) > excel.MAX_FILE_BYTES:
        raise excel.ExcelRefused([_("文件超过 5 MB，不能导入。")])
    upload.seek(0)
    return upload.read(excel.MAX_FILE_BYTES + 1)


def report_refusal(request: HttpRequest, problems: list[str]) -> None:
    messages.error(request, _("Excel 导入失败，未保存任何数据。请修改以下问题后重新导入："))
    for problem in problems[:MAX_MESSAGES]:
        messages.error(request, problem)
    if len(problems) > MAX_MESSAGES:
        messages.error(request, _("另有 %(n)d 处错误。") % {"n": len(problems) - MAX_MESSAGES})


def success_message(saved: Submission, parsed: excel.ExcelFigures) -> str:
    counts = "、".join(
        _("%(sheet)s %(n)d 项") % {"sheet": sheet.title, "n": len(parsed.lists[sheet.path])}
        for sheet in excel.LIST_SHEETS)
    return _("已从 Excel 导入并保存（第 %(version)d 版）：%(n)d 项数值，%(counts)s。"
             "文字说明、申请调整、扣分事项、整改措施和评分分析未改变。") % {
        "version": saved.version, "n": len(parsed.scalars), "counts": counts}
