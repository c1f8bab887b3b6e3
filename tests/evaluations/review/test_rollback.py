"""A workflow action that fails after its first write leaves no trace of itself.

Every other refusal test stops before the first write, so the transaction around each arrow was
never exercised. Here the status (or claim) is already saved when something it calls next
raises: the Transition row, the audit row, the notification. The stored status, version,
snapshot and rows must be exactly as before, and the same action must then succeed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from departments.models import AuditEvent, Role
from evaluations.models import Campaign, Claim, IndicatorReview, Submission, Transition
from evaluations.review import workflow
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db


class Boom(Exception):
    """Raised by the patched step, so no real error can pass for it."""


def boom(*args: Any, **kwargs: Any) -> Any:
    raise Boom


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


def traces(submission: Submission) -> tuple[Any, ...]:
    """Everything an arrow writes: the submission's state, its rows and the audit trail."""
    saved = Submission.objects.get(pk=submission.pk)
    return (
        saved.status, saved.version, saved.snapshot, saved.snapshot_digest, saved.submitted_at,
        saved.reviewed_at, Transition.objects.count(), AuditEvent.objects.count(),
        list(Claim.objects.filter(submission=submission).order_by("pk").values_list(
            "decision", "decision_comment", "decided_by", "decided_at")),
        list(IndicatorReview.objects.filter(submission=submission).values_list(
            "indicator", "review_score", "comment")),
    )


def submit(world: World) -> Transition:
    return workflow.submission_submit(submission=world.reference, actor=world.officer,
                                      warnings_confirmed=True)


def decide_all(world: World) -> None:
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=True)


def test_a_submit_whose_audit_row_fails_keeps_the_draft_without_snapshot(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(workflow, "audit_record", boom)
        with pytest.raises(Boom):
            submit(world)
    assert traces(world.reference) == before
    assert before[:4] == ("draft", before[1], None, "")
    submit(world)
    assert traces(world.reference)[0] == "submitted"


def test_a_submit_whose_transition_row_fails_keeps_the_status_and_version(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(Transition.objects, "create", boom)
        with pytest.raises(Boom):
            submit(world)
    assert traces(world.reference) == before


def test_a_return_whose_notification_fails_stays_submitted(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    submit(world)
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(workflow.notify_transition_task, "delay_on_commit", boom)
        with pytest.raises(Boom):
            workflow.submission_return(submission=world.reference, actor=world.reviewer,
                                       comment="请修改")
    assert traces(world.reference) == before
    workflow.submission_return(submission=world.reference, actor=world.reviewer, comment="请修改")
    assert traces(world.reference)[0] == "returned"


def test_an_approval_whose_audit_row_fails_leaves_no_review_time(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    submit(world)
    decide_all(world)
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(workflow, "audit_record", boom)
        with pytest.raises(Boom):
            workflow.submission_approve(submission=world.reference, actor=world.reviewer)
    assert traces(world.reference) == before
    assert before[0] == "submitted" and before[5] is None


def test_a_reopen_whose_transition_row_fails_stays_reviewed(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    submit(world)
    decide_all(world)
    workflow.submission_approve(submission=world.reference, actor=world.reviewer)
    admin = make_user("rubric_admin", Role.RUBRIC_ADMIN)
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(Transition.objects, "create", boom)
        with pytest.raises(Boom):
            workflow.submission_reopen(submission=world.reference, actor=admin, reason="更正")
    assert traces(world.reference) == before
    assert before[0] == "reviewed" and before[5] is not None


def test_a_claim_decision_whose_audit_row_fails_stays_pending(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    submit(world)
    claim = Claim.objects.filter(submission=world.reference).order_by("pk").first()
    assert claim is not None
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(workflow, "audit_record", boom)
        with pytest.raises(Boom):
            workflow.claim_decide(claim=claim, actor=world.reviewer, accept=False, comment="依据不足")
    assert traces(world.reference) == before
    assert Claim.objects.get(pk=claim.pk).decision == "pending"


def test_a_review_score_whose_row_fails_leaves_no_audit_row(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    submit(world)
    before = traces(world.reference)
    with monkeypatch.context() as patch:
        patch.setattr(IndicatorReview.objects, "update_or_create", boom)
        with pytest.raises(Boom):
            workflow.indicator_review_set(submission=world.reference, actor=world.reviewer,
                                          indicator="2.6.6", review_score=Decimal("1.5"),
                                          reason="无佐证")
    assert traces(world.reference) == before
    assert not AuditEvent.objects.filter(event="review_score").exists()
