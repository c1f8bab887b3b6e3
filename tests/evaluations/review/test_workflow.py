"""The review workflow through the real views: roles, departments, states, snapshot, scores."""

from __future__ import annotations

import threading
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from departments.models import Role
from evaluations.documents.build import report_context
from evaluations.documents.data import build_score_sheet
from evaluations.exceptions import FiguresLocked, WorkflowError
from evaluations.models import Campaign, Claim, Submission, Target, Transition
from evaluations.review import workflow
from evaluations.selectors import submission_with_figures
from evaluations.services import submission_save_step
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def post(client: Client, name: str, submission: Submission, data: dict[str, Any] | None = None,
         **kwargs: Any) -> Any:
    return client.post(reverse(name, kwargs={"pk": submission.pk, **kwargs}), data or {},
                       follow=True)


def status_of(submission: Submission) -> str:
    return Submission.objects.get(pk=submission.pk).status


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def submit(client: Client, world: World) -> Any:
    return post(as_user(client, world.officer), "submission_submit", world.reference,
                {"warnings_confirmed": "on"})


def test_the_officer_submits_after_confirming_the_warnings(client: Client, world: World) -> None:
    response = post(as_user(client, world.officer), "submission_submit", world.reference)
    assert "请先确认已阅读各项提示" in messages_of(response)
    assert status_of(world.reference) == "draft"
    response = submit(client, world)
    assert "已提交" in messages_of(response)
    saved = Submission.objects.get(pk=world.reference.pk)
    assert saved.status == "submitted" and saved.submitted_at is not None
    assert len(saved.snapshot_digest) == 64 and saved.snapshot["figures"]["year"] == 2023
    transition = Transition.objects.get()
    assert (transition.from_status, transition.to_status, transition.actor) == (
        "draft", "submitted", world.officer)
    assert transition.snapshot_digest == saved.snapshot_digest


def test_an_incomplete_draft_cannot_be_submitted(client: Client, world: World) -> None:
    response = post(as_user(client, world.officer_b), "submission_submit", world.other,
                    {"warnings_confirmed": "on"})
    assert "未完成的步骤" in messages_of(response)
    assert status_of(world.other) == "draft" and not Transition.objects.exists()


def test_figures_are_read_only_after_submission_at_service_and_model_level(
    client: Client, world: World,
) -> None:
    submit(client, world)
    locked = submission_with_figures(pk=world.reference.pk)
    with pytest.raises(FiguresLocked):
        submission_save_step(submission=locked, step_key="assets",
                             expected_version=locked.version,
                             values={"utilisation_rate": Decimal("1")}, lists={})
    locked.actual_project = Decimal("1")
    with pytest.raises(FiguresLocked):
        locked.save()
    with pytest.raises(FiguresLocked):
        Target.objects.filter(submission=locked).first().save()  # type: ignore[union-attr]
    assert Submission.objects.get(pk=locked.pk).actual_project == Decimal("9107.52")


def test_wrong_role_wrong_state_and_wrong_department_change_nothing(client: Client,
                                                                    world: World) -> None:
    response = post(as_user(client, world.reviewer), "submission_submit", world.reference,
                    {"warnings_confirmed": "on"})
    assert "只有本部门的填报员" in messages_of(response)
    response = post(as_user(client, world.officer), "submission_approve", world.reference)
    assert "只有财政局审核员" in messages_of(response)
    response = post(as_user(client, world.reviewer), "submission_return", world.reference,
                    {"comment": "请补充"})
    assert "当前状态为“草稿”" in messages_of(response)
    as_user(client, world.officer_b)
    for name in ("submission_submit", "submission_approve", "submission_return",
                 "submission_reopen"):
        assert client.post(reverse(name, kwargs={"pk": world.reference.pk}),
                           {"comment": "x", "reason": "x"}).status_code == 404
    assert client.get(reverse("submission_review",
                              kwargs={"pk": world.reference.pk})).status_code == 404
    assert status_of(world.reference) == "draft" and not Transition.objects.exists()


def test_return_needs_a_comment_and_shows_it_to_the_officer(client: Client,
                                                            world: World) -> None:
    submit(client, world)
    response = post(as_user(client, world.reviewer), "submission_return", world.reference,
                    {"comment": " "})
    assert "必须填写退回意见" in messages_of(response) and status_of(world.reference) == "submitted"
    post(client, "submission_return", world.reference,
         {"comment": "请核实第四季度支出率", "step_expenditure": "Q4 支出率与决算不符"})
    assert status_of(world.reference) == "returned"
    page = as_user(client, world.officer).get(
        reverse("submission_step", kwargs={"pk": world.reference.pk, "key": "expenditure"}))
    html = page.content.decode()
    assert "请核实第四季度支出率" in html and "Q4 支出率与决算不符" in html


def test_a_resubmission_shows_the_reviewer_what_changed(client: Client, world: World) -> None:
    submit(client, world)
    post(as_user(client, world.reviewer), "submission_return", world.reference,
         {"comment": "请修改"})
    returned = submission_with_figures(pk=world.reference.pk)
    submission_save_step(submission=returned, step_key="assets",
                         expected_version=returned.version,
                         values={"utilisation_rate": Decimal("98.5")}, lists={})
    submit(client, world)
    html = as_user(client, world.reviewer).get(
        reverse("submission_review", kwargs={"pk": world.reference.pk})).content.decode()
    assert "与上次提交相比的修改" in html and "assets.utilisation_rate" in html
    assert "98.5" in html
    assert list(Transition.objects.values_list("to_status", flat=True)) == [
        "submitted", "returned", "submitted"]


