"""Generated documents: request, poll and download; the campaign's batch zip.

Every fetch goes through an access-checked getter: another department's submission or document
gets 404, and so does the campaign's batch for anyone who sees only their own department's
submissions. Actions are POST-only and work without JavaScript (they redirect back to `next`);
`documents.js` posts the same forms with `Accept: application/json` and polls the status views
instead of reloading.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.audit import audit_record
from evaluations.common.files import private_file_response
from evaluations.common.redirects import back_to
from evaluations.documents import paths, selectors, services
from evaluations.models import CampaignArchive, GeneratedDocument, Submission
from evaluations.selectors import campaign_get_for_review, submission_get_for_user

logger = logging.getLogger(__name__)

PANEL_TEMPLATE = "evaluations/documents/_documents.html"
BACK_STEP = "preview"  # without a `next`, the step page that shows the documents panel


# Documents of one submission ----------------------------------------------------------------


@login_required
@require_POST
def document_request(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, pk=pk)
    for chosen in requested_kinds(kind):
        services.document_request(submission=submission, kind=chosen, user=request.user)
        logger.info("Document %s of submission %s requested by %s", chosen, pk, request.user.pk)
    if wants_json(request):
        return JsonResponse(status_payload(request, submission))
    return redirect(back_to(request, submission_pk=submission.pk, step=BACK_STEP))


@login_required
@require_GET
def document_status(request: HttpRequest, pk: int) -> JsonResponse:
    submission = submission_get_for_user(user=request.user, pk=pk)
    return JsonResponse(status_payload(request, submission))


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    audit_record(event="document_download", obj=document, kind=document.kind,
                 submission=document.submission_id, version=document.version)
    return private_file_response(
        paths.document_path(document), filename=paths.file_name(document.submission, document.kind),
        content_type=paths.CONTENT_TYPES[paths.extension(document.kind)])


def requested_kinds(kind: str) -> list[str]:
    """One kind, or every kind for "all" (the panel's 全部生成 button)."""
    if kind == "all":
        return list(GeneratedDocument.Kind.values)
    if kind not in GeneratedDocument.Kind.values:
        raise Http404
    return [kind]


def status_payload(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    """{kind: {status, label, url, …}}, whether any is pending, and the panel's HTML."""
    panel = selectors.document_panel(submission=submission)
    context = {"submission": submission,
               "next_url": back_to(request, submission_pk=submission.pk, step=BACK_STEP)}
    return {
        "documents": {row.kind: row_payload(row) for row in panel.rows},
        "pending": panel.pending,
        "html": render_to_string(PANEL_TEMPLATE, context, request=request),
    }


def row_payload(row: selectors.DocumentRow) -> dict[str, Any]:
    document = row.document
    done = document if document is not None and document.status == "done" else None
    return {
        "status": row.status,
        "label": row.label,
        "url": reverse("document_download", args=[done.pk]) if done else "",
        "size": done.size if done else 0,
        "pages": done.pages if done else 0,
        "error": document.error if document is not None else "",
        "attempts": document.attempts if document is not None else 0,
    }


# The campaign's batch -----------------------------------------------------------------------


@login_required
@require_GET
def campaign_documents(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_get_for_review(user=request.user, year=year)
    archive = selectors.archive_latest(campaign=campaign)
    return render(request, "evaluations/documents/campaign_documents.html", {
        "campaign": campaign, "archive": archive,
        "can_request": selectors.archive_can_request(archive),
        "rows": selectors.campaign_document_rows(campaign=campaign),
    })


@login_required
@require_POST
def archive_request(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_get_for_review(user=request.user, year=year)
    archive = services.archive_request(campaign=campaign, user=request.user)
    if wants_json(request):
        return JsonResponse(archive_payload(archive))
    if archive.status == "pending":
        messages.info(request, _("已开始打包，完成后可在本页下载。"))
    return redirect("campaign_documents", year=campaign.year)


@login_required
@require_GET
def archive_status(request: HttpRequest, year: int, pk: int) -> JsonResponse:
    campaign = campaign_get_for_review(user=request.user, year=year)
    archive = selectors.archive_get_for_user(user=request.user, pk=pk, campaign=campaign)
    return JsonResponse(archive_payload(archive))


@login_required
@require_GET
def archive_download(request: HttpRequest, pk: int) -> FileResponse:
    archive = selectors.archive_get_for_user(user=request.user, pk=pk)
    if archive.status != "done":
        raise Http404
    audit_record(event="archive_download", obj=archive, campaign=archive.campaign_id)
    return private_file_response(paths.archive_path(archive), filename=paths.archive_name(archive),
                                 content_type=paths.CONTENT_TYPES["zip"])


def archive_payload(archive: CampaignArchive) -> dict[str, Any]:
    done = archive.status == "done"
    return {
        "id": archive.pk,
        "status": archive.status,
        "label": archive.get_status_display(),
        "done": archive.done,
        "total": archive.total,
        "percent": selectors.archive_percent(archive),
        "url": reverse("archive_download", args=[archive.pk]) if done else "",
        "status_url": reverse("archive_status", args=[archive.campaign.year, archive.pk]),
        "size": archive.size if done else 0,
        "error": archive.error,
    }


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")
