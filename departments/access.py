"""The role vocabulary: one predicate per meaning, used by every view, selector and service.

Roles are Memberships (departments/models.py). Officers (填报员) belong to a department;
reviewers (审核员, 财政局) and rubric administrators (业务管理员) to none.

Who sees what (SECURITY.md, README "Security"):
- an officer sees the submissions of the departments they are an officer of;
- a reviewer sees every department's submissions, the campaign pages (queue, dashboard,
  exports, documents and archives) and decides claims, returns and approves;
- a rubric administrator sees the same as a reviewer, read-only, because reopening a reviewed
  submission (their job) needs its review page; they never decide a claim or approve.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from departments.models import Membership, Role

User = AbstractBaseUser | AnonymousUser


def roles_of(user: User) -> set[str]:
    """Every role the user holds, in any department (empty for anonymous users)."""
    if not user.is_authenticated:
        return set()
    # By user id rather than `user.memberships`: callers pass any AbstractBaseUser.
    return set(Membership.objects.filter(user_id=user.pk).values_list("role", flat=True))


def is_officer_of(user: User, department_id: int) -> bool:
    """An officer (填报员) of this department: may edit and submit its drafts."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user_id=user.pk, role=Role.OFFICER, department_id=department_id).exists()


def is_reviewer(user: User) -> bool:
    """A 财政局 reviewer: decides claims, scores, returns and approves; builds archives."""
    return Role.REVIEWER in roles_of(user)


def is_rubric_admin(user: User) -> bool:
    """A rubric administrator (业务管理员): rubric versions, reopening reviewed submissions."""
    return Role.RUBRIC_ADMIN in roles_of(user)


def sees_all_submissions(user: User) -> bool:
    """Reviewers and rubric administrators see every department's submissions and the
    campaign pages (queue, dashboard, exports, documents); officers only their own."""
    return bool(roles_of(user) & {Role.REVIEWER, Role.RUBRIC_ADMIN})
