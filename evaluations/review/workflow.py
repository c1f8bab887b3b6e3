"""The review workflow: the only code that moves `Submission.status` (CONVENTIONS.md §3).

draft → submitted → (returned → submitted)* → reviewed, and reviewed → returned for an
administrator's correction. Each arrow is one service: it checks the actor's role and
department and the state on the server, locks the row (`select_for_update` inside
`transaction.atomic`), saves with `update_fields`, and writes a Transition row in the same
transaction, so two requests at once give exactly one transition. Claim decisions and review
scores are written only while the submission waits for review.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments import access
from departments.audit import audit_record
from evaluations.exceptions import WorkflowError
from evaluations.figures.sections import is_complete
from evaluations.figures.snapshot import build_snapshot, digest_of
from evaluations.models import Claim, IndicatorReview, Submission, Transition
from evaluations.notifications.tasks import notify_transition_task
from evaluations.selectors import submission_scored, submission_with_figures
from rubrics.scoring import ScoreResult
from rubrics.selectors import rubric_spec

Status = Submission.Status


def locked_submission(submission: Submission) -> Submission:
    return (Submission.objects.select_for_update(of=("self",))
            .select_related("department", "campaign", "campaign__rubric")
            .get(pk=submission.pk))


def scored_figures(submission: Submission) -> tuple[Any, ScoreResult]:
    scored = submission_scored(submission=submission_with_figures(pk=submission.pk))
    return (scored.figures, scored.spec), scored.result


def move(submission: Submission, actor: AbstractBaseUser, to: str, comment: str = "",
         details: dict[str, Any] | None = None, **fields: Any) -> Transition:
    """Set the status and the given fields, and record the arrow, in the caller's transaction."""
    before = submission.status
    submission.status = to
    for name, value in fields.items():
        setattr(submission, name, value)
    # A new version: documents are keyed by it, and a state change changes what they print.
    submission.version += 1
    submission.save(update_fields=["status", "version", "updated_at", *fields])
    # Users by id here and below: the foreign keys are typed with the concrete user model.
    transition = Transition.objects.create(
        submission=submission, actor_id=actor.pk, from_status=before, to_status=to,
        comment=comment, details=details or {}, version=submission.version,
        snapshot_digest=submission.snapshot_digest,
        snapshot=submission.snapshot if to == Status.SUBMITTED else None,
    )
    audit_record(event="transition", user=actor, obj=submission, from_status=before,
                 to_status=to, comment=comment, version=submission.version)
    # delay_on_commit is Celery 5.4 API that celery-types does not know yet.
    notify_transition_task.delay_on_commit(transition.pk)  # type: ignore[attr-defined]
    return transition


def expect_state(submission: Submission, *allowed: str) -> None:
    if submission.status not in allowed:
        raise WorkflowError(_("当前状态为“%(state)s”，不能进行此操作。")
                            % {"state": submission.get_status_display()})


@transaction.atomic
def submission_submit(*, submission: Submission, actor: AbstractBaseUser,
                      warnings_confirmed: bool) -> Transition:
    """draft/returned → submitted by an officer of the department; stores the snapshot."""
    locked = locked_submission(submission)
    if not access.is_officer_of(actor, locked.department_id):
        raise WorkflowError(_("只有本部门的填报员可以提交自评。"))
    expect_state(locked, Status.DRAFT, Status.RETURNED)
    (figures, spec), result = scored_figures(locked)
    if not is_complete(locked, result):
        raise WorkflowError(_("还有未完成的步骤或错误，请在“预览与提交”中查看后再提交。"))
    if result.warnings and not warnings_confirmed:
        raise WorkflowError(_("请先确认已阅读各项提示，再提交。"))
    snapshot = build_snapshot(figures, spec)
    return move(locked, actor, Status.SUBMITTED, submitted_at=timezone.now(), snapshot=snapshot,
                snapshot_digest=digest_of(snapshot))


@transaction.atomic
def submission_return(*, submission: Submission, actor: AbstractBaseUser, comment: str,
                      step_comments: dict[str, str] | None = None,
                      indicator_comments: dict[str, str] | None = None) -> Transition:
    """submitted → returned by a reviewer, with a comment (required) and optional details."""
    locked = locked_submission(submission)
    if not access.is_reviewer(actor):
        raise WorkflowError(_("只有财政局审核员可以退回自评。"))
    expect_state(locked, Status.SUBMITTED)
    if not comment.strip():
        raise WorkflowError(_("退回时必须填写退回意见。"))
    details = {"steps": {k: v.strip() for k, v in (step_comments or {}).items() if v.strip()},
               "indicators": {k: v.strip() for k, v in (indicator_comments or {}).items()
                              if v.strip()}}
    return move(locked, actor, Status.RETURNED, comment=comment.strip(), details=details)


