"""佐证材料: what an uploaded file really is, judged by its bytes (SECURITY.md, Uploads). Pure.

A file is accepted by what its bytes are, not by what its name claims: the content is sniffed,
the declared extension must agree with it, and Office files must be macro-free OOXML. Names are
cleaned to a harmless basename before they are shown or stored.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from typing import IO

from django.utils.translation import gettext as _

from evaluations.common.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from evaluations.exceptions import SubmissionError

EXTENSION_KINDS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "xlsx": "xlsx",
                   "docx": "docx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": XLSX_CONTENT_TYPE,
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
KIND_LABELS = {"pdf": "PDF 文档", "jpg": "JPEG 图片", "png": "PNG 图片",
               "xlsx": "Excel 工作簿（.xlsx）", "docx": "Word 文档（.docx）"}
MAGIC = (("pdf", b"%PDF-"), ("png", b"\x89PNG\r\n\x1a\n"), ("jpg", b"\xff\xd8\xff"))
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls/.doc and password-protected Office files
OOXML_MAIN_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 200


# Names ------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The basename without control or format characters and leading dots, ≤ 200 characters."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if len(base) <= MAX_NAME_LENGTH:
        return base
    stem, dot, extension = base.rpartition(".")
    if not dot or len(extension) >= MAX_NAME_LENGTH // 2:
        return base[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension


def declared_kind(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    kind = EXTENSION_KINDS.get(extension.lower()) if dot and stem else None
    if kind is None:
        raise SubmissionError(
            _("不支持的文件类型“%(name)s”：只能上传 PDF、JPG、PNG、Excel（.xlsx）和 "
              "Word（.docx）文件。") % {"name": name or _("（无文件名）")})
    return kind


# Content sniffing -------------------------------------------------------------------------


def sniff_kind(file: IO[bytes]) -> str | None:
    """The allowed kind the bytes really are, or None; raises for macro, encrypted, broken."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for kind, magic in MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(OLE_MAGIC):
        raise SubmissionError(_("不支持旧版或加密的 Office 文件（.xls、.doc 或设有打开密码的"
                                "文件）：请去除密码并另存为 .xlsx 或 .docx 后上传。"))
    if head.startswith(ZIP_MAGIC):
        return ooxml_kind(file)
    return None


def ooxml_kind(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            return ooxml_kind_of(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, KeyError,
            ValueError, RuntimeError, NotImplementedError):
        raise SubmissionError(_("文件已损坏，无法读取，请检查后重新上传。")) from None
    finally:
        file.seek(0)


def ooxml_kind_of(archive: zipfile.ZipFile) -> str | None:
    members = archive.infolist()
    if any(info.flag_bits & 0x1 for info in members):
        raise SubmissionError(_("文件已加密，无法检查内容：请去除密码后上传。"))
    names = {info.filename for info in members}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise macro_error()
    if CONTENT_TYPES_PART not in names:
        return None
    if archive.getinfo(CONTENT_TYPES_PART).file_size > CONTENT_TYPES_MAX_BYTES:
        return None
    if b"macroenabled" in archive.read(CONTENT_TYPES_PART).lower():
        raise macro_error()
    kinds = [kind for kind, part in OOXML_MAIN_PARTS.items() if part in names]
    return kinds[0] if len(kinds) == 1 else None


def macro_error() -> SubmissionError:
    return SubmissionError(_("文件包含宏（VBA 代码），出于安全原因不能上传：请另存为不含宏的 "
                             ".xlsx 或 .docx 文件后重新上传。"))


def checked_kind(file: IO[bytes], name: str) -> str:
    """The sniffed kind, which must be the one the file name declares."""
    declared = declared_kind(name)
    actual = sniff_kind(file)
    if actual is None:
        raise SubmissionError(
            _("文件“%(name)s”的扩展名是 %(declared)s，但内容不是任何允许的文件类型"
              "（PDF、JPG、PNG、Excel、Word），已拒绝上传。")
            % {"name": name, "declared": KIND_LABELS[declared]})
    if actual != declared:
        raise SubmissionError(
            _("文件“%(name)s”的扩展名表明是 %(declared)s，但内容实际是 %(actual)s："
              "请改用正确的扩展名后重新上传。")
            % {"name": name, "declared": KIND_LABELS[declared], "actual": KIND_LABELS[actual]})
    return actual
