"""佐证材料: upload, delete and look up evidence files (SECURITY.md, Uploads).

A file is accepted by what its bytes are, not by what its name claims: the content is sniffed,
the declared extension must agree with it, and Office files must be macro-free OOXML. Files live
under PRIVATE_STORAGE_ROOT/attachments with a random name and are served only by the
permission-checked download view.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from evaluations.exceptions import SubmissionError
from evaluations.models import Attachment, Submission
from evaluations.selectors import submission_get_for_user, user_can_edit
from rubrics.selectors import rubric_spec

User = AbstractBaseUser | AnonymousUser

EXTENSION_KINDS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "xlsx": "xlsx",
                   "docx": "docx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
KIND_LABELS = {"pdf": "PDF 文档", "jpg": "JPEG 图片", "png": "PNG 图片",
               "xlsx": "Excel 工作簿（.xlsx）", "docx": "Word 文档（.docx）"}
MAGIC = (("pdf", b"%PDF-"), ("png", b"\x89PNG\r\n\x1a\n"), ("jpg", b"\xff\xd8\xff"))
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls/.doc and password-protected Office files
OOXML_MAIN_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 200
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|jpg|png|xlsx|docx)")


# Names ------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The basename without control or format characters and leading dots, ≤ 200 characters."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if len(base) <= MAX_NAME_LENGTH:
        return base
    stem, dot, extension = base.rpartition(".")
    if not dot or len(extension) >= MAX_NAME_LENGTH // 2:
        return base[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension


def declared_kind(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    kind = EXTENSION_KINDS.get(extension.lower()) if dot and stem else None
    if kind is None:
        raise SubmissionError(
            _("不支持的文件类型“%(name)s”：只能上传 PDF、JPG、PNG、Excel（.xlsx）和 "
              "Word（.docx）文件。") % {"name": name or _("（无文件名）")})
    return kind


# Content sniffing -------------------------------------------------------------------------


def sniff_kind(file: IO[bytes]) -> str | None:
    """The allowed kind the bytes really are, or None; raises for macro, encrypted, broken."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for kind, magic in MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(OLE_MAGIC):
        raise SubmissionError(_("不支持旧版或加密的 Office 文件（.xls、.doc 或设有打开密码的"
                                "文件）：请去除密码并另存为 .xlsx 或 .docx 后上传。"))
    if head.startswith(ZIP_MAGIC):
        return ooxml_kind(file)
    return None


def ooxml_kind(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            return ooxml_kind_of(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, KeyError,
            ValueError, RuntimeError, NotImplementedError):
        raise SubmissionError(_("文件已损坏，无法读取，请检查后重新上传。")) from None
    finally:
        file.seek(0)


def ooxml_kind_of(archive: zipfile.ZipFile) -> str | None:
    members = archive.infolist()
    if any(info.flag_bits & 0x1 for info in members):
        raise SubmissionError(_("文件已加密，无法检查内容：请去除密码后上传。"))
    names = {info.filename for info in members}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise macro_error()
    if CONTENT_TYPES_PART not in names:
        return None
    if archive.getinfo(CONTENT_TYPES_PART).file_size > CONTENT_TYPES_MAX_BYTES:
        return None
    if b"macroenabled" in archive.read(CONTENT_TYPES_PART).lower():
        raise macro_error()
    kinds = [kind for kind, part in OOXML_MAIN_PARTS.items() if part in names]
    return kinds[0] if len(kinds) == 1 else None


def macro_error() -> SubmissionError:
    return SubmissionError(_("文件包含宏（VBA 代码），出于安全原因不能上传：请另存为不含宏的 "
                             ".xlsx 或 .docx 文件后重新上传。"))


def checked_kind(file: IO[bytes], name: str) -> str:
    """The sniffed kind, which must be the one the file name declares."""
    declared = declared_kind(name)
    actual = sniff_kind(file)
    if actual is None:
        raise SubmissionError(
            _("文件“%(name)s”的扩展名是 %(declared)s，但内容不是任何允许的文件类型"
              "（PDF、JPG、PNG、Excel、Word），已拒绝上传。")
            % {"name": name, "declared": KIND_LABELS[declared]})
    if actual != declared:
        raise SubmissionError(
            _("文件“%(name)s”的扩展名表明是 %(declared)s，但内容实际是 %(actual)s："
              "请改用正确的扩展名后重新上传。")
            % {"name": name, "declared": KIND_LABELS[declared], "actual": KIND_LABELS[actual]})
    return actual


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


def check_can_change(user: User, submission: Submission) -> None:
    if not submission.is_editable:
        raise SubmissionError(_("自评已提交，佐证材料只读，不能上传或删除。"))
    if not user_can_edit(user=user, submission=submission):
        raise SubmissionError(_("只有本部门的填报员可以上传或删除佐证材料。"))


# Storage ----------------------------------------------------------------------------------


def attachments_dir() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "attachments"


def attachment_path(attachment: Attachment) -> Path:
    if not STORED_NAME.fullmatch(attachment.stored_name):  # never join a name we did not make
        raise Http404
    return attachments_dir() / attachment.stored_name


def store_file(uploaded_file: UploadedFile, kind: str) -> tuple[Path, int, str]:
    """Stream into a temp file beside the target, then rename: the path, size and SHA-256."""
    directory = attachments_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{secrets.token_hex(16)}.{kind}"
    descriptor, temp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as out:
            size, digest = copy_chunks(uploaded_file, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target, size, digest


def copy_chunks(uploaded_file: UploadedFile, out: IO[bytes]) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        check_not_too_big(size)  # the declared size is the client's word; count the bytes
        digest.update(chunk)
        out.write(chunk)
    check_size(size)
    return size, digest.hexdigest()


# Services ---------------------------------------------------------------------------------


def attachment_upload(*, submission: Submission, user: User, uploaded_file: UploadedFile,
                      indicator: str = "") -> Attachment:
    """Check, store and record one evidence file; nothing is left behind when a step fails."""
    check_can_change(user, submission)
    indicator = indicator.strip()
    check_indicator(submission, indicator)
    check_size(uploaded_file.size or 0)
    name = clean_name(uploaded_file.name or "")
    kind = checked_kind(uploaded_file, name)
    path, size, digest = store_file(uploaded_file, kind)
    try:
        return attachment_record(submission=submission, user=user, indicator=indicator,
                                 name=name, kind=kind, path=path, size=size, digest=digest)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def attachment_record(*, submission: Submission, user: User, indicator: str, name: str,
                      kind: str, path: Path, size: int, digest: str) -> Attachment:
    """The row, created under the submission's row lock so a concurrent submit cannot slip in."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        check_can_change(user, locked)
        last = locked.attachment_set.aggregate(last=Max("position"))["last"]
        return Attachment.objects.create(
            submission=locked, indicator=indicator, original_name=name, stored_name=path.name,
            kind=kind, size=size, sha256=digest, uploaded_by=user,
            position=0 if last is None else last + 1,
        )


def attachment_delete(*, attachment: Attachment, user: User) -> None:
    """Delete the row; the file goes once the deletion is committed (a rollback keeps both)."""
    path = attachment_path(attachment)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=attachment.submission_id)
        check_can_change(user, locked)
        attachment.submission = locked
        attachment.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


# Selectors --------------------------------------------------------------------------------


def attachment_get_for_user(*, user: User, pk: int) -> Attachment:
    """The attachment, or 404 when its submission is outside the user's departments."""
    attachment = Attachment.objects.filter(pk=pk).select_related("uploaded_by").first()
    if attachment is None:
        raise Http404
    attachment.submission = submission_get_for_user(user=user, pk=attachment.submission_id)
    return attachment
