"""Generated documents: request, generate and store the PDFs and the Excel 评分表; the batch zip.

A document is keyed by (submission, version, kind): one file per version of the figures, made
once however often it is requested or its task runs. Only a current document is offered: one of
the submission's version, requested after the submission last changed (`updated_at`). The second
condition matters because a workflow arrow (submit, return, approve) changes what the PDFs print
(the 草稿 watermark, the digest, the review scores) without changing the version; a document
made before it is replaced in place. When a newer version's document is done, the older
versions' rows and files of that kind are deleted.

Rows are locked only to claim and to finish a document. Rendering takes seconds and runs outside
any transaction, so a slow PDF never holds a database lock; two runs that race both render, and
the second to finish throws its file away.

Files live under PRIVATE_STORAGE_ROOT with random names (documents/ and archives/), are
written to a temporary file and renamed into place, and are served only by the
permission-checked views of `evaluations.documents.views`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.audit import audit_record
from departments.models import Role
from evaluations.documents import build, render, xlsx
from evaluations.models import (
    Campaign,
    CampaignArchive,
    DocumentStatus,
    GeneratedDocument,
    Submission,
)
from evaluations.selectors import submission_get_for_user, submission_with_figures, user_roles

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser
Kind = GeneratedDocument.Kind
PDF_KINDS = (Kind.REPORT, Kind.SCORE_SHEET)
EXTENSIONS = {Kind.REPORT: "pdf", Kind.SCORE_SHEET: "pdf", Kind.SCORE_SHEET_XLSX: "xlsx"}
TITLES = {Kind.REPORT: "自评报告", Kind.SCORE_SHEET: "评分表", Kind.SCORE_SHEET_XLSX: "评分表"}
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": xlsx.CONTENT_TYPE, "zip": "application/zip"}
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|xlsx|zip)")
# A pending document or archive older than this lost its task (broker down, worker killed
# before acking): asking again queues it again instead of waiting forever. Both exceed the
# hard time limits of their tasks (5 minutes and 1 hour), after which no run can be alive.
PENDING_TIMEOUT = dt.timedelta(minutes=15)
ARCHIVE_TIMEOUT = dt.timedelta(minutes=65)


class StaleDocument(Exception):
    """The submission changed after the document was requested."""


class ArchiveFailed(Exception):
    """One department's PDF could not be made; the message says which, in Chinese."""


# Storage ------------------------------------------------------------------------------------


def documents_dir() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "documents"


def archives_dir() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "archives"


def stored_path(directory: Path, stored_name: str) -> Path:
    if not STORED_NAME.fullmatch(stored_name):  # never join a name we did not make
        raise Http404
    return directory / stored_name


def document_path(document: GeneratedDocument) -> Path:
    return stored_path(documents_dir(), document.stored_name)


def archive_path(archive: CampaignArchive) -> Path:
    return stored_path(archives_dir(), archive.stored_name)


def write_atomically(directory: Path, extension: str,
                     write: Callable[[IO[bytes]], None]) -> Path:
    """A new randomly named file, written beside its target and renamed into place."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{secrets.token_hex(16)}.{extension}"
    descriptor, temp = tempfile.mkstemp(dir=directory, prefix=".part-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def store_bytes(directory: Path, content: bytes, extension: str) -> Path:
    return write_atomically(directory, extension, lambda out: out.write(content))


def unlink_on_commit(paths: Iterable[Path]) -> None:
    """Delete files once the rows naming them are gone for good (a rollback keeps both)."""
    doomed = list(paths)
    transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in doomed])


# Rendering ----------------------------------------------------------------------------------

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_page_count(content: bytes) -> int:
    """Pages of a WeasyPrint PDF: its page objects sit in compressed object streams."""
    count = len(PAGE_OBJECT.findall(content))
    for match in STREAM.finditer(content):
        try:
            count += len(PAGE_OBJECT.findall(zlib.decompress(match.group(1))))
        except zlib.error:  # not a Flate stream: nothing to count in it
            continue
    return count


def report_pdf(submission: Submission) -> bytes:
    return render.render_report(build.submission_report(submission))


def score_sheet_pdf(submission: Submission) -> bytes:
    return render.render_score_sheet(build.submission_score_sheet(submission))


def score_sheet_workbook(submission: Submission) -> bytes:
    return xlsx.score_sheet_xlsx(build.submission_score_sheet(submission))


RENDERERS: dict[str, Callable[[Submission], bytes]] = {
    Kind.REPORT: report_pdf, Kind.SCORE_SHEET: score_sheet_pdf,
    Kind.SCORE_SHEET_XLSX: score_sheet_workbook,
}


def document_content(submission: Submission, kind: str) -> bytes:
    return RENDERERS[Kind(kind)](submission)


def department_name(submission: Submission) -> str:
    """The department's name as a file or folder name."""
    return submission.department.name.replace("/", "-").replace("\\", "-").strip(". ")


