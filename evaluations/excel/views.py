"""Excel template, export and import of a submission's figures (the workbook: layout.py).

Downloads are open to whoever may see the submission (its department's officers, reviewers);
the import to the officers who may edit it. An import is all or nothing: a file, cell or
scoring error, or a stale version, saves nothing and lists every problem as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.audit import audit_record
from evaluations import selectors
from evaluations.common.redirects import back_to
from evaluations.common.xlsx import CONTENT_TYPE
from evaluations.excel import services
from evaluations.excel.forms import ExcelImportForm
from evaluations.excel.read import ExcelRefused
from evaluations.excel.selectors import download_name, submission_workbook

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
    content = submission_workbook(submission=submission, export=export)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, download_name(submission)) or ""
    response["Cache-Control"] = "private, no-store"
    audit_record(event="excel_export" if export else "excel_template", obj=submission,
                 version=submission.version)
    return response


@login_required
@require_POST
def excel_import(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    back = back_to(request, submission_pk=submission.pk, step="preview")
    if not selectors.user_can_edit(user=request.user, submission=submission):
        messages.error(request, _("不能导入：只有本部门的填报员可以在草稿或退回状态下导入数据。"))
        return redirect(back)
    form = ExcelImportForm(request.POST, request.FILES)
    try:
        imported = services.submission_excel_import(submission=submission, user=request.user,
                                                    **form.upload())
    except ExcelRefused as refused:
        report_refusal(request, refused.messages)
    else:
        messages.success(request, imported.summary())
    return redirect(back)


def report_refusal(request: HttpRequest, problems: list[str]) -> None:
    messages.error(request, _("Excel 导入失败，未保存任何数据。请修改以下问题后重新导入："))
    for problem in problems[:MAX_MESSAGES]:
        messages.error(request, problem)
    if len(problems) > MAX_MESSAGES:
        messages.error(request, _("另有 %(n)d 处错误。") % {"n": len(problems) - MAX_MESSAGES})
