"""Notifications: who hears of each transition (notice + Chinese e-mail), once; deadline
reminders from Celery beat, once per threshold; the in-app list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from departments.models import Role
from evaluations.models import Campaign, Claim, Notification, ReminderSent, Transition
from evaluations.notifications.services import deadline_reminders_send
from evaluations.notifications.tasks import notify_transition_task, send_deadline_reminders_task
from evaluations.review import workflow
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]
DEPARTMENT = "江门市人力资源和社会保障局"


# Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def locmem_mail(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.JIXIAO_SITE_URL = "https://jixiao.example.cn/"


@pytest.fixture
def world(campaign: Campaign) -> World:
    world = build_world(campaign)
    for user in (world.officer, world.officer_b, world.reviewer):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    return world


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    """Run what is queued on commit (the eager notification task) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@contextmanager
def fresh_outbox() -> Iterator[list[Any]]:
    mail.outbox.clear()
    yield mail.outbox


def submit(world: World, commit: Callable[[], AbstractContextManager[Any]]) -> Transition:
    with commit():
        return workflow.submission_submit(submission=world.reference, actor=world.officer,
                                          warnings_confirmed=True)


def give_back(world: World, commit: Callable[[], AbstractContextManager[Any]]) -> Transition:
    submit(world, commit)
    with commit():
        return workflow.submission_return(
            submission=world.reference, actor=world.reviewer, comment="请补充“三公”经费说明 <附件>",
            step_comments={"costs": "三公经费支出与决算不一致", "basics": "职能描述过简"})


def approve(world: World, commit: Callable[[], AbstractContextManager[Any]]) -> Transition:
    submit(world, commit)
    for claim in Claim.objects.filter(submission=world.reference):
        workflow.claim_decide(claim=claim, actor=world.reviewer, accept=False, comment="依据不足")
    with commit():
        return workflow.submission_approve(submission=world.reference, actor=world.reviewer,
                                           comment="同意")


def notices_of(user: AbstractUser) -> list[Notification]:
    return list(Notification.objects.filter(user=user))


def set_deadline(campaign: Campaign, days: float) -> None:
    campaign.deadline = timezone.now() + dt.timedelta(days=days)
    campaign.save(update_fields=["deadline"])


# Transitions --------------------------------------------------------------------------------


