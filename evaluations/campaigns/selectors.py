"""The queue and dashboard of a campaign: reads only (CONVENTIONS.md §1).

Only for those who see every department's submissions (reviewers and rubric administrators,
`departments.access.sees_all_submissions`): anyone else, and an unknown year, gets 404.

Every department of a campaign is read with a constant number of queries, whatever their
number: the campaign's submissions with their figures, claims and indicator reviews prefetched,
the active departments without a submission, and one rubric spec. Scores are then computed in
Python (`rubrics.scoring` is pure), only for the rows a page shows. The queue's filters and
sort run on those rows, not in SQL, because the totals they sort by are computed, not stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.access import sees_all_submissions
from departments.models import Department
from evaluations.campaigns.dashboard import (
    Band,
    Comparison,
    LosingIndicator,
    comparisons,
    losing_indicators,
    score_bands,
)
from evaluations.figures.codec import FIGURE_RELATIONS, submission_figures
from evaluations.models import Campaign, Claim, Submission
from evaluations.scores import review_marks, review_total
from rubrics.scoring import RubricSpec, ScoreResult, score
from rubrics.selectors import rubric_spec

Status = Submission.Status
NOT_STARTED = "not_started"
# Workflow order: the order of the counts, the charts and the 状态 sort.
STATES = (NOT_STARTED, Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.REVIEWED)
STATE_LABELS: dict[str, Any] = {NOT_STARTED: _("未开始"), **dict(Status.choices)}
# Handed in on time counts as done: only these states can be overdue.
OPEN_STATES = frozenset({NOT_STARTED, Status.DRAFT, Status.RETURNED})
MAX_SEARCH = 100


# --- access ----------------------------------------------------------------------------------


def campaign_latest_for_review(*, user: AbstractBaseUser | AnonymousUser) -> Campaign:
    campaign = Campaign.objects.order_by("-year").first()
    if campaign is None or not sees_all_submissions(user):
        raise Http404
    return campaign


def campaign_years() -> list[int]:
    return list(Campaign.objects.order_by("-year").values_list("year", flat=True))


# --- entries: every department with its submission, before scoring ------------------------


@dataclass(frozen=True)
class Entry:
    department: Department
    submission: Submission | None
    state: str
    overdue: bool


def campaign_entries(*, campaign: Campaign, now: dt.datetime | None = None) -> list[Entry]:
    """Every department of the campaign: those with a submission, then the active others.

    A department that was deactivated but has a submission in this campaign stays listed:
    its submission still has to be reviewed. Constant queries: 1 + the prefetches + 1.
    """
    now = now or timezone.now()
    submissions = list(
        Submission.objects.filter(campaign=campaign)
        .select_related("department", "campaign__rubric")
        .prefetch_related(*FIGURE_RELATIONS, "indicator_reviews")
    )
    missing = Department.objects.filter(is_active=True).exclude(submissions__campaign=campaign)
    past_deadline = now > campaign.deadline
    entries = [entry(s.department, s, s.status, past_deadline) for s in submissions]
    entries += [entry(d, None, NOT_STARTED, past_deadline) for d in missing]
    return sorted(entries, key=lambda e: e.department.name)


def entry(department: Department, submission: Submission | None, state: str,
          past_deadline: bool) -> Entry:
    return Entry(department=department, submission=submission, state=state,
                 overdue=past_deadline and state in OPEN_STATES)


def state_counts(entries: Iterable[Entry]) -> dict[str, int]:
    """{state: count} in workflow order, every state present (0 when none)."""
    counts = dict.fromkeys(STATES, 0)
    for e in entries:
        counts[e.state] += 1
    return counts


# --- scored rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """A submission's scores: computed, self and, once reviewed, the final 复核得分."""

    result: ScoreResult
    review_total: Decimal | None

    @property
    def final(self) -> Decimal:
        """The score that counts: 复核得分 once reviewed, else the 自评得分."""
        return self.review_total if self.review_total is not None else self.result.self_total


def scored(submission: Submission, spec: RubricSpec) -> Scored:
    """Scores from the prefetched figures, claims and indicator reviews (no query)."""
    result = score(spec, submission_figures(submission=submission))
    if submission.status != Status.REVIEWED:
        return Scored(result, None)
    marks = review_marks(result, submission.claim_set.all(), submission.indicator_reviews.all())
    return Scored(result, review_total(result, marks))


@dataclass(frozen=True)
class QueueRow:
    department: str
    state: str
    state_label: str
    submission_id: int | None
    submitted_at: dt.datetime | None
    deadline: dt.datetime
    overdue: bool
    late: bool  # handed in after the deadline
    computed: Decimal | None
    self_total: Decimal | None
    review_total: Decimal | None
    claims: int
    pending_claims: int
    warnings: int
    errors: int


def queue_row(e: Entry, spec: RubricSpec, deadline: dt.datetime) -> QueueRow:
    s = e.submission
    scores = scored(s, spec) if s is not None else None
    claims = list(s.claim_set.all()) if s is not None else []
    submitted_at = s.submitted_at if s is not None else None
    return QueueRow(
        department=e.department.name, state=e.state, state_label=str(STATE_LABELS[e.state]),
        submission_id=s.pk if s is not None else None, submitted_at=submitted_at,
        deadline=deadline, overdue=e.overdue,
        late=submitted_at is not None and submitted_at > deadline,
        computed=scores.result.computed if scores else None,
        self_total=scores.result.self_total if scores else None,
        review_total=scores.review_total if scores else None,
        claims=len(claims),
        pending_claims=sum(1 for c in claims if c.decision == Claim.Decision.PENDING),
        warnings=len(scores.result.warnings) if scores else 0,
        errors=len(scores.result.errors) if scores else 0,
    )


