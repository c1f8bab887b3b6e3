"""佐证材料 views: thin wrappers over evaluations.attachments.services, every fetch access-checked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.audit import audit_record
from evaluations.attachments.services import (
    CONTENT_TYPES,
    attachment_delete,
    attachment_get_for_user,
    attachment_path,
    attachment_upload,
)
from evaluations.common.redirects import back_to
from evaluations.exceptions import SubmissionError
from evaluations.selectors import submission_get_for_user


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, pk=pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(back_url(request, submission.pk))
    try:
        attachment = attachment_upload(submission=submission, user=request.user,
                                       uploaded_file=uploaded,
                                       indicator=request.POST.get("indicator", ""))
    except SubmissionError as exc:
        audit_record(event="attachment_upload", obj=submission, outcome="refused",
                     name=uploaded.name, reason=exc.messages[0])
        messages.error(request, exc.messages[0])
    else:
        audit_record(event="attachment_upload", obj=attachment, submission=submission.pk,
                     name=attachment.original_name, sha256=attachment.sha256)
        messages.success(request, _("已上传佐证材料“%(name)s”。")
                         % {"name": attachment.original_name})
    return redirect(back_url(request, submission.pk))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    try:
        attachment_delete(attachment=attachment, user=request.user)
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
    else:
        audit_record(event="attachment_delete", obj=attachment,
                     submission=attachment.submission_id, name=attachment.original_name)
        messages.success(request, _("已删除佐证材料“%(name)s”。")
                         % {"name": attachment.original_name})
    return redirect(back_url(request, attachment.submission_id))


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    path = attachment_path(attachment)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True,
                            filename=attachment.original_name,
                            content_type=CONTENT_TYPES[attachment.kind])
    response["X-Content-Type-Options"] = "nosniff"
    audit_record(event="attachment_download", obj=attachment,
                 submission=attachment.submission_id)
    return response


def back_url(request: HttpRequest, submission_pk: int) -> str:
    return back_to(request, submission_pk=submission_pk, step="explanation")
