from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from evaluations.exceptions import FiguresLocked
from evaluations.models.campaigns import Campaign
from evaluations.models.fields import Amount, Count, Rate, Score, Yuan


class Submission(models.Model):
    """One department's self-evaluation for one campaign: every figure of the format."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交（待审核）")
        RETURNED = "returned", _("已退回")
        REVIEWED = "reviewed", _("已审核")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                   related_name="submissions", verbose_name=_("部门"))
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions",
                                 verbose_name=_("自评年度"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    # Bumped by every save of figures: optimistic locking and the key of generated documents.
    version = models.PositiveIntegerField(_("版本号"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    snapshot = models.JSONField(_("提交快照"), null=True, blank=True, editable=False)
    # Step keys saved at least once (imports count as all): the navigator's "complete" mark.
    saved_steps = models.JSONField(_("已保存的步骤"), default=list, blank=True, editable=False)
    snapshot_digest = models.CharField(_("快照摘要（SHA-256）"), max_length=64, blank=True,
                                       editable=False)

    # 基本情况
    budget_units = models.JSONField(_("预算单位"), default=list, blank=True)
    report_date = models.DateField(_("报告日期"), null=True, blank=True)
    functions = models.TextField(_("部门职能"), blank=True)
    annual_work = models.TextField(_("年度总体工作和重点工作任务"), blank=True)
    targets_summary = models.TextField(_("部门整体支出绩效目标情况"), blank=True)
    variance_reason = models.TextField(_("增支/减支的主要原因"), blank=True)
    other_matters = models.TextField(_("其他自评情况"), blank=True)

    # 部门支出（万元）
    budget_total = models.DecimalField(_("预算总支出（人大审议）"), max_digits=16,
                                       decimal_places=4, null=True, blank=True)
    budget_personnel = Amount(verbose_name=_("人员支出预算"))
    budget_public = Amount(verbose_name=_("日常公用支出预算"))
    budget_project = Amount(verbose_name=_("项目支出预算"))
    actual_personnel = Amount(verbose_name=_("人员支出"))
    actual_public = Amount(verbose_name=_("日常公用支出"))
    actual_project = Amount(verbose_name=_("项目支出"))
    carried_forward = Amount(verbose_name=_("结转下年支出"))
    total_income = Amount(verbose_name=_("总收入"))
    rate_q1 = Rate(verbose_name=_("第一季度累计支出率"))
    rate_q2 = Rate(verbose_name=_("第二季度累计支出率"))
    rate_q3 = Rate(verbose_name=_("第三季度累计支出率"))
    rate_q4 = Rate(verbose_name=_("第四季度累计支出率"))

    # 预算编制与执行（万元）
    annual_budget = Amount(verbose_name=_("当年预算数"))
    library_amount = Amount(verbose_name=_("入库二级项目金额"))
    budget_from_library = Amount(verbose_name=_("使用储备项目安排的预算"))
    adjustment_amount = Amount(verbose_name=_("预算调整金额"))
    disbursement_violations = Count(verbose_name=_("资金下达违规次数"))

    # 信息公开
    disclosed_budget = models.BooleanField(_("已公开部门预算"), default=False)
    disclosed_final_accounts = models.BooleanField(_("已公开部门决算"), default=False)
    disclosed_targets = models.BooleanField(_("已公开绩效目标"), default=False)
    disclosed_self_evaluation = models.BooleanField(_("已公开绩效自评"), default=False)

    # 采购管理
    intentions_required = Count(verbose_name=_("应公开采购意向数"))
    intentions_on_time = Count(verbose_name=_("按时公开采购意向数"))
    internal_controls = models.BooleanField(_("已建立采购内控制度"), default=False)
    procurement_violations = Count(verbose_name=_("采购活动违规次数"))
    contracts_total = Count(verbose_name=_("采购合同数"))
    contracts_on_time = Count(verbose_name=_("按时签订合同数"))
    filing_warnings = Count(verbose_name=_("合同备案预警次数"))

    # 资产管理（%）
    utilisation_rate = Rate(verbose_name=_("固定资产利用率"))
    city_average_rate = Rate(verbose_name=_("市本级平均固定资产利用率"))

    # 运行成本（元）
    sangong_budget = Yuan(verbose_name=_("“三公”经费预算（元）"))
    sangong_actual = Yuan(verbose_name=_("“三公”经费支出（元）"))

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        ordering = ["-campaign__year", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "campaign"],
                                    name="submission_one_per_department_and_campaign"),
            models.CheckConstraint(condition=Q(status__in=["draft", "submitted", "returned",
                                                           "reviewed"]),
                                   name="submission_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="submission_version_pos"),
            models.CheckConstraint(
                condition=Q(budget_total__isnull=True) | Q(budget_total__gte=0),
                name="submission_budget_total_nonneg",
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}),
                                       name=f"submission_{name}_nonneg")
                for name in (
                    "budget_personnel", "budget_public", "budget_project", "actual_personnel",
                    "actual_public", "actual_project", "carried_forward", "total_income",
                    "annual_budget", "library_amount", "budget_from_library",
                    "adjustment_amount", "sangong_budget", "sangong_actual",
                )
            ],
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 1000}),
                                       name=f"submission_{name}_percent")
                for name in ("rate_q1", "rate_q2", "rate_q3", "rate_q4", "utilisation_rate",
                             "city_average_rate")
            ],
            models.CheckConstraint(
                condition=Q(rate_q2__gte=F("rate_q1"), rate_q3__gte=F("rate_q2"),
                            rate_q4__gte=F("rate_q3")),
                name="submission_quarterly_rates_cumulative",
            ),
            models.CheckConstraint(
                condition=Q(snapshot_digest="") | Q(status__in=["submitted", "reviewed",
                                                                "returned"]),
                name="submission_digest_only_after_submit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.campaign.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Model-level guard (SECURITY.md): only workflow fields may change outside draft.
        update_fields = kwargs.get("update_fields")
        workflow_only = update_fields is not None and set(update_fields) <= WORKFLOW_FIELDS
        if self.pk is not None and not workflow_only:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored not in self.EDITABLE:
                raise FiguresLocked(_("自评已提交，数据只读，不能修改。"))
        super().save(*args, **kwargs)


    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def assert_editable(self) -> None:
        if not self.is_editable:
            raise FiguresLocked(_("自评已提交，数据只读，不能修改。"))


WORKFLOW_FIELDS = {"status", "version", "updated_at", "submitted_at", "reviewed_at", "snapshot",
                   "snapshot_digest"}


class SubmissionPart(models.Model):
    """Base of the rows that belong to a submission's figures: locked with it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="%(class)s_set", verbose_name=_("自评"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    # Fields the reviewer writes (claim decisions): changeable while the figures are locked.
    REVIEW_FIELDS: frozenset[str] = frozenset()

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not (update_fields and set(update_fields) <= self.REVIEW_FIELDS):
            self.submission.assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.submission.assert_editable()
        return super().delete(*args, **kwargs)


