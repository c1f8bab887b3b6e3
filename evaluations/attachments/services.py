"""佐证材料: upload and delete evidence files, each with its audit row (SECURITY.md, Uploads).

Files live under PRIVATE_STORAGE_ROOT/attachments with a random name (`evaluations.common.files`)
and are served only by the permission-checked download view. A refused upload is audited too:
its row is written after the refusal, outside the transaction that rolled back.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from departments.access import is_officer_of
from departments.audit import audit_record
from evaluations.attachments.selectors import attachment_path, attachments_dir
from evaluations.attachments.sniff import checked_kind, clean_name
from evaluations.common import files
from evaluations.exceptions import SubmissionError
from evaluations.models import Attachment, Submission
from rubrics.selectors import rubric_spec

User = AbstractBaseUser | AnonymousUser


# Checks -----------------------------------------------------------------------------------


def limit_in_mb() -> str:
    return f"{settings.ATTACHMENT_MAX_BYTES / (1024 * 1024):g}"


def check_size(size: int) -> None:
    if size <= 0:
        raise SubmissionError(_("文件为空（0 字节），请选择有内容的文件。"))
    check_not_too_big(size)


def check_not_too_big(size: int) -> None:
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise SubmissionError(_("文件太大：单个文件不能超过 %(limit)s MB。")
                              % {"limit": limit_in_mb()})


def check_indicator(submission: Submission, indicator: str) -> None:
    if indicator and indicator not in rubric_spec(version=submission.campaign.rubric).codes_at(3):
        raise SubmissionError(_("“%(code)s”不是本评分体系的三级指标，请重新选择。")
                              % {"code": indicator})


def check_can_change(user: User, submission: Submission) -> AbstractBaseUser:
    """The user, as an officer of the submission's department while it can be changed."""
    if not submission.is_editable:
        raise SubmissionError(_("自评已提交，佐证材料只读，不能上传或删除。"))
    if not user.is_authenticated or not is_officer_of(user, submission.department_id):
        raise SubmissionError(_("只有本部门的填报员可以上传或删除佐证材料。"))
    return user


# Upload -----------------------------------------------------------------------------------


def attachment_upload(*, submission: Submission, user: User, uploaded_file: UploadedFile,
                      indicator: str = "") -> Attachment:
    """Check, store and record one evidence file; nothing is left behind when a step fails.

    Raises SubmissionError (a Chinese message) after auditing the refusal.
    """
    try:
        return attachment_store(submission=submission, user=user, uploaded_file=uploaded_file,
                                indicator=indicator)
    except SubmissionError as refusal:
        audit_record(event="attachment_upload", user=user, obj=submission, outcome="refused",
                     name=uploaded_file.name, reason=refusal.messages[0])
        raise


def attachment_store(*, submission: Submission, user: User, uploaded_file: UploadedFile,
                     indicator: str) -> Attachment:
    check_can_change(user, submission)
    indicator = indicator.strip()
    check_indicator(submission, indicator)
    check_size(uploaded_file.size or 0)
    name = clean_name(uploaded_file.name or "")
    kind = checked_kind(uploaded_file, name)
    # The declared size is the client's word: the bytes are counted as they are copied.
    path, size, digest = files.store_chunks(attachments_dir(), uploaded_file.chunks(), kind,
                                            check_not_too_big)
    try:
        check_size(size)
        return attachment_record(submission=submission, user=user, indicator=indicator,
                                 name=name, kind=kind, path=path, size=size, digest=digest)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def attachment_record(*, submission: Submission, user: User, indicator: str, name: str,
                      kind: str, path: Path, size: int, digest: str) -> Attachment:
    """The row and its audit row, created under the submission's row lock so a concurrent
    submit cannot slip in."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        officer = check_can_change(user, locked)
        last = locked.attachment_set.aggregate(last=Max("position"))["last"]
        attachment = Attachment.objects.create(
            submission=locked, indicator=indicator, original_name=name, stored_name=path.name,
            kind=kind, size=size, sha256=digest, uploaded_by_id=officer.pk,
            position=0 if last is None else last + 1,
        )
        audit_record(event="attachment_upload", user=user, obj=attachment,
                     submission=locked.pk, name=name, sha256=digest)
        return attachment


# Delete -----------------------------------------------------------------------------------


def attachment_delete(*, attachment: Attachment, user: User) -> None:
    """Delete the row; the file goes once the deletion is committed (a rollback keeps both)."""
    path = attachment_path(attachment)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=attachment.submission_id)
        check_can_change(user, locked)
        attachment.submission = locked
        audit_record(event="attachment_delete", user=user, obj=attachment,  # while it has its pk
                     submission=locked.pk, name=attachment.original_name)
        attachment.delete()
        files.unlink_on_commit([path])
