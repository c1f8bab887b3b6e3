"""Celery tasks of the evaluations app: thin wrappers over selectors and the scoring service.

Without REDIS_URL the project runs Celery eagerly (in-process); with it, a worker started by
`celery -A config worker` runs these. No retries: scoring is deterministic, so a failure is a
bug or missing data and retrying would fail the same way.
"""

from __future__ import annotations

from celery import shared_task

from evaluations.selectors import submission_figures, submission_with_figures
from rubrics.numbers import score_text
from rubrics.scoring import score
from rubrics.selectors import rubric_spec


@shared_task(acks_late=True, time_limit=30, soft_time_limit=20, ignore_result=False)
def ping_task() -> str:
    """Round trip through broker, worker and result backend (used by the health endpoint)."""
    return "pong"


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100, ignore_result=False)
def submission_score_task(submission_id: int) -> dict[str, str]:
    """Score a stored submission: {"computed": "97.59", "self": "98.49", "grade": "优"}."""
    submission = submission_with_figures(pk=submission_id)
    figures = submission_figures(submission=submission)
    spec = rubric_spec(version=submission.campaign.rubric)
    result = score(spec, figures)
    return {
        "computed": score_text(result.computed),
        "self": score_text(result.self_total),
        "grade": result.grade,
    }
