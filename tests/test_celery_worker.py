"""Tasks through a real Celery worker process, Redis and PostgreSQL (run by .ci/run)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from celery.result import EagerResult
from django.conf import settings

from config.celery import ping_task
from departments.models import Department
from evaluations.documents.tasks import submission_score_task
from evaluations.figures.codec import submission_figures
from evaluations.models import Campaign, Claim, Submission, Target
from evaluations.selectors import submission_with_figures
from rubrics.loader import parse_rubric
from rubrics.numbers import score_text
from rubrics.scoring import score
from rubrics.selectors import rubric_spec
from rubrics.services import rubric_load
from rubrics.yamlio import load_yaml

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# Hand-checked for make_submission(): the defaults score 71.00 (1.1.1, 1.1.2, 1.1.3 → 0;
# 2.3.1, 2.3.2, 2.5.2 → 0, nothing disclosed, no procurement controls; the rest full marks),
# then 1.1.1 2 of 3 outputs = 6.67, 1.1.3 quarterly 20/45/70/96 % = 1 + 1.125 + 1.1667 + 1.25
# = 4.54, 2.3.1 budget and final accounts disclosed = 2, 2.5.2 internal controls = 1:
# 71 + 6.67 + 4.54 + 2 + 1 = 85.21; the claim raises 1.1.3 from 4.54 to 4.80 → 85.47, 良.
EXPECTED = {"computed": "85.21", "self": "85.47", "grade": "良"}


def make_submission() -> Submission:
    path = settings.BASE_DIR / "rubrics" / "data" / "jiangmen-2023.yaml"
    spec, problems = parse_rubric(load_yaml(path.read_text(encoding="utf-8")))
    assert spec is not None, problems
    version, _changed = rubric_load(spec=spec)
    department = Department.objects.create(name="江门市测试局")
    campaign = Campaign.objects.create(
        year=2023, name="2023 年度部门整体支出绩效自评", rubric=version,
        deadline=dt.datetime(2024, 3, 31, 17, tzinfo=dt.UTC),
    )
    submission = Submission.objects.create(
        department=department, campaign=campaign,
        rate_q1=Decimal("20"), rate_q2=Decimal("45"), rate_q3=Decimal("70"),
        rate_q4=Decimal("96"), disclosed_budget=True, disclosed_final_accounts=True,
        internal_controls=True,
    )
    for position, (name, completed) in enumerate([("培训人次", True), ("检查次数", True),
                                                  ("办结率", False)]):
        Target.objects.create(submission=submission, position=position, kind="output",
                              category="数量", name=name, target="100",
                              actual="100" if completed else "80", completed=completed)
    Claim.objects.create(submission=submission, indicator="1.1.3", score=Decimal("4.80"),
                         reason="第一季度资金下达滞后，非本部门原因")
    return submission


def score_in_process(pk: int) -> dict[str, str]:
    submission = submission_with_figures(pk=pk)
    result = score(rubric_spec(version=submission.campaign.rubric),
                   submission_figures(submission=submission))
    return {"computed": score_text(result.computed), "self": score_text(result.self_total),
            "grade": result.grade}


def test_submission_score_task_runs_in_worker(celery_worker_process) -> None:
    submission = make_submission()

    pending = submission_score_task.delay(submission.pk)
    assert not isinstance(pending, EagerResult)  # went through the broker
    from_worker = pending.get(timeout=60)

    assert from_worker == score_in_process(submission.pk)
    assert from_worker == EXPECTED


def test_ping_task_runs_in_worker(celery_worker_process) -> None:
    pending = ping_task.delay()
    assert not isinstance(pending, EagerResult)
    assert pending.get(timeout=30) == "pong"