def file_name(submission: Submission, kind: str) -> str:
    """江门市人力资源和社会保障局-2023-自评报告.pdf"""
    return (f"{department_name(submission)}-{submission.campaign.year}-"
            f"{TITLES[Kind(kind)]}.{EXTENSIONS[Kind(kind)]}")


# Documents ----------------------------------------------------------------------------------


def document_request(*, submission: Submission, kind: str,
                     user: User | None = None) -> GeneratedDocument:
    """The current version's document of this kind, queued when missing or failed.

    Idempotent: a done document, or one already queued, is returned unchanged and nothing is
    queued. The task is queued once the transaction commits (eagerly run in the demo).
    """
    document, needed = document_prepare(submission=submission, kind=kind, user=user)
    if needed:
        audit_record(event="document_request", user=user, obj=document, kind=kind,
                     submission=submission.pk, version=document.version)
        from evaluations.documents.tasks import generate_document_task  # the tasks module imports this

        generate_document_task.delay_on_commit(document.pk)
    return document


def document_prepare(*, submission: Submission, kind: str,
                     user: User | None = None) -> tuple[GeneratedDocument, bool]:
    """Find or (re)create the row for (submission, version, kind); True when it needs making.

    A retry replaces the failed (or lost pending) row by a new one with `attempts` + 1, so
    `created_at` is always when the current attempt was asked for.
    """
    requester = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        fresh = Submission.objects.only("version", "updated_at").get(pk=submission.pk)
        existing = (GeneratedDocument.objects.select_for_update()
                    .filter(submission=fresh, version=fresh.version, kind=Kind(kind)).first())
        if existing is not None and is_current(existing, fresh) and not needs_attempt(existing):
            return existing, False
        attempts = 1
        if existing is not None:
            attempts = existing.attempts + 1
            document_delete(existing)
        return document_create(fresh, kind, requester, attempts)


def document_create(submission: Submission, kind: str, requester: User | None,
                    attempts: int) -> tuple[GeneratedDocument, bool]:
    """A new pending row, or the one a concurrent request has just created (a double click)."""
    key = {"submission": submission, "version": submission.version, "kind": Kind(kind)}
    try:
        with transaction.atomic():
            return GeneratedDocument.objects.create(**key, requested_by=requester,
                                                    attempts=attempts), True
    except IntegrityError:
        return GeneratedDocument.objects.get(**key), False


def is_current(document: GeneratedDocument, submission: Submission) -> bool:
    """Made from the submission as it is: its version, and asked for after its last change."""
    return (document.version == submission.version
            and document.created_at >= submission.updated_at)


def needs_attempt(document: GeneratedDocument) -> bool:
    if document.status == DocumentStatus.FAILED:
        return True
    return document.status == DocumentStatus.PENDING and is_lost(document.created_at,
                                                                  PENDING_TIMEOUT)


def document_delete(document: GeneratedDocument) -> None:
    """The row now, its file (if any) once committed."""
    if STORED_NAME.fullmatch(document.stored_name):
        unlink_on_commit([document_path(document)])
    document.delete()


