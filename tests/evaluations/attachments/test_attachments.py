"""佐证材料: uploads sniffed and stored privately, downloads and deletes checked per department."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from evaluations.attachments.services import attachment_upload
from evaluations.attachments.sniff import clean_name
from evaluations.exceptions import SubmissionError
from evaluations.models import Attachment, Submission

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
CHINESE = re.compile(r"[\u4e00-\u9fff]")


# Data ---------------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["指标", "佐证"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def macro_xlsx_bytes() -> bytes:
    types = b'<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
    return zip_bytes({"[Content_Types].xml": types + b"</Types>", "xl/workbook.xml": b"<w/>",
                      "xl/vbaProject.bin": b"\x00VBA"})


# Helpers ------------------------------------------------------------------------------------


def post_upload(client: Client, submission: Submission, name: str, content: bytes,
                indicator: str = "") -> HttpResponse:
    url = reverse("attachment_upload", kwargs={"pk": submission.pk})
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(url, {"file": upload, "indicator": indicator}, follow=True)


def stored_files(root: Path) -> list[Path]:
    folder = root / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def page_messages(response: HttpResponse) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def assert_refused(response: HttpResponse, root: Path, *fragments: str) -> None:
    text = " ".join(page_messages(response))
    assert CHINESE.search(text), text
    for fragment in fragments:
        assert fragment in text, text
    assert not Attachment.objects.exists()
    assert stored_files(root) == []


def download(client: Client, attachment: Attachment) -> HttpResponse:
    return client.get(reverse("attachment_download", kwargs={"pk": attachment.pk}))


# Accepted uploads ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("自评报告.pdf", PDF, "pdf"),
    ("现场照片.png", PNG, "png"),
    ("照片.JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 20, "jpg"),
    ("台账.xlsx", xlsx_bytes(), "xlsx"),
    ("说明.docx", docx_bytes(), "docx"),
])
def test_an_officer_uploads_an_allowed_file_that_is_stored_and_listed(
    client: Client, officer: User, submission: Submission, private_root: Path,
    name: str, content: bytes, kind: str,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, name, content)
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.kind, attachment.size) == (name, kind,
                                                                             len(content))
    assert stored_files(private_root) == [private_root / "attachments" / attachment.stored_name]
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{kind}", attachment.stored_name)
    assert "已上传" in " ".join(page_messages(response))
    assert name in response.content.decode()


def test_the_upload_returns_to_the_step_it_came_from(
    client: Client, officer: User, submission: Submission,
) -> None:
    client.force_login(officer)
    preview = reverse("submission_step", kwargs={"pk": submission.pk, "key": "preview"})
    url = reverse("attachment_upload", kwargs={"pk": submission.pk})
    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF), "next": preview})
    assert response["Location"] == preview


def test_a_foreign_next_url_falls_back_to_the_explanation_step(
    client: Client, officer: User, submission: Submission,
) -> None:
    client.force_login(officer)
    url = reverse("attachment_upload", kwargs={"pk": submission.pk})
    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF),
                                 "next": "https://evil.example/"})
    assert response["Location"] == reverse("submission_step",
                                           kwargs={"pk": submission.pk, "key": "explanation"})


def test_an_upload_for_a_level_three_indicator_records_its_code(
    client: Client, officer: User, submission: Submission, leaf_code: str,
) -> None:
    client.force_login(officer)
    post_upload(client, submission, "a.pdf", PDF, indicator=leaf_code)
    assert Attachment.objects.get().indicator == leaf_code


def test_positions_follow_the_upload_order(
    client: Client, officer: User, submission: Submission,
) -> None:
    client.force_login(officer)
    for name in ("一.pdf", "二.pdf"):
        post_upload(client, submission, name, PDF)
    assert list(Attachment.objects.values_list("original_name", "position")) == [
        ("一.pdf", 0), ("二.pdf", 1)]


def test_the_sha256_of_the_stored_file_is_recorded(
    client: Client, officer: User, submission: Submission,
) -> None:
    import hashlib

    client.force_login(officer)
    post_upload(client, submission, "a.pdf", PDF)
    assert Attachment.objects.get().sha256 == hashlib.sha256(PDF).hexdigest()


# Downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "reviewer"])
def test_the_own_officer_and_a_reviewer_download_the_exact_bytes_as_an_attachment(
    client: Client, officer: User, reviewer: User, submission: Submission, who: str,
) -> None:
    client.force_login(officer)
    post_upload(client, submission, "台账.xlsx", content := xlsx_bytes())
    client.force_login({"officer": officer, "reviewer": reviewer}[who])
    response = download(client, Attachment.objects.get())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%8F%B0%E8%B4%A6.xlsx" in response["Content-Disposition"]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_step_page_lists_the_attachment_with_its_download_link(
    client: Client, officer: User, submission: Submission,
) -> None:
    client.force_login(officer)
    post_upload(client, submission, "证明.pdf", PDF)
    page = client.get(reverse("submission_step",
                              kwargs={"pk": submission.pk, "key": "explanation"})).content.decode()
    attachment = Attachment.objects.get()
    assert reverse("attachment_download", kwargs={"pk": attachment.pk}) in page
    assert "证明.pdf" in page and "整体" in page
    assert 'enctype="multipart/form-data"' in page


# Refused uploads ----------------------------------------------------------------------------


def test_a_png_disguised_as_a_pdf_is_refused_naming_both_types(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "扫描件.pdf", PNG)
    assert_refused(response, private_root, "PDF", "PNG", "扫描件.pdf")


def test_an_executable_renamed_to_pdf_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "setup.pdf", EXE)
    assert_refused(response, private_root, "不是任何允许的文件类型")


def test_an_executable_with_its_own_extension_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "setup.exe", EXE)
    assert_refused(response, private_root, "不支持的文件类型")


def test_a_macro_workbook_named_xlsm_is_refused_by_its_extension(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "宏.xlsm", macro_xlsx_bytes())
    assert_refused(response, private_root, "不支持的文件类型", "宏.xlsm")


def test_a_macro_workbook_named_xlsx_is_refused_for_its_macros(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "宏.xlsx", macro_xlsx_bytes())
    assert_refused(response, private_root, "宏")


def test_a_macro_content_type_without_a_vba_member_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    types = (b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled'
             b'.main+xml"/></Types>')
    content = zip_bytes({"[Content_Types].xml": types, "word/document.xml": b"<w/>"})
    response = post_upload(client, submission, "宏.docx", content)
    assert_refused(response, private_root, "宏")


def test_a_zip_that_is_neither_workbook_nor_document_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "包.xlsx", zip_bytes({"a.txt": b"hello"}))
    assert_refused(response, private_root, "不是任何允许的文件类型")


def test_a_broken_zip_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "坏.docx", b"PK\x03\x04" + b"\x00" * 40)
    assert_refused(response, private_root, "损坏")


def test_an_encrypted_zip_member_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    content = bytearray(docx_bytes())
    content[6] |= 0x1  # general purpose flag of the first local header: encrypted
    central = content.find(b"PK\x01\x02")
    content[central + 8] |= 0x1  # and of its central directory entry
    client.force_login(officer)
    response = post_upload(client, submission, "密.docx", bytes(content))
    assert_refused(response, private_root, "加密")


def test_a_legacy_or_password_protected_office_file_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    response = post_upload(client, submission, "旧表.xlsx", ole)
    assert_refused(response, private_root, ".xlsx")


def test_a_file_over_the_size_limit_is_refused_with_the_limit_in_mb(
    client: Client, officer: User, submission: Submission, private_root: Path,
    settings: Settings,
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(officer)
    response = post_upload(client, submission, "大.pdf", PDF + b"0" * (1024 * 1024))
    assert_refused(response, private_root, "1 MB")


def test_an_empty_file_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "空.pdf", b"")
    assert_refused(response, private_root, "空")


def test_an_unknown_indicator_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    response = post_upload(client, submission, "a.pdf", PDF, indicator="9.9.9")
    assert_refused(response, private_root, "9.9.9", "三级指标")


def test_a_level_one_indicator_is_refused(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    from rubrics.selectors import rubric_spec

    top = next(iter(rubric_spec(version=submission.campaign.rubric).codes_at(1)))
    client.force_login(officer)
    response = post_upload(client, submission, "a.pdf", PDF, indicator=top)
    assert_refused(response, private_root, "三级指标")


def test_a_post_without_a_file_asks_for_one(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    client.force_login(officer)
    url = reverse("attachment_upload", kwargs={"pk": submission.pk})
    assert_refused(client.post(url, {"indicator": ""}, follow=True), private_root, "请选择")


# File names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "clean"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("C:\\Users\\张三\\桌面\\报告.pdf", "报告.pdf"),
    ("...hidden.pdf", "hidden.pdf"),
    ("a\x00b\x1f\u202ec.pdf", "abc.pdf"),
    ("  说明 .pdf ", "说明 .pdf"),
])
def test_clean_name_keeps_only_a_harmless_basename(name: str, clean: str) -> None:
    assert clean_name(name) == clean


def raw_upload(client: Client, submission: Submission, filename: str) -> HttpResponse:
    """A multipart body written by hand: the test client would strip the path itself."""
    boundary = "jixiaoBoundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
    body += PDF + f"\r\n--{boundary}--\r\n".encode()
    url = reverse("attachment_upload", kwargs={"pk": submission.pk})
    return client.generic("POST", url, body,
                          content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize(("name", "clean"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
])
def test_a_path_like_name_is_stored_sanitised_inside_the_private_folder(
    client: Client, officer: User, submission: Submission, private_root: Path,
    name: str, clean: str,
) -> None:
    client.force_login(officer)
    raw_upload(client, submission, name.replace("\\", "\\\\"))
    attachment = Attachment.objects.get()
    assert attachment.original_name == clean
    stored = private_root / "attachments" / attachment.stored_name
    assert stored_files(private_root) == [stored]
    assert stored.resolve().is_relative_to((private_root / "attachments").resolve())


def test_the_service_sanitises_a_windows_path_it_is_given(
    officer: User, submission: Submission,
) -> None:
    upload = SimpleUploadedFile("..\\..\\x.pdf", PDF)
    attachment = attachment_upload(submission=submission, user=officer, uploaded_file=upload)
    assert attachment.original_name == "x.pdf"


def test_a_long_name_is_cut_to_200_characters_keeping_the_extension(
    officer: User, submission: Submission,
) -> None:
    upload = SimpleUploadedFile("长" * 300 + ".pdf", PDF)
    attachment = attachment_upload(submission=submission, user=officer, uploaded_file=upload)
    assert len(attachment.original_name) == 200
    assert attachment.original_name.endswith("长.pdf")


# Access -------------------------------------------------------------------------------------


def test_another_departments_officer_gets_404_on_upload_download_and_delete(
    client: Client, officer: User, other_officer: User, submission: Submission,
    private_root: Path,
) -> None:
    client.force_login(officer)
    post_upload(client, submission, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    client.force_login(other_officer)
    upload = SimpleUploadedFile("b.pdf", PDF)
    urls = reverse("attachment_upload", kwargs={"pk": submission.pk})
    assert client.post(urls, {"file": upload}).status_code == 404
    assert download(client, attachment).status_code == 404
    delete_url = reverse("attachment_delete", kwargs={"pk": attachment.pk})
    assert client.post(delete_url).status_code == 404
    assert list(Attachment.objects.all()) == [attachment]
    assert len(stored_files(private_root)) == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(
    client: Client, officer: User, submission: Submission,
) -> None:
    upload = SimpleUploadedFile("a.pdf", PDF)
    attachment = attachment_upload(submission=submission, user=officer, uploaded_file=upload)
    response = download(client, attachment)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_missing_attachment_is_404(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get(reverse("attachment_download", kwargs={"pk": 999})).status_code == 404


def test_a_reviewer_cannot_upload_or_delete(
    client: Client, officer: User, reviewer: User, submission: Submission, private_root: Path,
) -> None:
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(reviewer)
    refused = post_upload(client, submission, "b.pdf", PDF)
    assert "填报员" in page_messages(refused)[0]
    delete_url = reverse("attachment_delete", kwargs={"pk": attachment.pk})
    refused = client.post(delete_url, follow=True)
    assert "填报员" in page_messages(refused)[0]
    assert list(Attachment.objects.all()) == [attachment]
    assert len(stored_files(private_root)) == 1


@pytest.mark.parametrize("method", ["get", "put"])
def test_upload_and_delete_accept_only_post(
    client: Client, officer: User, submission: Submission, method: str,
) -> None:
    client.force_login(officer)
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    for url in (reverse("attachment_upload", kwargs={"pk": submission.pk}),
                reverse("attachment_delete", kwargs={"pk": attachment.pk})):
        assert getattr(client, method)(url).status_code == 405


# State ------------------------------------------------------------------------------------


def test_an_upload_after_submitting_is_refused_and_changes_nothing(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    client.force_login(officer)
    response = post_upload(client, submission, "a.pdf", PDF)
    assert_refused(response, private_root, "已提交")
    assert Submission.objects.get(pk=submission.pk).version == submission.version


def test_a_delete_after_submitting_is_refused_and_keeps_the_file(
    client: Client, officer: User, submission: Submission, private_root: Path,
) -> None:
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    client.force_login(officer)
    response = client.post(reverse("attachment_delete", kwargs={"pk": attachment.pk}),
                           follow=True)
    assert "已提交" in page_messages(response)[0]
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert len(stored_files(private_root)) == 1


def test_the_step_page_of_a_submitted_submission_has_no_upload_or_delete_form(
    client: Client, officer: User, submission: Submission,
) -> None:
    attachment_upload(submission=submission, user=officer,
                      uploaded_file=SimpleUploadedFile("证明.pdf", PDF))
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    client.force_login(officer)
    page = client.get(reverse("submission_step",
                              kwargs={"pk": submission.pk, "key": "explanation"})).content.decode()
    assert "证明.pdf" in page
    assert 'enctype="multipart/form-data"' not in page
    assert "/delete/" not in page


def test_deleting_removes_the_row_and_the_file(
    client: Client, officer: User, submission: Submission, private_root: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attachment_delete", kwargs={"pk": attachment.pk}),
                               follow=True)
    assert "已删除" in page_messages(response)[0]
    assert not Attachment.objects.exists()
    assert stored_files(private_root) == []


def test_a_failed_database_write_leaves_no_file(
    officer: User, submission: Submission, private_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(Attachment.objects, "create", fail)
    with pytest.raises(RuntimeError):
        attachment_upload(submission=submission, user=officer,
                          uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    assert stored_files(private_root) == []


def test_the_service_refuses_a_reviewer_with_a_domain_error(
    reviewer: User, submission: Submission,
) -> None:
    with pytest.raises(SubmissionError):
        attachment_upload(submission=submission, user=reviewer,
                          uploaded_file=SimpleUploadedFile("a.pdf", PDF))
