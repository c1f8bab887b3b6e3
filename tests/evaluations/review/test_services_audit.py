"""Every write service audits itself, without a view: the workflow arrows, claim decisions,
review scores, a step saved and an import each leave their own row, and a refusal none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from departments.models import AuditEvent, Role
from evaluations.exceptions import WorkflowError
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Claim, Submission
from evaluations.review import workflow
from evaluations.selectors import submission_with_figures
from evaluations.services import submission_import, submission_save_step
from tests.factories import REFERENCE_FILE, World, build_world, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


def audit_rows(event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


def who_and_what(row: AuditEvent) -> tuple[Any, ...]:
    return row.user_id, row.roles, row.object_type, row.object_id


def version_of(submission: Submission) -> int:
    return Submission.objects.get(pk=submission.pk).version


def submit(world: World) -> None:
    workflow.submission_submit(submission=world.reference, actor=world.officer,
                               warnings_confirmed=True)


def decide_every_claim(world: World) -> None:
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=True)


def test_the_submit_service_writes_its_own_transition_audit_row(world: World) -> None:
    submit(world)
    [row] = audit_rows("transition")
    assert who_and_what(row) == (world.officer.pk, "officer", "Submission",
                                 str(world.reference.pk))
    assert row.details == {"from_status": "draft", "to_status": "submitted", "comment": "",
                           "version": version_of(world.reference)}


def test_the_return_service_audits_the_arrow_with_the_reviewers_comment(world: World) -> None:
    submit(world)
    workflow.submission_return(submission=world.reference, actor=world.reviewer,
                               comment=" 请核实支出率 ", step_comments={"assets": "x"})
    row = audit_rows("transition")[-1]
    assert who_and_what(row) == (world.reviewer.pk, "reviewer", "Submission",
                                 str(world.reference.pk))
    assert row.details == {"from_status": "submitted", "to_status": "returned",
                           "comment": "请核实支出率", "version": version_of(world.reference)}


def test_the_approve_and_reopen_services_each_audit_their_arrow(world: World) -> None:
    submit(world)
    decide_every_claim(world)
    workflow.submission_approve(submission=world.reference, actor=world.reviewer)
    admin = make_user("rubric_admin", Role.RUBRIC_ADMIN)
    workflow.submission_reopen(submission=world.reference, actor=admin, reason="复核得分有误")
    submitted, approved, reopened = audit_rows("transition")
    assert (approved.user_id, approved.details["from_status"], approved.details["to_status"]) == (
        world.reviewer.pk, "submitted", "reviewed")
    assert who_and_what(reopened) == (admin.pk, "rubric_admin", "Submission",
                                      str(world.reference.pk))
    assert reopened.details == {"from_status": "reviewed", "to_status": "returned",
                                "comment": "复核得分有误", "version": version_of(world.reference)}


def test_a_refused_arrow_writes_no_audit_row(world: World) -> None:
    with pytest.raises(WorkflowError):
        workflow.submission_approve(submission=world.reference, actor=world.officer)
    with pytest.raises(WorkflowError):
        workflow.submission_reopen(submission=world.reference, actor=world.reviewer, reason="x")
    assert audit_rows("transition") == []


def test_the_claim_decision_service_writes_its_own_audit_row(world: World) -> None:
    submit(world)
    claim = Claim.objects.get(submission=world.reference, indicator="1.1.3")
    workflow.claim_decide(claim=claim, actor=world.reviewer, accept=False, comment="依据不足")
    [row] = audit_rows("claim_decision")
    assert who_and_what(row) == (world.reviewer.pk, "reviewer", "Claim", str(claim.pk))
    assert row.details == {"indicator": "1.1.3", "decision": "rejected", "comment": "依据不足"}


def test_the_review_score_service_writes_its_own_audit_row(world: World) -> None:
    submit(world)
    workflow.indicator_review_set(submission=world.reference, actor=world.reviewer,
                                  indicator="2.6.6", review_score=Decimal("1.5"),
                                  reason="利用率数据未提供佐证")
    [row] = audit_rows("review_score")
    assert who_and_what(row) == (world.reviewer.pk, "reviewer", "Submission",
                                 str(world.reference.pk))
    assert row.details == {"indicator": "2.6.6", "review_score": "1.5",
                           "reason": "利用率数据未提供佐证", "comment": ""}


def test_the_step_save_service_audits_the_old_and_new_values(world: World) -> None:
    submission = submission_with_figures(pk=world.reference.pk)
    old = str(submission.utilisation_rate)
    submission_save_step(submission=submission, step_key="assets",
                         expected_version=submission.version,
                         values={"utilisation_rate": Decimal("98.5")}, lists={})
    [row] = audit_rows("submission_change")
    assert (row.object_type, row.object_id) == ("Submission", str(world.reference.pk))
    assert row.details == {"step": "assets", "lists": {}, "changes": [
        {"field": "utilisation_rate", "old": old, "new": "98.5"}]}


def test_the_import_service_writes_its_own_audit_row(campaign: Campaign) -> None:
    figures = read_submission_file(REFERENCE_FILE).figures
    submission = submission_import(figures=figures, create_department=True)
    [row] = audit_rows("submission_import")
    assert (row.object_type, row.object_id) == ("Submission", str(submission.pk))
    assert "expenditure" in row.details["steps"] and row.details["changes"]
    submission_import(figures=figures)
    assert [r.details["changes"] for r in audit_rows("submission_import")][1:] == [[]]