@transaction.atomic
def submission_approve(*, submission: Submission, actor: AbstractBaseUser,
                       comment: str = "") -> Transition:
    """submitted → reviewed by a reviewer once every claim is decided; the 复核得分 is final."""
    locked = locked_submission(submission)
    if not access.is_reviewer(actor):
        raise WorkflowError(_("只有财政局审核员可以审核通过。"))
    expect_state(locked, Status.SUBMITTED)
    pending = Claim.objects.filter(submission=locked, decision=Claim.Decision.PENDING).count()
    if pending:
        raise WorkflowError(_("还有 %(n)d 项申请调整未作出认可或不予认可的决定。") % {"n": pending})
    return move(locked, actor, Status.REVIEWED, comment=comment.strip(),
                reviewed_at=timezone.now())


@transaction.atomic
def submission_reopen(*, submission: Submission, actor: AbstractBaseUser,
                      reason: str) -> Transition:
    """reviewed → returned by an administrator only, with a reason, for a correction."""
    locked = locked_submission(submission)
    if not access.is_rubric_admin(actor):
        raise WorkflowError(_("只有管理员可以撤回已审核的自评。"))
    expect_state(locked, Status.REVIEWED)
    if not reason.strip():
        raise WorkflowError(_("撤回已审核的自评必须填写原因。"))
    return move(locked, actor, Status.RETURNED, comment=reason.strip(), reviewed_at=None)


def reviewer_for(submission: Submission, actor: AbstractBaseUser) -> Submission:
    locked = locked_submission(submission)
    if not access.is_reviewer(actor):
        raise WorkflowError(_("只有财政局审核员可以审核。"))
    expect_state(locked, Status.SUBMITTED)
    return locked


@transaction.atomic
def claim_decide(*, claim: Claim, actor: AbstractBaseUser, accept: bool,
                 comment: str = "") -> Claim:
    """Accept (复核得分 = the claimed score) or reject (= the computed score) one claim."""
    reviewer_for(claim.submission, actor)
    fresh = Claim.objects.select_for_update().get(pk=claim.pk)
    if not accept and not comment.strip():
        raise WorkflowError(_("不予认可时必须填写理由。"))
    fresh.decision = Claim.Decision.ACCEPTED if accept else Claim.Decision.REJECTED
    fresh.decision_comment = comment.strip()
    fresh.decided_by_id = actor.pk
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at"])
    audit_record(event="claim_decision", user=actor, obj=fresh, indicator=fresh.indicator,
                 decision=fresh.decision, comment=fresh.decision_comment)
    return fresh


@transaction.atomic
def indicator_review_set(*, submission: Submission, actor: AbstractBaseUser, indicator: str,
                         review_score: Decimal | None, reason: str = "",
                         comment: str = "") -> IndicatorReview | None:
    """Set (or clear, with None) a 三级 indicator's review score and comment."""
    locked = reviewer_for(submission, actor)
    spec = rubric_spec(version=locked.campaign.rubric)
    leaf = spec.leaves().get(indicator)
    if leaf is None:
        raise WorkflowError(_("未知的三级指标代码：%(code)s") % {"code": indicator})
    if review_score is not None:
        if not Decimal(0) <= review_score <= leaf.weight:
            raise WorkflowError(_("复核得分应在 0 至 %(w)s 之间。") % {"w": leaf.weight})
        if review_score.as_tuple().exponent < -2:  # type: ignore[operator]
            raise WorkflowError(_("复核得分最多保留 2 位小数。"))
        if not reason.strip():
            raise WorkflowError(_("调整复核得分必须填写理由。"))
    audit_record(event="review_score", user=actor, obj=locked, indicator=indicator,
                 review_score=review_score, reason=reason.strip(), comment=comment.strip())
    if review_score is None and not comment.strip():
        IndicatorReview.objects.filter(submission=locked, indicator=indicator).delete()
        return None
    review, _created = IndicatorReview.objects.update_or_create(
        submission=locked, indicator=indicator,
        defaults={"review_score": review_score, "reason": reason.strip(),
                  "comment": comment.strip(), "reviewer_id": actor.pk},
    )
    return review
