"""Reviewer pages: the queue, the dashboard and the queue's Excel export of a large campaign.

Builds (with bulk_create, from the reference submission's figures, varied per department so
the scores spread) the demo's 2023 campaign out to 300 departments in every state: 未开始,
draft (some empty), returned, submitted, reviewed (claims decided, a few indicator reviews);
and a 2022 campaign, all reviewed, for two thirds of them. Then, in-process through Django's
test client as the demo `reviewer` (force_login): GET of each page, median of N runs after a
warm-up, with its query count; the baseline in the same run is HttpResponse("ok") behind
login_required (bench/_baseline.py). The same pages are measured first at 30 departments:
the query counts must not grow with the departments. Also prints how much of a queue request
is the selector (load + scoring) and the cost of one scoring.
Exits 1 if a page answers unexpectedly or a query count grows.
Run: .venv/bin/python bench/review.py [runs]        (default 7)
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from _baseline import BASELINE_PATH, baseline_urlconf
from _setup import median_ms, setup_django

RUNS = 7
WARMUP = 1  # after the request that counts the queries, itself a first warm-up
FEW, MANY = 30, 300
REFERENCE = "江门市人力资源和社会保障局"
REVIEWER = "reviewer"
# State of department i (i % 10): 1 未开始, 2 draft (one of them empty), 1 returned,
# 3 submitted, 3 reviewed.
STATES = ("not_started", "draft", "draft", "returned", "submitted", "submitted", "submitted",
          "reviewed", "reviewed", "reviewed")


@dataclass
class Figure:
    ms: float
    queries: int
    size: int


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    started = time.perf_counter()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from evaluations.campaigns import selectors as queue
    from evaluations.figures.codec import submission_figures
    from evaluations.models import Campaign, Submission
    from evaluations.selectors import submission_with_figures
    from rubrics.scoring import score
    from rubrics.selectors import rubric_spec

    reference = submission_with_figures(
        pk=Submission.objects.get(department__name=REFERENCE, campaign__year=2023).pk)
    figures = submission_figures(submission=reference)
    campaign = reference.campaign
    previous = Campaign.objects.create(year=campaign.year - 1, name="2022 年度部门整体支出绩效自评",
                                       rubric=campaign.rubric,
                                       deadline=campaign.deadline - dt.timedelta(days=365))
    client = Client(raise_request_exception=True)
    reviewer = get_user_model().objects.get(username=REVIEWER)
    client.force_login(reviewer)
    problems: list[str] = []
    pages = {"queue": f"/campaigns/{campaign.year}/queue/",
             "dashboard": f"/campaigns/{campaign.year}/dashboard/",
             "export": f"/campaigns/{campaign.year}/queue.xlsx"}

    def queries_of(request: Callable[[], HttpResponse]) -> tuple[int, HttpResponse]:
        reset_queries()  # the log is a bounded deque, already full after the demo load
        with CaptureQueriesContext(connection) as captured:
            response = request()
        return len(captured), response

    def measure(url: str, n: int) -> Figure:
        count, response = queries_of(lambda: client.get(url))
        if response.status_code != 200:
            problems.append(f"GET {url}: {response.status_code}")
        samples = []
        for i in range(WARMUP + n):
            start = time.perf_counter()
            client.get(url)
            if i >= WARMUP:
                samples.append(time.perf_counter() - start)
        return Figure(median_ms(samples), count, len(response.content))

    with override_settings(ROOT_URLCONF=baseline_urlconf(), ALLOWED_HOSTS=["testserver"]):
        built = time.perf_counter()
        build_departments(campaign, previous, figures, range(FEW - 2), reviewer)  # + the demo's two
        build_few = time.perf_counter() - built
        baseline = measure(BASELINE_PATH, runs)
        few = {name: measure(url, max(3, runs // 2)) for name, url in pages.items()}
        built = time.perf_counter()
        build_departments(campaign, previous, figures, range(FEW - 2, MANY - 2), reviewer)
        build_many = time.perf_counter() - built
        many = {name: measure(url, runs) for name, url in pages.items()}
        baseline_end = measure(BASELINE_PATH, runs)

    departments = len(queue.campaign_entries(campaign=campaign))
    counts = queue.state_counts(queue.campaign_entries(campaign=campaign))
    selector = statistics.median(timed(lambda: queue.campaign_queue(
        campaign=campaign, query=queue.QueueQuery())) for _ in range(3)) * 1e3
    spec = rubric_spec(version=campaign.rubric)
    one_score = statistics.median(timed(lambda: score(spec, figures)) for _ in range(200)) * 1e3
    board = queue.campaign_dashboard(campaign=campaign)

    base = baseline.ms
    print(f"Reviewer pages of the {campaign.year} campaign as `{REVIEWER}`: in-process test "
          f"client, {connection.vendor}, median of {runs} runs after {WARMUP} warm-up "
          f"(at {FEW}: {max(3, runs // 2)} runs)")
    print(f"{departments} departments: " + ", ".join(
        f"{queue.STATE_LABELS[k]} {v}" for k, v in counts.items())
          + f"; {previous.submissions.count()} of them also in {previous.year}")
    print(f"baseline: HttpResponse('ok') behind login_required  {base:7.2f} ms  "
          f"{baseline.queries} queries   (again at the end: {baseline_end.ms:.2f} ms)")
    print()
    header = (f"{'page':<38}{'ms @' + str(FEW):>10}{'q @' + str(FEW):>8}"
              f"{'ms @' + str(MANY):>11}{'q @' + str(MANY):>9}{'×base':>9}{'KiB':>8}")
    print(header)
    print("-" * len(header))
    for name, url in pages.items():
        a, b = few[name], many[name]
        print(f"{name + ' ' + url:<38}{a.ms:10.1f}{a.queries:8d}{b.ms:11.1f}{b.queries:9d}"
              f"{b.ms / base:9.0f}{b.size / 1024:8.0f}")
        if b.queries > a.queries:
            problems.append(f"{name}: {a.queries} queries at {FEW} departments, "
                            f"{b.queries} at {MANY}")
    print()
    verdict = all(many[n].queries <= few[n].queries for n in pages)
    print(f"queries {FEW} → {MANY} departments: "
          + ", ".join(f"{n} {few[n].queries} → {many[n].queries}" for n in pages)
          + ("  (constant)" if verdict else "  (GROWS)"))
    print(f"of a queue request at {MANY}: selector (load, score all, sort) {selector:.0f} ms; "
          f"one score() {one_score:.2f} ms × {departments - counts['not_started']} submissions")
    print(f"dashboard at {MANY}: bands " + " ".join(f"{b.label}:{b.count}" for b in board.bands)
          + f"; top loser {board.losing[0].code} −{board.losing[0].lost}"
          + f"; {len(board.comparisons)} compared with {board.previous_year}")
    print()
    print(f"total {time.perf_counter() - started:.1f} s (building {FEW} departments "
          f"{build_few:.1f} s, {MANY} {build_many:.1f} s)")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def variant(figures: Any, i: int) -> Any:
    """The reference figures, varied by department so that scores and lost points spread."""
    targets = tuple(replace(t, completed=t.completed and n >= i % 9)
                    for n, t in enumerate(figures.targets))
    procurement = replace(figures.procurement, filing_warnings=i % 4,
                          internal_controls=i % 7 != 0)
    disclosure = replace(figures.disclosure, budget=i % 5 != 0, targets=i % 3 != 0)
    execution = replace(figures.budget_execution, disbursement_violations=2 if i % 6 == 0 else 0)
    return replace(figures, targets=targets, procurement=procurement, disclosure=disclosure,
                   budget_execution=execution, claims=figures.claims if i % 2 == 0 else ())


def build_departments(campaign: Any, previous: Any, figures: Any, numbers: range,
                      reviewer: Any) -> None:
    """Departments numbered `numbers` with their submissions, children bulk-created."""
    from departments.models import Department
    from evaluations.figures.codec import CHILD_MODELS, figure_fields, figure_rows
    from evaluations.models import IndicatorReview, Submission

    departments = Department.objects.bulk_create(
        Department(name=f"基准测试部门{i:03d}") for i in numbers)
    now = campaign.deadline - dt.timedelta(days=3)
    current, earlier, shapes = [], [], {}
    for i, department in zip(numbers, departments, strict=True):
        state = STATES[i % len(STATES)]
        if state != "not_started":
            empty = state == "draft" and i % 20 == 1
            shape = figures if empty else variant(figures, i)
            current.append(submission(Submission, department, campaign, state,
                                      {} if empty else figure_fields(shape), now))
            shapes[len(current) - 1] = None if empty else shape
        if i % 3 != 0:
            earlier.append(submission(Submission, department, previous, "reviewed",
                                      figure_fields(variant(figures, i + 5)),
                                      now - dt.timedelta(days=365)))
    current = Submission.objects.bulk_create(current)
    earlier = Submission.objects.bulk_create(earlier)
    rows: list[list[Any]] = [[] for _ in CHILD_MODELS]
    for index, sub in enumerate(current):
        if shapes[index] is not None:
            add_rows(rows, figure_rows(sub, shapes[index]), sub.status == "reviewed")
    for sub, i in zip(earlier, [i for i in numbers if i % 3 != 0], strict=True):
        add_rows(rows, figure_rows(sub, variant(figures, i + 5)), True)
    for model, batch in zip(CHILD_MODELS, rows, strict=True):
        model.objects.bulk_create(batch, batch_size=500)
    IndicatorReview.objects.bulk_create(
        IndicatorReview(submission=sub, indicator="2.6.6", review_score=Decimal("1.5"),
                        reason="基准测试：利用率数据未提供佐证", reviewer=reviewer)
        for sub in current[::4] if sub.status == "reviewed")


def submission(model: Any, department: Any, campaign: Any, state: str, fields: dict[str, Any],
               when: dt.datetime) -> Any:
    handed_in = state != "draft"
    return model(department=department, campaign=campaign, status=state,
                 submitted_at=when if handed_in else None,
                 reviewed_at=when + dt.timedelta(days=1) if state == "reviewed" else None,
                 saved_steps=["basics"], **fields)


def add_rows(rows: list[list[Any]], new: list[list[Any]], decided: bool) -> None:
    from evaluations.models import Claim

    for table, items in zip(rows, new, strict=True):
        for item in items:
            if decided and isinstance(item, Claim):
                item.decision = Claim.Decision.ACCEPTED
            table.append(item)

if __name__ == "__main__":
    sys.exit(main())
