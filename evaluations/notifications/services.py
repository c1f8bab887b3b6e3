"""Notices of workflow events and deadlines: an in-app Notification and a Chinese e-mail each.

Who hears what: reviewers when a submission is submitted; the department's officers when it is
returned (with the comments) or approved (with the final 复核得分), and before the campaign
deadline while it is still a draft or returned.

Queued on commit (the workflow's `move()`, Celery beat); the tasks take primary keys only.

Idempotency: a notice is stored with an `event` naming its source, `<kind>:<key>` (the
transition's id, or the reminder's threshold), and is created at most once per user, submission
and event; the e-mail goes out only with a newly created notice, in the same transaction, so a
failed send rolls the notice back and a retry sends both. Reminders are claimed through
`ReminderSent` (unique per submission and threshold): two runs at once cannot both send.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Role
from evaluations.figures.sections import STEP_SECTIONS
from evaluations.models import Campaign, Notification, ReminderSent, Submission, Transition
from evaluations.notifications.selectors import (
    REMINDER,
    RETURNED,
    REVIEWED,
    SUBMITTED,
    detail_link,
    recipients,
    review_link,
    submission_review_total,
)
from rubrics.numbers import score_text

REMINDER_DAYS = (7, 3, 1)  # calendar days before the campaign deadline
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
Status = Submission.Status


@dataclass(frozen=True)
class Message:
    """One event as told to its recipients: `kind` names the template, `event` the notice."""

    kind: str
    event: str
    title: str
    link: str
    context: dict[str, Any] = field(default_factory=dict)


# Delivery ---------------------------------------------------------------------------------


def site_url() -> str:
    return str(getattr(settings, "JIXIAO_SITE_URL", DEFAULT_SITE_URL)).rstrip("/")


def render_body(message: Message, user: Any, *, in_app: bool) -> str:
    """The e-mail text, or (in_app) the same without greeting, link and footer."""
    context = {**message.context, "in_app": in_app, "link": f"{site_url()}{message.link}",
               "recipient": user.get_full_name() or user.username}
    rendered = render_to_string(f"evaluations/notifications/email/{message.kind}.txt", context)
    text = "\n".join(line.rstrip() for line in rendered.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def notice_deliver(*, user: Any, submission: Submission, message: Message) -> bool:
    """Create the user's notice and e-mail it (when the user has an address), once.

    Returns False when the notice already exists. The e-mail is sent inside the transaction
    that creates the notice: when sending fails the notice is rolled back and a retry sends both.
    """
    with transaction.atomic():
        _notice, created = Notification.objects.get_or_create(
            user=user, submission=submission, event=message.event,
            defaults={"title": message.title, "body": render_body(message, user, in_app=True)},
        )
        if created and user.email:
            send_mail(message.title, render_body(message, user, in_app=False), None, [user.email])
    return created


def deliver_all(users: Iterable[Any], submission: Submission, message: Message) -> int:
    return sum(notice_deliver(user=u, submission=submission, message=message) for u in users)


# Transitions ------------------------------------------------------------------------------


def transition_notify(*, transition_id: int) -> int:
    """Notify the recipients of one transition; a second run creates and sends nothing."""
    transition = (Transition.objects.select_related("submission__department",
                                                    "submission__campaign", "actor")
                  .filter(pk=transition_id).first())
    if transition is None:  # rolled back or deleted since: nothing to tell
        return 0
    submission = transition.submission
    if transition.to_status == Status.SUBMITTED:
        return deliver_all(recipients(Role.REVIEWER), submission, submitted_message(transition))
    officers = recipients(Role.OFFICER, submission.department_id)
    if transition.to_status == Status.RETURNED:
        return deliver_all(officers, submission, returned_message(transition))
    if transition.to_status == Status.REVIEWED:
        return deliver_all(officers, submission, reviewed_message(transition))
    return 0


def names(submission: Submission) -> dict[str, Any]:
    return {"department": submission.department.name, "year": submission.campaign.year}


def base_context(transition: Transition) -> dict[str, Any]:
    actor = transition.actor
    return {"submission": transition.submission, "transition": transition,
            "actor": actor.get_full_name() or actor.username, **names(transition.submission)}


def submitted_message(transition: Transition) -> Message:
    submission = transition.submission
    return Message(
        kind=SUBMITTED, event=f"{SUBMITTED}:{transition.pk}", link=review_link(submission),
        title=_("【绩效自评】%(department)s %(year)s 年度自评已提交，待审核") % names(submission),
        context={**base_context(transition),
                 "resubmitted": transition.from_status == Status.RETURNED},
    )


def step_comments(details: dict[str, Any]) -> list[tuple[str, str]]:
    """(step label, comment) in the order of the steps (jsonb does not keep key order)."""
    comments = details.get("steps") or {}
    known = [(str(s.label), comments[s.key]) for s in STEP_SECTIONS if s.key in comments]
    return known + [(k, v) for k, v in comments.items() if k not in {s.key for s in STEP_SECTIONS}]


def indicator_order(code: str) -> tuple[Any, ...]:
    """"1.2.10" after "1.2.9"."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


