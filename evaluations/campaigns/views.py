"""The queue, its Excel export and the dashboard of a campaign (GET only).

For those who see every department's submissions (reviewers and rubric administrators):
anyone else, and an unknown year, gets 404 (`evaluations.selectors.campaign_get_for_review`). The queue
works without JavaScript: filters and sort are GET parameters of a plain form and of the column
headers; the export takes the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from departments.access import sees_all_submissions
from evaluations.campaigns import charts, export, selectors
from evaluations.common.xlsx import CONTENT_TYPE
from evaluations.selectors import campaign_get_for_review

NUMERIC_COLUMNS = frozenset({"computed", "self", "review", "claims", "warnings"})


@login_required
@require_GET
def review_home(request: HttpRequest) -> HttpResponse:
    campaign = selectors.campaign_latest_for_review(user=request.user)
    return redirect("campaign_queue", year=campaign.year)


@login_required
@require_GET
def review_dashboard_home(request: HttpRequest) -> HttpResponse:
    campaign = selectors.campaign_latest_for_review(user=request.user)
    return redirect("campaign_dashboard", year=campaign.year)


@login_required
@require_GET
def campaign_queue(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_get_for_review(user=request.user, year=year)
    page = selectors.campaign_queue(campaign=campaign,
                                    query=selectors.QueueQuery.from_params(request.GET))
    return render(request, "evaluations/campaigns/queue.html", {
        "campaign": campaign, "queue": page, "years": selectors.campaign_years(),
        "columns": sort_columns(request.GET, page.query),
        "states": [(key, label, page.counts[key], with_params(request.GET, state=key))
                   for key, label in selectors.STATE_LABELS.items()],
        "state_order": selectors.STATE_LABELS.items(),
        "sort_labels": selectors.SORT_LABELS.items(),
        "query_string": request.GET.urlencode(),
        # The same rule as the documents page the link leads to.
        "can_batch": sees_all_submissions(request.user),
    })


@login_required
@require_GET
def campaign_queue_export(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_get_for_review(user=request.user, year=year)
    page = selectors.campaign_queue(campaign=campaign,
                                    query=selectors.QueueQuery.from_params(request.GET))
    # content_disposition_header returns None only for an inline response without a name.
    disposition = content_disposition_header(True, export.file_name(page)) or ""
    return HttpResponse(export.queue_workbook(page), content_type=CONTENT_TYPE, headers={
        "Content-Disposition": disposition, "Cache-Control": "private, no-store"})


@login_required
@require_GET
def campaign_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_get_for_review(user=request.user, year=year)
    board = selectors.campaign_dashboard(campaign=campaign,
                                         scope=request.GET.get("scope", "all"))
    return render(request, "evaluations/campaigns/dashboard.html", {
        "campaign": campaign, "board": board, "years": selectors.campaign_years(),
        "charts": charts.dashboard_charts(board), "scopes": selectors.SCOPES.items(),
        "progress": [(key, label, board.counts[key])
                     for key, label in selectors.STATE_LABELS.items()],
    })


# --- the queue's links -----------------------------------------------------------------------


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    url: str
    active: bool
    descending: bool
    numeric: bool

    @property
    def aria_sort(self) -> str:
        if not self.active:
            return "none"
        return "descending" if self.descending else "ascending"


def with_params(params: QueryDict, **changes: str) -> str:
    """`?…` of the current parameters with some replaced (an empty value drops one)."""
    copy = params.copy()
    for name, value in changes.items():
        copy.pop(name, None)
        if value:
            copy[name] = value
    return f"?{copy.urlencode()}" if copy else "?"


def sort_columns(params: QueryDict, query: selectors.QueueQuery) -> list[SortColumn]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    for key, label in selectors.SORT_LABELS.items():
        active = key == query.sort
        flip = active and not query.descending
        columns.append(SortColumn(key, str(label), with_params(
            params, sort=key, order="desc" if flip else ""), active, active and query.descending,
            numeric=key in NUMERIC_COLUMNS))
    return columns
