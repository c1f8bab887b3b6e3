"""Each workflow guard on its own: everything else right, exactly one thing wrong.

A refusal must be explained by the guard under test alone, so each case starts from a state in
which the action succeeds (the positive twin right below it) and breaks one condition: the role,
the department, the state, an undecided claim, a missing comment or reason, unconfirmed warnings.
A refusal changes nothing: not the status, version or snapshot, no Transition row, no audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from departments.models import AuditEvent, Role
from evaluations.exceptions import WorkflowError
from evaluations.models import Campaign, Claim, IndicatorReview, Submission, Transition
from evaluations.review import workflow
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db

STATE_REFUSAL = "当前状态为“{}”，不能进行此操作。"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


@pytest.fixture
def admin(world: World) -> Any:
    return make_user("rubric_admin", Role.RUBRIC_ADMIN)


def stored(submission: Submission) -> tuple[Any, ...]:
    saved = Submission.objects.get(pk=submission.pk)
    return (saved.status, saved.version, saved.snapshot, saved.snapshot_digest,
            saved.submitted_at, saved.reviewed_at)


def claims_of(submission: Submission) -> list[tuple[Any, ...]]:
    return list(Claim.objects.filter(submission=submission).order_by("pk").values_list(
        "decision", "decision_comment", "decided_by", "decided_at"))


def assert_refused(call: Callable[[], object], message: str, submission: Submission) -> None:
    """The call raises exactly `message` and leaves every trace of the submission as it was."""
    before = (stored(submission), claims_of(submission), Transition.objects.count(),
              AuditEvent.objects.count(), IndicatorReview.objects.count())
    with pytest.raises(WorkflowError) as refusal:
        call()
    assert refusal.value.messages == [message]
    after = (stored(submission), claims_of(submission), Transition.objects.count(),
             AuditEvent.objects.count(), IndicatorReview.objects.count())
    assert after == before


def submit(world: World, actor: Any = None, confirmed: bool = True,
           submission: Submission | None = None) -> Transition:
    return workflow.submission_submit(submission=submission or world.reference,
                                      actor=actor or world.officer, warnings_confirmed=confirmed)


def decide_all(world: World) -> None:
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=True)


def approved(world: World) -> None:
    submit(world)
    decide_all(world)
    workflow.submission_approve(submission=world.reference, actor=world.reviewer)


def last_transition() -> tuple[Any, ...]:
    row = Transition.objects.order_by("pk").last()
    assert row is not None
    return (row.actor_id, row.from_status, row.to_status, row.comment, row.details, row.version)


# --- submit ---------------------------------------------------------------------------------


def test_submit_by_the_departments_officer_stores_the_snapshot_and_one_transition(
    world: World,
) -> None:
    version = stored(world.reference)[1]
    transition = submit(world)
    status, new_version, snapshot, digest, submitted_at, _reviewed = stored(world.reference)
    assert (status, new_version) == ("submitted", version + 1)
    assert snapshot is not None and len(digest) == 64 and submitted_at is not None
    assert transition.snapshot == snapshot and transition.snapshot_digest == digest
    assert last_transition() == (world.officer.pk, "draft", "submitted", "", {}, version + 1)


def test_submit_refuses_a_reviewer_although_the_draft_is_complete_and_confirmed(
    world: World,
) -> None:
    assert_refused(lambda: submit(world, actor=world.reviewer), "只有本部门的填报员可以提交自评。",
                   world.reference)


def test_submit_refuses_the_officer_of_another_department(world: World) -> None:
    assert_refused(lambda: submit(world, actor=world.officer_b), "只有本部门的填报员可以提交自评。",
                   world.reference)


def test_submit_refuses_an_anonymous_user(world: World) -> None:
    assert_refused(lambda: submit(world, actor=AnonymousUser()), "只有本部门的填报员可以提交自评。",
                   world.reference)


@pytest.mark.parametrize(("status", "label"), [("submitted", "已提交（待审核）"), ("reviewed", "已审核")])
def test_submit_refuses_a_submission_that_is_not_draft_or_returned(
    world: World, status: str, label: str,
) -> None:
    Submission.objects.filter(pk=world.reference.pk).update(status=status)
    assert_refused(lambda: submit(world), STATE_REFUSAL.format(label), world.reference)


def test_submit_accepts_a_returned_submission_again(world: World) -> None:
    submit(world)
    workflow.submission_return(submission=world.reference, actor=world.reviewer, comment="请修改")
    transition = submit(world)
    assert (transition.from_status, transition.to_status) == ("returned", "submitted")
    assert stored(world.reference)[0] == "submitted"


def test_submit_refuses_an_incomplete_draft_of_the_right_officer(world: World) -> None:
    assert_refused(lambda: submit(world, actor=world.officer_b, submission=world.other),
                   "还有未完成的步骤或错误，请在“预览与提交”中查看后再提交。", world.other)


def test_submit_refuses_unconfirmed_warnings_and_nothing_else(world: World) -> None:
    assert_refused(lambda: submit(world, confirmed=False), "请先确认已阅读各项提示，再提交。",
                   world.reference)


# --- return ---------------------------------------------------------------------------------


def test_return_by_a_reviewer_strips_the_comment_and_keeps_only_filled_details(
    world: World,
) -> None:
    submit(world)
    version = stored(world.reference)[1]
    transition = workflow.submission_return(
        submission=world.reference, actor=world.reviewer, comment=" 请核实 ",
        step_comments={"assets": " 利用率 ", "expenditure": "  "},
        indicator_comments={"1.1.3": "", "2.6.6": " 无佐证 "})
    assert last_transition() == (world.reviewer.pk, "submitted", "returned", "请核实",
                                 {"steps": {"assets": "利用率"}, "indicators": {"2.6.6": "无佐证"}},
                                 version + 1)
    assert transition.snapshot is None
    assert stored(world.reference)[:2] == ("returned", version + 1)


@pytest.mark.parametrize("role", ["officer", "rubric_admin"])
def test_return_refuses_anyone_but_a_reviewer(world: World, admin: Any, role: str) -> None:
    submit(world)
    actor = world.officer if role == "officer" else admin
    assert_refused(lambda: workflow.submission_return(submission=world.reference, actor=actor,
                                                      comment="请修改"),
                   "只有财政局审核员可以退回自评。", world.reference)


@pytest.mark.parametrize(("status", "label"), [("draft", "草稿"), ("returned", "已退回"),
                                               ("reviewed", "已审核")])
def test_return_refuses_a_submission_that_is_not_waiting_for_review(
    world: World, status: str, label: str,
) -> None:
    Submission.objects.filter(pk=world.reference.pk).update(status=status)
    assert_refused(lambda: workflow.submission_return(submission=world.reference,
                                                      actor=world.reviewer, comment="请修改"),
                   STATE_REFUSAL.format(label), world.reference)


def test_return_refuses_a_blank_comment(world: World) -> None:
    submit(world)
    assert_refused(lambda: workflow.submission_return(submission=world.reference,
                                                      actor=world.reviewer, comment=" \n "),
                   "退回时必须填写退回意见。", world.reference)


# --- approve --------------------------------------------------------------------------------


def test_approve_once_every_claim_is_decided_sets_the_review_time(world: World) -> None:
    submit(world)
    decide_all(world)
    version = stored(world.reference)[1]
    workflow.submission_approve(submission=world.reference, actor=world.reviewer, comment=" 同意 ")
    status, new_version, _snapshot, _digest, _submitted, reviewed_at = stored(world.reference)
    assert (status, new_version, reviewed_at is not None) == ("reviewed", version + 1, True)
    assert last_transition() == (world.reviewer.pk, "submitted", "reviewed", "同意", {},
                                 version + 1)


def test_approve_ignores_the_undecided_claims_of_another_submission(world: World) -> None:
    Claim.objects.create(submission=world.other, indicator="1.1.3", score=Decimal("5"), reason="另一部门")
    submit(world)
    decide_all(world)
    transition = workflow.submission_approve(submission=world.reference, actor=world.reviewer)
    assert (transition.to_status, transition.comment) == ("reviewed", "")


@pytest.mark.parametrize("role", ["officer", "rubric_admin"])
def test_approve_refuses_anyone_but_a_reviewer_when_every_claim_is_decided(
    world: World, admin: Any, role: str,
) -> None:
    submit(world)
    decide_all(world)
    actor = world.officer if role == "officer" else admin
    assert_refused(lambda: workflow.submission_approve(submission=world.reference, actor=actor),
                   "只有财政局审核员可以审核通过。", world.reference)


def test_approve_refuses_a_returned_submission_whose_claims_are_all_decided(world: World) -> None:
    submit(world)
    decide_all(world)
    workflow.submission_return(submission=world.reference, actor=world.reviewer, comment="请修改")
    assert_refused(lambda: workflow.submission_approve(submission=world.reference,
                                                       actor=world.reviewer),
                   STATE_REFUSAL.format("已退回"), world.reference)


def test_approve_counts_the_one_claim_still_undecided(world: World) -> None:
    submit(world)
    first = Claim.objects.filter(submission=world.reference).order_by("pk").first()
    assert first is not None
    workflow.claim_decide(claim=first, actor=world.reviewer, accept=False, comment="依据不足")
    assert_refused(lambda: workflow.submission_approve(submission=world.reference,
                                                       actor=world.reviewer),
                   "还有 1 项申请调整未作出认可或不予认可的决定。", world.reference)


# --- reopen ---------------------------------------------------------------------------------


def test_reopen_by_an_administrator_with_a_reason_clears_the_review_time(
    world: World, admin: Any,
) -> None:
    approved(world)
    version = stored(world.reference)[1]
    workflow.submission_reopen(submission=world.reference, actor=admin, reason=" 复核得分有误 ")
    status, new_version, _snapshot, _digest, _submitted, reviewed_at = stored(world.reference)
    assert (status, new_version, reviewed_at) == ("returned", version + 1, None)
    assert last_transition() == (admin.pk, "reviewed", "returned", "复核得分有误", {}, version + 1)


def test_reopen_refuses_a_reviewer_with_a_reason(world: World) -> None:
    approved(world)
    assert_refused(lambda: workflow.submission_reopen(submission=world.reference,
                                                      actor=world.reviewer, reason="更正"),
                   "只有管理员可以撤回已审核的自评。", world.reference)


def test_reopen_refuses_a_submission_not_yet_reviewed(world: World, admin: Any) -> None:
    submit(world)
    assert_refused(lambda: workflow.submission_reopen(submission=world.reference, actor=admin,
                                                      reason="更正"),
                   STATE_REFUSAL.format("已提交（待审核）"), world.reference)


def test_reopen_refuses_a_blank_reason(world: World, admin: Any) -> None:
    approved(world)
    assert_refused(lambda: workflow.submission_reopen(submission=world.reference, actor=admin,
                                                      reason="  "),
                   "撤回已审核的自评必须填写原因。", world.reference)


# --- claim decisions ------------------------------------------------------------------------


def a_claim(world: World) -> Claim:
    claim = Claim.objects.filter(submission=world.reference, indicator="1.1.3").first()
    assert claim is not None
    return claim


def test_a_rejection_with_a_reason_records_who_decided_and_why(world: World) -> None:
    submit(world)
    decided = workflow.claim_decide(claim=a_claim(world), actor=world.reviewer, accept=False,
                                    comment=" 依据不足 ")
    fresh = Claim.objects.get(pk=decided.pk)
    assert (fresh.decision, fresh.decision_comment, fresh.decided_by_id) == (
        "rejected", "依据不足", world.reviewer.pk)
    assert fresh.decided_at is not None


def test_an_acceptance_needs_no_reason(world: World) -> None:
    submit(world)
    workflow.claim_decide(claim=a_claim(world), actor=world.reviewer, accept=True)
    fresh = Claim.objects.get(pk=a_claim(world).pk)
    assert (fresh.decision, fresh.decision_comment) == ("accepted", "")


@pytest.mark.parametrize("role", ["officer", "rubric_admin"])
def test_a_claim_decision_is_refused_to_anyone_but_a_reviewer(
    world: World, admin: Any, role: str,
) -> None:
    submit(world)
    actor = world.officer if role == "officer" else admin
    assert_refused(lambda: workflow.claim_decide(claim=a_claim(world), actor=actor, accept=True),
                   "只有财政局审核员可以审核。", world.reference)


@pytest.mark.parametrize(("status", "label"), [("draft", "草稿"), ("reviewed", "已审核")])
def test_a_claim_decision_is_refused_outside_review(world: World, status: str, label: str) -> None:
    Submission.objects.filter(pk=world.reference.pk).update(status=status)
    assert_refused(lambda: workflow.claim_decide(claim=a_claim(world), actor=world.reviewer,
                                                 accept=True),
                   STATE_REFUSAL.format(label), world.reference)


def test_a_rejection_without_a_reason_is_refused(world: World) -> None:
    submit(world)
    assert_refused(lambda: workflow.claim_decide(claim=a_claim(world), actor=world.reviewer,
                                                 accept=False, comment=" "),
                   "不予认可时必须填写理由。", world.reference)


# --- review scores --------------------------------------------------------------------------


def set_score(world: World, score: str | None, reason: str = "利用率数据未提供佐证",
              comment: str = "", indicator: str = "2.6.6", actor: Any = None) -> Any:
    return workflow.indicator_review_set(
        submission=world.reference, actor=actor or world.reviewer, indicator=indicator,
        review_score=None if score is None else Decimal(score), reason=reason, comment=comment)


@pytest.mark.parametrize("score", ["0", "2", "1.55", "2.00"])
def test_a_review_score_from_zero_to_the_weight_with_two_places_is_kept(
    world: World, score: str,
) -> None:
    submit(world)
    set_score(world, score, reason=" 无佐证 ", comment=" 见附件 ")
    review = IndicatorReview.objects.get(submission=world.reference, indicator="2.6.6")
    assert (review.review_score, review.reason, review.comment, review.reviewer_id) == (
        Decimal(score), "无佐证", "见附件", world.reviewer.pk)
    row = AuditEvent.objects.filter(event="review_score").order_by("pk").last()
    assert row is not None and row.details == {"indicator": "2.6.6", "review_score": score,
                                               "reason": "无佐证", "comment": "见附件"}


@pytest.mark.parametrize("score", ["-0.01", "2.01"])
def test_a_review_score_outside_zero_to_the_weight_is_refused(world: World, score: str) -> None:
    submit(world)
    assert_refused(lambda: set_score(world, score), "复核得分应在 0 至 2.00 之间。", world.reference)


def test_a_review_score_with_three_places_is_refused(world: World) -> None:
    submit(world)
    assert_refused(lambda: set_score(world, "1.555"), "复核得分最多保留 2 位小数。", world.reference)


def test_a_review_score_without_a_reason_is_refused(world: World) -> None:
    submit(world)
    assert_refused(lambda: set_score(world, "1.5", reason="  "), "调整复核得分必须填写理由。",
                   world.reference)


def test_a_review_score_for_an_unknown_or_non_leaf_indicator_is_refused(world: World) -> None:
    submit(world)
    for code in ("9.9.9", "2.6"):
        assert_refused(lambda code=code: set_score(world, "1", indicator=code),  # type: ignore[misc]
                       f"未知的三级指标代码：{code}", world.reference)


@pytest.mark.parametrize("role", ["officer", "rubric_admin"])
def test_a_review_score_is_refused_to_anyone_but_a_reviewer(
    world: World, admin: Any, role: str,
) -> None:
    submit(world)
    actor = world.officer if role == "officer" else admin
    assert_refused(lambda: set_score(world, "1.5", actor=actor), "只有财政局审核员可以审核。",
                   world.reference)


def test_a_review_score_is_refused_while_the_submission_is_a_draft(world: World) -> None:
    assert_refused(lambda: set_score(world, "1.5"), STATE_REFUSAL.format("草稿"), world.reference)


def test_a_comment_without_a_score_needs_no_reason_and_is_kept(world: World) -> None:
    submit(world)
    review = set_score(world, None, reason="", comment=" 请补充佐证 ")
    assert (review.review_score, review.reason, review.comment) == (None, "", "请补充佐证")


def test_a_comment_alone_may_leave_out_the_reason(world: World) -> None:
    submit(world)
    review = workflow.indicator_review_set(submission=world.reference, actor=world.reviewer,
                                           indicator="2.6.6", review_score=None, comment="请补充")
    assert (review.review_score, review.reason, review.comment) == (None, "", "请补充")


def test_clearing_a_review_deletes_only_that_indicator_of_that_submission(world: World) -> None:
    submit(world)
    set_score(world, "1.5")
    set_score(world, "1", indicator="2.6.5")
    IndicatorReview.objects.create(submission=world.other, indicator="2.6.6", comment="另一部门",
                                   reviewer=world.reviewer)
    set_score(world, None, reason="", comment="")
    assert sorted(IndicatorReview.objects.values_list("submission", "indicator")) == sorted(
        [(world.reference.pk, "2.6.5"), (world.other.pk, "2.6.6")])


def test_clearing_score_and_comment_deletes_the_review_and_audits_it(world: World) -> None:
    submit(world)
    set_score(world, "1.5")
    assert set_score(world, None, reason="", comment=" ") is None
    assert not IndicatorReview.objects.filter(submission=world.reference).exists()
    row = AuditEvent.objects.filter(event="review_score").order_by("pk").last()
    assert row is not None and row.details == {"indicator": "2.6.6", "review_score": None,
                                               "reason": "", "comment": ""}


def test_each_arrow_queues_the_notification_of_its_own_transition(
    world: World, admin: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(workflow.notify_transition_task, "delay_on_commit", queued.append)
    approved(world)
    workflow.submission_reopen(submission=world.reference, actor=admin, reason="更正")
    assert queued == list(Transition.objects.order_by("pk").values_list("pk", flat=True))
    assert len(queued) == 3