def is_lost(created_at: dt.datetime, timeout: dt.timedelta) -> bool:
    return created_at < timezone.now() - timeout


def document_generate(*, document_id: int) -> GeneratedDocument | None:
    """Render and store one document; nothing to do when it is done, failed or gone.

    Any error while rendering marks the document failed with a short Chinese message (the
    details go to the log) and leaves no file behind.
    """
    document = document_claim(document_id)
    if document is None or document.status != DocumentStatus.PENDING:
        return document
    try:
        content = document_render(document)
    except StaleDocument:
        return document_fail(document_id, _("自评已修改，请重新生成。"))
    except Exception:
        logger.exception("Rendering document %s (%s) failed", document_id, document.kind)
        return document_fail(document_id, _("生成失败，请重试；如仍失败，请联系系统管理员。"))
    return document_store(document, content)


def document_claim(document_id: int) -> GeneratedDocument | None:
    """The row, checked under its lock: a pending document of a changed submission is stale."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PENDING:
            return document
        submission = Submission.objects.only("version", "updated_at").get(
            pk=document.submission_id)
        if not is_current(document, submission):
            return mark_failed(document, _("自评已修改，请重新生成。"))
        return document


def document_render(document: GeneratedDocument) -> bytes:
    submission = submission_with_figures(pk=document.submission_id)
    if not is_current(document, submission):
        raise StaleDocument
    return document_content(submission, document.kind)


def document_store(document: GeneratedDocument, content: bytes) -> GeneratedDocument | None:
    path = store_bytes(documents_dir(), content, EXTENSIONS[Kind(document.kind)])
    try:
        return document_finish(document.pk, path, content)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def document_finish(document_id: int, path: Path, content: bytes) -> GeneratedDocument | None:
    """Record the stored file; a run that lost the race deletes its own file instead."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PENDING:
            unlink_on_commit([path])
            return document
        document.status = DocumentStatus.DONE
        document.stored_name = path.name
        document.size = len(content)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.pages = pdf_page_count(content) if path.suffix == ".pdf" else 0
        document.error = ""
        document.finished_at = timezone.now()
        document.save(update_fields=["status", "stored_name", "size", "sha256", "pages",
                                     "error", "finished_at"])
        documents_delete_older(document)
        audit_record(event="document_generated", obj=document, kind=document.kind,
                     submission=document.submission_id, version=document.version,
                     sha256=document.sha256)
        return document


def documents_delete_older(document: GeneratedDocument) -> None:
    """The older versions' documents of this kind: rows now, files once committed."""
    older = GeneratedDocument.objects.filter(submission_id=document.submission_id,
                                             kind=document.kind, version__lt=document.version)
    unlink_on_commit(documents_dir() / name for name in
                     older.exclude(stored_name="").values_list("stored_name", flat=True)
                     if STORED_NAME.fullmatch(name))
    older.delete()


def document_fail(document_id: int, error: str) -> GeneratedDocument | None:
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PENDING:
            return document
        return mark_failed(document, error)


def mark_failed(document: GeneratedDocument, error: str) -> GeneratedDocument:
    document.status = DocumentStatus.FAILED
    document.error = error
    document.finished_at = timezone.now()
    document.save(update_fields=["status", "error", "finished_at"])
    return document


def document_ensure(*, submission: Submission, kind: str,
                    user: User | None = None) -> GeneratedDocument:
    """The current document of this kind, generated here and now when it is not done yet."""
    document, _needed = document_prepare(submission=submission, kind=kind, user=user)
    if document.status == DocumentStatus.DONE:
        return document
    generated = document_generate(document_id=document.pk)
    return generated if generated is not None else document


# Documents: reads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    """One line of the documents panel: a kind and its current document, if any."""

    kind: str
    label: str
    document: GeneratedDocument | None

    @property
    def status(self) -> str:
        return self.document.status if self.document is not None else "missing"

    @property
    def is_pdf(self) -> bool:
        return EXTENSIONS[Kind(self.kind)] == "pdf"

    @property
    def can_request(self) -> bool:
        """Missing, failed, or pending so long that its task must have been lost."""
        return self.document is None or needs_attempt(self.document)


