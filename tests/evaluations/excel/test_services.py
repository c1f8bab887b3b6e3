"""The Excel import service on its own: it saves all or nothing and audits every attempt."""

from __future__ import annotations

from typing import Any

import pytest

from departments.models import AuditEvent
from evaluations.common.xlsx import CONTENT_TYPE
from evaluations.excel import services
from evaluations.excel.read import ExcelRefused
from evaluations.excel.selectors import submission_workbook
from evaluations.exceptions import StaleVersion
from evaluations.figures.codec import submission_figures
from evaluations.models import Submission
from evaluations.selectors import submission_with_figures

pytestmark = pytest.mark.django_db


def imported(submission: Submission, user: Any, content: bytes | None,
             version: int | None = None) -> services.ExcelImport:
    stored = submission_with_figures(pk=submission.pk)
    return services.submission_excel_import(
        submission=stored, user=user, content=content, name="自评数据.xlsx",
        content_type=CONTENT_TYPE, expected_version=stored.version if version is None else version)


def excel_rows(submission: Submission) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event="excel_import", object_id=str(submission.pk)))


def test_a_successful_import_writes_its_own_audit_row(reference: Submission, officer: Any) -> None:
    template = submission_workbook(submission=submission_with_figures(pk=reference.pk), export=False)
    result = imported(reference, officer, template)
    [row] = excel_rows(reference)
    assert (row.outcome, row.user_id, row.details) == ("success", officer.pk,
                                                      {"version": result.submission.version})
    assert result.submission.version == reference.version + 1
    assert "已从 Excel 导入并保存" in result.summary()


def test_a_refused_import_writes_its_audit_row_and_saves_nothing(
        reference: Submission, officer: Any) -> None:
    with pytest.raises(ExcelRefused) as refused:
        imported(reference, officer, b"name,amount\n1,2\n")
    [row] = excel_rows(reference)
    assert (row.outcome, row.user_id) == ("refused", officer.pk)
    assert row.details["problems"] == refused.value.messages
    assert Submission.objects.get(pk=reference.pk).version == reference.version


def test_a_missing_file_or_version_is_refused_and_audited(reference: Submission,
                                                          officer: Any) -> None:
    with pytest.raises(ExcelRefused, match="请选择要导入的 Excel 文件"):
        imported(reference, officer, None)
    stored = submission_with_figures(pk=reference.pk)
    with pytest.raises(ExcelRefused, match="页面已过期"):
        services.submission_excel_import(submission=stored, user=officer, content=b"x",
                                         expected_version=None)
    assert [row.outcome for row in excel_rows(reference)] == ["refused", "refused"]


def test_a_refusal_after_saving_rolls_the_save_back_but_keeps_its_audit_row(
        reference: Submission, officer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real_save = services.submission_replace_figures

    def save_then_fail(**kwargs: Any) -> Submission:
        real_save(**kwargs)
        raise StaleVersion("另一位填报员刚刚保存了新版本。")

    monkeypatch.setattr(services, "submission_replace_figures", save_then_fail)
    before = submission_figures(submission=submission_with_figures(pk=reference.pk))
    saves = AuditEvent.objects.filter(event="submission_import").count()
    template = submission_workbook(submission=submission_with_figures(pk=reference.pk), export=False)
    with pytest.raises(ExcelRefused, match="另一位填报员刚刚保存了新版本"):
        imported(reference, officer, template)
    stored = submission_with_figures(pk=reference.pk)
    assert (stored.version, submission_figures(submission=stored)) == (reference.version, before)
    assert AuditEvent.objects.filter(event="submission_import").count() == saves
    [row] = excel_rows(reference)
    assert row.outcome == "refused"
