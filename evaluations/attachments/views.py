"""佐证材料 views: thin wrappers over the room's services and selectors, every fetch access-checked.

Upload and delete write their own audit rows (services); the download is audited here, where
the file is streamed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.audit import audit_record
from evaluations.attachments.forms import NO_FILE, AttachmentUploadForm
from evaluations.attachments.selectors import attachment_get_for_user, attachment_path
from evaluations.attachments.services import attachment_delete, attachment_upload
from evaluations.attachments.sniff import CONTENT_TYPES
from evaluations.common.files import private_file_response
from evaluations.common.redirects import back_to
from evaluations.exceptions import SubmissionError
from evaluations.selectors import submission_get_for_user

BACK_STEP = "explanation"  # without a `next`, the step page that lists the attachments


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, pk=pk)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, NO_FILE)  # the file is the only field that can be missing
        return redirect(back_to(request, submission_pk=submission.pk, step=BACK_STEP))
    try:
        attachment = attachment_upload(submission=submission, user=request.user,
                                       uploaded_file=form.cleaned_data["file"],
                                       indicator=form.cleaned_data["indicator"])
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已上传佐证材料“%(name)s”。")
                         % {"name": attachment.original_name})
    return redirect(back_to(request, submission_pk=submission.pk, step=BACK_STEP))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    submission_pk = attachment.submission_id
    try:
        attachment_delete(attachment=attachment, user=request.user)
    except SubmissionError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已删除佐证材料“%(name)s”。")
                         % {"name": attachment.original_name})
    return redirect(back_to(request, submission_pk=submission_pk, step=BACK_STEP))


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    response = private_file_response(attachment_path(attachment),
                                     filename=attachment.original_name,
                                     content_type=CONTENT_TYPES[attachment.kind])
    audit_record(event="attachment_download", obj=attachment,
                 submission=attachment.submission_id)
    return response
