from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from evaluations.models.fields import Score
from evaluations.models.submissions import Submission


class IndicatorReview(models.Model):
    """The 财政局 reviewer's score and comment on one indicator (written only in review)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="indicator_reviews", verbose_name=_("自评"))
    indicator = models.CharField(_("指标代码"), max_length=20)
    review_score = Score(verbose_name=_("复核得分"), null=True, blank=True)
    reason = models.TextField(_("调整理由"), blank=True)
    comment = models.TextField(_("复核意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("审核人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标复核")
        verbose_name_plural = _("指标复核")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"],
                                    name="indicator_review_unique"),
            models.CheckConstraint(
                condition=Q(review_score__isnull=True) | ~Q(reason=""),
                name="indicator_review_score_needs_reason",
            ),
        ]


class Transition(models.Model):
    """One arrow of the workflow: who moved the submission from which state to which, and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="transitions", verbose_name=_("自评"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    from_status = models.CharField(_("原状态"), max_length=12, choices=Submission.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Submission.Status.choices)
    comment = models.TextField(_("意见"), blank=True)
    # Return comments by step key or indicator code: {"steps": {...}, "indicators": {...}}.
    details = models.JSONField(_("分项意见"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("版本号"))
    snapshot_digest = models.CharField(_("快照摘要"), max_length=64, blank=True)
    # The figures as submitted (submit arrows only): the reviewer's diff after a resubmission.
    snapshot = models.JSONField(_("提交快照"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")),
                                   name="transition_changes_status"),
        ]
