"""The two PDFs of the reference submission: text, fonts, repeated header, and the fetcher."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from evaluations.documents import render
from evaluations.documents.data import ReportContext, build_report, build_score_sheet
from evaluations.figures.interchange import read_submission_file
from rubrics.scoring import score
from tests.factories import REFERENCE_DEPARTMENT, REFERENCE_FILE
from tests.rubrics.helpers import reference_rubric

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext, pdffonts) is not installed")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    figures = read_submission_file(REFERENCE_FILE).figures
    context = ReportContext(figures=figures, result=score(reference_rubric(), figures),
                            deadline=dt.date(2024, 5, 11), digest="0123456789abcdef" * 4)
    folder = tmp_path_factory.mktemp("pdf")
    paths = {"report": folder / "report.pdf", "sheet": folder / "sheet.pdf"}
    paths["report"].write_bytes(render.render_report(build_report(context)))
    paths["sheet"].write_bytes(render.render_score_sheet(build_score_sheet(context)))
    return paths


def pdf_text(path: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *span, str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out


def squeezed(text: str) -> str:
    """Text without line breaks and spaces: names may wrap across lines in the PDF."""
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["report", "sheet"])
def test_both_pdfs_carry_the_department_the_self_score_and_every_indicator(
    pdfs: dict[str, Path], kind: str,
) -> None:
    text = pdf_text(pdfs[kind])
    flat = squeezed(text)
    assert REFERENCE_DEPARTMENT in flat
    assert "98.49" in flat
    for leaf in reference_rubric().leaves().values():
        assert squeezed(leaf.name) in flat, leaf.name
    assert "\ufffd" not in text and "□" not in text


def test_the_report_prints_the_corrected_figures_and_page_numbers(pdfs: dict[str, Path]) -> None:
    flat = squeezed(pdf_text(pdfs["report"]))
    assert "增支3,540.26万元，增长29.43%" in flat
    assert "自评得分3.49分，得分率87.25%" in flat
    assert "—1—" in flat and "—2—" in flat
    assert "快照摘要" in flat and "0123456789abcdef" in flat
    assert page_count(pdfs["report"]) >= 8


def test_only_embedded_subset_cjk_fonts_are_used(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert listing, "the PDF has fonts"
        for line in listing:
            name, *_rest = line.split()
            emb, sub = line.split()[-5], line.split()[-4]
            assert re.fullmatch(r"[A-Z]{6}\+Noto-(Serif|Sans)-CJK-SC(-Bold)?", name), line
            assert (emb, sub) == ("yes", "yes"), line


def test_the_score_sheet_header_repeats_on_page_two(pdfs: dict[str, Path]) -> None:
    assert page_count(pdfs["sheet"]) >= 2
    second = squeezed(pdf_text(pdfs["sheet"], 2))
    for header in ("一级指标", "二级指标", "三级指标", "分值", "评分标准", "计算得分", "自评得分",
                   "扣分原因"):
        assert header in second
    last = squeezed(pdf_text(pdfs["sheet"], page_count(pdfs["sheet"])))
    assert "合计" in last and "97.59" in last
    assert squeezed(pdf_text(pdfs["sheet"], 1)).count("合计") == 0


def test_the_fetcher_reaches_neither_the_network_nor_files_outside_static(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    opened: list[Any] = []
    import urllib.request

    original = urllib.request.OpenerDirector.open

    def spy(self: Any, fullurl: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(fullurl, "full_url", fullurl))
        return original(self, fullurl, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    html = (f'<html lang="zh-CN"><head><link rel="stylesheet" href="file:///etc/passwd">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head><body>'
            f'<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
            f'<img src="http://127.0.0.1:{port}/y.png"><p>正文</p></body></html>')
    pdf = render.html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()
    assert not [u for u in opened if "passwd" in str(u) or str(u).startswith("http")]


def test_the_fetcher_serves_the_projects_own_stylesheet() -> None:
    css = Path(render.stylesheet("report").removeprefix("file://"))
    assert render.is_allowed_file(css.as_uri())
    assert not render.is_allowed_file("file:///etc/passwd")
    assert not render.is_allowed_file(css.as_uri().replace("report.css", "../../../../etc/hosts"))