def test_reviewers_are_told_of_a_submission_by_notice_and_email(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    second = make_user("reviewer2", Role.REVIEWER)  # no e-mail address: a notice only
    with fresh_outbox() as outbox:
        transition = submit(world, commit)
    assert [m.to for m in outbox] == [["reviewer@example.cn"]]
    assert outbox[0].subject == f"【绩效自评】{DEPARTMENT} 2023 年度自评已提交，待审核"
    assert f"https://jixiao.example.cn/submissions/{world.reference.pk}/review/" in outbox[0].body
    for reviewer in (world.reviewer, second):
        (notice,) = notices_of(reviewer)
        assert notice.event == f"submitted:{transition.pk}" and notice.read_at is None
    assert not notices_of(world.officer)


def test_officers_are_told_of_a_return_with_the_comment_and_the_step_comments(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    with fresh_outbox() as outbox:
        give_back(world, commit)
    returned = [m for m in outbox if "已退回" in m.subject]
    assert [m.to for m in returned] == [["officer@example.cn"]]  # not department B's officer
    body = returned[0].body
    assert "退回意见：请补充“三公”经费说明 <附件>" in body  # plain text: nothing escaped
    assert "· 基本情况：职能描述过简\n· 运行成本：三公经费支出与决算不一致" in body
    assert body.startswith("officer，您好：")
    (notice,) = notices_of(world.officer)
    assert "运行成本：三公经费支出与决算不一致" in notice.body and "您好" not in notice.body
    assert not notices_of(world.officer_b)


def test_officers_are_told_of_the_approval_with_the_final_review_total(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    with fresh_outbox() as outbox:
        approve(world, commit)
    (approved,) = [m for m in outbox if "审核通过" in m.subject]
    assert approved.to == ["officer@example.cn"]
    assert approved.subject.endswith("已审核通过，复核得分 97.59 分")
    assert "复核得分（最终得分）：97.59 分" in approved.body and "审核意见：同意" in approved.body
    (notice,) = notices_of(world.officer)
    assert notice.event.startswith("reviewed:") and "97.59" in notice.title


def test_running_the_transition_task_twice_creates_and_sends_nothing_more(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    transition = give_back(world, commit)
    count = Notification.objects.count()
    with fresh_outbox() as outbox:
        assert notify_transition_task.delay(transition.pk).get() == 0
    assert outbox == [] and Notification.objects.count() == count


def test_a_transition_rolled_back_before_the_task_ran_notifies_nobody(world: World) -> None:
    assert notify_transition_task.delay(987654).get() == 0
    assert not Notification.objects.exists()


# Deadline reminders -------------------------------------------------------------------------


def test_the_beat_task_run_twice_sends_one_reminder_two_days_before_the_deadline(
    world: World,
) -> None:
    set_deadline(world.campaign, days=2)
    with fresh_outbox() as outbox:
        assert send_deadline_reminders_task.delay().get() == 2  # officer of A and of B
        assert send_deadline_reminders_task.delay().get() == 0
    assert sorted(m.to[0] for m in outbox) == ["officer@example.cn", "officer_b@example.cn"]
    assert outbox[0].subject.startswith("【绩效自评】距截止还有 2 天")
    rows = ReminderSent.objects.filter(submission=world.reference)
    assert sorted(rows.values_list("days_before", flat=True)) == [3, 7]  # the 7-day one skipped


def test_each_tighter_threshold_sends_its_own_reminder_once(world: World) -> None:
    deadline = timezone.now() + dt.timedelta(days=10)
    world.campaign.deadline = deadline
    world.campaign.save(update_fields=["deadline"])
    with fresh_outbox() as outbox:
        for days_before in (10, 7, 6, 3, 3, 1, 0):
            deadline_reminders_send(now=deadline - dt.timedelta(days=days_before))
    subjects = [m.subject for m in outbox if m.to == ["officer@example.cn"]]
    assert [s.split("：")[0] for s in subjects] == [
        "【绩效自评】距截止还有 7 天", "【绩效自评】距截止还有 3 天", "【绩效自评】距截止还有 1 天"]


def test_a_submitted_submission_gets_no_reminder(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    submit(world, commit)
    set_deadline(world.campaign, days=2)
    with fresh_outbox() as outbox:
        send_deadline_reminders_task.delay().get()
    assert [m.to for m in outbox] == [["officer_b@example.cn"]]
    assert not ReminderSent.objects.filter(submission=world.reference).exists()


@pytest.mark.parametrize("days", [10, -1])
def test_a_deadline_far_ahead_or_past_sends_nothing(world: World, days: int) -> None:
    set_deadline(world.campaign, days=days)
    with fresh_outbox() as outbox:
        assert send_deadline_reminders_task.delay().get() == 0
    assert outbox == [] and not ReminderSent.objects.exists()


def test_a_reminder_body_names_the_deadline_and_the_state(world: World) -> None:
    set_deadline(world.campaign, days=2)
    with fresh_outbox() as outbox:
        send_deadline_reminders_task.delay().get()
    body = next(m.body for m in outbox if m.to == ["officer@example.cn"])
    deadline = timezone.localtime(world.campaign.deadline)
    assert f"截止时间：{deadline:%Y}年{deadline.month}月{deadline.day}日" in body
    assert "当前状态：草稿" in body and f"/submissions/{world.reference.pk}/" in body


# The in-app list ----------------------------------------------------------------------------


def login(user: AbstractUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_the_users_notices_unread_in_bold_with_links(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    give_back(world, commit)
    html = login(world.officer).get(reverse("notifications")).content.decode()
    assert "已退回，请修改后重新提交" in html and "fw-bold" in html
    assert f'href="/submissions/{world.reference.pk}/"' in html
    assert "三公经费支出与决算不一致" in html and "1 条未读" in html
    reviewer_html = login(world.reviewer).get(reverse("notifications")).content.decode()
    assert f'href="/submissions/{world.reference.pk}/review/"' in reviewer_html


def test_marking_all_read_clears_the_unread_count_in_the_top_bar(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    give_back(world, commit)
    client = login(world.officer)
    assert 'title="未读通知">1</span>' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("notifications_read_all"), follow=True)
    assert "已将 1 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=world.officer, read_at__isnull=True).exists()
    assert "未读通知" not in response.content.decode()


def test_another_users_notices_are_not_visible_nor_marked_read(
    world: World, commit: Callable[[], AbstractContextManager[Any]],
) -> None:
    submit(world, commit)
    client = login(world.officer_b)
    assert "已提交，待审核" not in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications_read_all"))
    assert Notification.objects.get(user=world.reviewer).read_at is None


@pytest.mark.parametrize(("method", "name"), [("get", "notifications"),
                                              ("post", "notifications_read_all")])
def test_the_pages_need_a_login(client: Client, method: str, name: str) -> None:
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_marking_read_is_post_only(world: World) -> None:
    assert login(world.officer).get(reverse("notifications_read_all")).status_code == 405

