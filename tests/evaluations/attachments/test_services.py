"""佐证材料 services on their own, without a view: each writes its own audit row."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from departments.models import AuditEvent
from evaluations.attachments.services import attachment_delete, attachment_upload
from evaluations.exceptions import SubmissionError
from evaluations.models import Attachment, Submission

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48


def audit_rows(event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


def test_upload_service_writes_its_own_audit_row(
        officer: User, submission: Submission) -> None:
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("证明.pdf", PDF))
    [row] = audit_rows("attachment_upload")
    assert (row.outcome, row.user_id, row.object_type, row.object_id) == (
        "success", officer.pk, "Attachment", str(attachment.pk))
    assert row.details == {"submission": submission.pk, "name": "证明.pdf",
                           "sha256": attachment.sha256}


def test_a_refused_upload_is_audited_with_its_reason_and_stores_nothing(
        officer: User, submission: Submission, private_root: Path) -> None:
    with pytest.raises(SubmissionError) as refusal:
        attachment_upload(submission=submission, user=officer,
                          uploaded_file=SimpleUploadedFile("证明.pdf", EXE))
    [row] = audit_rows("attachment_upload")
    assert (row.outcome, row.user_id, row.object_type, row.object_id) == (
        "refused", officer.pk, "Submission", str(submission.pk))
    assert row.details == {"name": "证明.pdf", "reason": refusal.value.messages[0]}
    assert not Attachment.objects.exists()
    assert not any((private_root / "attachments").glob("*"))


def test_a_refusal_under_the_row_lock_rolls_back_but_its_audit_row_survives(
        officer: User, submission: Submission, private_root: Path) -> None:
    # The submission is submitted between the checks and the row lock: the locked re-check
    # refuses inside the transaction, which rolls back; the refusal is audited after it.
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    with pytest.raises(SubmissionError):
        attachment_upload(submission=submission, user=officer,
                          uploaded_file=SimpleUploadedFile("证明.pdf", PDF))
    assert [row.outcome for row in audit_rows("attachment_upload")] == ["refused"]
    assert not Attachment.objects.exists()
    assert not any((private_root / "attachments").glob("*"))


def test_delete_service_writes_its_own_audit_row_and_removes_the_file_on_commit(
        officer: User, submission: Submission, private_root: Path,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("证明.pdf", PDF))
    pk = attachment.pk
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=attachment, user=officer)
    [row] = audit_rows("attachment_delete")
    assert (row.outcome, row.user_id, row.object_type, row.object_id) == (
        "success", officer.pk, "Attachment", str(pk))
    assert row.details == {"submission": submission.pk, "name": "证明.pdf"}
    assert not any((private_root / "attachments").glob("*"))


def test_a_refused_delete_writes_no_audit_row_and_keeps_the_file(
        officer: User, submission: Submission, private_root: Path) -> None:
    attachment = attachment_upload(submission=submission, user=officer,
                                   uploaded_file=SimpleUploadedFile("证明.pdf", PDF))
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    with pytest.raises(SubmissionError):
        attachment_delete(attachment=attachment, user=officer)
    assert audit_rows("attachment_delete") == []
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert len(list((private_root / "attachments").glob("*"))) == 1