# --- the queue's filters and sort ----------------------------------------------------------

STATE_RANK = {state: rank for rank, state in enumerate(STATES)}
SORT_KEYS: dict[str, Callable[[QueueRow], Any]] = {
    "department": lambda r: r.department,
    "state": lambda r: STATE_RANK[r.state],
    "submitted": lambda r: r.submitted_at,
    "overdue": lambda r: r.overdue,
    "computed": lambda r: r.computed,
    "self": lambda r: r.self_total,
    "review": lambda r: r.review_total,
    "claims": lambda r: r.claims,
    "warnings": lambda r: r.warnings,
}
SORT_LABELS: dict[str, Any] = {
    "department": _("部门"), "state": _("状态"), "submitted": _("提交时间"),
    "overdue": _("截止 / 逾期"), "computed": _("计算得分"), "self": _("自评得分"),
    "review": _("复核得分"), "claims": _("申请调整"), "warnings": _("提示"),
}
DEFAULT_SORT = "department"


@dataclass(frozen=True)
class QueueQuery:
    """The queue's GET parameters, whitelisted: anything unknown falls back to the default."""

    state: str = ""
    overdue: bool = False
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> QueueQuery:
        state = params.get("state", "")
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            state=state if state in STATE_LABELS else "",
            overdue=params.get("overdue", "") in {"1", "on", "true"},
            search=params.get("q", "").strip()[:MAX_SEARCH],
            sort=sort if sort in SORT_KEYS else DEFAULT_SORT,
            descending=params.get("order", "") == "desc",
        )

    def matches(self, e: Entry) -> bool:
        return ((not self.state or e.state == self.state)
                and (not self.overdue or e.overdue)
                and (not self.search or self.search.casefold() in e.department.name.casefold()))

    def sorted(self, rows: list[QueueRow]) -> list[QueueRow]:
        """Sorted by the chosen column, then by department; empty values ('—') always last."""
        key = SORT_KEYS[self.sort]
        by_name = sorted(rows, key=lambda r: r.department)
        present = [r for r in by_name if key(r) is not None]
        empty = [r for r in by_name if key(r) is None]
        # Python's sort is stable even reversed: equal values keep the department order.
        return sorted(present, key=key, reverse=self.descending) + empty


@dataclass(frozen=True)
class Queue:
    campaign: Campaign
    query: QueueQuery
    rows: list[QueueRow]
    counts: dict[str, int]
    overdue: int
    total: int
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def past_deadline(self) -> bool:
        return self.now > self.campaign.deadline


def campaign_queue(*, campaign: Campaign, query: QueueQuery,
                   now: dt.datetime | None = None) -> Queue:
    """The queue's rows (filtered, scored, sorted) and the counts of all departments."""
    now = now or timezone.now()
    entries = campaign_entries(campaign=campaign, now=now)
    spec = rubric_spec(version=campaign.rubric)
    rows = [queue_row(e, spec, campaign.deadline) for e in entries if query.matches(e)]
    return Queue(campaign=campaign, query=query, rows=query.sorted(rows),
                 counts=state_counts(entries), overdue=sum(e.overdue for e in entries),
                 total=len(entries), now=now)


# --- the dashboard -------------------------------------------------------------------------

SCOPES: dict[str, Any] = {"all": _("全部自评（含草稿）"), "submitted": _("仅已提交和已审核")}
SUBMITTED_STATES = frozenset({Status.SUBMITTED, Status.REVIEWED})


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    scope: str
    counts: dict[str, int]
    total: int
    counted: int  # submissions in the scope: the base of the three score charts
    bands: list[Band]
    losing: list[LosingIndicator]
    previous_year: int | None  # None: no campaign the year before
    comparisons: list[Comparison]


def final_scores(*, campaign: Campaign, entries: Iterable[Entry]) -> dict[int, Scored]:
    """{department id: scores} of the entries' submissions under the campaign's rubric."""
    spec = rubric_spec(version=campaign.rubric)
    return {e.department.pk: scored(e.submission, spec) for e in entries
            if e.submission is not None}


def finals(scores: Mapping[int, Scored]) -> dict[int, Decimal]:
    return {pk: s.final for pk, s in scores.items()}


def campaign_dashboard(*, campaign: Campaign, scope: str = "all",
                       now: dt.datetime | None = None) -> Dashboard:
    """Progress by state, score distribution, losing indicators, and the change since last year.

    The score charts count the submissions in the scope ("all": every submission, drafts
    included; "submitted": submitted and reviewed only), each by its final score.
    """
    scope = scope if scope in SCOPES else "all"
    entries = campaign_entries(campaign=campaign, now=now)
    counted = [e for e in entries if e.submission is not None
               and (scope == "all" or e.state in SUBMITTED_STATES)]
    current = final_scores(campaign=campaign, entries=counted)
    previous_campaign = (Campaign.objects.select_related("rubric")
                         .filter(year=campaign.year - 1).first())
    previous = (final_scores(campaign=previous_campaign, entries=[
        e for e in campaign_entries(campaign=previous_campaign, now=now)
        if e.department.pk in current]) if previous_campaign is not None else {})
    names = {e.department.pk: e.department.name for e in entries}
    return Dashboard(
        campaign=campaign, scope=scope, counts=state_counts(entries), total=len(entries),
        counted=len(current), bands=score_bands(s.final for s in current.values()),
        losing=losing_indicators(s.result for s in current.values()),
        previous_year=previous_campaign.year if previous_campaign is not None else None,
        comparisons=comparisons(finals(current), finals(previous), names),
    )
