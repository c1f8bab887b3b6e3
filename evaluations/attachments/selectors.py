"""佐证材料: the access-checked getter and where a stored file lives."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from evaluations.common import files
from evaluations.models import Attachment
from evaluations.selectors import submission_get_for_user

User = AbstractBaseUser | AnonymousUser


def attachments_dir() -> Path:
    return files.private_dir("attachments")


def attachment_path(attachment: Attachment) -> Path:
    return files.stored_path(attachments_dir(), attachment.stored_name)


def attachment_get_for_user(*, user: User, pk: int) -> Attachment:
    """The attachment, or 404 when its submission is outside the user's departments."""
    attachment = Attachment.objects.filter(pk=pk).select_related("uploaded_by").first()
    if attachment is None:
        raise Http404
    attachment.submission = submission_get_for_user(user=user, pk=attachment.submission_id)
    return attachment
