from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.submissions import Submission


class Notification(models.Model):
    """An in-app notice (站内通知); the same event also goes out by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", verbose_name=_("接收人"))
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="notifications", verbose_name=_("自评"))
    event = models.CharField(_("事件"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            # event carries its source ("returned:13"): one notice per user and event.
            models.UniqueConstraint(fields=["user", "submission", "event"],
                                    name="notification_once_per_event"),
        ]


class ReminderSent(models.Model):
    """At most one deadline reminder per submission and threshold (days before the deadline)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="reminders", verbose_name=_("自评"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止提醒")
        verbose_name_plural = _("截止提醒")
        constraints = [
            models.UniqueConstraint(fields=["submission", "days_before"],
                                    name="reminder_once_per_threshold"),
        ]
