"""PDF rendering: the product's two documents for the reference submission versus bare WeasyPrint.

For each document, one child process per mode (so peak RSS is that mode's own) warms up once,
renders 5 times and reports the median seconds, pages, bytes and peak RSS. The baseline renders
the same HTML through bare `weasyprint.HTML(string=…, base_url=…).write_pdf()`; the product adds
report-data building, the template, the safe URL fetcher and the shared FontConfiguration.
Run: .venv/bin/python bench/reports.py
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import statistics
import sys
import time
from typing import Any

from _setup import ROOT

RUNS = 5
GOALS = {"report": 1.5, "score_sheet": 0.5}


def reference_context() -> Any:
    import datetime as dt

    from evaluations.documents.data import ReportContext
    from evaluations.figures.interchange import read_submission_file
    from rubrics.scoring import score
    from tests.rubrics.helpers import reference_rubric

    figures = read_submission_file(ROOT / "evaluations/data/jiangmen-hrss-2023.yaml").figures
    return ReportContext(figures=figures, result=score(reference_rubric(), figures),
                         deadline=dt.date(2024, 5, 11), digest="0" * 64)


def product(kind: str) -> Any:
    """Everything the product does per document: build the data, the HTML, render."""
    from evaluations.documents import data, render

    context = reference_context()
    if kind == "report":
        return lambda: render.render_report(data.build_report(context))
    return lambda: render.render_score_sheet(data.build_score_sheet(context))


def bare(kind: str) -> Any:
    """The same HTML through WeasyPrint with its defaults."""
    from weasyprint import HTML

    from evaluations.documents import data, render

    context = reference_context()
    html = (render.report_html(data.build_report(context)) if kind == "report"
            else render.score_sheet_html(data.build_score_sheet(context)))
    return lambda: HTML(string=html, base_url=render.base_url()).write_pdf()


def measure(kind: str, mode: str, queue: Any) -> None:
    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from pypdf import PdfReader

    render_once = (product if mode == "product" else bare)(kind)
    pdf = render_once()  # warm-up: fonts, templates, imports
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = render_once()
        samples.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((statistics.median(samples), pages, len(pdf), peak_mb))


def run(kind: str, mode: str) -> tuple[float, int, int, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=measure, args=(kind, mode, queue))
    child.start()
    result = queue.get(timeout=600)
    child.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    from evaluations.documents.render import harfbuzz_subset_available

    sys.path.insert(0, str(ROOT))
    print(f"HarfBuzz subsetting: {'yes' if harfbuzz_subset_available() else 'NO (slow path)'}; "
          f"median of {RUNS} after a warm-up, one process per line")
    print(f"{'document':<12} {'mode':<8} {'seconds':>8} {'pages':>6} {'bytes':>10} "
          f"{'peak RSS':>9}")
    for kind in ("report", "score_sheet"):
        rows = {mode: run(kind, mode) for mode in ("bare", "product")}
        for mode, (seconds, pages, size, rss) in rows.items():
            print(f"{kind:<12} {mode:<8} {seconds:8.3f} {pages:6d} {size:10,d} {rss:7.0f} MB")
        overhead = rows["product"][0] / rows["bare"][0] - 1
        goal = GOALS[kind]
        verdict = "within" if rows["product"][0] <= goal else "OVER"
        print(f"{kind:<12} overhead vs bare {overhead:+.1%}; goal {goal} s: {verdict}")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    main()
