"""The Excel import's POST, read through a form; the service judges what it holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from evaluations.excel.read import MAX_FILE_BYTES


class ExcelImportForm(forms.Form):
    """The chosen file and the version of the page it was chosen on; both may be missing."""

    file = forms.FileField(required=False, allow_empty_file=True)
    version = forms.IntegerField(required=False)

    def upload(self) -> dict[str, Any]:
        """The keyword arguments of `services.submission_excel_import` besides who and what."""
        self.is_valid()  # a bad version reads as none, which the service refuses as expired
        data = getattr(self, "cleaned_data", {})
        upload: UploadedFile | None = data.get("file")
        return {
            "content": upload_content(upload) if upload is not None else None,
            "name": (upload.name or "") if upload is not None else "",
            "content_type": (upload.content_type or "") if upload is not None else "",
            "expected_version": data.get("version"),
        }


def upload_content(upload: UploadedFile) -> bytes:
    """The uploaded bytes, read no further than one past the size limit."""
    upload.seek(0)
    return upload.read(MAX_FILE_BYTES + 1)
