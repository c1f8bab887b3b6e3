"""The officer's step forms through the real views: save, refuse, go back, resume, lock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.figures.codec import submission_figures
from evaluations.models import Campaign, Submission, Target
from evaluations.selectors import submission_with_figures
from evaluations.steps.page import StepPage
from evaluations.steps.registry import BY_KEY, STEP_KEYS
from rubrics.scoring import score
from rubrics.selectors import rubric_spec
from tests.factories import PASSWORD, World, build_world, page_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


def step_url(submission: Submission, key: str) -> str:
    return reverse("submission_step", kwargs={"pk": submission.pk, "key": key})


def current_post(submission: Submission, key: str) -> dict[str, Any]:
    """The step's form as the officer sees it now, ready to post back."""
    fresh = submission_with_figures(pk=submission.pk)
    page = StepPage(BY_KEY[key], fresh, rubric_spec(version=fresh.campaign.rubric))
    return page_post_data(page)


def logged_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_every_step_page_renders_for_the_departments_officer(client: Client,
                                                            world: World) -> None:
    logged_in(client, world.officer)
    for key in STEP_KEYS:
        response = client.get(step_url(world.reference, key))
        assert response.status_code == 200, key
        assert "97.59" in response.content.decode() and "98.49" in response.content.decode()


@pytest.mark.parametrize("key", STEP_KEYS)
def test_posting_the_step_unchanged_saves_it_and_moves_on(client: Client, world: World,
                                                          key: str) -> None:
    logged_in(client, world.officer)
    before = submission_figures(submission=submission_with_figures(pk=world.reference.pk))
    data = {**current_post(world.reference, key), "goto": "__next__"}
    response = client.post(step_url(world.reference, key), data)
    assert response.status_code == 302
    index = STEP_KEYS.index(key)
    expected = STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]
    assert response["Location"] == step_url(world.reference, expected)
    saved = submission_with_figures(pk=world.reference.pk)
    assert saved.version == world.reference.version + 1
    assert submission_figures(submission=saved) == before


def test_an_amount_with_thousands_separators_is_saved_exactly(client: Client,
                                                              world: World) -> None:
    logged_in(client, world.officer)
    data = {**current_post(world.reference, "expenditure"), "actual_project": "9,207.5201"}
    client.post(step_url(world.reference, "expenditure"), data)
    assert Submission.objects.get(pk=world.reference.pk).actual_project == Decimal("9207.5201")


