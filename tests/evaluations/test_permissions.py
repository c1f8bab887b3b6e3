"""The role × URL × method matrix: every view, with another department's IDs tried everywhere.

A department's submissions, attachments and documents are visible only to its own officers,
to reviewers and to administrators; anything else answers 404 (never 403, never 500). POSTs
from the wrong role are refused with a message (302) and change nothing. The campaign pages
(queue, dashboard, exports, documents, archives) are for whoever sees every submission:
reviewers and rubric administrators (departments/access.py `sees_all_submissions`). Every view
answers the other method with 405.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from departments.models import Role
from evaluations.attachments.services import attachment_upload
from evaluations.models import Campaign, CampaignArchive, Claim, GeneratedDocument, Submission
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "officer", "other_officer", "reviewer", "admin")
# Expected status per role, in ROLES order. "login" = redirect to the login page.
L = "login"


@pytest.fixture
def world(campaign: Campaign, settings: Any, tmp_path: Any) -> World:
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return build_world(campaign)


def stored_file(root: Path, folder: str, extension: str) -> str:
    """A file in the private storage, under a name of the shape the application makes."""
    name = f"{secrets.token_hex(16)}.{extension}"
    (root / folder).mkdir(parents=True, exist_ok=True)
    (root / folder / name).write_bytes(b"%PDF-1.4\n%test\n")
    return name


@pytest.fixture
def objects(world: World, tmp_path: Path) -> dict[str, int]:
    attachment = attachment_upload(
        submission=world.reference, user=world.officer,
        uploaded_file=SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%test\n"))
    document = GeneratedDocument.objects.create(
        submission=world.reference, kind="report", version=world.reference.version,
        status="done", stored_name="missing.pdf", size=1)
    stored = GeneratedDocument.objects.create(
        submission=world.reference, kind="score_sheet", version=world.reference.version,
        status="done", stored_name=stored_file(tmp_path, "documents", "pdf"), size=16)
    archive = CampaignArchive.objects.create(
        campaign=world.campaign, requested_by=world.reviewer, status="done", done=2, total=2,
        stored_name=stored_file(tmp_path, "archives", "zip"), size=16)
    # One being built: a POSTed request reuses it instead of rendering every PDF here.
    CampaignArchive.objects.create(campaign=world.campaign, requested_by=world.reviewer)
    claim = Claim.objects.get(submission=world.reference, indicator="1.1.3")
    return {"pk": world.reference.pk, "attachment": attachment.pk, "document": document.pk,
            "stored_document": stored.pk, "archive": archive.pk, "claim": claim.pk}


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
    ("document_download", {"pk": "stored_document"}, (L, 200, 404, 200, 200)),
    ("review_home", {}, (L, 404, 404, 302, 302)),
    ("review_dashboard_home", {}, (L, 404, 404, 302, 302)),
    ("campaign_queue", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("campaign_queue_export", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("campaign_dashboard", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("campaign_documents", {"year": "2023"}, (L, 404, 404, 200, 200)),
    ("archive_status", {"year": "2023", "pk": "archive"}, (L, 404, 404, 200, 200)),
    ("archive_download", {"pk": "archive"}, (L, 404, 404, 200, 200)),
]

# POSTs with empty data: other departments get 404; the rest are refused or redirected.
POSTS: list[tuple[str, dict[str, str], tuple[Any, ...]]] = [
    ("submission_step", {"pk": "pk", "key": "assets"}, (L, 200, 404, 200, 200)),
    ("submission_step_preview", {"pk": "pk", "key": "assets"}, (L, 200, 404, 404, 404)),
    ("submission_submit", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_return", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_approve", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("submission_reopen", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("claim_decide", {"pk": "pk", "claim_id": "claim"}, (L, 302, 404, 302, 302)),
    ("indicator_review", {"pk": "pk", "code": "2.6.6"}, (L, 302, 404, 302, 302)),
    ("attachment_upload", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("attachment_delete", {"pk": "attachment"}, (L, 302, 404, 302, 302)),
    ("submission_excel_import", {"pk": "pk"}, (L, 302, 404, 302, 302)),
    ("document_request", {"pk": "pk", "kind": "report"}, (L, 302, 404, 302, 302)),
    ("notifications_read_all", {}, (L, 302, 302, 302, 302)),
    ("archive_request", {"year": "2023"}, (L, 404, 404, 302, 302)),
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


# submission_step answers both methods; every other view exactly one.
ONE_METHOD = [("GET", name, kwargs) for name, kwargs, _e in GETS if name != "submission_step"] + [
    ("POST", name, kwargs) for name, kwargs, _e in POSTS if name != "submission_step"]


@pytest.mark.parametrize(("method", "name", "kwargs"), ONE_METHOD,
                         ids=[f"{m[0]}-{m[1]}" for m in ONE_METHOD])
def test_every_view_answers_the_other_method_with_405(
    world: World, objects: dict[str, int], method: str, name: str, kwargs: dict[str, str],
) -> None:
    client = client_for("reviewer", world)
    url = resolve(name, kwargs, objects)
    response = client.post(url) if method == "GET" else client.get(url)
    assert response.status_code == 405
