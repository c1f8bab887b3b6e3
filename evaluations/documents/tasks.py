"""Celery tasks of documents (and the scoring task): thin wrappers over `generate` and selectors.

Without REDIS_URL the project runs Celery eagerly (in-process); with it, a worker started by
`celery -A config worker` runs these. No automatic retries: scoring and rendering are
deterministic, so a failure is a bug or missing data and retrying would fail the same way.
`generate` records a failure on the row instead, and the user retries from the page;
`acks_late` redelivers a task whose worker died, and `generate` makes a second run harmless.
"""

from __future__ import annotations

from celery import shared_task

from evaluations.documents.generate import archive_build, document_generate
from evaluations.selectors import submission_scored, submission_with_figures
from rubrics.numbers import score_text


@shared_task(name="evaluations.tasks.submission_score_task",
             acks_late=True, time_limit=120, soft_time_limit=100, ignore_result=False)
def submission_score_task(submission_id: int) -> dict[str, str]:
    """Score a stored submission: {"computed": "97.59", "self": "98.49", "grade": "优"}."""
    result = submission_scored(submission=submission_with_figures(pk=submission_id)).result
    return {
        "computed": score_text(result.computed),
        "self": score_text(result.self_total),
        "grade": result.grade,
    }


@shared_task(name="evaluations.tasks.generate_document_task",
             acks_late=True, time_limit=300, soft_time_limit=240)
def generate_document_task(document_id: int) -> str:
    """Render and store one generated document (idempotent: a done document is left alone)."""
    document = document_generate(document_id=document_id)
    return document.status if document is not None else "gone"


@shared_task(name="evaluations.tasks.build_archive_task",
             acks_late=True, time_limit=3600, soft_time_limit=3300)
def build_archive_task(archive_id: int) -> str:
    """Zip a campaign's PDFs, generating those not yet made (minutes for many departments)."""
    archive = archive_build(archive_id=archive_id)
    return archive.status if archive is not None else "gone"