@pytest.mark.parametrize(("key", "field", "value", "message"), [
    ("expenditure", "actual_project", "abc", "请输入数字"),
    ("expenditure", "carried_forward", "-5", "不能为负数"),
    ("expenditure", "budget_public", "1.23456", "最多 4 位小数"),
    ("expenditure", "rate_q3", "30", "累计支出率不能低于上一季度"),
    ("costs", "sangong_actual", "1.234", "最多 2 位小数"),
    ("procurement", "contracts_on_time", "10", "不能大于"),
    ("funds", "transfers-0-spent", "99999", "已支出不能大于下达金额"),
    ("targets", "targets-0-name", "", "请填写“指标名称”"),
])
def test_invalid_input_is_shown_next_to_its_field_and_nothing_is_saved(
    client: Client, world: World, key: str, field: str, value: str, message: str,
) -> None:
    logged_in(client, world.officer)
    before = Submission.objects.get(pk=world.reference.pk)
    data = {**current_post(world.reference, key), field: value, "goto": "__next__"}
    response = client.post(step_url(world.reference, key), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    field_id = f'id="id_{field}"'
    assert field_id in html
    assert html.index(message) > html.index(field_id), "the message follows its field"
    after = Submission.objects.get(pk=world.reference.pk)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


def test_back_saves_the_step_and_the_values_are_there_when_returning(
    client: Client, world: World,
) -> None:
    logged_in(client, world.officer_b)
    data = {**current_post(world.other, "expenditure"), "actual_personnel": "1,234.5",
            "budget_personnel": "1000", "goto": "__prev__"}
    response = client.post(step_url(world.other, "expenditure"), data)
    assert response["Location"] == step_url(world.other, "targets")
    html = client.get(step_url(world.other, "expenditure")).content.decode()
    assert 'value="1,234.50"' in html
    assert "123.45%" in html  # derived: actual as % of budget


def test_jumping_to_another_step_from_the_navigator_saves_first(client: Client,
                                                                world: World) -> None:
    logged_in(client, world.officer_b)
    data = {**current_post(world.other, "assets"), "utilisation_rate": "88",
            "city_average_rate": "90", "goto": "costs"}
    response = client.post(step_url(world.other, "assets"), data)
    assert response["Location"] == step_url(world.other, "costs")
    other = Submission.objects.get(pk=world.other.pk)
    assert (other.utilisation_rate, other.city_average_rate) == (Decimal("88"), Decimal("90"))
    assert "assets" in other.saved_steps


def test_the_data_is_there_after_logging_out_and_in_again(client: Client, world: World) -> None:
    client.login(username="officer_b", password=PASSWORD)
    data = {**current_post(world.other, "basics"), "functions": "负责全市示范工作。",
            "budget_units": "江门市示范局（本级）\n江门市示范中心"}
    client.post(step_url(world.other, "basics"), data)
    client.post(reverse("logout"))
    assert client.get(step_url(world.other, "basics")).status_code == 302
    assert client.login(username="officer_b", password=PASSWORD)
    html = client.get(step_url(world.other, "basics")).content.decode()
    assert "负责全市示范工作。" in html and "江门市示范中心" in html


def test_rows_can_be_added_and_removed(client: Client, world: World) -> None:
    logged_in(client, world.officer)
    data = current_post(world.reference, "targets")
    extra = int(data["targets-TOTAL_FORMS"]) - 1  # the blank row
    data.update({f"targets-{extra}-kind": "outcome", f"targets-{extra}-category": "满意度",
                 f"targets-{extra}-name": "服务对象满意度", f"targets-{extra}-completed": "on",
                 "targets-0-DELETE": "on"})
    client.post(step_url(world.reference, "targets"), data)
    names = list(Target.objects.filter(submission=world.reference).values_list("name", flat=True))
    assert len(names) == 19
    assert names[0] == "城镇失业人员再就业人数" and names[-1] == "服务对象满意度"


def test_the_reference_report_entered_through_the_forms_scores_as_published(
    client: Client, world: World,
) -> None:
    """Every step of an empty draft posted with the reference figures, form by form."""
    logged_in(client, world.officer_b)
    source = submission_with_figures(pk=world.reference.pk)
    spec = rubric_spec(version=source.campaign.rubric)
    for key in STEP_KEYS:
        data = page_post_data(StepPage(BY_KEY[key], source, spec))
        data["version"] = Submission.objects.get(pk=world.other.pk).version
        response = client.post(step_url(world.other, key), {**data, "goto": "__next__"})
        assert response.status_code == 302, (key, response.content.decode()[:2000])
    entered = submission_with_figures(pk=world.other.pk)
    result = score(spec, submission_figures(submission=entered))
    assert (result.computed, result.self_total, result.grade) == (
        Decimal("97.59"), Decimal("98.49"), "优")
    assert set(entered.saved_steps) == set(STEP_KEYS)


def test_a_stale_form_is_refused_and_the_newer_data_survives(client: Client,
                                                             world: World) -> None:
    logged_in(client, world.officer)
    stale = current_post(world.reference, "assets")
    newer = {**stale, "utilisation_rate": "97"}
    assert client.post(step_url(world.reference, "assets"), newer).status_code == 302
    response = client.post(step_url(world.reference, "assets"),
                           {**stale, "utilisation_rate": "50"})
    assert response.status_code == 409
    assert "其他人已在您打开此页后修改" in response.content.decode()
    assert Submission.objects.get(pk=world.reference.pk).utilisation_rate == Decimal("97")


def test_another_departments_officer_gets_404_on_every_step(client: Client,
                                                            world: World) -> None:
    logged_in(client, world.officer_b)
    for key in STEP_KEYS:
        assert client.get(step_url(world.reference, key)).status_code == 404
        data = current_post(world.reference, key)
        assert client.post(step_url(world.reference, key), data).status_code == 404
    preview = reverse("submission_step_preview", kwargs={"pk": world.reference.pk,
                                                         "key": "assets"})
    assert client.post(preview, current_post(world.reference, "assets")).status_code == 404
    assert Submission.objects.get(pk=world.reference.pk).version == world.reference.version


def test_anonymous_users_are_sent_to_login(client: Client, world: World) -> None:
    response = client.get(step_url(world.reference, "basics"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_submitted_submission_is_read_only_in_the_forms(client: Client, world: World) -> None:
    Submission.objects.filter(pk=world.reference.pk).update(status="submitted")
    logged_in(client, world.officer)
    html = client.get(step_url(world.reference, "expenditure")).content.decode()
    assert "只读" in html and "disabled" in html
    data = {**current_post(world.reference, "expenditure"), "actual_project": "1"}
    client.post(step_url(world.reference, "expenditure"), data)
    assert Submission.objects.get(pk=world.reference.pk).actual_project == Decimal("9107.52")


def test_the_live_score_preview_scores_unsaved_input_without_saving(client: Client,
                                                                     world: World) -> None:
    logged_in(client, world.officer)
    url = reverse("submission_step_preview", kwargs={"pk": world.reference.pk,
                                                     "key": "procurement"})
    data = {**current_post(world.reference, "procurement"), "filing_warnings": "0"}
    body = client.post(url, data).json()
    assert body["valid"] is True
    assert "98.59" in body["panel"] and "99.49" in body["panel"]
    saved = Submission.objects.get(pk=world.reference.pk)
    assert (saved.filing_warnings, saved.version) == (1, world.reference.version)


def test_step_page_queries_do_not_grow_with_the_number_of_targets(client: Client,
                                                                  world: World) -> None:
    logged_in(client, world.officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(step_url(world.reference, "targets")).status_code == 200
        return len(captured)

    before = queries()
    Target.objects.bulk_create(
        Target(submission=world.reference, position=100 + i, kind="output", category="数量",
               name=f"附加指标{i}", completed=True) for i in range(40)
    )
    assert queries() == before
