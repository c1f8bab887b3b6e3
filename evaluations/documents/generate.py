"""Making documents: the row of a request, render, store and record; the campaign's zip.

What the tasks run (`evaluations.documents.tasks`) and what `services` prepares before queueing
them. Nothing here queues a task, so the tasks module can import this one without a cycle.

A document is keyed by (submission, version, kind): one file per version of the figures, made
once however often it is requested or its task runs. A document made before the submission last
changed is replaced in place (`selectors.is_current`). When a newer version's document is done,
the older versions' rows and files of that kind are deleted.

Rows are locked only to claim and to finish a document. Rendering takes seconds and runs outside
any transaction, so a slow PDF never holds a database lock; two runs that race both render, and
the second to finish throws its file away.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.audit import audit_record
from evaluations.common import files
from evaluations.documents import build, paths, render, xlsx
from evaluations.documents.paths import PDF_KINDS, Kind
from evaluations.documents.selectors import User, is_current, needs_attempt
from evaluations.models import CampaignArchive, DocumentStatus, GeneratedDocument, Submission
from evaluations.selectors import submission_with_figures

logger = logging.getLogger(__name__)


class StaleDocument(Exception):
    """The submission changed after the document was requested."""


class ArchiveFailed(Exception):
    """One department's PDF could not be made; the message says which, in Chinese."""


# Content ------------------------------------------------------------------------------------

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


# Called through their modules, so that tests can swap the slow WeasyPrint renderers.
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


# The row of a request -----------------------------------------------------------------------


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
            return GeneratedDocument.objects.create(
                **key, requested_by_id=requester.pk if requester is not None else None,
                attempts=attempts), True
    except IntegrityError:
        return GeneratedDocument.objects.get(**key), False


def document_delete(document: GeneratedDocument) -> None:
    """The row now, its file (if any) once committed."""
    if files.is_stored_name(document.stored_name):
        files.unlink_on_commit([paths.document_path(document)])
    document.delete()


# One document -------------------------------------------------------------------------------


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


def document_ensure(*, submission: Submission, kind: str,
                    user: User | None = None) -> GeneratedDocument:
    """The current document of this kind, generated here and now when it is not done yet."""
    document, _needed = document_prepare(submission=submission, kind=kind, user=user)
    if document.status == DocumentStatus.DONE:
        return document
    generated = document_generate(document_id=document.pk)
    return generated if generated is not None else document


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
    path = files.store_bytes(paths.documents_dir(), content, paths.extension(document.kind))
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
            files.unlink_on_commit([path])
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
    files.unlink_on_commit(paths.documents_dir() / name for name in
                           older.exclude(stored_name="").values_list("stored_name", flat=True)
                           if files.is_stored_name(name))
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


# The campaign's zip -------------------------------------------------------------------------


def archive_build(*, archive_id: int) -> CampaignArchive | None:
    """Make (if needed) and zip each submission's two PDFs, counting progress per submission."""
    archive = archive_claim(archive_id)
    if archive is None or archive.status != DocumentStatus.PENDING:
        return archive
    submissions = list(Submission.objects.filter(campaign_id=archive.campaign_id)
                       .select_related("department", "campaign").order_by("department__name"))
    CampaignArchive.objects.filter(pk=archive_id).update(total=len(submissions), done=0)

    def write(out: IO[bytes]) -> None:
        write_archive(out, archive, submissions)

    try:
        path = files.write_atomically(paths.archives_dir(), "zip", write)
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
                bundle.write(paths.document_path(document), paths.member_name(submission, kind))
            CampaignArchive.objects.filter(pk=archive.pk).update(done=done)


def archive_document(submission: Submission, kind: str,
                     archive: CampaignArchive) -> GeneratedDocument:
    document = document_ensure(submission=submission, kind=kind, user=archive.requested_by)
    if document.status != DocumentStatus.DONE:
        raise ArchiveFailed(_("%(department)s的%(kind)s生成失败：%(error)s") % {
            "department": submission.department.name, "kind": Kind(kind).label,
            "error": document.error or _("原因未知")})
    return document


def archive_finish(archive_id: int, path: Path) -> CampaignArchive | None:
    """Record the zip and delete the campaign's earlier archives (rows now, files on commit)."""
    with transaction.atomic():
        archive = CampaignArchive.objects.select_for_update().filter(pk=archive_id).first()
        if archive is None or archive.status != DocumentStatus.PENDING:
            files.unlink_on_commit([path])
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
    files.unlink_on_commit(paths.archives_dir() / name for name in
                           older.exclude(stored_name="").values_list("stored_name", flat=True)
                           if files.is_stored_name(name))
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
