"""Generated documents: idempotent tasks, failures and retries, versions, downloads, the batch zip.

A real PDF takes a second or two, so most tests swap the WeasyPrint renderers for a tiny fake
PDF; real rendering is checked where the content matters (watermark, digest, the command).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pypdf
import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from departments.models import Role
from evaluations.documents import build, paths, render, selectors, services, xlsx
from evaluations.documents import generate as generation
from evaluations.models import Campaign, CampaignArchive, GeneratedDocument, Submission
from evaluations.review.workflow import submission_submit
from evaluations.selectors import submission_with_figures
from tests.factories import World, build_world, make_user

FAKE_PDF = b"%PDF-1.7\n1 0 obj\n<</Type /Page>>\nendobj\n%%EOF\n"
REPORT = GeneratedDocument.Kind.REPORT
SHEET = GeneratedDocument.Kind.SCORE_SHEET
WORKBOOK = GeneratedDocument.Kind.SCORE_SHEET_XLSX
DEPARTMENT = "江门市人力资源和社会保障局"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Commit = Callable[..., AbstractContextManager[Any]]


# Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_root(settings: Settings, tmp_path: Path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fake, fast PDF renderers; the list records which ran."""
    calls: list[str] = []

    def fake(name: str) -> Callable[[Any], bytes]:
        def render_fake(data: Any) -> bytes:
            calls.append(name)
            return FAKE_PDF
        return render_fake

    monkeypatch.setattr(render, "render_report", fake("report"))
    monkeypatch.setattr(render, "render_score_sheet", fake("score_sheet"))
    return calls


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    """Run what is queued on commit (the eager Celery tasks) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def stored_files(root: Path) -> list[Path]:
    """Every file in the documents folder, temporary ones included (none may be left)."""
    return sorted((root / "documents").glob("*"))


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def generate(commit: Callable[[], AbstractContextManager[Any]], submission: Submission,
             kind: str = REPORT) -> GeneratedDocument:
    with commit():
        document = services.document_request(submission=submission, kind=kind)
    return GeneratedDocument.objects.get(pk=document.pk)


def bump_version(submission: Submission) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(version=F("version") + 1)
    return submission_with_figures(pk=submission.pk)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def status_of(client: Client, submission: Submission) -> dict[str, Any]:
    response = client.get(reverse("document_status", args=[submission.pk]))
    assert response.status_code == 200
    return response.json()


# Tasks: idempotent, failures, retries -------------------------------------------------------


def test_running_the_task_twice_for_one_version_stores_one_file_and_one_row(
        world: World, renders: list[str], commit: Any, private_root: Path) -> None:
    from evaluations.documents.tasks import generate_document_task

    document = generate(commit, world.reference)
    generate_document_task.delay(document.pk)
    generate_document_task.delay(document.pk)
    assert renders == ["report"]
    assert len(stored_files(private_root)) == 1
    assert GeneratedDocument.objects.filter(submission=world.reference).count() == 1
    done = GeneratedDocument.objects.get(pk=document.pk)
    assert (done.status, done.version, done.pages, done.size) == (
        "done", world.reference.version, 1, len(FAKE_PDF))
    assert done.stored_name == stored_files(private_root)[0].name


def test_requesting_a_done_document_again_queues_nothing(
        world: World, renders: list[str], commit: Any) -> None:
    first = generate(commit, world.reference)
    again = generate(commit, world.reference)
    assert again.pk == first.pk
    assert renders == ["report"]


def test_a_failing_render_marks_the_document_failed_and_a_retry_succeeds(
        world: World, renders: list[str], commit: Any, private_root: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: Any) -> bytes:
        raise RuntimeError("cairo exploded")

    with monkeypatch.context() as patch:
        patch.setattr(render, "render_report", broken)
        failed = generate(commit, world.reference)
    assert failed.status == "failed"
    assert "生成失败" in failed.error and "cairo" not in failed.error
    assert stored_files(private_root) == []
    retried = generate(commit, world.reference)
    assert (retried.status, retried.attempts) == ("done", 2)
    assert len(stored_files(private_root)) == 1
    assert GeneratedDocument.objects.filter(submission=world.reference).count() == 1


def test_a_document_queued_before_a_figure_change_fails_as_stale(
        world: World, renders: list[str]) -> None:
    queued, needed = generation.document_prepare(submission=world.reference, kind=REPORT)
    assert needed
    bump_version(world.reference)
    stale = generation.document_generate(document_id=queued.pk)
    assert stale is not None
    assert (stale.status, stale.error) == ("failed", "自评已修改，请重新生成。")
    assert renders == []


def test_a_pending_document_whose_task_was_lost_is_queued_again(
        world: World, renders: list[str], commit: Any) -> None:
    lost, _needed = generation.document_prepare(submission=world.reference, kind=REPORT)
    assert generation.document_prepare(submission=world.reference, kind=REPORT) == (lost, False)
    long_ago = timezone.now() - selectors.PENDING_TIMEOUT - timedelta(minutes=1)
    Submission.objects.filter(pk=world.reference.pk).update(updated_at=long_ago)
    GeneratedDocument.objects.filter(pk=lost.pk).update(created_at=long_ago)
    renewed = generate(commit, world.reference)
    assert (renewed.status, renewed.attempts) == ("done", 2)
    assert renders == ["report"]


def test_a_concurrent_request_that_created_the_row_first_is_joined_not_an_error(
        world: World) -> None:
    first, _needed = generation.document_prepare(submission=world.reference, kind=REPORT)
    joined = generation.document_create(world.reference, REPORT, None, 1)
    assert joined == (first, False)


def test_a_run_that_loses_the_race_throws_its_file_away(
        world: World, renders: list[str], commit: Any, private_root: Path) -> None:
    document = generate(commit, world.reference)
    with commit():
        generation.document_store(document, b"%PDF-1.7 the other run")
    assert len(stored_files(private_root)) == 1
    assert GeneratedDocument.objects.get(pk=document.pk).stored_name == document.stored_name


def test_the_page_count_of_a_weasyprint_pdf_is_read_from_its_object_streams() -> None:
    content = render.html_to_pdf("<p>一</p><p style='break-before: page'>二</p>")
    assert generation.pdf_page_count(content) == len(pypdf.PdfReader(io.BytesIO(content)).pages)
    assert generation.pdf_page_count(content) == 2


# Versions: the old file is no longer offered ------------------------------------------------


def test_a_figure_change_withdraws_the_old_document_and_regenerating_makes_a_new_file(
        world: World, renders: list[str], commit: Any, private_root: Path) -> None:
    client = login(world.officer)
    old = generate(commit, world.reference)
    old_url = reverse("document_download", args=[old.pk])
    assert client.get(old_url).status_code == 200
    changed = bump_version(world.reference)
    assert client.get(old_url).status_code == 404
    assert status_of(client, changed)["documents"]["report"]["status"] == "missing"
    new = generate(commit, changed)
    assert (new.version, new.status) == (old.version + 1, "done")
    assert new.stored_name != old.stored_name
    assert [p.name for p in stored_files(private_root)] == [new.stored_name]
    assert not GeneratedDocument.objects.filter(pk=old.pk).exists()
    assert status_of(client, changed)["documents"]["report"]["url"] == reverse(
        "document_download", args=[new.pk])


def test_a_draft_report_is_watermarked_and_a_submitted_one_prints_its_digest(
        world: World, commit: Any, private_root: Path) -> None:
    client = login(world.officer)
    draft = generate(commit, world.reference)
    draft_pdf = paths.document_path(draft).read_bytes()
    assert "草稿" in pdf_text(draft_pdf)
    assert draft.pages == len(pypdf.PdfReader(io.BytesIO(draft_pdf)).pages) > 1
    with commit():
        submission_submit(submission=world.reference, actor=world.officer,
                          warnings_confirmed=True)
    submitted = submission_with_figures(pk=world.reference.pk)
    assert submitted.version == draft.version + 1  # a transition is a new version to print
    assert client.get(reverse("document_download", args=[draft.pk])).status_code == 404
    assert status_of(client, submitted)["documents"]["report"]["status"] == "missing"
    final = generate(commit, submitted)
    text = pdf_text(paths.document_path(final).read_bytes())
    assert submitted.snapshot_digest[:16] in text.replace("\n", "")
    assert "草稿" not in text
    assert [p.name for p in stored_files(private_root)] == [final.stored_name]


# Views: request, status, download, permissions ----------------------------------------------


def test_an_officer_generates_from_the_panel_and_is_sent_back(
        world: World, renders: list[str], commit: Any) -> None:
    client = login(world.officer)
    page = reverse("submission_step", args=[world.reference.pk, "preview"])
    assert "自评报告与评分表" in client.get(page).content.decode()
    with commit():
        response = client.post(reverse("document_request", args=[world.reference.pk, "all"]),
                               {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    statuses = status_of(client, world.reference)["documents"]
    assert {kind: row["status"] for kind, row in statuses.items()} == {
        "report": "done", "score_sheet": "done", "score_sheet_xlsx": "done"}
    html = client.get(page).content.decode()
    for row in statuses.values():
        assert row["url"] in html


def test_a_posted_request_asking_for_json_gets_the_status_and_the_panel(
        world: World, renders: list[str]) -> None:
    page = reverse("submission_step", args=[world.reference.pk, "preview"])
    response = login(world.reviewer).post(
        reverse("document_request", args=[world.reference.pk, "score_sheet"]), {"next": page},
        HTTP_ACCEPT="application/json")
    data = response.json()
    assert f'name="next" value="{page}"' in data["html"]
    assert data["pending"] is True  # queued on commit, which a test transaction never reaches
    assert data["documents"]["score_sheet"]["status"] == "pending"
    assert 'data-status="pending"' in data["html"] and "生成中" in data["html"]


def test_the_download_is_a_pdf_attachment_named_after_department_year_and_kind(
        world: World, renders: list[str], commit: Any) -> None:
    document = generate(commit, world.reference)
    for user in (world.officer, world.reviewer):
        response = login(user).get(reverse("document_download", args=[document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f"filename*=utf-8''{quote(f'{DEPARTMENT}-2023-自评报告.pdf')}" in disposition


def test_the_score_sheet_workbook_downloads_as_xlsx(world: World, commit: Any) -> None:
    document = generate(commit, world.reference, WORKBOOK)
    response = login(world.officer).get(reverse("document_download", args=[document.pk]))
    assert response["Content-Type"] == XLSX_TYPE
    assert quote(f"{DEPARTMENT}-2023-评分表.xlsx") in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["评分表"]


def document_urls(world: World, document: GeneratedDocument) -> list[tuple[str, str]]:
    pk = world.reference.pk
    return [("post", reverse("document_request", args=[pk, "report"])),
            ("get", reverse("document_status", args=[pk])),
            ("get", reverse("document_download", args=[document.pk]))]


@pytest.mark.parametrize(("persona", "expected"), [
    ("officer", [302, 200, 200]),
    ("reviewer", [302, 200, 200]),
    ("officer_b", [404, 404, 404]),
])
def test_documents_are_reachable_only_by_the_department_and_reviewers(
        world: World, renders: list[str], commit: Any, persona: str,
        expected: list[int]) -> None:
    document = generate(commit, world.reference)
    client = login(getattr(world, persona))
    got = [getattr(client, method)(url).status_code
           for method, url in document_urls(world, document)]
    assert got == expected


def test_anonymous_visitors_are_sent_to_the_login(
        world: World, renders: list[str], commit: Any) -> None:
    document = generate(commit, world.reference)
    client = Client()
    for method, url in document_urls(world, document):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_kind_and_a_get_to_the_request_url_are_refused(world: World) -> None:
    client = login(world.officer)
    assert client.post(reverse("document_request", args=[world.reference.pk, "poster"]),
                       ).status_code == 404
    assert client.get(reverse("document_request", args=[world.reference.pk, "report"]),
                      ).status_code == 405


def test_an_unsafe_next_falls_back_to_the_preview_step(
        world: World, renders: list[str]) -> None:
    response = login(world.officer).post(
        reverse("document_request", args=[world.reference.pk, "report"]),
        {"next": "https://evil.example/"})
    assert response["Location"] == reverse("submission_step",
                                           args=[world.reference.pk, "preview"])


# The 评分表 as Excel ------------------------------------------------------------------------


@pytest.fixture
def workbook(world: World) -> openpyxl.Workbook:
    sheet = build.submission_score_sheet(submission_with_figures(pk=world.reference.pk))
    return openpyxl.load_workbook(io.BytesIO(xlsx.score_sheet_xlsx(sheet)))


def merged_in_column(ws: Any, column: int) -> list[Any]:
    return [r for r in ws.merged_cells.ranges
            if r.min_col == r.max_col == column and r.max_row > r.min_row]


def test_the_workbook_merges_the_first_and_second_level_cells_like_the_pdf(
        workbook: openpyxl.Workbook) -> None:
    ws = workbook.active
    top = merged_in_column(ws, 1)
    assert [(r.min_row, r.max_row) for r in sorted(top, key=lambda r: r.min_row)] == [
        (4, 10), (11, 42)]
    assert ws.cell(row=4, column=1).value == "履职效能（50 分）"
    assert len(merged_in_column(ws, 2)) >= 9
    assert ws.cell(row=4, column=2).value == "整体效能（25 分）"


def test_the_workbook_totals_hold_the_same_numbers_as_exact_decimals(
        workbook: openpyxl.Workbook) -> None:
    ws = workbook.active
    total = next(r for r in range(1, ws.max_row + 1)
                 if str(ws.cell(row=r, column=1).value).startswith("合计"))
    values = [ws.cell(row=total, column=c).value for c in (4, 6, 7)]
    assert [Decimal(str(v)) for v in values] == [Decimal(100), Decimal("97.59"),
                                                 Decimal("98.49")]
    assert ws.cell(row=total, column=6).number_format == "0.00"
    subtotals = [r for r in range(4, total) if str(ws.cell(row=r, column=2).value).endswith("小计")]
    assert len(subtotals) == 9
    leaves = [r for r in range(4, total) if ws.cell(row=r, column=3).value]
    assert len(leaves) == 30


def test_the_workbook_prints_landscape_with_the_header_row_repeated(
        workbook: openpyxl.Workbook) -> None:
    ws = workbook.active
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert [c.value for c in ws[3]][:3] == ["一级指标", "二级指标", "三级指标"]
    assert all(c.font.bold for c in ws[3])


def test_formula_looking_text_is_written_as_escaped_text(world: World) -> None:
    sheet = build.submission_score_sheet(submission_with_figures(pk=world.reference.pk))
    rows = list(sheet.rows)
    rows[0] = dataclasses.replace(rows[0], reason='=HYPERLINK("http://evil.example","x")')
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.score_sheet_xlsx(
        dataclasses.replace(sheet, rows=tuple(rows))))).active
    cell = ws.cell(row=4, column=8)
    assert cell.value == '\'=HYPERLINK("http://evil.example","x")'
    assert cell.data_type == "s"


# The reviewer's batch zip -------------------------------------------------------------------


def test_the_batch_zip_holds_both_pdfs_of_every_department(
        world: World, renders: list[str], commit: Any) -> None:
    client = login(world.reviewer)
    with commit():
        response = client.post(reverse("archive_request", args=[2023]))
    assert response["Location"] == reverse("campaign_documents", args=[2023])
    archive = CampaignArchive.objects.get()
    assert (archive.status, archive.done, archive.total) == ("done", 2, 2)
    status = client.get(reverse("archive_status", args=[2023, archive.pk])).json()
    assert (status["done"], status["total"], status["percent"]) == (2, 2, 100)
    download = client.get(status["url"])
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    departments = (DEPARTMENT, "江门市示范局")
    assert sorted(names) == sorted(f"{d}/{d}-2023-{kind}.pdf" for d in departments
                                   for kind in ("自评报告", "评分表"))
    assert "下载压缩包" in client.get(reverse("campaign_documents", args=[2023])).content.decode()


def test_a_failing_department_fails_the_batch_with_its_name(
        world: World, renders: list[str], commit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: Any) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(render, "render_score_sheet", broken)
    with commit():
        archive = services.archive_request(campaign=world.campaign, user=world.reviewer)
    archive.refresh_from_db()
    assert archive.status == "failed"
    assert "评分表（PDF）生成失败" in archive.error
    assert archive.stored_name == ""


def test_a_second_batch_request_while_one_is_building_reuses_it(
        world: World, renders: list[str]) -> None:
    first = services.archive_request(campaign=world.campaign, user=world.reviewer)
    again = services.archive_request(campaign=world.campaign, user=world.reviewer)
    assert again.pk == first.pk
    CampaignArchive.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - selectors.ARCHIVE_TIMEOUT - timedelta(minutes=1))
    renewed = services.archive_request(campaign=world.campaign, user=world.reviewer)
    assert renewed.pk != first.pk
    assert CampaignArchive.objects.get(pk=first.pk).status == "failed"


@pytest.mark.parametrize("persona", ["officer", "officer_b"])
def test_the_batch_is_only_for_those_who_see_every_submission(
        world: World, renders: list[str], commit: Any, persona: str) -> None:
    with commit():
        archive = services.archive_request(campaign=world.campaign, user=world.reviewer)
    client = login(getattr(world, persona))
    assert client.get(reverse("campaign_documents", args=[2023])).status_code == 404
    assert client.post(reverse("archive_request", args=[2023])).status_code == 404
    assert client.get(reverse("archive_status", args=[2023, archive.pk])).status_code == 404
    assert client.get(reverse("archive_download", args=[archive.pk])).status_code == 404


def test_a_rubric_administrator_sees_and_builds_the_batch_like_a_reviewer(
        world: World, renders: list[str], commit: Any) -> None:
    client = login(make_user("admin", Role.RUBRIC_ADMIN))
    assert client.get(reverse("campaign_documents", args=[2023])).status_code == 200
    with commit():
        assert client.post(reverse("archive_request", args=[2023])).status_code == 302
    archive = CampaignArchive.objects.get(campaign=world.campaign)
    assert archive.status == "done"
    assert client.get(reverse("archive_status", args=[2023, archive.pk])).json()["status"] == "done"
    assert client.get(reverse("archive_download", args=[archive.pk])).status_code == 200


def test_an_archive_is_not_found_under_another_campaign(
        world: World, renders: list[str], commit: Any, rubric: Any) -> None:
    Campaign.objects.create(year=2024, name="2024", rubric=rubric,
                            deadline="2025-05-31T17:30:00+08:00")
    with commit():
        archive = services.archive_request(campaign=world.campaign, user=world.reviewer)
    client = login(world.reviewer)
    assert client.get(reverse("archive_status", args=[2024, archive.pk])).status_code == 404
    assert client.get(reverse("campaign_documents", args=[2099])).status_code == 404


# The render_reports command -----------------------------------------------------------------


def test_render_reports_writes_both_pdfs_and_the_workbook(
        world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    call_command("render_reports", "--department", DEPARTMENT, "--year", "2023", "--out", str(out))
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(files) == sorted(f"{DEPARTMENT}-2023-{name}" for name in
                                   ("自评报告.pdf", "评分表.pdf", "评分表.xlsx"))
    for name, content in files.items():
        assert len(content) > 0
        assert content.startswith(b"%PDF" if name.endswith(".pdf") else b"PK")
    assert len(capsys.readouterr().out.strip().splitlines()) == 3


@pytest.mark.parametrize(("department", "year"), [("不存在的局", "2023"), (DEPARTMENT, "2019")])
def test_render_reports_refuses_an_unknown_department_or_year_in_one_line(
        world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        department: str, year: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("render_reports", "--department", department, "--year", year,
                     "--out", str(tmp_path / "out"))
    assert exit_info.value.code == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and department in errors[0]
    assert "Traceback" not in errors[0]