def current_documents(submission: Submission) -> dict[str, GeneratedDocument]:
    documents = GeneratedDocument.objects.filter(submission=submission,
                                                 version=submission.version,
                                                 created_at__gte=submission.updated_at)
    return {document.kind: document for document in documents}


def document_rows(*, submission: Submission) -> list[DocumentRow]:
    current = current_documents(submission)
    return [DocumentRow(kind=kind.value, label=str(kind.label), document=current.get(kind.value))
            for kind in Kind]


@dataclass(frozen=True)
class DocumentPanel:
    rows: list[DocumentRow]

    @property
    def can_request_any(self) -> bool:
        return any(row.can_request for row in self.rows)

    @property
    def pending(self) -> bool:
        return any(row.status == DocumentStatus.PENDING for row in self.rows)


def document_panel(*, submission: Submission) -> DocumentPanel:
    return DocumentPanel(rows=document_rows(submission=submission))


def campaign_document_rows(*, campaign: Campaign) -> list[tuple[Submission, list[str]]]:
    """Each submission of the campaign with the status of its current PDFs ("missing" if none)."""
    submissions = (campaign.submissions.select_related("department")
                   .prefetch_related("documents").order_by("department__name"))
    return [(submission, pdf_statuses(submission)) for submission in submissions]


def pdf_statuses(submission: Submission) -> list[str]:
    current = {d.kind: d.status for d in submission.documents.all()
               if is_current(d, submission)}
    return [current.get(kind.value, "missing") for kind in PDF_KINDS]


def document_get_for_user(*, user: User, pk: int) -> GeneratedDocument:
    """A done document of its submission's current version, or 404 (other departments too)."""
    document = GeneratedDocument.objects.filter(pk=pk, status=DocumentStatus.DONE).first()
    if document is None:
        raise Http404
    submission = submission_get_for_user(user=user, pk=document.submission_id)
    if not is_current(document, submission):
        raise Http404  # an outdated file is no longer offered
    document.submission = submission
    return document


# Archives -----------------------------------------------------------------------------------


def is_reviewer(user: User) -> bool:
    return Role.REVIEWER in user_roles(user)


def campaign_get_for_reviewer(*, user: User, year: int) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None or not is_reviewer(user):
        raise Http404
    return campaign


def archive_get_for_reviewer(*, user: User, pk: int,
                             campaign: Campaign | None = None) -> CampaignArchive:
    archive = CampaignArchive.objects.select_related("campaign").filter(pk=pk).first()
    if archive is None or not is_reviewer(user):
        raise Http404
    if campaign is not None and archive.campaign_id != campaign.pk:
        raise Http404
    return archive


def archive_latest(*, campaign: Campaign) -> CampaignArchive | None:
    return CampaignArchive.objects.filter(campaign=campaign).order_by("-created_at", "-pk").first()


def archive_can_request(archive: CampaignArchive | None) -> bool:
    """No archive is being built (or the one pending has lost its task)."""
    return (archive is None or archive.status != DocumentStatus.PENDING
            or is_lost(archive.created_at, ARCHIVE_TIMEOUT))


def archive_request(*, campaign: Campaign, user: User) -> CampaignArchive:
    """A new zip of every department's PDFs, queued; one already being built is reused."""
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # serialise double clicks
        running = CampaignArchive.objects.filter(campaign=campaign,
                                                 status=DocumentStatus.PENDING).first()
        if running is not None and not archive_can_request(running):
            return running
        if running is not None:
            archive_mark_failed(running, _("生成超时，已重新开始。"))
        archive = CampaignArchive.objects.create(campaign=campaign, requested_by=user,
                                                 total=campaign.submissions.count())
    from evaluations.documents.tasks import build_archive_task  # the tasks module imports this

    build_archive_task.delay_on_commit(archive.pk)
    return archive


