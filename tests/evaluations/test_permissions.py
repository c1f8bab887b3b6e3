"""The role × URL × method matrix: every view, with another department's IDs tried everywhere.

A department's submissions, attachments and documents are visible only to its own officers,
to reviewers and to administrators; anything else answers 404 (never 403, never 500). POSTs
from the wrong role are refused with a message (302) and change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from departments.models import Role
from evaluations.attachments.services import attachment_upload
from evaluations.models import Campaign, GeneratedDocument, Submission
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "officer", "other_officer", "reviewer", "admin")
# Expected status per role, in ROLES order. "login" = redirect to the login page.
L = "login"


@pytest.fixture
def world(campaign: Campaign, settings: Any, tmp_path: Any) -> World:
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return build_world(campaign)


@pytest.fixture
def objects(world: World) -> dict[str, int]:
    attachment = attachment_upload(
        submission=world.reference, user=world.officer,
        uploaded_file=SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%test\n"))
    document = GeneratedDocument.objects.create(
        submission=world.reference, kind="report", version=world.reference.version,
        status="done", stored_name="missing.pdf", size=1)
    return {"pk": world.reference.pk, "attachment": attachment.pk, "document": document.pk}


GETS: list[tuple[str, dict[str, str], tuple[Any, ...]]] = [
    ("home", {}, (L, 200, 200, 200, 200)),
    ("notifications", {}, (L, 200, 200, 200, 200)),
    ("submission_detail", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_step", {"pk": "pk", "key": "basics"}, (L, 200, 404, 200, 200)),
    ("submission_step", {"pk": "pk", "key": "preview"}, (L, 200, 404, 200, 200)),
    ("submission_review", {"pk": "pk"}, (L, 404, 404, 200, 200)),
    ("submission_excel_template", {"pk": "pk"}, (L, 200, 404, 200, 200)),
    ("submission_excel_export", {"pk": "pk"}, (L, 200, 404, 200, 200)),
    ("document_status", {"pk": "pk"}, (L, 200, 404, 200, 200)),
    ("attachment_download", {"pk": "attachment"}, (L, 200, 404, 200, 200)),
    ("document_download", {"pk": "document"}, (L, 404, 404, 404, 404)),  # file missing
    ("campaign_queue", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("campaign_queue_export", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("campaign_dashboard", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("campaign_documents", {"year": "2023"}, (L, 404, 404, 200, 404)),
]

# POSTs with empty data: other departments get 404; the rest are refused or redirected.
POSTS: list[tuple[str, dict[str, str], tuple[Any, ...]]] = [
    ("submission_step", {"pk": "pk", "key": "assets"}, (L, 200, 404, 200, 200)),
    ("submission_step_preview", {"pk": "pk", "key": "assets"}, (L, 200, 404, 404, 404)),
    ("submission_submit", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_return", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_approve", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_reopen", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("attachment_upload", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("attachment_delete", {"pk": "attachment"}, (L, 302, 404, 302, 302)),
    ("submission_excel_import", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("document_request", {"pk": "pk", "kind": "report"}, (L, 302, 404, 302, 302)),
    ("notifications_read_all", {}, (L, 302, 302, 302, 302)),
]


def client_for(role: str, world: World) -> Client:
    client = Client()
    users = {"officer": world.officer, "other_officer": world.officer_b,
             "reviewer": world.reviewer}
    if role == "admin":
        users["admin"] = make_user("rubric_admin", Role.RUBRIC_ADMIN)
    if role in users:
        client.force_login(users[role])
    return client


def resolve(name: str, kwargs: dict[str, str], objects: dict[str, int]) -> str:
    return reverse(name, kwargs={k: objects.get(v, v) for k, v in kwargs.items()})


def check(response: Any, expected: Any) -> None:
    if expected == L:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("name", "kwargs", "expected"), GETS, ids=[g[0] for g in GETS])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_get_matrix(world: World, objects: dict[str, int], name: str,
                    kwargs: dict[str, str], expected: tuple[Any, ...], role_index: int) -> None:
    client = client_for(ROLES[role_index], world)
    check(client.get(resolve(name, kwargs, objects)), expected[role_index])


@pytest.mark.parametrize(("name", "kwargs", "expected"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_post_matrix_changes_nothing_without_valid_data(
    world: World, objects: dict[str, int], name: str, kwargs: dict[str, str],
    expected: tuple[Any, ...], role_index: int,
) -> None:
    before = Submission.objects.values("status", "version").get(pk=world.reference.pk)
    client = client_for(ROLES[role_index], world)
    check(client.post(resolve(name, kwargs, objects), {}), expected[role_index])
    assert Submission.objects.values("status", "version").get(pk=world.reference.pk) == before


@pytest.mark.parametrize("name", ["submission_submit", "submission_approve", "submission_return",
                                  "submission_reopen", "attachment_upload",
                                  "submission_excel_import"])
def test_state_changes_refuse_get(world: World, objects: dict[str, int], name: str) -> None:
    client = client_for("officer", world)
    assert client.get(resolve(name, {"pk": "pk"}, objects)).status_code == 405
