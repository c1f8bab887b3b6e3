"""Step pages: server time and queries of every step of the reference submission.

For each of the 11 steps of 江门市人力资源和社会保障局 2023 (officer `officer` of the demo):
GET, and POST of the form as rendered, unchanged, with goto="" (saves, bumps the version and
redirects back to the same step; the form is read again before every POST for the new version).
In-process through Django's test client (force_login): request → response with middleware,
session and database, no network or browser. Baseline in the same run, measured again before
each row (a shared machine's load drifts): HttpResponse("ok") behind login_required
(bench/_baseline.py), through the same client, middleware, session and database.
Then 绩效目标 with the reference's 19 targets and with 200 (the form's maximum): queries should
not grow with the rows. Exits 1 if a page answers unexpectedly or a query count grows per row.
Run: .venv/bin/python bench/pages.py [runs]       (default 20 per figure, after warm-up)
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from _baseline import BASELINE_PATH, baseline_urlconf
from _setup import median_ms, setup_django

RUNS = 20
WARMUP = 1  # after the request that counts the queries, itself a first warm-up
MANY_RUNS = 5  # 200 rows: about a second a GET here
REFERENCE = "江门市人力资源和社会保障局"
OFFICER = "officer"
MANY_TARGETS = 200  # evaluations.steps.forms.MAX_ROWS


@dataclass
class Figure:
    ms: float
    queries: int


@dataclass
class Row:
    label: str
    get: Figure
    post: Figure
    base: Figure  # the baseline, measured just before this row (the machine may be busy)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    started = time.perf_counter()
    setup_django()
    ready = time.perf_counter()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from evaluations.models import Submission, Target
    from evaluations.selectors import submission_with_figures
    from evaluations.steps.page import StepPage
    from evaluations.steps.registry import BY_KEY, STEPS
    from rubrics.selectors import rubric_spec
    from tests.factories import page_post_data

    submission = Submission.objects.get(department__name=REFERENCE, campaign__year=2023)
    pk = submission.pk
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username=OFFICER))
    problems: list[str] = []
    notes: list[str] = []

    def step_url(key: str) -> str:
        return f"/submissions/{pk}/steps/{key}/"

    def current_post(key: str) -> dict[str, Any]:
        fresh = submission_with_figures(pk=pk)
        page = StepPage(BY_KEY[key], fresh, rubric_spec(version=fresh.campaign.rubric))
        return {**page_post_data(page), "goto": ""}

    def check(response: HttpResponse, what: str, status: int, location: str = "") -> None:
        if response.status_code != status or response.get("Location", "") != location:
            problems.append(f"{what}: {response.status_code} {response.get('Location', '')}"
                            f" (expected {status} {location})")

    def queries_of(request: Callable[[], HttpResponse]) -> tuple[int, HttpResponse]:
        reset_queries()  # the log is a bounded deque, already full after the demo load
        with CaptureQueriesContext(connection) as captured:
            response = request()
        return len(captured), response

    def measure_get(url: str, n: int = runs) -> Figure:
        count, response = queries_of(lambda: client.get(url))
        check(response, f"GET {url}", 200)
        samples = []
        for i in range(WARMUP + n):
            start = time.perf_counter()
            client.get(url)
            if i >= WARMUP:
                samples.append(time.perf_counter() - start)
        return Figure(median_ms(samples), count)

    def measure_post(key: str, n: int = runs) -> Figure:
        url = step_url(key)
        form = current_post(key)  # as rendered; only the version moves between the POSTs

        def reload_version() -> None:
            # A saved POST bumps the version: send the current one, as a reloaded form would.
            form["version"] = str(Submission.objects.values_list("version", flat=True)
                                  .get(pk=pk))

        def post() -> HttpResponse:
            response = client.post(url, form)
            client.cookies.pop("messages", None)  # "已保存" notices would pile up unread
            return response

        reload_version()
        count, response = queries_of(post)
        check(response, f"POST {url}", 302, url)
        samples = []
        for i in range(WARMUP + n):
            reload_version()
            start = time.perf_counter()
            response = post()
            if i >= WARMUP:
                samples.append(time.perf_counter() - start)
            check(response, f"POST {url}", 302, url)
        return Figure(median_ms(samples), count)

    with override_settings(ROOT_URLCONF=baseline_urlconf(), ALLOWED_HOSTS=["testserver"]):
        rows = [Row(f"{step.key} {step.label}", base=measure_get(BASELINE_PATH),
                    get=measure_get(step_url(step.key)), post=measure_post(step.key))
                for step in STEPS]

        few = Target.objects.filter(submission_id=pk).count()
        targets = [Row(f"targets, {few} targets", rows[1].get, rows[1].post, rows[1].base)]
        Target.objects.bulk_create(
            Target(submission_id=pk, position=few + i, kind="output", category="数量",
                   name=f"基准附加指标{i}", unit="个", target="1", actual="1", completed=True)
            for i in range(MANY_TARGETS - few))
        many = f"targets, {MANY_TARGETS} targets"
        try:
            base_many = measure_get(BASELINE_PATH)
            get_many = measure_get(step_url("targets"), MANY_RUNS)
            with quiet("django.security", "django.request"):  # the 400 logs a traceback
                refused = client.post(step_url("targets"), current_post("targets"))
            if refused.status_code == 400:
                fields = len(current_post("targets"))
                notes.append(f"POST of {MANY_TARGETS} targets answers 400: {fields} fields > "
                             f"DATA_UPLOAD_MAX_NUMBER_FIELDS={settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}"
                             " (app bug: MAX_ROWS is 200); measured with the limit raised")
                many += " *"
            with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10_000):
                targets.append(Row(many, get_many, measure_post("targets", MANY_RUNS), base_many))
        finally:
            Target.objects.filter(submission_id=pk, name__startswith="基准附加指标").delete()

    bases = [row.base.ms for row in [*rows, *targets]]
    print(f"Step pages of {REFERENCE} 2023 as `{OFFICER}`: in-process test client, "
          f"{connection.vendor}, median of {runs} runs after {WARMUP} warm-up")
    print(f"baseline: HttpResponse('ok') behind login_required, {rows[0].base.queries} queries, "
          f"measured before each row: {min(bases):.2f} to {max(bases):.2f} ms "
          f"(×base columns: the row's own baseline)")
    print()
    header = (f"{'step':<28}{'GET ms':>9}{'GET q':>7}{'POST ms':>10}{'POST q':>8}"
              f"{'base ms':>9}{'GET ×base':>11}{'POST ×base':>12}")
    print(header)
    print("-" * len(header))
    for row in [*rows, None, *targets]:
        if row is None:
            print(f"-- 绩效目标 with more rows ({MANY_TARGETS} rows: median of {MANY_RUNS} runs)")
            continue
        label = row.label + " " * max(0, 28 - display_width(row.label))
        print(f"{label}{row.get.ms:9.2f}{row.get.queries:7d}{row.post.ms:10.2f}"
              f"{row.post.queries:8d}{row.base.ms:9.2f}{row.get.ms / row.base.ms:11.1f}"
              f"{row.post.ms / row.base.ms:12.1f}")
    few_row, many_row = targets
    # bulk_create splits its INSERT in batches (SQLite: 999 parameters a query): that many more
    # queries for 200 rows is by design; anything beyond would be queries per row.
    fields = [f for f in Target._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * MANY_TARGETS) or MANY_TARGETS
    batches = -(-MANY_TARGETS // batch) - -(-few // batch)
    for method, a, b, allowed in (("GET", few_row.get, many_row.get, 0),
                                  ("POST", few_row.post, many_row.post, batches)):
        grown = b.queries - a.queries
        verdict = "constant" if grown <= 0 else (
            f"+{grown}: more INSERT batches of bulk_create ({batch} rows a batch on "
            f"{connection.vendor}), not per row" if grown <= allowed else f"+{grown}: GROWS")
        print(f"targets {method} queries with {few} → {MANY_TARGETS} targets: "
              f"{a.queries} → {b.queries}, {verdict}")
        if grown > allowed:
            problems.append(f"targets {method}: {a.queries} queries with {few} targets, "
                            f"{b.queries} with {MANY_TARGETS}")
    for note in notes:
        print(f"* {note}")
    print()
    print(f"total {time.perf_counter() - started:.1f} s "
          f"(database and demo set-up {ready - started:.1f} s)")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


@contextlib.contextmanager
def quiet(*loggers: str) -> Iterator[None]:
    saved = [(logging.getLogger(name), logging.getLogger(name).level) for name in loggers]
    for logger, _level in saved:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def display_width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


if __name__ == "__main__":
    sys.exit(main())
