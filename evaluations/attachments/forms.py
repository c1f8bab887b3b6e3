"""The upload form: a file and, optionally, the 三级 indicator it supports.

The file is judged by the service (size, kind, macros), so that every refusal is audited and
worded the same way; the form only asks for one to be there.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

NO_FILE = _("请选择要上传的文件。")


class AttachmentUploadForm(forms.Form):
    file = forms.FileField(allow_empty_file=True, error_messages={
        "required": NO_FILE, "missing": NO_FILE, "invalid": NO_FILE})
    indicator = forms.CharField(required=False)
