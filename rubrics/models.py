from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RubricFrozen(ValidationError):
    """Raised when a used rubric version would change (it must be cloned instead)."""


class RubricVersion(models.Model):
    """One version of a 评价指标体系: its indicator tree, rounding policy and grade bands."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Rounding(models.TextChoices):
        HALF_UP = "half_up", _("四舍五入")
        TRUNCATE = "truncate", _("截尾")

    code = models.SlugField(_("版本代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    region = models.CharField(_("地区"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("适用年度"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    rounding = models.CharField(_("取舍规则"), max_length=12, choices=Rounding.choices,
                                default=Rounding.HALF_UP)
    grades = models.JSONField(_("等级划分"), default=list,
                              help_text=_('[{"grade": "优", "min": "90"}, …]'))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分体系版本")
        verbose_name_plural = _("评分体系版本")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]),
                                   name="rubric_status_valid"),
            models.CheckConstraint(condition=Q(rounding__in=["half_up", "truncate"]),
                                   name="rubric_rounding_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one invariant a save() must guard: a used version never changes under a score.
        self.assert_editable()
        super().save(*args, **kwargs)


    @property
    def is_frozen(self) -> bool:
        """Published and used by a submission that has left draft: edits need a clone."""
        if self.pk is None or self.status != self.Status.PUBLISHED:
            return False
        submission = apps.get_model("evaluations", "Submission")
        return submission.objects.filter(campaign__rubric=self).exclude(status="draft").exists()

    def assert_editable(self) -> None:
        if self.is_frozen:
            raise RubricFrozen(_("评分体系 %(code)s 已被提交的自评使用，不能修改，请复制为新版本。")
                               % {"code": self.code})

class Indicator(models.Model):
    """A node of the indicator tree: 一级 / 二级 / 三级. Only 三级 nodes carry a rule."""

    version = models.ForeignKey(RubricVersion, on_delete=models.CASCADE,
                                related_name="indicators", verbose_name=_("评分体系版本"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children", verbose_name=_("上级指标"))
    code = models.CharField(_("指标代码"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    criteria = models.TextField(_("评分标准"), blank=True)
    rule = models.CharField(_("评分规则"), max_length=40, blank=True)
    params = models.JSONField(_("规则参数"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3),
                                   name="indicator_level_1_to_3"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicator_weight_nonneg"),
            models.CheckConstraint(
                condition=(Q(level=3) & ~Q(rule="")) | (Q(level__lt=3) & Q(rule="")),
                name="indicator_rule_only_on_leaves",
            ),
            models.CheckConstraint(
                condition=(Q(level=1) & Q(parent__isnull=True))
                | (Q(level__gt=1) & Q(parent__isnull=False)),
                name="indicator_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.version.assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.version.assert_editable()
        return super().delete(*args, **kwargs)
