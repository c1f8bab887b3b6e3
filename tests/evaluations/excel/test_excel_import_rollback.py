"""The Excel import service fails late and still saves nothing; its refusals are audited, capped.

The refusals of test_excel.py all happen before the first write. Here the save itself breaks
after the submission row and the first tables were written (a table that refuses its rows, or
the import's own audit row that cannot be written), and nothing of the submission may change.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import IntegrityError
from django.db.models.query import QuerySet

from departments.models import AuditEvent
from evaluations.common.xlsx import CONTENT_TYPE
from evaluations.excel import services
from evaluations.excel.read import ExcelRefused
from evaluations.excel.selectors import submission_workbook
from evaluations.figures.codec import CHILD_MODELS
from evaluations.models import InspectionFinding, Submission
from evaluations.selectors import submission_with_figures

pytestmark = pytest.mark.django_db


def saved(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template(submission: Submission) -> bytes:
    return submission_workbook(submission=submission_with_figures(pk=submission.pk), export=False)


def edited_template(submission: Submission) -> bytes:
    """The template with a changed value, a removed transfer and an added finding."""
    workbook = openpyxl.load_workbook(io.BytesIO(template(submission)))
    workbook["数值"]["D28"] = 99  # procurement.contracts_total
    workbook["转移支付"].delete_rows(3)
    workbook["检查发现问题"].append(["市审计局", "新发现", "是"])
    return saved(workbook)


def imported(submission: Submission, user: Any, content: bytes | None) -> services.ExcelImport:
    stored = submission_with_figures(pk=submission.pk)
    return services.submission_excel_import(
        submission=stored, user=user, content=content, name="自评数据.xlsx",
        content_type=CONTENT_TYPE, expected_version=stored.version)


def state(submission: Submission) -> dict[str, Any]:
    return {
        "submission": Submission.objects.filter(pk=submission.pk).values().get(),
        **{model.__name__: list(model.objects.filter(submission=submission.pk)
                                .order_by("pk").values()) for model in CHILD_MODELS},
        "audit": list(AuditEvent.objects.order_by("pk").values()),
    }


def test_the_edited_template_is_saved_whole_when_nothing_fails(reference: Submission,
                                                               officer: Any) -> None:
    result = imported(reference, officer, edited_template(reference))
    stored = submission_with_figures(pk=reference.pk)
    assert (stored.version, stored.contracts_total) == (reference.version + 1, 99)
    assert stored.transfer_set.count() == 2
    assert stored.inspectionfinding_set.last().title == "新发现"
    assert result.summary() == (
        f"已从 Excel 导入并保存（第 {reference.version + 1} 版）：33 项数值，绩效目标 19 项、专项资金 1 项、"
        "转移支付 2 项、新增预算项目 1 项、检查发现问题 2 项。"
        "文字说明、申请调整、扣分事项、整改措施和评分分析未改变。")


def test_an_import_whose_last_table_refuses_its_rows_changes_nothing(
        reference: Submission, officer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    content = edited_template(reference)
    before = state(reference)
    real = QuerySet.bulk_create
    inserted: list[type] = []

    def bulk_create(self: QuerySet[Any], objs: Any, *args: Any, **kwargs: Any) -> Any:
        if self.model is CHILD_MODELS[-1]:
            raise IntegrityError("the last table refuses its rows")
        inserted.append(self.model)
        return real(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", bulk_create)
    with pytest.raises(IntegrityError):
        imported(reference, officer, content)
    assert InspectionFinding in inserted  # the failure came after the workbook's own tables
    assert state(reference) == before


def test_an_import_whose_own_audit_row_cannot_be_written_changes_nothing(
        reference: Submission, officer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    content = edited_template(reference)
    before = state(reference)
    real = services.audit_record

    def audit_record(**kwargs: Any) -> Any:
        if kwargs.get("outcome", "success") == "success":
            raise IntegrityError("audit chain busy")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", audit_record)
    with pytest.raises(IntegrityError):
        imported(reference, officer, content)
    assert state(reference) == before


def with_bad_funds(submission: Submission, count: int) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template(submission)))
    for i in range(count):
        workbook["专项资金"].append([f"资金{i}", "很多", 100])
    return saved(workbook)


@pytest.mark.parametrize(("problems", "audited"), [(20, 20), (21, 20), (19, 19)])
def test_a_refusal_audits_at_most_its_first_twenty_problems(
        reference: Submission, officer: Any, problems: int, audited: int) -> None:
    with pytest.raises(ExcelRefused) as refused:
        imported(reference, officer, with_bad_funds(reference, problems))
    assert len(refused.value.messages) == problems
    [row] = AuditEvent.objects.filter(event="excel_import")
    assert row.outcome == "refused"
    assert row.details["problems"] == refused.value.messages[:audited]
    assert len(row.details["problems"]) == audited


def test_a_file_over_five_megabytes_is_refused_by_the_service_before_reading(
        reference: Submission, officer: Any) -> None:
    with pytest.raises(ExcelRefused) as refused:
        imported(reference, officer, b"\0" * (5 * 1024 * 1024 + 1))
    assert refused.value.messages == ["文件超过 5 MB，不能导入。"]
    with pytest.raises(ExcelRefused) as refused:
        imported(reference, officer, b"\0" * (5 * 1024 * 1024))
    assert refused.value.messages[0].startswith("文件不是有效的 Excel 工作簿")


def test_a_stale_version_is_refused_with_the_save_message_and_audited(
        reference: Submission, officer: Any) -> None:
    content = template(reference)
    before = state(reference)
    stored = submission_with_figures(pk=reference.pk)
    with pytest.raises(ExcelRefused) as refused:
        services.submission_excel_import(submission=stored, user=officer, content=content,
                                         name="自评数据.xlsx", expected_version=stored.version - 1)
    assert refused.value.messages == [
        f"保存失败：同部门的其他人已在您打开此页后修改了这些数据（版本 {stored.version - 1} → "
        f"{stored.version}）。请刷新页面查看最新数据后再修改。"]
    after = state(reference)
    [row] = after.pop("audit")[len(before.pop("audit")):]
    assert after == before
    assert (row["event"], row["outcome"], row["details"]) == (
        "excel_import", "refused", {"problems": refused.value.messages})


def test_a_workbook_of_another_year_is_refused_and_its_scoring_errors_too(
        reference: Submission, officer: Any) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template(reference)))
    workbook["说明"]["B3"] = 2022
    workbook["转移支付"]["C3"] = 50
    with pytest.raises(ExcelRefused) as refused:
        imported(reference, officer, saved(workbook))
    assert refused.value.messages == [
        "该文件是 2022 年度的数据，不能导入到 2023 年度的自评中。",
        "工作表“转移支付”第 3 行 C 列（已支出（万元））：支出金额大于下达金额",
    ]
