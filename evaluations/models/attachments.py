from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.models.submissions import SubmissionPart


class Attachment(SubmissionPart):
    """佐证材料: an evidence file for the submission or for one indicator's claim.

    Stored under PRIVATE_STORAGE_ROOT with a random name, never under a URL; served only by a
    permission-checked view. Locked with the submission's figures once submitted.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"
        XLSX = "xlsx", "Excel"
        DOCX = "docx", "Word"

    indicator = models.CharField(_("指标代码"), max_length=20, blank=True,
                                 help_text=_("为空表示整体佐证材料"))
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(_("存储名"), max_length=80, unique=True, editable=False)
    kind = models.CharField(_("文件类型"), max_length=8, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta(SubmissionPart.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["pdf", "jpg", "png", "xlsx", "docx"]),
                                   name="attachment_kind_allowed"),
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name
