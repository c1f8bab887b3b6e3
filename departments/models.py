from __future__ import annotations

from typing import Any

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


class AuditEvent(models.Model):
    """An append-only audit row (SECURITY.md 安全审计), chained by SHA-256 to the previous one.

    Rows are never updated or deleted through the application; `verify_audit` recomputes the
    chain, so an altered or removed row is detected.
    """

    at = models.DateTimeField(_("时间"), db_index=True)
    # No database constraint: deleting a user must not touch (update) the audit rows.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True,
                             blank=True, related_name="+", db_constraint=False,
                             verbose_name=_("用户"))
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    roles = models.CharField(_("角色"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True)
    event = models.CharField(_("事件"), max_length=50, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象"), max_length=50, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, default="success")
    details = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit rows are append-only")


class LoginLock(models.Model):
    """Failed logins per username (not per IP: a department shares one IP)."""

    username = models.CharField(_("用户名"), max_length=150, unique=True)
    failures = models.PositiveSmallIntegerField(_("连续失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")
