from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rubrics.models import RubricVersion


class Campaign(models.Model):
    """A yearly round of self-evaluations under one rubric version, with a deadline."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    rubric = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="campaigns",
                               verbose_name=_("评分体系版本"))
    deadline = models.DateTimeField(_("截止时间"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自评年度")
        verbose_name_plural = _("自评年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100),
                                   name="campaign_year_plausible"),
        ]

    def __str__(self) -> str:
        return self.name