def returned_message(transition: Transition) -> Message:
    submission = transition.submission
    indicators = transition.details.get("indicators") or {}
    return Message(
        kind=RETURNED, event=f"{RETURNED}:{transition.pk}", link=detail_link(submission),
        title=_("【绩效自评】%(department)s %(year)s 年度自评已退回，请修改后重新提交")
        % names(submission),
        context={**base_context(transition), "steps": step_comments(transition.details),
                 "indicators": sorted(indicators.items(), key=lambda i: indicator_order(i[0])),
                 "reopened": transition.from_status == Status.REVIEWED},
    )


def reviewed_message(transition: Transition) -> Message:
    submission = transition.submission
    total, grade = submission_review_total(submission_id=submission.pk)
    return Message(
        kind=REVIEWED, event=f"{REVIEWED}:{transition.pk}", link=detail_link(submission),
        title=_("【绩效自评】%(department)s %(year)s 年度自评已审核通过，复核得分 %(total)s 分")
        % {**names(submission), "total": score_text(total)},
        context={**base_context(transition), "total": score_text(total), "grade": grade},
    )


# Deadline reminders -----------------------------------------------------------------------


def deadline_reminders_send(*, now: dt.datetime) -> int:
    """Remind the officers of every draft or returned submission of a campaign closing soon.

    One reminder per submission and threshold at most (`ReminderSent`). Departments without a
    submission for the campaign get nothing: there is no row to remind about.
    """
    horizon = now + dt.timedelta(days=max(REMINDER_DAYS) + 1)
    campaigns = Campaign.objects.filter(deadline__gt=now, deadline__lte=horizon)
    submissions = (Submission.objects.filter(campaign__in=campaigns, status__in=Submission.EDITABLE,
                                             department__is_active=True)
                   .select_related("department", "campaign").order_by("pk"))
    return sum(submission_remind(submission=s, now=now) for s in submissions)


def days_left(deadline: dt.datetime, now: dt.datetime) -> int:
    """Calendar days (local time) until the deadline: 0 on its day."""
    return (timezone.localdate(deadline) - timezone.localdate(now)).days


def reminder_threshold(days: int) -> int | None:
    """The tightest threshold reached: 2 days left → 3 (the 7-day one is then not sent)."""
    return min((d for d in REMINDER_DAYS if days <= d), default=None)


def submission_remind(*, submission: Submission, now: dt.datetime) -> int:
    left = days_left(submission.campaign.deadline, now)
    threshold = reminder_threshold(left)
    if threshold is None or left < 0:
        return 0
    with transaction.atomic():
        if not reminder_claim(submission, threshold):
            return 0
        officers = recipients(Role.OFFICER, submission.department_id)
        return deliver_all(officers, submission, reminder_message(submission, threshold, left))


def reminder_claim(submission: Submission, threshold: int) -> bool:
    """Record the reminder for `threshold` and every larger one; False if already sent.

    The unique constraint settles two runs at once: the second one's insert fails here (it waits
    for the first to commit on PostgreSQL) and it sends nothing.
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(submission=submission, days_before=threshold)
    except IntegrityError:
        return False
    larger = [ReminderSent(submission=submission, days_before=d)
              for d in REMINDER_DAYS if d > threshold]
    ReminderSent.objects.bulk_create(larger, ignore_conflicts=True)
    return True


def reminder_message(submission: Submission, threshold: int, left: int) -> Message:
    title = (_("【绩效自评】距截止还有 %(days)d 天：%(department)s %(year)s 年度自评尚未提交")
             if left > 0 else _("【绩效自评】今天截止：%(department)s %(year)s 年度自评尚未提交"))
    return Message(
        kind=REMINDER, event=f"{REMINDER}:{threshold}", link=detail_link(submission),
        title=title % {**names(submission), "days": left},
        context={"submission": submission, "days": left,
                 "deadline": submission.campaign.deadline, **names(submission)},
    )


# In-app notices ---------------------------------------------------------------------------


def notifications_mark_read(*, user: AbstractBaseUser | AnonymousUser) -> int:
    """Mark every unread notice of the user read; returns how many were."""
    if not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    return unread.update(read_at=timezone.now())
