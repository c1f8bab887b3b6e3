"""Generated documents and archives: reads, freshness rules and the access-checked getters.

Only a current document is offered: one of the submission's version, requested after the
submission last changed (`updated_at`). The second condition matters because a workflow arrow
(submit, return, approve) changes what the PDFs print (the 草稿 watermark, the digest, the
review scores) without changing the version.

Who sees what (departments/access.py): a submission's documents follow its submission
(`submission_get_for_user`); the campaign's documents page and its archives are for those who
see every submission (reviewers and rubric administrators), like the queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from departments.access import sees_all_submissions
from evaluations.documents.paths import EXTENSIONS, PDF_KINDS, Kind
from evaluations.models import Campaign, CampaignArchive, DocumentStatus, GeneratedDocument, Submission
from evaluations.selectors import submission_get_for_user

User = AbstractBaseUser | AnonymousUser
# A pending document or archive older than this lost its task (broker down, worker killed
# before acking): asking again queues it again instead of waiting forever. Both exceed the
# hard time limits of their tasks (5 minutes and 1 hour), after which no run can be alive.
PENDING_TIMEOUT = dt.timedelta(minutes=15)
ARCHIVE_TIMEOUT = dt.timedelta(minutes=65)


# Freshness ----------------------------------------------------------------------------------


def is_current(document: GeneratedDocument, submission: Submission) -> bool:
    """Made from the submission as it is: its version, and asked for after its last change."""
    return (document.version == submission.version
            and document.created_at >= submission.updated_at)


def is_lost(created_at: dt.datetime, timeout: dt.timedelta) -> bool:
    return created_at < timezone.now() - timeout


def needs_attempt(document: GeneratedDocument) -> bool:
    """Failed, or pending so long that its task must have been lost."""
    if document.status == DocumentStatus.FAILED:
        return True
    return document.status == DocumentStatus.PENDING and is_lost(document.created_at,
                                                                  PENDING_TIMEOUT)


def archive_can_request(archive: CampaignArchive | None) -> bool:
    """No archive is being built (or the one pending has lost its task)."""
    return (archive is None or archive.status != DocumentStatus.PENDING
            or is_lost(archive.created_at, ARCHIVE_TIMEOUT))


# The documents panel of a submission --------------------------------------------------------


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


# The campaign's documents and archives ------------------------------------------------------


def campaign_document_rows(*, campaign: Campaign) -> list[tuple[Submission, list[str]]]:
    """Each submission of the campaign with the status of its current PDFs ("missing" if none)."""
    submissions = (campaign.submissions.select_related("department")
                   .prefetch_related("documents").order_by("department__name"))
    return [(submission, pdf_statuses(submission)) for submission in submissions]


def pdf_statuses(submission: Submission) -> list[str]:
    current = {d.kind: d.status for d in submission.documents.all()
               if is_current(d, submission)}
    return [current.get(kind.value, "missing") for kind in PDF_KINDS]


def archive_get_for_user(*, user: User, pk: int,
                         campaign: Campaign | None = None) -> CampaignArchive:
    """The archive (of `campaign`, when given), or 404 for a user who sees only their own."""
    archive = CampaignArchive.objects.select_related("campaign").filter(pk=pk).first()
    if archive is None or not sees_all_submissions(user):
        raise Http404
    if campaign is not None and archive.campaign_id != campaign.pk:
        raise Http404
    return archive


def archive_percent(archive: CampaignArchive) -> int:
    """How far the build is, in whole percent of the submissions zipped."""
    return round(100 * archive.done / archive.total) if archive.total else 0


def archive_latest(*, campaign: Campaign) -> CampaignArchive | None:
    return CampaignArchive.objects.filter(campaign=campaign).order_by("-created_at", "-pk").first()
