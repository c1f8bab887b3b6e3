from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from evaluations.models.campaigns import Campaign
from evaluations.models.submissions import Submission


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("失败")


class GeneratedDocument(models.Model):
    """A PDF or Excel file generated for one version of a submission (idempotent per key)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("自评报告（PDF）")
        SCORE_SHEET = "score_sheet", _("评分表（PDF）")
        SCORE_SHEET_XLSX = "score_sheet_xlsx", _("评分表（Excel）")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="documents", verbose_name=_("自评"))
    kind = models.CharField(_("文件类型"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("自评版本号"))
    status = models.CharField(_("状态"), max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    stored_name = models.CharField(_("存储名"), max_length=80, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("请求人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("生成文件")
        verbose_name_plural = _("生成文件")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "version", "kind"],
                                    name="document_one_per_version_and_kind"),
            models.CheckConstraint(condition=Q(status__in=["pending", "done", "failed"]),
                                   name="document_status_valid"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(stored_name=""),
                                   name="document_done_has_file"),
        ]


class CampaignArchive(models.Model):
    """A zip of every department's PDFs for a campaign, built by a task with progress."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="archives",
                                 verbose_name=_("自评年度"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("请求人"))
    status = models.CharField(_("状态"), max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    stored_name = models.CharField(_("存储名"), max_length=80, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量下载")
        verbose_name_plural = _("批量下载")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")),
                                   name="archive_progress_within_total"),
        ]
