"""Rendering report data to PDF with WeasyPrint, behind a fetcher that reaches nothing outside.

Traps measured on this stack and handled here:
- Without lang="zh-CN" the Noto CJK fonts fall back to their Japanese forms: the templates set it
  and name "Noto Serif CJK SC" / "Noto Sans CJK SC" explicitly (SimSun, 宋体 or Microsoft YaHei
  would silently map to DejaVu on a Linux server).
- One FontConfiguration is reused for the life of the process: a new one per document makes a
  long-running worker's memory creep.
- Fonts are subset (never full_fonts=True: 61 MB files). Subsetting is fast only with HarfBuzz's
  subset library (libharfbuzz-subset0); without it WeasyPrint falls back to a slow path (about
  14 s instead of about 1 s for the report) and says so only in a log line, so
  `harfbuzz_subset_available()` is checked at start-up and a missing library is a loud warning.
- The 合计 row of the 评分表 is the last body row, not a <tfoot>, which would repeat on every page.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from evaluations.documents.data import ReportData, ScoreSheet

logger = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


class FetchRefused(ValueError):
    """WeasyPrint logs the refusal and renders without the resource."""


def allowed_roots() -> tuple[Path, ...]:
    static = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    return (*static, *(d.resolve() for d in FONT_DIRS if d.exists()))


def is_allowed_file(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parsed.path)).resolve()
    return path.is_file() and any(path.is_relative_to(root) for root in allowed_roots())


def safe_url_fetcher() -> Any:
    """A WeasyPrint fetcher serving data: URLs and files under static/ and the system fonts.

    http(s), ftp, redirects, and file: paths elsewhere (``/etc/passwd``) are refused, so neither a
    template nor a user's text can make the renderer reach the network or read another file.
    """
    # A new fetcher per document: URLFetcher keeps per-request state and is not thread-safe.
    return fetcher_class()(allowed_protocols={"data", "file"}, allow_redirects=False,
                           timeout=5)


@functools.cache
def fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class SafeURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file" and not is_allowed_file(url):
                raise FetchRefused("refused to read a file outside the static and font folders")
            return super().fetch(url, headers)

    return SafeURLFetcher


@functools.cache
def font_configuration() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def harfbuzz_subset_available() -> bool:
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


def warn_if_slow_subsetting() -> None:
    if not harfbuzz_subset_available():
        logger.warning(
            "libharfbuzz-subset0 is missing: PDF font subsetting falls back to a slow path "
            "(a report takes ~14 s instead of ~1 s). Install it: apt-get install "
            "libharfbuzz-subset0"
        )


def base_url() -> str:
    return (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"


def html_to_pdf(html: str) -> bytes:
    """The one call into WeasyPrint; every PDF of the product goes through here."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url(), url_fetcher=safe_url_fetcher())
    return document.write_pdf(font_config=font_configuration())


def report_html(data: ReportData) -> str:
    return render_to_string("evaluations/documents/report.html", {"report": data,
                                                                "css": stylesheet("report")})


def score_sheet_html(sheet: ScoreSheet) -> str:
    return render_to_string("evaluations/documents/score_sheet.html",
                            {"sheet": sheet, "css": stylesheet("score_sheet")})


def stylesheet(name: str) -> str:
    found = finders.find(f"evaluations/documents/{name}.css")
    if not found:
        raise FileNotFoundError(name)
    return Path(str(found)).as_uri()


def render_report(data: ReportData) -> bytes:
    return html_to_pdf(report_html(data))


def render_score_sheet(sheet: ScoreSheet) -> bytes:
    return html_to_pdf(score_sheet_html(sheet))
