"""Writes to submissions. Every figure change goes through here (CONVENTIONS.md §1)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from departments.audit import audit_record
from departments.models import BudgetUnit, Department
from evaluations.exceptions import StaleVersion, SubmissionError
from evaluations.figures.codec import CHILD_MODELS, figure_fields, figure_rows
from evaluations.models import Campaign, Claim, Submission
from rubrics.catalogue import STEP_KEYS
from rubrics.figures import Figures


@transaction.atomic
def submission_replace_figures(
    *, submission: Submission, figures: Figures, expected_version: int | None = None,
    steps: tuple[str, ...] = STEP_KEYS,
) -> Submission:
    """Replace every figure of an editable submission at once (an import) and bump its version.

    `steps` are the steps the import covers, marked saved for the navigator.
    """
    locked = lock_for_edit(submission, expected_version)
    changes = [{"field": name, "old": str(getattr(locked, name)), "new": str(value)}
               for name, value in figure_fields(figures).items()
               if getattr(locked, name) != value]
    for name, value in figure_fields(figures).items():
        setattr(locked, name, value)
    audit_record(event="submission_import", obj=locked, steps=list(steps), changes=changes)
    locked.saved_steps = list(dict.fromkeys([*locked.saved_steps, *steps]))
    rows = figure_rows(locked, figures)
    return save_bumped(locked, dict(zip(CHILD_MODELS, rows, strict=True)))


def lock_for_edit(submission: Submission, expected_version: int | None) -> Submission:
    """The row locked for update, refused unless editable and (if given) at that version."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    locked.assert_editable()
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(_("保存失败：同部门的其他人已在您打开此页后修改了这些数据（版本 %(old)d → "
                             "%(new)d）。请刷新页面查看最新数据后再修改。")
                           % {"old": expected_version, "new": locked.version})
    return locked


def save_bumped(locked: Submission, rows: dict[type, list[object]]) -> Submission:
    """Save the locked row with version + 1 and replace the given child tables whole."""
    locked.version = F("version") + 1
    locked.save()
    for model, new_rows in rows.items():
        if model is Claim:
            keep_claim_decisions(locked, new_rows)  # type: ignore[arg-type]
        model.objects.filter(submission=locked).delete()  # type: ignore[attr-defined]
        model.objects.bulk_create(new_rows)  # type: ignore[attr-defined]
    locked.refresh_from_db()
    return locked


def keep_claim_decisions(submission: Submission, new_claims: list[Claim]) -> None:
    """A claim re-saved unchanged (same indicator, score and reason) keeps its decision."""
    decided = {(c.indicator, c.score, c.reason): c for c in Claim.objects.filter(
        submission=submission).exclude(decision=Claim.Decision.PENDING)}
    for claim in new_claims:
        old = decided.get((claim.indicator, claim.score, claim.reason))
        if old is not None:
            claim.decision, claim.decision_comment = old.decision, old.decision_comment
            claim.decided_by_id, claim.decided_at = old.decided_by_id, old.decided_at


@transaction.atomic
def submission_import(*, figures: Figures, create_department: bool = False) -> Submission:
    """Create or replace the draft of the figures' department and year (the import command).

    Refuses, changing nothing, when the campaign or department is unknown, the campaign uses
    another rubric, or the submission has left draft.
    """
    campaign = Campaign.objects.select_related("rubric").filter(year=figures.year).first()
    if campaign is None:
        raise SubmissionError(_("%(year)d 年度尚未设立自评年度，请先由管理员设立。")
                              % {"year": figures.year})
    if campaign.rubric.code != figures.rubric:
        raise SubmissionError(_("%(year)d 年度使用评分体系 %(used)s，文件指定的是 %(given)s。") % {
            "year": figures.year, "used": campaign.rubric.code, "given": figures.rubric})
    department = department_for_import(figures, create_department)
    submission, _created = Submission.objects.get_or_create(department=department,
                                                            campaign=campaign)
    if not submission.is_editable:
        raise SubmissionError(_("%(dept)s %(year)d 年度自评已提交（%(status)s），不能覆盖。") % {
            "dept": department.name, "year": figures.year,
            "status": submission.get_status_display()})
    return submission_replace_figures(submission=submission, figures=figures)


def department_for_import(figures: Figures, create: bool) -> Department:
    department = Department.objects.filter(name=figures.department).first()
    if department is not None:
        return department
    if not create:
        raise SubmissionError(_("未找到部门“%(name)s”；如需新建，请加 --department-create。")
                              % {"name": figures.department})
    department = Department.objects.create(name=figures.department)
    BudgetUnit.objects.bulk_create(
        BudgetUnit(department=department, name=name, position=i)
        for i, name in enumerate(dict.fromkeys(figures.budget_units))
    )
    return department


@transaction.atomic
def submission_save_step(
    *, submission: Submission, step_key: str, expected_version: int,
    values: dict[str, object], lists: dict[type, list[dict[str, object]]],
) -> Submission:
    """Save one step: its scalar fields and a whole replacement of its list sections.

    Locks the row, refuses a stale version (someone saved in between) or a submission that is
    no longer editable, bumps the version and marks the step saved. All or nothing.
    """
    locked = lock_for_edit(submission, expected_version)
    changes = [{"field": name, "old": str(getattr(locked, name)), "new": str(value)}
               for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    audit_record(event="submission_change", obj=locked, step=step_key, changes=changes,
                 lists={model.__name__: len(rows) for model, rows in lists.items()})
    if step_key not in locked.saved_steps:
        locked.saved_steps = [*locked.saved_steps, step_key]
    return save_bumped(locked, {
        model: [model(submission=locked, position=i, **row) for i, row in enumerate(rows)]
        for model, rows in lists.items()
    })
