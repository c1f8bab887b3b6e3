"""Excel template, export and import of a submission's figures, through the real views."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl.workbook.workbook import Workbook

from departments.models import Department, Membership, Role
from evaluations.common.xlsx import CONTENT_TYPE
from evaluations.excel.cells import decimal_of
from evaluations.figures.codec import submission_figures
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Submission, Transfer
from evaluations.selectors import submission_with_figures
from evaluations.services import submission_import
from rubrics.figures import Figures

pytestmark = pytest.mark.django_db

SHEETS = ["说明", "数值", "绩效目标", "专项资金", "转移支付", "新增预算项目", "检查发现问题"]
DANGEROUS_NAMES = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1"]


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def reference(campaign: Campaign, reference_path: Path) -> Submission:
    figures = read_submission_file(reference_path).figures
    return submission_import(figures=figures, create_department=True)


def user_with_role(username: str, role: str, department: Department | None = None) -> Any:
    user = get_user_model().objects.create_user(username=username)  # no hashing: force_login
    Membership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture
def officer(client: Client, reference: Submission) -> Any:
    user = user_with_role("officer", Role.OFFICER, reference.department)
    client.force_login(user)
    return user


def url(name: str, submission: Submission) -> str:
    return reverse(f"submission_excel_{name}", kwargs={"pk": submission.pk})


def current(submission: Submission) -> tuple[Figures, int]:
    stored = submission_with_figures(pk=submission.pk)
    return submission_figures(submission=stored), stored.version


def downloaded(client: Client, submission: Submission, name: str = "template") -> Workbook:
    response = client.get(url(name, submission))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uploaded(client: Client, submission: Submission, content: bytes, *,
             name: str = "自评数据.xlsx", content_type: str = CONTENT_TYPE,
             version: int | None = None, next_url: str = "") -> HttpResponse:
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    stored_version = Submission.objects.get(pk=submission.pk).version
    data = {"file": upload, "version": stored_version if version is None else version,
            "next": next_url}
    return client.post(url("import", submission), data)


def messages_of(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def value_row(workbook: Workbook, code: str) -> int:
    sheet = workbook["数值"]
    return next(row for row in range(2, sheet.max_row + 1)
                if sheet.cell(row=row, column=1).value == code)


def set_value(workbook: Workbook, code: str, value: Any) -> None:
    workbook["数值"].cell(row=value_row(workbook, code), column=4).value = value


def assert_refused_unchanged(client: Client, submission: Submission, content: bytes,
                             expected: str, **upload: Any) -> list[str]:
    """The upload is refused with a message containing `expected`, and nothing is saved."""
    before = current(submission)
    response = uploaded(client, submission, content, **upload)
    assert response.status_code == 302
    found = messages_of(response)
    assert found[0].startswith("Excel 导入失败"), found
    assert any(expected in m for m in found), found
    assert current(submission) == before
    return found


# --- download ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["template", "export"])
def test_the_download_is_an_xlsx_attachment_named_after_department_and_year(
        client: Client, reference: Submission, officer: Any, name: str) -> None:
    response = client.get(url(name, reference))
    assert response["Content-Type"] == CONTENT_TYPE
    filename = quote("江门市人力资源和社会保障局-2023-自评数据.xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{filename}" in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == SHEETS


def test_the_template_holds_the_current_figures_as_formatted_numbers(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    personnel = workbook["数值"].cell(row=value_row(workbook, "expenditure.actual.personnel"),
                                      column=4)
    assert Decimal(repr(personnel.value)) == Decimal("5520.39")
    assert personnel.number_format == "#,##0.00##"
    disclosed = workbook["数值"].cell(row=value_row(workbook, "disclosure.budget"), column=4)
    assert disclosed.value == "是"
    transfers = workbook["转移支付"]
    assert [c.value for c in transfers[1]] == ["名称", "下达金额（万元）", "已支出（万元）"]
    assert transfers["A2"].value == "市级城乡居民养老保险"
    assert Decimal(repr(transfers["C2"].value)) == Decimal("16267.16")
    assert transfers["A1"].font.bold and transfers.freeze_panes == "A2"


def test_the_template_leaves_texts_claims_and_remedies_out(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    codes = {row[0] for row in workbook["数值"].iter_rows(min_row=2, values_only=True)}
    assert "procurement.contracts_total" in codes and "budget_preparation.annual_budget" in codes
    assert not any(code.startswith(("narrative", "claims", "remedies", "department"))
                   for code in codes)


# --- import --------------------------------------------------------------------------------


def test_importing_an_edited_template_changes_exactly_those_figures(
        client: Client, reference: Submission, officer: Any) -> None:
    before, version = current(reference)
    workbook = downloaded(client, reference)
    workbook["转移支付"]["C3"] = 40.5
    set_value(workbook, "expenditure.actual.project", "9,207.5201")
    set_value(workbook, "procurement.contracts_on_time", 8)
    set_value(workbook, "disclosure.budget", "否")
    response = uploaded(client, reference, saved(workbook))
    assert response.status_code == 302
    transfers = list(before.transfers)
    transfers[1] = replace(transfers[1], spent=Decimal("40.5"))
    expected = replace(
        before, transfers=tuple(transfers),
        expenditure=replace(before.expenditure, actual=replace(
            before.expenditure.actual, project=Decimal("9207.5201"))),
        procurement=replace(before.procurement, contracts_on_time=8),
        disclosure=replace(before.disclosure, budget=False),
    )
    assert current(reference) == (expected, version + 1)
    assert "已从 Excel 导入并保存" in messages_of(response)[0]


def test_importing_the_template_unchanged_keeps_every_figure(
        client: Client, reference: Submission, officer: Any) -> None:
    before, version = current(reference)
    response = uploaded(client, reference, saved(downloaded(client, reference)))
    assert response.status_code == 302
    assert current(reference) == (before, version + 1)


def test_removing_a_row_removes_that_item_and_adding_one_adds_it(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["转移支付"].delete_rows(3)
    workbook["绩效目标"].append(["效益", "满意度", "群众满意度", "%", "90", "95.5", "是"])
    uploaded(client, reference, saved(workbook))
    figures, _version = current(reference)
    assert [t.name for t in figures.transfers] == ["市级城乡居民养老保险",
                                                   "“粤菜师傅”彩虹计划创业店补贴资金"]
    last = figures.targets[-1]
    assert (last.kind, last.category, last.target, last.actual, last.completed) == (
        "outcome", "满意度", "90", "95.5", True)


def test_a_percent_formatted_rate_is_read_as_a_percentage(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    cell = workbook["数值"].cell(row=value_row(workbook, "assets.utilisation_rate"), column=4)
    cell.value, cell.number_format = 0.9944, "0.00%"
    uploaded(client, reference, saved(workbook))
    assert current(reference)[0].assets.utilisation_rate == Decimal("99.44")


def test_the_import_returns_to_the_page_it_came_from_but_never_off_site(
        client: Client, reference: Submission, officer: Any) -> None:
    content = saved(downloaded(client, reference))
    here = reverse("submission_step", kwargs={"pk": reference.pk, "key": "expenditure"})
    assert uploaded(client, reference, content, next_url=here)["Location"] == here
    away = uploaded(client, reference, content, next_url="https://evil.example/")
    assert away["Location"] == reverse("submission_step",
                                       kwargs={"pk": reference.pk, "key": "preview"})


def test_a_float_excel_computed_is_read_through_its_shortest_text() -> None:
    assert decimal_of(0.1 + 0.2) == Decimal("0.30000000000000004")  # then refused: 17 places
    assert decimal_of(5520.39) == Decimal("5520.39")
    assert decimal_of("5,520.39") == Decimal("5520.39")


# --- export escaping -----------------------------------------------------------------------


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_the_export_escapes_formula_looking_text(client: Client, reference: Submission,
                                                 officer: Any, name: str) -> None:
    Transfer.objects.filter(submission=reference, position=0).update(name=name)
    response = client.get(url("export", reference))
    cell = openpyxl.load_workbook(io.BytesIO(response.content))["转移支付"]["A2"]
    # XML reads a carriage return back as a line feed; the quote is what matters.
    assert (cell.value, cell.data_type) == ("'" + name.replace("\r", "\n"), "s")
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in package.read(n) or b"<f " in package.read(n) for n in sheets)


def test_reimporting_an_escaped_export_restores_the_text_exactly(
        client: Client, reference: Submission, officer: Any) -> None:
    Transfer.objects.filter(submission=reference, position=0).update(name=DANGEROUS_NAMES[0])
    before, _version = current(reference)
    uploaded(client, reference, saved(downloaded(client, reference, "export")))
    assert current(reference)[0] == before


# --- refusals ------------------------------------------------------------------------------


def test_text_in_an_amount_cell_is_refused_with_its_sheet_row_and_column(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["转移支付"]["C3"] = "四十万"
    assert_refused_unchanged(client, reference, saved(workbook),
                             "工作表“转移支付”第 3 行 C 列（已支出（万元））：不是有效的数值")


@pytest.mark.parametrize(("code", "value", "message"), [
    ("expenditure.actual.project", 9107.52015, "最多 4 位小数"),
    ("operating_costs.sangong_actual", "229366.131", "最多 2 位小数"),
    ("expenditure.budget.public", -1, "不能为负数"),
    ("procurement.contracts_total", 2.5, "应为非负整数"),
    ("disclosure.targets", "Y", "应填写“是”或“否”"),
    ("expenditure.quarterly_rate.q1", 1200, "百分比应在 0 至 1000 之间"),
    ("expenditure.total_income", None, "必须填写"),
])
def test_a_bad_value_is_refused_not_rounded(client: Client, reference: Submission,
                                            officer: Any, code: str, value: Any,
                                            message: str) -> None:
    workbook = downloaded(client, reference)
    set_value(workbook, code, value)
    row = value_row(workbook, code)
    assert_refused_unchanged(client, reference, saved(workbook),
                             f"工作表“数值”第 {row} 行 D 列")
    assert_refused_unchanged(client, reference, saved(workbook), message)


def test_an_unknown_code_in_the_values_sheet_is_refused(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["数值"].append(["expenditure.bonus", "奖金", "万元", 1])
    assert_refused_unchanged(client, reference, saved(workbook), "未知的代码：expenditure.bonus")


def test_a_category_of_the_other_kind_is_refused(client: Client, reference: Submission,
                                                 officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["绩效目标"]["B2"] = "满意度"
    assert_refused_unchanged(client, reference, saved(workbook),
                             "工作表“绩效目标”第 2 行 B 列（指标类别）：产出指标的类别应为")


def test_figures_the_scoring_refuses_are_located_and_not_saved(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["转移支付"]["C3"] = 50
    assert_refused_unchanged(client, reference, saved(workbook),
                             "工作表“转移支付”第 3 行 C 列（已支出（万元））：支出金额大于下达金额")


def test_a_workbook_without_a_sheet_is_refused_naming_the_sheet(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    del workbook["专项资金"]
    assert_refused_unchanged(client, reference, saved(workbook), "缺少工作表“专项资金”")


def test_a_renamed_header_is_refused(client: Client, reference: Submission,
                                     officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["转移支付"]["C1"] = "支出"
    assert_refused_unchanged(client, reference, saved(workbook),
                             "工作表“转移支付”第 1 行 C 列（已支出（万元））：表头应为")


def with_macro(content: bytes) -> bytes:
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content_type", "add_macro"), [
    ("自评数据.xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12", True),
    ("自评数据.xlsx", CONTENT_TYPE, True),
    ("自评数据.xlsx", "application/vnd.ms-excel.sheet.macroEnabled.12", False),
])
def test_a_macro_enabled_file_is_refused(client: Client, reference: Submission, officer: Any,
                                         name: str, content_type: str, add_macro: bool) -> None:
    content = saved(downloaded(client, reference))
    content = with_macro(content) if add_macro else content
    assert_refused_unchanged(client, reference, content, "不能导入启用宏的文件",
                             name=name, content_type=content_type)


def test_ten_thousand_junk_rows_are_refused_naming_the_sheet(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    for i in range(10_000):
        workbook["转移支付"].append([f"垃圾{i}", 1, 1])
    assert_refused_unchanged(client, reference, saved(workbook),
                             "工作表“转移支付”有 10,004 行，超过上限")


def test_more_rows_than_the_limit_are_refused_at_the_first_row_past_it(
        client: Client, reference: Submission, officer: Any) -> None:
    workbook = downloaded(client, reference)
    for i in range(300):
        workbook["检查发现问题"].append(["市财政局", f"检查{i}", "是"])
    assert_refused_unchanged(client, reference, saved(workbook),
                             "工作表“检查发现问题”第 202 行：超过上限，每个工作表最多 200 行数据")


@pytest.mark.parametrize(("name", "content"), [
    ("自评数据.xlsx", b"name,amount\n\xe4\xb8\x80,1\n"),
    ("自评数据.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),  # an old .xls
    ("自评数据.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
])
def test_a_file_that_is_not_an_xlsx_is_refused(client: Client, reference: Submission,
                                               officer: Any, name: str, content: bytes) -> None:
    assert_refused_unchanged(client, reference, content, ".xlsx", name=name)


def test_a_zip_that_is_not_a_workbook_is_refused(client: Client, reference: Submission,
                                                 officer: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    assert_refused_unchanged(client, reference, buffer.getvalue(), "不是有效的 Excel 工作簿")


def test_a_file_over_five_megabytes_is_refused(client: Client, reference: Submission,
                                               officer: Any) -> None:
    assert_refused_unchanged(client, reference, b"\0" * (5 * 1024 * 1024 + 1), "超过 5 MB")


def test_a_stale_version_is_refused(client: Client, reference: Submission,
                                    officer: Any) -> None:
    content = saved(downloaded(client, reference))
    stale = Submission.objects.get(pk=reference.pk).version - 1
    assert_refused_unchanged(client, reference, content, "其他人已在您打开此页后修改了这些数据",
                             version=stale)


def test_a_workbook_of_another_department_is_refused(client: Client, reference: Submission,
                                                     officer: Any) -> None:
    workbook = downloaded(client, reference)
    workbook["说明"]["B2"] = "江门市示范局"
    assert_refused_unchanged(client, reference, saved(workbook), "该文件属于“江门市示范局”")


def test_more_than_fifty_errors_are_summarised(client: Client, reference: Submission,
                                               officer: Any) -> None:
    workbook = downloaded(client, reference)
    for i in range(60):
        workbook["专项资金"].append([f"资金{i}", "很多", 100])
    found = assert_refused_unchanged(client, reference, saved(workbook), "另有 10 处错误")
    assert len(found) == 1 + 50 + 1


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "name"), [
    ("get", "template"), ("get", "export"), ("post", "import"),
])
def test_another_departments_officer_gets_404(client: Client, reference: Submission,
                                              method: str, name: str) -> None:
    other = Department.objects.create(name="江门市示范局")
    client.force_login(user_with_role("officer_b", Role.OFFICER, other))
    before = current(reference)
    response = getattr(client, method)(url(name, reference))
    assert response.status_code == 404
    assert current(reference) == before


def test_a_reviewer_may_download_but_not_import(client: Client, reference: Submission) -> None:
    client.force_login(user_with_role("reviewer", Role.REVIEWER))
    assert client.get(url("export", reference)).status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("template", reference)).content))
    set_value(workbook, "procurement.contracts_total", 99)
    before = current(reference)
    response = uploaded(client, reference, saved(workbook))
    assert "只有本部门的填报员" in messages_of(response)[0]
    assert current(reference) == before


def test_a_submitted_submission_cannot_be_imported(client: Client, reference: Submission,
                                                   officer: Any) -> None:
    content = saved(downloaded(client, reference))
    Submission.objects.filter(pk=reference.pk).update(status=Submission.Status.SUBMITTED)
    before = current(reference)
    response = uploaded(client, reference, content)
    assert "只有本部门的填报员" in messages_of(response)[0]
    assert current(reference) == before


def test_the_import_url_refuses_get(client: Client, reference: Submission,
                                    officer: Any) -> None:
    assert client.get(url("import", reference)).status_code == 405


def test_the_step_page_shows_the_excel_toolbar_to_the_officer(
        client: Client, reference: Submission, officer: Any) -> None:
    page = client.get(reverse("submission_step", kwargs={"pk": reference.pk, "key": "expenditure"}))
    html = page.content.decode()
    assert url("template", reference) in html and url("export", reference) in html
    assert f'action="{url("import", reference)}"' in html
    assert f'name="version" value="{reference.version}"' in html
