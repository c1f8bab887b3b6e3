from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from departments.models import Role
from evaluations.models import Attachment, Submission
from rubrics.figures import (
    Assets,
    BudgetExecution,
    BudgetPreparation,
    Claim,
    Deduction,
    Disclosure,
    Expenditure,
    Figures,
    Finding,
    Lines,
    Narrative,
    NewProject,
    OperatingCosts,
    Procurement,
    Quarters,
    Remedy,
    SpecialFund,
    Target,
    Transfer,
)
from rubrics.scoring import RubricSpec, ScoreResult, score
from rubrics.selectors import rubric_spec

FIGURE_RELATIONS = (
    "target_set", "specialfund_set", "transfer_set", "newproject_set", "inspectionfinding_set",
    "manualdeduction_set", "claim_set", "remedy_set", "analysistext_set",
)


def submission_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Submission]:
    """Reviewers and administrators see every submission; officers their departments'."""
    qs = Submission.objects.select_related("department", "campaign")
    if not user.is_authenticated:
        return qs.none()
    roles = set(user.memberships.values_list("role", flat=True))  # type: ignore[union-attr]
    if roles & {Role.REVIEWER, Role.RUBRIC_ADMIN}:
        return qs
    return qs.filter(department__memberships__user=user,
                     department__memberships__role=Role.OFFICER).distinct()


def submission_with_figures(*, pk: int) -> Submission:
    return (
        Submission.objects.select_related("department", "campaign", "campaign__rubric")
        .prefetch_related(*FIGURE_RELATIONS)
        .get(pk=pk)
    )


def submission_figures(*, submission: Submission) -> Figures:
    """The pure figures of a stored submission (prefetch FIGURE_RELATIONS to avoid queries)."""
    s = submission
    return Figures(
        rubric=s.campaign.rubric.code,
        year=s.campaign.year,
        department=s.department.name,
        budget_units=tuple(s.budget_units),
        report_date=s.report_date,
        narrative=Narrative(
            functions=s.functions, annual_work=s.annual_work, targets_summary=s.targets_summary,
            variance_reason=s.variance_reason, other_matters=s.other_matters,
        ),
        targets=tuple(
            Target(kind=t.kind, category=t.category, name=t.name, unit=t.unit, target=t.target,
                   actual=t.actual, completed=t.completed)
            for t in s.target_set.all()
        ),
        expenditure=Expenditure(
            budget_total=s.budget_total,
            budget=Lines(s.budget_personnel, s.budget_public, s.budget_project),
            actual=Lines(s.actual_personnel, s.actual_public, s.actual_project),
            carried_forward=s.carried_forward,
            total_income=s.total_income,
            quarterly_rate=Quarters(s.rate_q1, s.rate_q2, s.rate_q3, s.rate_q4),
        ),
        special_funds=tuple(
            SpecialFund(f.name, f.amount, f.completion_rate) for f in s.specialfund_set.all()
        ),
        transfers=tuple(Transfer(t.name, t.amount, t.spent) for t in s.transfer_set.all()),
        budget_preparation=BudgetPreparation(
            annual_budget=s.annual_budget, library_amount=s.library_amount,
            budget_from_library=s.budget_from_library,
            new_projects=tuple(NewProject(p.name, p.assessed) for p in s.newproject_set.all()),
        ),
        budget_execution=BudgetExecution(
            adjustment_amount=s.adjustment_amount,
            disbursement_violations=s.disbursement_violations,
            inspection_findings=tuple(
                Finding(f.source, f.title, f.rectified) for f in s.inspectionfinding_set.all()
            ),
        ),
        disclosure=Disclosure(
            budget=s.disclosed_budget, final_accounts=s.disclosed_final_accounts,
            targets=s.disclosed_targets, self_evaluation=s.disclosed_self_evaluation,
        ),
        procurement=Procurement(
            intentions_required=s.intentions_required, intentions_on_time=s.intentions_on_time,
            internal_controls=s.internal_controls, violations=s.procurement_violations,
            contracts_total=s.contracts_total, contracts_on_time=s.contracts_on_time,
            filing_warnings=s.filing_warnings,
        ),
        assets=Assets(s.utilisation_rate, s.city_average_rate),
        operating_costs=OperatingCosts(s.sangong_budget, s.sangong_actual),
        deductions=tuple(
            Deduction(d.indicator, d.points, d.reason) for d in s.manualdeduction_set.all()
        ),
        claims=tuple(Claim(c.indicator, c.score, c.reason) for c in s.claim_set.all()),
        remedies=tuple(Remedy(r.indicator, r.text) for r in s.remedy_set.all()),
        analysis=tuple((a.indicator, a.text) for a in s.analysistext_set.all()),
    )


def user_roles(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.memberships.values_list("role", flat=True))  # type: ignore[union-attr]


def submission_get_for_user(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Submission:
    """The submission with its figures prefetched, or 404 outside the user's departments."""
    visible = submission_list_for_user(user=user).values("pk")
    try:
        return (
            Submission.objects.select_related("department", "campaign", "campaign__rubric")
            .prefetch_related(*FIGURE_RELATIONS, Prefetch(
                "attachment_set", queryset=Attachment.objects.select_related("uploaded_by")))
            .get(pk=pk, pk__in=visible)
        )
    except Submission.DoesNotExist:
        raise Http404 from None


def user_can_edit(*, user: AbstractBaseUser | AnonymousUser, submission: Submission) -> bool:
    """Officers of the submission's department, while it is a draft or returned."""
    if not submission.is_editable or not user.is_authenticated:
        return False
    return user.memberships.filter(  # type: ignore[union-attr]
        role=Role.OFFICER, department_id=submission.department_id).exists()


@dataclass(frozen=True)
class Scored:
    spec: RubricSpec
    figures: Figures
    result: ScoreResult


def submission_scored(*, submission: Submission) -> Scored:
    """A stored submission's rubric spec, figures and score (prefetch FIGURE_RELATIONS first)."""
    spec = rubric_spec(version=submission.campaign.rubric)
    figures = submission_figures(submission=submission)
    return Scored(spec=spec, figures=figures, result=score(spec, figures))