class Target(SubmissionPart):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("产出指标")
        OUTCOME = "outcome", _("效益指标")

    kind = models.CharField(_("指标类型"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("指标类别"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    target = models.CharField(_("目标值"), max_length=60, blank=True)
    actual = models.CharField(_("实际完成值"), max_length=60, blank=True)
    completed = models.BooleanField(_("已完成"), default=False)

    class Meta(SubmissionPart.Meta):
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["output", "outcome"]),
                                   name="target_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind="output") & Q(category__in=["数量", "质量", "时效", "成本"]))
                | (Q(kind="outcome") & Q(category__in=["经济效益", "社会效益", "生态效益",
                                                      "可持续影响", "满意度"])),
                name="target_category_matches_kind",
            ),
        ]


class SpecialFund(SubmissionPart):
    name = models.CharField(_("专项资金名称"), max_length=200)
    amount = Amount(verbose_name=_("金额（万元）"))
    completion_rate = Rate(verbose_name=_("绩效完成率（%）"))

    class Meta(SubmissionPart.Meta):
        verbose_name = _("专项资金")
        verbose_name_plural = _("专项资金")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="special_fund_amount_nonneg"),
            models.CheckConstraint(condition=Q(completion_rate__gte=0, completion_rate__lte=1000),
                                   name="special_fund_rate_percent"),
        ]


class Transfer(SubmissionPart):
    name = models.CharField(_("转移支付项目"), max_length=200)
    amount = Amount(verbose_name=_("下达金额（万元）"))
    spent = Amount(verbose_name=_("已支出（万元）"))

    class Meta(SubmissionPart.Meta):
        verbose_name = _("转移支付")
        verbose_name_plural = _("转移支付")
        constraints = [
            models.CheckConstraint(condition=Q(spent__gte=0, amount__gte=F("spent")),
                                   name="transfer_spent_within_amount"),
        ]


class NewProject(SubmissionPart):
    name = models.CharField(_("新增预算项目"), max_length=200)
    assessed = models.BooleanField(_("已开展事前绩效评估"), default=False)

    class Meta(SubmissionPart.Meta):
        verbose_name = _("新增预算项目")
        verbose_name_plural = _("新增预算项目")


class InspectionFinding(SubmissionPart):
    source = models.CharField(_("检查部门"), max_length=100)
    title = models.CharField(_("检查事项"), max_length=200)
    rectified = models.BooleanField(_("已整改"), default=False)

    class Meta(SubmissionPart.Meta):
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")


class ManualDeduction(SubmissionPart):
    indicator = models.CharField(_("指标代码"), max_length=20)
    points = Score(verbose_name=_("扣分"))
    reason = models.TextField(_("扣分原因"))

    class Meta(SubmissionPart.Meta):
        verbose_name = _("扣分事项")
        verbose_name_plural = _("扣分事项")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="deduction_points_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="deduction_reason_required"),
        ]


class Claim(SubmissionPart):
    """申请调整: a self score above the computed one, with the objective reason."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("认可")
        REJECTED = "rejected", _("不予认可")

    REVIEW_FIELDS = frozenset({"decision", "decision_comment", "decided_by", "decided_at"})

    indicator = models.CharField(_("指标代码"), max_length=20)
    score = Score(verbose_name=_("申请自评得分"))
    reason = models.TextField(_("客观原因"))
    decision = models.CharField(_("审核结论"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decision_comment = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta(SubmissionPart.Meta):
        verbose_name = _("申请调整")
        verbose_name_plural = _("申请调整")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"],
                                    name="claim_one_per_indicator"),
            models.CheckConstraint(condition=Q(score__gte=0), name="claim_score_nonneg"),
            models.CheckConstraint(condition=~Q(reason=""), name="claim_reason_required"),
            models.CheckConstraint(condition=Q(decision__in=["pending", "accepted", "rejected"]),
                                   name="claim_decision_valid"),
        ]


class Remedy(SubmissionPart):
    indicator = models.CharField(_("指标代码"), max_length=20)
    text = models.TextField(_("整改措施"))

    class Meta(SubmissionPart.Meta):
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"],
                                    name="remedy_one_per_indicator"),
        ]


class AnalysisText(SubmissionPart):
    indicator = models.CharField(_("二级指标代码"), max_length=20)
    text = models.TextField(_("评分分析补充说明"))

    class Meta(SubmissionPart.Meta):
        verbose_name = _("评分分析说明")
        verbose_name_plural = _("评分分析说明")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"],
                                    name="analysis_one_per_indicator"),
        ]
