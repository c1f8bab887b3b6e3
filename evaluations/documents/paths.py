"""Where generated documents and archives are stored, and the names they are downloaded under.

Files live under PRIVATE_STORAGE_ROOT (documents/ and archives/) with random names
(`evaluations.common.files`) and are served only by the permission-checked views of
`evaluations.documents.views`.
"""

from __future__ import annotations

from pathlib import Path

from evaluations.common import files
from evaluations.common.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from evaluations.models import CampaignArchive, GeneratedDocument, Submission

Kind = GeneratedDocument.Kind
PDF_KINDS = (Kind.REPORT, Kind.SCORE_SHEET)
EXTENSIONS = {Kind.REPORT: "pdf", Kind.SCORE_SHEET: "pdf", Kind.SCORE_SHEET_XLSX: "xlsx"}
TITLES = {Kind.REPORT: "自评报告", Kind.SCORE_SHEET: "评分表", Kind.SCORE_SHEET_XLSX: "评分表"}
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE, "zip": "application/zip"}


def documents_dir() -> Path:
    return files.private_dir("documents")


def archives_dir() -> Path:
    return files.private_dir("archives")


def document_path(document: GeneratedDocument) -> Path:
    return files.stored_path(documents_dir(), document.stored_name)


def archive_path(archive: CampaignArchive) -> Path:
    return files.stored_path(archives_dir(), archive.stored_name)


def extension(kind: str) -> str:
    return EXTENSIONS[Kind(kind)]


def department_name(submission: Submission) -> str:
    """The department's name as a file or folder name."""
    return submission.department.name.replace("/", "-").replace("\\", "-").strip(". ")


def file_name(submission: Submission, kind: str) -> str:
    """江门市人力资源和社会保障局-2023-自评报告.pdf"""
    return f"{department_name(submission)}-{submission.campaign.year}-{TITLES[Kind(kind)]}.{extension(kind)}"


def member_name(submission: Submission, kind: str) -> str:
    """江门市人力资源和社会保障局/江门市人力资源和社会保障局-2023-自评报告.pdf"""
    return f"{department_name(submission)}/{file_name(submission, kind)}"


def archive_name(archive: CampaignArchive) -> str:
    return f"{archive.campaign.year}-部门整体支出绩效自评报告.zip"