def archive_build(*, archive_id: int) -> CampaignArchive | None:
    """Make (if needed) and zip each submission's two PDFs, counting progress per submission."""
    archive = archive_claim(archive_id)
    if archive is None or archive.status != DocumentStatus.PENDING:
        return archive
    submissions = list(Submission.objects.filter(campaign_id=archive.campaign_id)
                       .select_related("department", "campaign").order_by("department__name"))
    CampaignArchive.objects.filter(pk=archive_id).update(total=len(submissions), done=0)
    try:
        path = write_atomically(archives_dir(), "zip",
                                lambda out: write_archive(out, archive, submissions))
    except ArchiveFailed as failure:
        return archive_fail(archive_id, str(failure))
    except Exception:
        logger.exception("Building archive %s failed", archive_id)
        return archive_fail(archive_id, _("打包失败，请重试；如仍失败，请联系系统管理员。"))
    return archive_finish(archive_id, path)


def archive_claim(archive_id: int) -> CampaignArchive | None:
    with transaction.atomic():
        return CampaignArchive.objects.select_for_update().filter(pk=archive_id).first()


def write_archive(out: IO[bytes], archive: CampaignArchive,
                  submissions: list[Submission]) -> None:
    # PDFs are compressed already: storing them is as small and much faster.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
        for done, submission in enumerate(submissions, start=1):
            for kind in PDF_KINDS:
                document = archive_document(submission, kind, archive)
                bundle.write(document_path(document), member_name(submission, kind))
            CampaignArchive.objects.filter(pk=archive.pk).update(done=done)


def archive_document(submission: Submission, kind: str,
                     archive: CampaignArchive) -> GeneratedDocument:
    document = document_ensure(submission=submission, kind=kind, user=archive.requested_by)
    if document.status != DocumentStatus.DONE:
        raise ArchiveFailed(_("%(department)s的%(kind)s生成失败：%(error)s") % {
            "department": submission.department.name, "kind": Kind(kind).label,
            "error": document.error or _("原因未知")})
    return document


def member_name(submission: Submission, kind: str) -> str:
    """江门市人力资源和社会保障局/江门市人力资源和社会保障局-2023-自评报告.pdf"""
    return f"{department_name(submission)}/{file_name(submission, kind)}"


def archive_name(archive: CampaignArchive) -> str:
    return f"{archive.campaign.year}-部门整体支出绩效自评报告.zip"


def archive_finish(archive_id: int, path: Path) -> CampaignArchive | None:
    """Record the zip and delete the campaign's earlier archives (rows now, files on commit)."""
    with transaction.atomic():
        archive = CampaignArchive.objects.select_for_update().filter(pk=archive_id).first()
        if archive is None or archive.status != DocumentStatus.PENDING:
            unlink_on_commit([path])
            return archive
        archive.status = DocumentStatus.DONE
        archive.stored_name = path.name
        archive.size = path.stat().st_size
        archive.done = archive.total
        archive.finished_at = timezone.now()
        archive.save(update_fields=["status", "stored_name", "size", "done", "finished_at"])
        archives_delete_older(archive)
        return archive


def archives_delete_older(archive: CampaignArchive) -> None:
    older = CampaignArchive.objects.filter(campaign_id=archive.campaign_id,
                                           created_at__lte=archive.created_at).exclude(
        pk=archive.pk).exclude(status=DocumentStatus.PENDING)
    unlink_on_commit(archives_dir() / name for name in
                     older.exclude(stored_name="").values_list("stored_name", flat=True)
                     if STORED_NAME.fullmatch(name))
    older.delete()


def archive_fail(archive_id: int, error: str) -> CampaignArchive | None:
    with transaction.atomic():
        archive = CampaignArchive.objects.select_for_update().filter(pk=archive_id).first()
        if archive is None or archive.status != DocumentStatus.PENDING:
            return archive
        return archive_mark_failed(archive, error)


def archive_mark_failed(archive: CampaignArchive, error: str) -> CampaignArchive:
    archive.status = DocumentStatus.FAILED
    archive.error = error
    archive.finished_at = timezone.now()
    archive.save(update_fields=["status", "error", "finished_at"])
    return archive
