from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A 预算部门: the body that files one self-evaluation per year."""

    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="department_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetUnit(models.Model):
    """A 预算单位 included in the department's budget (局本级 and its subordinate units)."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="budget_units",
        verbose_name=_("部门"),
    )
    name = models.CharField(_("预算单位名称"), max_length=100)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("预算单位")
        verbose_name_plural = _("预算单位")
        ordering = ["department", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="budget_unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("填报员")
    REVIEWER = "reviewer", _("审核员")
    RUBRIC_ADMIN = "rubric_admin", _("业务管理员")


class Membership(models.Model):
    """A user's role. Officers belong to a department; reviewers and rubric admins to none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("用户"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("部门"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICER) | Q(department__isnull=False),
                name="membership_officer_has_department",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.OFFICER) | Q(department__isnull=True),
                name="membership_only_officers_have_department",
            ),
            models.UniqueConstraint(
                fields=["user", "department", "role"], condition=Q(department__isnull=False),
                name="membership_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(department__isnull=True),
                name="membership_unique_without_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.department or ''}"
