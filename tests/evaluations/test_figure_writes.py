"""Figure writes are all or nothing: a failure after the first write leaves the submission as it was.

Every refusal the other tests make happens before anything is written, so they cannot tell a
transaction from none. Here the failure comes late: a child table's insert fails (a database
constraint broken by a later row, or a table that refuses its rows) after the submission row,
the audit row and the earlier tables were already written. Then nothing of the submission may
have changed: its columns, version, saved steps, every child table and the audit trail.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.db.models.query import QuerySet
from django.utils import timezone

from departments.models import AuditEvent, BudgetUnit, Department
from evaluations.exceptions import FiguresLocked, StaleVersion, SubmissionError
from evaluations.figures.codec import CHILD_MODELS, figure_fields, figure_rows, submission_figures
from evaluations.figures.interchange import read_submission_file
from evaluations.models import (
    Campaign,
    Claim,
    InspectionFinding,
    Remedy,
    SpecialFund,
    Submission,
    Target,
    Transfer,
)
from evaluations.selectors import submission_with_figures
from evaluations.services import (
    submission_import,
    submission_replace_figures,
    submission_save_step,
)
from rubrics.catalogue import STEP_KEYS
from rubrics.figures import Figures
from rubrics.figures import Remedy as RemedyItem

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def figures(reference_path: Path) -> Figures:
    return read_submission_file(reference_path).figures


@pytest.fixture
def reference(campaign: Campaign, figures: Figures) -> Submission:
    return submission_import(figures=figures, create_department=True)


@pytest.fixture
def fresh(campaign: Campaign) -> Submission:
    """A draft nobody has saved yet: no step saved, no rows."""
    department = Department.objects.create(name="江门市示范局")
    return Submission.objects.create(department=department, campaign=campaign)


def state(submission: Submission) -> dict[str, Any]:
    """Everything a figure write may touch, row ids included (a rollback restores the same rows)."""
    return {
        "submission": Submission.objects.filter(pk=submission.pk).values().first(),
        **{model.__name__: list(model.objects.filter(submission=submission.pk)
                                .order_by("pk").values()) for model in CHILD_MODELS},
        "audit": list(AuditEvent.objects.order_by("pk").values()),
        "departments": list(Department.objects.order_by("pk").values()),
        "budget_units": list(BudgetUnit.objects.order_by("pk").values()),
    }


def refuse_inserts_of(monkeypatch: pytest.MonkeyPatch, model: type) -> list[type]:
    """Make bulk inserts into `model`'s table fail; returns the tables inserted into before it."""
    real = QuerySet.bulk_create
    inserted: list[type] = []

    def bulk_create(self: QuerySet[Any], objs: Any, *args: Any, **kwargs: Any) -> Any:
        if self.model is model:
            raise IntegrityError(f"{model.__name__} refuses its rows")
        inserted.append(self.model)
        return real(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", bulk_create)
    return inserted


def other_figures(figures: Figures) -> Figures:
    """The reference figures with a change in every part a whole import writes."""
    return dataclasses.replace(
        figures,
        budget_units=("另一个单位",),
        expenditure=dataclasses.replace(figures.expenditure, total_income=D("1.5")),
        targets=figures.targets[:2],
        transfers=figures.transfers[1:],
        remedies=(RemedyItem(indicator="2.6.6", text="完善资产台账"),),
    )


# --- step save ---------------------------------------------------------------------------------


def funds_lists(spent: str) -> dict[type, list[dict[str, object]]]:
    return {
        SpecialFund: [{"name": "新专项", "amount": D("10"), "completion_rate": D("90")}],
        Transfer: [{"name": "甲", "amount": D("5"), "spent": D("5")},
                   {"name": "乙", "amount": D("5"), "spent": D(spent)}],
    }


def test_a_step_save_broken_by_a_later_rows_constraint_changes_nothing(fresh: Submission) -> None:
    before = state(fresh)
    with pytest.raises(IntegrityError):
        # The second transfer spends more than it was given: the database refuses it, after
        # the submission row, its audit row and the special funds were written.
        submission_save_step(submission=fresh, step_key="funds", expected_version=fresh.version,
                             values={"total_income": D("7.5")}, lists=funds_lists("6"))
    assert state(fresh) == before


def test_a_step_save_refused_by_its_last_table_changes_nothing(
        reference: Submission, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(reference)
    inserted = refuse_inserts_of(monkeypatch, Transfer)
    with pytest.raises(IntegrityError):
        submission_save_step(submission=reference, step_key="funds",
                             expected_version=reference.version,
                             values={"total_income": D("7.5")}, lists=funds_lists("5"))
    assert inserted == [SpecialFund]  # the failure came after a write
    assert state(reference) == before


def test_the_same_step_save_without_the_bad_row_saves_everything(fresh: Submission) -> None:
    saved = submission_save_step(submission=fresh, step_key="funds", expected_version=1,
                                 values={"total_income": D("7.5")}, lists=funds_lists("5"))
    assert (saved.version, saved.saved_steps, saved.total_income) == (2, ["funds"], D("7.5"))
    assert list(Transfer.objects.filter(submission=fresh).values_list(
        "position", "name", "spent")) == [(0, "甲", D("5")), (1, "乙", D("5"))]
    assert list(SpecialFund.objects.filter(submission=fresh).values_list(
        "position", "name", "amount", "completion_rate")) == [(0, "新专项", D("10"), D("90"))]
    [row] = AuditEvent.objects.filter(event="submission_change")
    assert (row.object_type, row.object_id) == ("Submission", str(fresh.pk))
    assert row.details == {"step": "funds", "lists": {"SpecialFund": 1, "Transfer": 2},
                           "changes": [{"field": "total_income", "old": "0.0000", "new": "7.5"}]}


def test_a_step_saved_twice_is_listed_once_after_the_steps_saved_before(fresh: Submission) -> None:
    first = submission_save_step(submission=fresh, step_key="assets", expected_version=1,
                                 values={}, lists={})
    second = submission_save_step(submission=first, step_key="funds", expected_version=2,
                                  values={}, lists={})
    third = submission_save_step(submission=second, step_key="assets", expected_version=3,
                                 values={}, lists={})
    assert (third.version, third.saved_steps) == (4, ["assets", "funds"])


def test_a_step_save_lists_only_the_values_that_changed(fresh: Submission) -> None:
    submission_save_step(submission=fresh, step_key="assets", expected_version=1,
                         values={"utilisation_rate": D("0"), "city_average_rate": D("88.5")},
                         lists={})
    [row] = AuditEvent.objects.filter(event="submission_change")
    assert row.details["changes"] == [{"field": "city_average_rate", "old": "0.0000",
                                       "new": "88.5"}]


def test_a_stale_step_save_is_refused_naming_both_versions_and_changes_nothing(
        reference: Submission) -> None:
    before = state(reference)
    with pytest.raises(StaleVersion) as refused:
        submission_save_step(submission=reference, step_key="assets",
                             expected_version=reference.version - 1,
                             values={"utilisation_rate": D("1")}, lists={})
    assert refused.value.messages == [
        f"保存失败：同部门的其他人已在您打开此页后修改了这些数据（版本 {reference.version - 1} → "
        f"{reference.version}）。请刷新页面查看最新数据后再修改。"]
    assert state(reference) == before


def test_a_step_save_of_a_submitted_submission_is_refused_and_changes_nothing(
        reference: Submission) -> None:
    Submission.objects.filter(pk=reference.pk).update(status=Submission.Status.SUBMITTED)
    before = state(reference)
    with pytest.raises(FiguresLocked, match="自评已提交，数据只读，不能修改。"):
        submission_save_step(submission=reference, step_key="assets",
                             expected_version=reference.version, values={}, lists={})
    assert state(reference) == before


def test_a_returned_submission_may_still_be_saved(reference: Submission) -> None:
    Submission.objects.filter(pk=reference.pk).update(status=Submission.Status.RETURNED)
    saved = submission_save_step(submission=reference, step_key="assets",
                                 expected_version=reference.version, values={}, lists={})
    assert saved.version == reference.version + 1


# --- replacing every figure (imports) ----------------------------------------------------------


def test_an_import_refused_by_its_last_table_changes_nothing(
        reference: Submission, figures: Figures, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(reference)
    inserted = refuse_inserts_of(monkeypatch, CHILD_MODELS[-1])
    with pytest.raises(IntegrityError):
        submission_import(figures=other_figures(figures))
    assert inserted == list(CHILD_MODELS[:-1])
    assert state(reference) == before


def test_an_import_broken_by_a_later_rows_constraint_changes_nothing(
        reference: Submission, figures: Figures) -> None:
    before = state(reference)
    twice = (RemedyItem(indicator="2.6.6", text="一"), RemedyItem(indicator="2.6.6", text="二"))
    with pytest.raises(IntegrityError):
        submission_import(figures=dataclasses.replace(other_figures(figures), remedies=twice))
    assert state(reference) == before


def test_an_import_creating_its_department_leaves_no_department_when_it_fails(
        campaign: Campaign, figures: Figures, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(Submission(pk=0))
    refuse_inserts_of(monkeypatch, Remedy)
    with pytest.raises(IntegrityError):
        submission_import(figures=figures, create_department=True)
    assert state(Submission(pk=0)) == before
    assert not Submission.objects.exists()


def test_an_import_creates_the_department_with_its_budget_units_once_each(
        campaign: Campaign, figures: Figures) -> None:
    units = ("本级", "下属中心", "本级")
    submission = submission_import(figures=dataclasses.replace(figures, budget_units=units),
                                   create_department=True)
    assert submission.department.name == figures.department
    assert list(BudgetUnit.objects.filter(department=submission.department).values_list(
        "position", "name")) == [(0, "本级"), (1, "下属中心")]
    assert submission.budget_units == ["本级", "下属中心", "本级"]


def test_an_import_replaces_every_table_bumps_the_version_and_marks_every_step(
        reference: Submission, figures: Figures) -> None:
    changed = other_figures(figures)
    saved = submission_import(figures=changed)
    stored = submission_with_figures(pk=reference.pk)
    assert submission_figures(submission=stored) == changed
    assert (saved.version, saved.saved_steps) == (reference.version + 1, list(STEP_KEYS))
    assert list(Target.objects.filter(submission=reference).values_list("position", flat=True)) \
        == [0, 1]
    [_first, row] = AuditEvent.objects.filter(event="submission_import")
    assert (row.object_type, row.object_id) == ("Submission", str(reference.pk))
    assert row.details["steps"] == list(STEP_KEYS)
    assert {c["field"] for c in row.details["changes"]} == {"budget_units", "total_income"}
    # The old value as the column holds it (4 places), the new one as the file gave it.
    assert {"field": "total_income", "old": "15571.2700", "new": "1.5"} in row.details["changes"]


def test_replacing_figures_keeps_the_steps_saved_before_and_adds_the_covered_ones(
        fresh: Submission, figures: Figures) -> None:
    first = submission_save_step(submission=fresh, step_key="assets", expected_version=1,
                                 values={}, lists={})
    mine = dataclasses.replace(figures, department=fresh.department.name)
    saved = submission_replace_figures(submission=first, figures=mine, expected_version=2,
                                       steps=("funds", "assets", "targets"))
    assert saved.saved_steps == ["assets", "funds", "targets"]
    assert saved.version == 3


def test_replacing_figures_at_a_stale_version_is_refused_and_changes_nothing(
        reference: Submission, figures: Figures) -> None:
    before = state(reference)
    with pytest.raises(StaleVersion):
        submission_replace_figures(submission=reference, figures=other_figures(figures),
                                   expected_version=reference.version + 1)
    assert state(reference) == before


def test_a_claim_resaved_unchanged_keeps_its_decision_and_a_changed_one_loses_it(
        reference: Submission, figures: Figures) -> None:
    reviewer = get_user_model().objects.create_user(username="reviewer")
    decided_at = timezone.now()
    Claim.objects.filter(submission=reference).update(
        decision=Claim.Decision.ACCEPTED, decision_comment="认可", decided_by=reviewer,
        decided_at=decided_at)
    [kept, *others] = figures.claims
    changed = tuple(dataclasses.replace(c, reason=c.reason + "（补充）") for c in others)
    submission_import(figures=dataclasses.replace(figures, claims=(kept, *changed)))
    rows = list(Claim.objects.filter(submission=reference).order_by("position"))
    assert (rows[0].decision, rows[0].decision_comment, rows[0].decided_by_id,
            rows[0].decided_at) == (Claim.Decision.ACCEPTED, "认可", reviewer.pk, decided_at)
    assert all((r.decision, r.decision_comment, r.decided_by_id, r.decided_at)
               == (Claim.Decision.PENDING, "", None, None) for r in rows[1:])
    assert len(rows) == len(figures.claims) > 1


def test_a_pending_claim_gives_no_decision_to_its_resaved_twin(reference: Submission,
                                                               figures: Figures) -> None:
    Claim.objects.filter(submission=reference).update(decision_comment="草稿意见")
    submission_import(figures=figures)
    assert set(Claim.objects.filter(submission=reference).values_list(
        "decision", "decision_comment")) == {(Claim.Decision.PENDING, "")}


# --- the import's refusals, each before anything is written --------------------------------


def test_an_import_for_a_year_without_campaign_is_refused(campaign: Campaign,
                                                          figures: Figures) -> None:
    with pytest.raises(SubmissionError) as refused:
        submission_import(figures=dataclasses.replace(figures, year=2024), create_department=True)
    assert refused.value.messages == ["2024 年度尚未设立自评年度，请先由管理员设立。"]
    assert not Department.objects.exists()


def test_an_import_naming_another_rubric_is_refused(campaign: Campaign, figures: Figures) -> None:
    with pytest.raises(SubmissionError) as refused:
        submission_import(figures=dataclasses.replace(figures, rubric="other-2023"),
                          create_department=True)
    assert refused.value.messages == [
        "2023 年度使用评分体系 jiangmen-2023，文件指定的是 other-2023。"]
    assert not Department.objects.exists()


def test_an_import_of_an_unknown_department_without_the_flag_is_refused(
        campaign: Campaign, figures: Figures) -> None:
    with pytest.raises(SubmissionError) as refused:
        submission_import(figures=figures)
    assert refused.value.messages == [
        f"未找到部门“{figures.department}”；如需新建，请加 --department-create。"]
    assert not Submission.objects.exists()


def test_an_import_over_a_submitted_submission_is_refused_and_changes_nothing(
        reference: Submission, figures: Figures) -> None:
    Submission.objects.filter(pk=reference.pk).update(status=Submission.Status.SUBMITTED)
    before = state(reference)
    with pytest.raises(SubmissionError) as refused:
        submission_import(figures=other_figures(figures))
    assert refused.value.messages == [
        f"{figures.department} 2023 年度自评已提交（已提交（待审核）），不能覆盖。"]
    assert state(reference) == before


# --- the codec ------------------------------------------------------------------------------


def test_the_codec_stores_names_as_a_list_and_reads_them_back_as_a_tuple(
        reference: Submission, figures: Figures) -> None:
    assert figure_fields(figures)["budget_units"] == list(figures.budget_units)
    stored = submission_with_figures(pk=reference.pk)
    assert stored.budget_units == list(figures.budget_units)
    assert submission_figures(submission=stored).budget_units == figures.budget_units


def test_the_codec_numbers_each_tables_rows_from_zero_in_figure_order(
        reference: Submission, figures: Figures) -> None:
    rows = figure_rows(reference, figures)
    assert [type(table[0]) for table in rows if table] == [
        m for m, t in zip(CHILD_MODELS, rows, strict=True) if t]
    findings = rows[CHILD_MODELS.index(InspectionFinding)]
    assert [(r.position, r.title) for r in findings] == [
        (i, f.title) for i, f in enumerate(figures.budget_execution.inspection_findings)]
    assert all(r.submission is reference for table in rows for r in table)