def decide(client: Client, world: World, code: str, accept: bool) -> Any:
    claim = Claim.objects.get(submission=world.reference, indicator=code)
    return post(client, "claim_decide", world.reference,
                {"decision": "accept" if accept else "reject", "comment": "依据不足"},
                claim_id=claim.pk)


@pytest.mark.parametrize(("accept", "total"), [(False, "97.59"), (True, "98.49")])
def test_approval_needs_every_claim_decided_and_fixes_the_review_score(
    client: Client, world: World, accept: bool, total: str,
) -> None:
    submit(client, world)
    as_user(client, world.reviewer)
    response = post(client, "submission_approve", world.reference)
    assert "还有 2 项申请调整未作出" in messages_of(response)
    decide(client, world, "1.1.3", accept)
    decide(client, world, "1.2.2", accept)
    response = post(client, "submission_approve", world.reference)
    assert "已审核通过" in messages_of(response) and status_of(world.reference) == "reviewed"
    assert response.context["review_total"] == total
    sheet = build_score_sheet(report_context(submission_with_figures(pk=world.reference.pk)))
    assert sheet.reviewed and str(sheet.total_review) == total
    row = next(r for r in sheet.rows if r.code == "1.1.3")
    assert str(row.review_score) == ("5.00" if accept else "4.13")
    assert ("予以认可" if accept else "不予认可") in row.review_comment


def test_a_reviewer_score_needs_a_reason_and_stays_within_the_weight(client: Client,
                                                                      world: World) -> None:
    submit(client, world)
    as_user(client, world.reviewer)
    url_kwargs = {"code": "2.6.6"}
    response = post(client, "indicator_review", world.reference, {"review_score": "1.5"},
                    **url_kwargs)
    assert "必须填写理由" in messages_of(response)
    response = post(client, "indicator_review", world.reference,
                    {"review_score": "3", "reason": "x"}, **url_kwargs)
    assert "复核得分应在 0 至 2" in messages_of(response)
    post(client, "indicator_review", world.reference,
         {"review_score": "1.5", "reason": "利用率数据未提供佐证"}, **url_kwargs)
    decide(client, world, "1.1.3", True)
    decide(client, world, "1.2.2", True)
    response = post(client, "submission_approve", world.reference)
    assert response.context["review_total"] == "97.99"


def test_only_an_administrator_reopens_a_reviewed_submission_with_a_reason(
    client: Client, world: World,
) -> None:
    submit(client, world)
    as_user(client, world.reviewer)
    decide(client, world, "1.1.3", True)
    decide(client, world, "1.2.2", True)
    post(client, "submission_approve", world.reference)
    response = post(client, "submission_reopen", world.reference, {"reason": "更正"})
    assert "只有管理员" in messages_of(response) and status_of(world.reference) == "reviewed"
    admin = make_user("rubric_admin", Role.RUBRIC_ADMIN)
    response = post(as_user(client, admin), "submission_reopen", world.reference, {"reason": ""})
    assert "必须填写原因" in messages_of(response)
    post(client, "submission_reopen", world.reference, {"reason": "复核得分录入有误，需更正"})
    assert status_of(world.reference) == "returned"
    assert Transition.objects.last().comment == "复核得分录入有误，需更正"  # type: ignore[union-attr]


def test_verify_submissions_detects_a_figure_changed_behind_the_applications_back(
    client: Client, world: World,
) -> None:
    submit(client, world)
    out, err = StringIO(), StringIO()
    call_command("verify_submissions", stdout=out, stderr=err)
    assert "已核对 1 份自评，0 份不一致" in out.getvalue()
    Submission.objects.filter(pk=world.reference.pk).update(actual_project=Decimal("9107.53"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_submissions", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "江门市人力资源和社会保障局 2023：当前数据与提交快照不一致" in err.getvalue()


def test_verify_submissions_detects_a_tampered_child_row(client: Client, world: World) -> None:
    submit(client, world)
    Target.objects.filter(submission=world.reference, position=0).update(completed=False)
    with pytest.raises(SystemExit):
        call_command("verify_submissions", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks need PostgreSQL; CI runs this on PostgreSQL")
@pytest.mark.parametrize("race", ["two_submits", "approve_and_return"])
def test_simultaneous_actions_produce_exactly_one_transition(campaign: Campaign,
                                                             race: str) -> None:
    world = build_world(campaign)
    if race == "approve_and_return":
        workflow.submission_submit(submission=world.reference, actor=world.officer,
                                   warnings_confirmed=True)
        Claim.objects.filter(submission=world.reference).update(decision="accepted")
    actions = {
        "two_submits": [lambda: workflow.submission_submit(
            submission=world.reference, actor=world.officer, warnings_confirmed=True)] * 2,
        "approve_and_return": [
            lambda: workflow.submission_approve(submission=world.reference, actor=world.reviewer),
            lambda: workflow.submission_return(submission=world.reference, actor=world.reviewer,
                                               comment="退回"),
        ],
    }[race]
    before = Transition.objects.count()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(action: Any) -> None:
        barrier.wait()
        try:
            action()
            outcomes.append("ok")
        except WorkflowError:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Transition.objects.count() == before + 1
