"""Generated documents: the requests that queue their making (`generate` does the making).

A request is idempotent: a done document, or one already queued, is returned unchanged and
nothing is queued. Tasks are queued once the transaction commits (run eagerly in the demo).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from departments.audit import audit_record
from evaluations.documents.generate import archive_mark_failed, document_prepare
from evaluations.documents.selectors import User, archive_can_request
from evaluations.documents.tasks import build_archive_task, generate_document_task
from evaluations.models import Campaign, CampaignArchive, DocumentStatus, GeneratedDocument, Submission


def document_request(*, submission: Submission, kind: str,
                     user: User | None = None) -> GeneratedDocument:
    """The current version's document of this kind, queued when missing or failed."""
    document, needed = document_prepare(submission=submission, kind=kind, user=user)
    if needed:
        audit_record(event="document_request", user=user, obj=document, kind=kind,
                     submission=submission.pk, version=document.version)
        # delay_on_commit is Celery 5.4 API that celery-types does not know yet.
        generate_document_task.delay_on_commit(document.pk)  # type: ignore[attr-defined]
    return document


def archive_request(*, campaign: Campaign, user: User) -> CampaignArchive:
    """A new zip of every department's PDFs, queued; one already being built is reused."""
    if not user.is_authenticated:  # the views require a login: an archive names who asked
        raise ValueError("An archive is requested by a signed-in user.")
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # serialise double clicks
        running = CampaignArchive.objects.filter(campaign=campaign,
                                                 status=DocumentStatus.PENDING).first()
        if running is not None and not archive_can_request(running):
            return running
        if running is not None:
            archive_mark_failed(running, _("生成超时，已重新开始。"))
        archive = CampaignArchive.objects.create(campaign=campaign, requested_by_id=user.pk,
                                                 total=campaign.submissions.count())
    build_archive_task.delay_on_commit(archive.pk)  # type: ignore[attr-defined]
    archive.refresh_from_db()  # built already when Celery runs eagerly outside a transaction
    return archive
