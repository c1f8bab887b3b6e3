"""The reviewer's queue, its Excel export and the dashboard, through the real views."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from departments.models import Department, Role
from evaluations.campaigns import charts
from evaluations.campaigns.dashboard import score_bands
from evaluations.campaigns.selectors import QueueQuery
from evaluations.common.xlsx import CONTENT_TYPE
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Claim, IndicatorReview, Submission
from evaluations.review import workflow
from evaluations.services import submission_replace_figures
from rubrics.figures import Figures
from tests.factories import REFERENCE_FILE, World, build_world, make_user

pytestmark = pytest.mark.django_db

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
CHART = re.compile(r'<svg [^>]*class="chart".*?</svg>', re.DOTALL)


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


@pytest.fixture
def reference_figures() -> Figures:
    return read_submission_file(REFERENCE_FILE).figures


@pytest.fixture
def reviewer_client(client: Client, world: World) -> Client:
    client.force_login(world.reviewer)
    return client


def queue_url(year: int = 2023, **params: str) -> str:
    url = reverse("campaign_queue", kwargs={"year": year})
    return f"{url}?{'&'.join(f'{k}={quote(v)}' for k, v in params.items())}" if params else url


def rows_of(response: Any) -> list[Any]:
    return list(response.context["queue"].rows)


def row_named(response: Any, name: str) -> Any:
    return next(r for r in rows_of(response) if r.department == name)


def department_with(name: str, campaign: Campaign, figures: Figures | None = None,
                    status: str = "draft") -> Submission:
    """A department and its submission: empty, or with the (reference) figures, in a state."""
    submission = Submission.objects.create(department=Department.objects.create(name=name),
                                           campaign=campaign)
    if figures is not None:
        submission_replace_figures(submission=submission, figures=figures)
    Submission.objects.filter(pk=submission.pk).update(
        status=status, submitted_at=timezone.now() if status != "draft" else None)
    return submission


def approve_rejecting_both_claims(world: World) -> None:
    workflow.submission_submit(submission=world.reference, actor=world.officer,
                               warnings_confirmed=True)
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=False,
                              comment="依据不足")
    workflow.submission_approve(submission=world.reference, actor=world.reviewer)


# --- access ----------------------------------------------------------------------------------

PAGES = [("campaign_queue", {"year": 2023}), ("campaign_queue_export", {"year": 2023}),
         ("campaign_dashboard", {"year": 2023}), ("review_home", {}),
         ("review_dashboard_home", {})]
REDIRECTS = {"review_home": "/campaigns/2023/queue/",
             "review_dashboard_home": "/campaigns/2023/dashboard/"}


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
@pytest.mark.parametrize("persona", ["anonymous", "officer", "officer_b", "reviewer", "admin"])
def test_only_reviewers_and_administrators_see_the_queue_and_dashboard(
        client: Client, world: World, persona: str, name: str, kwargs: dict[str, int]) -> None:
    users = {"officer": world.officer, "officer_b": world.officer_b, "reviewer": world.reviewer,
             "admin": make_user("admin", Role.RUBRIC_ADMIN)}
    if persona in users:
        client.force_login(users[persona])
    response = client.get(reverse(name, kwargs=kwargs))
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    elif persona.startswith("officer"):
        assert response.status_code == 404
    elif name in REDIRECTS:
        assert (response.status_code, response["Location"]) == (302, REDIRECTS[name])
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name", ["campaign_queue", "campaign_queue_export", "campaign_dashboard"])
def test_an_unknown_year_is_not_found(reviewer_client: Client, name: str) -> None:
    assert reviewer_client.get(reverse(name, kwargs={"year": 2019})).status_code == 404


def test_the_queue_pages_refuse_a_post(reviewer_client: Client) -> None:
    assert reviewer_client.post(queue_url()).status_code == 405


def test_the_top_bar_links_the_queue_and_dashboard_for_reviewers_only(
        client: Client, world: World) -> None:
    client.force_login(world.officer)
    assert "审核队列" not in client.get(reverse("home")).content.decode()
    client.force_login(world.reviewer)
    html = client.get(reverse("home")).content.decode()
    assert html.count(f'href="{reverse("review_home")}"') == 1 and "数据看板" in html


def test_a_user_with_both_roles_gets_the_links_once(client: Client, world: World) -> None:
    both = make_user("both", Role.RUBRIC_ADMIN)
    both.memberships.create(role=Role.REVIEWER)
    client.force_login(both)
    html = client.get(reverse("home")).content.decode()
    assert html.count(f'href="{reverse("review_home")}"') == 1
    assert html.count(f'href="{reverse("review_dashboard_home")}"') == 1


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_every_department_with_its_state_and_exact_totals(
        reviewer_client: Client, world: World) -> None:
    Department.objects.create(name="江门市未填报局")
    Department.objects.create(name="江门市停用局", is_active=False)
    response = reviewer_client.get(queue_url())
    assert [r.department for r in rows_of(response)] == [
        "江门市人力资源和社会保障局", "江门市未填报局", "江门市示范局"]
    reference = row_named(response, "江门市人力资源和社会保障局")
    assert (reference.state, reference.computed, reference.self_total, reference.review_total) == (
        "draft", D("97.59"), D("98.49"), None)
    assert (reference.claims, reference.pending_claims, reference.warnings) == (2, 2, 3)
    missing = row_named(response, "江门市未填报局")
    assert (missing.state_label, missing.computed, missing.submission_id) == ("未开始", None, None)
    html = response.content.decode()
    assert "97.59" in html and "98.49" in html and "未开始" in html
    assert reverse("submission_review", kwargs={"pk": world.reference.pk}) in html
    assert response.context["queue"].counts == {
        "not_started": 1, "draft": 2, "returned": 0, "submitted": 0, "reviewed": 0}


def test_the_review_total_shows_once_reviewed(reviewer_client: Client, world: World) -> None:
    workflow.submission_submit(submission=world.reference, actor=world.officer,
                               warnings_confirmed=True)
    submitted = row_named(reviewer_client.get(queue_url()), "江门市人力资源和社会保障局")
    assert (submitted.state, submitted.review_total, submitted.pending_claims) == (
        "submitted", None, 2)
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=False, comment="依据不足")
    workflow.submission_approve(submission=world.reference, actor=world.reviewer)
    response = reviewer_client.get(queue_url())
    reviewed = row_named(response, "江门市人力资源和社会保障局")
    assert (reviewed.state_label, reviewed.self_total, reviewed.review_total) == (
        "已审核", D("98.49"), D("97.59"))
    assert reviewed.pending_claims == 0
    assert '<td class="text-end num fw-semibold" data-field="review">97.59</td>' in (
        response.content.decode())


def test_an_indicator_review_score_changes_the_review_total(reviewer_client: Client,
                                                            world: World) -> None:
    workflow.submission_submit(submission=world.reference, actor=world.officer,
                               warnings_confirmed=True)
    workflow.indicator_review_set(submission=world.reference, actor=world.reviewer,
                                  indicator="2.6.6", review_score=D("1.5"), reason="无佐证")
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=True)
    workflow.submission_approve(submission=world.reference, actor=world.reviewer)
    row = row_named(reviewer_client.get(queue_url()), "江门市人力资源和社会保障局")
    assert row.review_total == D("97.99")


def test_the_queue_filters_by_state_and_searches_by_name(
        reviewer_client: Client, world: World, reference_figures: Figures) -> None:
    department_with("江门市交通运输局", world.campaign, reference_figures, "submitted")
    department_with("江门市水利局", world.campaign, None, "returned")
    submitted = reviewer_client.get(queue_url(state="submitted"))
    assert [r.department for r in rows_of(submitted)] == ["江门市交通运输局"]
    assert submitted.context["queue"].total == 4  # the counts are of all departments
    found = reviewer_client.get(queue_url(q="水利"))
    assert [r.department for r in rows_of(found)] == ["江门市水利局"]
    both = reviewer_client.get(queue_url(q="江门市", state="draft"))
    assert [r.department for r in rows_of(both)] == ["江门市人力资源和社会保障局", "江门市示范局"]
    ignored = reviewer_client.get(queue_url(state="bogus", sort="password", order="sideways"))
    assert len(rows_of(ignored)) == 4 and ignored.context["queue"].query == QueueQuery()


def test_the_queue_sorts_by_a_column_either_way_with_empty_values_last(
        reviewer_client: Client, world: World, reference_figures: Figures) -> None:
    lower = replace(reference_figures, claims=())  # no claims: self total = computed 97.59
    department_with("江门市交通运输局", world.campaign, lower, "submitted")
    Department.objects.create(name="江门市未填报局")
    ascending = reviewer_client.get(queue_url(sort="self"))
    assert [(r.department, r.self_total) for r in rows_of(ascending)] == [
        ("江门市示范局", D("71.00")), ("江门市交通运输局", D("97.59")),
        ("江门市人力资源和社会保障局", D("98.49")), ("江门市未填报局", None)]
    descending = reviewer_client.get(queue_url(sort="self", order="desc"))
    assert [r.department for r in rows_of(descending)] == [
        "江门市人力资源和社会保障局", "江门市交通运输局", "江门市示范局", "江门市未填报局"]
    html = descending.content.decode()
    assert 'aria-sort="descending"' in html and "?sort=self" in html  # next click: ascending
    by_state = reviewer_client.get(queue_url(sort="state"))
    assert [r.state for r in rows_of(by_state)] == ["not_started", "draft", "draft", "submitted"]


def test_departments_not_handed_in_after_the_deadline_are_overdue(
        reviewer_client: Client, world: World, reference_figures: Figures) -> None:
    Campaign.objects.filter(pk=world.campaign.pk).update(
        deadline=timezone.now() - dt.timedelta(days=1))
    department_with("江门市交通运输局", world.campaign, reference_figures, "submitted")
    department_with("江门市水利局", world.campaign, None, "returned")
    Department.objects.create(name="江门市未填报局")
    response = reviewer_client.get(queue_url())
    overdue = {r.department for r in rows_of(response) if r.overdue}
    assert overdue == {"江门市人力资源和社会保障局", "江门市示范局", "江门市水利局",
                       "江门市未填报局"}
    assert response.context["queue"].overdue == 4
    html = response.content.decode()
    assert html.count('data-testid="overdue"') == 4 and html.count("data-overdue") == 4
    only = reviewer_client.get(queue_url(overdue="1", q="水利"))
    assert [r.department for r in rows_of(only)] == ["江门市水利局"]


def test_nothing_is_overdue_before_the_deadline(reviewer_client: Client, world: World) -> None:
    Campaign.objects.filter(pk=world.campaign.pk).update(
        deadline=timezone.now() + dt.timedelta(days=1))
    response = reviewer_client.get(queue_url())
    assert not any(r.overdue for r in rows_of(response))
    assert 'data-testid="overdue"' not in response.content.decode()


def test_the_queue_links_the_batch_pdf_page_and_the_export_with_the_filters(
        reviewer_client: Client) -> None:
    html = reviewer_client.get(queue_url(state="draft")).content.decode()
    assert reverse("campaign_documents", kwargs={"year": 2023}) in html
    assert f'{reverse("campaign_queue_export", kwargs={"year": 2023})}?state=draft' in html


def populate(campaign: Campaign, figures: Figures, count: int, reviewer: Any,
             start: int = 0) -> None:
    """`count` departments in every state, with figures, claims and indicator reviews."""
    states = ["draft", "submitted", "returned", "reviewed"]
    for i in range(start, start + count):
        submission = department_with(f"批量部门{i:02d}", campaign, figures, states[i % 4])
        if states[i % 4] == "reviewed":
            Claim.objects.filter(submission=submission).update(decision="accepted")
            IndicatorReview.objects.create(submission=submission, indicator="2.6.6",
                                           review_score=D("1.5"), reason="x", reviewer=reviewer)
    Department.objects.create(name=f"未填报部门{start}")


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_departments(
        reviewer_client: Client, world: World, reference_figures: Figures) -> None:
    previous = Campaign.objects.create(year=2022, name="2022", rubric=world.campaign.rubric,
                                       deadline=world.campaign.deadline)
    urls = [queue_url(), reverse("campaign_dashboard", kwargs={"year": 2023}),
            reverse("campaign_queue_export", kwargs={"year": 2023})]
    populate(world.campaign, reference_figures, 2, world.reviewer)
    Submission.objects.create(department=world.reference.department, campaign=previous)
    few = [queries(reviewer_client, url) for url in urls]
    populate(world.campaign, reference_figures, 12, world.reviewer, start=2)
    for department in Department.objects.filter(name__startswith="批量部门"):
        Submission.objects.get_or_create(department=department, campaign=previous)
    assert len(rows_of(reviewer_client.get(queue_url()))) == 2 + 2 + 1 + 12 + 1
    assert [queries(reviewer_client, url) for url in urls] == few


# --- the Excel export ---------------------------------------------------------------------------


def test_the_export_has_the_queue_rows_with_exact_numbers_and_escaped_text(
        reviewer_client: Client, world: World) -> None:
    approve_rejecting_both_claims(world)
    department_with('=HYPERLINK("x")', world.campaign)
    response = reviewer_client.get(reverse("campaign_queue_export", kwargs={"year": 2023}))
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("2023-自评审核队列.xlsx"))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    assert header[:8] == ["部门", "状态", "提交时间", "截止时间", "逾期", "计算得分", "自评得分",
                          "复核得分"]
    assert ws[1][0].font.bold and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L4"
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"'=HYPERLINK(\"x\")", "江门市人力资源和社会保障局", "江门市示范局"}
    reference = rows["江门市人力资源和社会保障局"]
    assert reference[1] == "已审核" and isinstance(reference[2], dt.datetime)
    assert [D(str(v)) for v in reference[5:8]] == [D("97.59"), D("98.49"), D("97.59")]
    assert reference[8:10] == (2, 0)
    assert rows["江门市示范局"][7] is None
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet


def test_the_export_follows_the_filters_and_sort(reviewer_client: Client, world: World) -> None:
    url = reverse("campaign_queue_export", kwargs={"year": 2023})
    ws = openpyxl.load_workbook(io.BytesIO(
        reviewer_client.get(f"{url}?sort=self&order=desc&q=江门").content)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        "江门市人力资源和社会保障局", "江门市示范局"]


# --- the dashboard ----------------------------------------------------------------------------


def dashboard(client: Client, **params: str) -> Any:
    url = reverse("campaign_dashboard", kwargs={"year": 2023})
    return client.get(url, params)


def svgs_of(html: str) -> list[ET.Element]:
    """Every inline chart, parsed as XML: each must be well-formed on its own."""
    return [ET.fromstring(chart) for chart in CHART.findall(html)]


def test_the_dashboard_counts_states_and_bands_and_finds_the_losing_indicators(
        reviewer_client: Client, world: World, reference_figures: Figures) -> None:
    department_with("江门市交通运输局", world.campaign, replace(reference_figures, claims=()),
                    "submitted")
    Department.objects.create(name="江门市未填报局")
    response = dashboard(reviewer_client)
    board = response.context["board"]
    assert board.counts == {"not_started": 1, "draft": 2, "returned": 0, "submitted": 1,
                            "reviewed": 0}
    assert [(b.label, b.count) for b in board.bands] == [
        ("<60", 0), ("60–70", 0), ("70–80", 1), ("80–90", 0), ("90–95", 0), ("95–100", 2)]
    losing = {i.code: (i.lost, i.departments) for i in board.losing}
    assert losing["2.5.5"] == (D("2.00"), 2) and losing["2.2.3"] == (D("1.00"), 2)
    assert losing["1.1.1"] == (D("10.00"), 1)  # the empty draft of 江门市示范局
    html = response.content.decode()
    assert '<tr data-code="2.5.5"><td>2.5.5 合同备案时效性</td>' in html
    assert ('<tr data-state="submitted"><td>已提交（待审核）</td>'
            '<td class="text-end num">1</td>') in html
    assert len(svgs_of(html)) == 3 and "无上一年度数据" in html


def test_the_submitted_scope_leaves_drafts_out(reviewer_client: Client, world: World) -> None:
    approve_rejecting_both_claims(world)
    board = dashboard(reviewer_client, scope="submitted").context["board"]
    assert board.counted == 1
    assert [b.count for b in board.bands] == [0, 0, 0, 0, 0, 1]  # 97.59, the review total
    assert [(i.code, i.lost) for i in board.losing] == [
        ("2.5.5", D("1.00")), ("2.2.3", D("0.50")), ("2.2.1", D("0.01"))]


def test_the_dashboard_compares_with_the_previous_year(
        reviewer_client: Client, world: World, reference_figures: Figures) -> None:
    previous = Campaign.objects.create(year=2022, name="2022 年度", rubric=world.campaign.rubric,
                                       deadline="2023-05-31T17:30:00+08:00")
    Submission.objects.create(department=world.reference.department, campaign=previous)
    clone = Submission.objects.create(department=world.other.department, campaign=previous)
    submission_replace_figures(submission=clone, figures=reference_figures)
    response = dashboard(reviewer_client)
    board = response.context["board"]
    assert board.previous_year == 2022
    assert [(c.department, c.previous, c.current, c.change) for c in board.comparisons] == [
        ("江门市人力资源和社会保障局", D("71.00"), D("98.49"), D("27.49")),
        ("江门市示范局", D("98.49"), D("71.00"), D("-27.49"))]
    html = response.content.decode()
    assert '<td class="text-end num text-success" data-field="change">+27.49</td>' in html
    assert '<td class="text-end num text-danger" data-field="change">-27.49</td>' in html
    charts_found = svgs_of(html)
    assert len(charts_found) == 4
    comparison = next(c for c in charts_found if c.get("id") == "chart-comparison")
    assert comparison.find(f"{SVG}title").text == "与上一年度相比"
    assert "71.00 → 98.49（+27.49）" in comparison.find(f"{SVG}desc").text


def test_every_chart_is_labelled_for_screen_readers(reviewer_client: Client) -> None:
    for chart in svgs_of(dashboard(reviewer_client).content.decode()):
        ident = chart.get("id")
        assert chart.get("role") == "img"
        assert chart.get("aria-labelledby") == f"{ident}-title {ident}-desc"
        assert chart.find(f"{SVG}title").get("id") == f"{ident}-title"
        assert chart.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")


# --- pure parts -------------------------------------------------------------------------------


def test_score_bands_include_the_lower_edge_and_close_the_last_band() -> None:
    bands = score_bands([D("59.99"), D("60"), D("69.99"), D("90"), D("94.99"), D("95"),
                         D("100")])
    assert [b.count for b in bands] == [1, 2, 0, 0, 2, 2]


def test_chart_text_is_escaped_and_the_svg_stays_well_formed() -> None:
    hostile = '<script>alert("x")</script> & \'引号\''
    outputs = [
        charts.bar_chart("c1", hostile, [charts.Bar(hostile, D("1.5"), hint=hostile)]),
        charts.column_chart("c2", hostile, [charts.Bar(hostile, D(3))], axis=hostile),
        charts.stacked_bar("c3", hostile, [charts.Bar(hostile, D(2)), charts.Bar("b", D(1))]),
        charts.dumbbell_chart("c4", hostile, [charts.Pair(hostile, D(70), D(90))],
                              before=hostile, after="后"),
        charts.dumbbell_chart("c5", hostile, [], before="前", after="后", empty_text=hostile),
    ]
    for svg in outputs:
        assert "<script>" not in svg
        root = ET.fromstring(str(svg))
        assert root.find(f"{SVG}title").text == hostile


def test_a_chart_refuses_a_colour_that_is_not_one() -> None:
    with pytest.raises(ValueError, match="not a colour"):
        charts.bar_chart("c", "t", [charts.Bar("a", D(1), colour='red" onload="x')])


def test_long_labels_are_cut_to_fit() -> None:
    assert charts.fitted("部门整体绩效目标产出指标完成情况", 100) == "部门整体绩效目…"
    assert charts.text_width(charts.fitted("2.1.1 部门整体绩效目标产出指标", 100)) <= 100
    assert charts.fitted("短", 100) == "短"
