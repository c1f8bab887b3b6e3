"""The reviewer's queue, its Excel export and the dashboard of a campaign (GET only).

Reviewers and rubric administrators only: anyone else, and an unknown year, gets 404
(`queue.campaign_get_for_review`). The queue works without JavaScript: filters and sort are
GET parameters of a plain form and of the column headers; the export takes the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from departments.models import Role
from evaluations.campaigns import charts, queue
from evaluations.excel.workbook import CONTENT_TYPE
from evaluations.selectors import user_roles
from rubrics.numbers import score_text

STATE_COLOURS = {"not_started": "#ced4da", "draft": "#6c757d", "returned": "#d97706",
                 "submitted": "#0d6efd", "reviewed": "#198754"}

NUMERIC_COLUMNS = frozenset({"computed", "self", "review", "claims", "warnings"})


@login_required
@require_GET
def review_home(request: HttpRequest) -> HttpResponse:
    campaign = queue.campaign_latest_for_review(user=request.user)
    return redirect("campaign_queue", year=campaign.year)


@login_required
@require_GET
def review_dashboard_home(request: HttpRequest) -> HttpResponse:
    campaign = queue.campaign_latest_for_review(user=request.user)
    return redirect("campaign_dashboard", year=campaign.year)


@login_required
@require_GET
def campaign_queue(request: HttpRequest, year: int) -> HttpResponse:
    campaign = queue.campaign_get_for_review(user=request.user, year=year)
    page = queue.campaign_queue(campaign=campaign,
                                query=queue.QueueQuery.from_params(request.GET))
    return render(request, "evaluations/campaigns/queue.html", {
        "campaign": campaign, "queue": page, "years": queue.campaign_years(),
        "columns": sort_columns(request.GET, page.query),
        "states": [(key, label, page.counts[key], state_url(request.GET, key))
                   for key, label in queue.STATE_LABELS.items()],
        "state_order": queue.STATE_LABELS.items(), "sort_labels": queue.SORT_LABELS.items(),
        "query_string": request.GET.urlencode(),
        "can_batch": Role.REVIEWER in user_roles(request.user),
    })


@login_required
@require_GET
def campaign_queue_export(request: HttpRequest, year: int) -> HttpResponse:
    campaign = queue.campaign_get_for_review(user=request.user, year=year)
    page = queue.campaign_queue(campaign=campaign,
                                query=queue.QueueQuery.from_params(request.GET))
    response = HttpResponse(queue.queue_workbook(page), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{campaign.year}-自评审核队列.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def campaign_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    campaign = queue.campaign_get_for_review(user=request.user, year=year)
    board = queue.campaign_dashboard(campaign=campaign, scope=request.GET.get("scope", "all"))
    return render(request, "evaluations/campaigns/dashboard.html", {
        "campaign": campaign, "board": board, "years": queue.campaign_years(),
        "charts": dashboard_charts(board), "scopes": queue.SCOPES.items(),
        "progress": [(key, label, board.counts[key])
                     for key, label in queue.STATE_LABELS.items()],
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


def sort_columns(params: QueryDict, query: queue.QueueQuery) -> list[SortColumn]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    for key, label in queue.SORT_LABELS.items():
        active = key == query.sort
        flip = active and not query.descending
        columns.append(SortColumn(key, str(label), with_params(
            params, sort=key, order="desc" if flip else ""), active, active and query.descending,
            numeric=key in NUMERIC_COLUMNS))
    return columns


def state_url(params: QueryDict, state: str) -> str:
    return with_params(params, state=state)


# --- the dashboard's charts ------------------------------------------------------------------


def dashboard_charts(board: queue.Dashboard) -> dict[str, SafeString]:
    year = board.campaign.year
    progress = [charts.Bar(str(label), Decimal(board.counts[key]), colour=STATE_COLOURS[key])
                for key, label in queue.STATE_LABELS.items() if board.counts[key]]
    bands = [charts.Bar(b.label, Decimal(b.count), hint=_("%(band)s 分：%(n)d 个部门")
                        % {"band": b.label, "n": b.count}) for b in board.bands]
    losing = [charts.Bar(f"{i.code} {i.name}", i.lost, score_text(i.lost), hint=_(
        "%(code)s %(name)s：共扣 %(lost)s 分，%(n)d 个部门扣分（分值 %(weight)s）") % {
            "code": i.code, "name": i.name, "lost": score_text(i.lost), "n": i.departments,
            "weight": i.weight}) for i in board.losing]
    pairs = [charts.Pair(c.department, c.previous, c.current, change_text(c))
             for c in board.comparisons]
    return {
        "progress": charts.stacked_bar("chart-progress", _("各状态部门数"), progress),
        "bands": charts.column_chart("chart-bands", _("得分分布"), bands, axis=_("得分（分）")),
        "losing": charts.bar_chart("chart-losing", _("扣分最多的三级指标"), losing),
        "comparison": charts.dumbbell_chart(
            "chart-comparison", _("与上一年度相比"), pairs,
            before=_("%(year)d 年度") % {"year": year - 1},
            after=_("%(year)d 年度") % {"year": year}, low=axis_floor(board),
            empty_text=_("无上一年度数据")),
    }


def change_text(c: queue.Comparison) -> str:
    sign = "+" if c.change > 0 else ""
    return f"{score_text(c.previous)} → {score_text(c.current)}（{sign}{score_text(c.change)}）"


def axis_floor(board: queue.Dashboard) -> Decimal:
    """The comparison axis starts at the lowest score floored to ten, 90 at the highest."""
    lowest = min([Decimal(90), *(v for c in board.comparisons for v in (c.previous, c.current))])
    return max(Decimal(0), (lowest / 10).to_integral_value(rounding=ROUND_FLOOR) * 10)
