"""The officer's step pages in a real browser: log in, fill, save, go back, live score, every step.

Runs headless Chromium against the live server (see conftest.py). Screenshots of every step page
go to the test's `tmp_path / "screenshots"`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Submission
from evaluations.steps.registry import STEPS
from tests.e2e.conftest import PHONE_VIEWPORT, login, login_as
from tests.factories import World

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], Path]
MIN_SCREENSHOT_BYTES = 20_000  # a blank or error page is far smaller than a rendered step

# 部门支出 of the reference report (万元 and cumulative %), typed as an officer would.
EXPENDITURE = {
    "budget_total": "12031.01",
    "budget_personnel": "5000.18",
    "budget_public": "421.99",
    "budget_project": "6608.85",
    "actual_personnel": "5,520.39",
    "actual_public": "364.35",
    "actual_project": "9107.52",
    "carried_forward": "579.01",
    "total_income": "15571.27",
    "rate_q1": "30",
    "rate_q2": "55",
    "rate_q3": "80",
}
# What the inputs show when the page is opened again: grouped, at least two places.
EXPENDITURE_SHOWN = {
    "budget_total": "12,031.01", "budget_personnel": "5,000.18", "budget_public": "421.99",
    "budget_project": "6,608.85", "actual_personnel": "5,520.39", "actual_public": "364.35",
    "actual_project": "9,107.52", "carried_forward": "579.01", "total_income": "15,571.27",
    "rate_q1": "30.00", "rate_q2": "55.00", "rate_q3": "80.00", "rate_q4": "96.00",
}
PROCUREMENT = {
    "intentions_required": "6", "intentions_on_time": "6", "procurement_violations": "0",
    "contracts_total": "9", "contracts_on_time": "9", "filing_warnings": "0",
}


def panel_number(page: Page, testid: str) -> str:
    return page.locator(f"#score-panel [data-testid={testid}]").inner_text().strip()


def step_url(live_server: object, submission: Submission, key: str) -> str:
    return f"{live_server.url}/submissions/{submission.pk}/steps/{key}/"  # type: ignore[attr-defined]


def go_to_step(page: Page, label: str) -> None:
    """Click a step in the navigator (it saves the current step first) and wait for the page."""
    with page.expect_navigation():
        page.locator(".step-nav .step-link", has_text=label).click()
    expect(page.locator("section h2.card-title").first).to_have_text(label)


def press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator("#step-form .step-actions").get_by_role("button", name=button,
                                                              exact=True).click()


def fill_target_row(page: Page, index: int) -> None:
    page.locator(f"[name=targets-{index}-kind]").select_option("output")
    page.locator(f"[name=targets-{index}-category]").select_option("数量")
    page.locator(f"[name=targets-{index}-name]").fill("新增城镇就业人数")
    page.locator(f"[name=targets-{index}-unit]").fill("人")
    page.locator(f"[name=targets-{index}-target]").fill("10,000")
    page.locator(f"[name=targets-{index}-actual]").fill("10,312")
    page.locator(f"[name=targets-{index}-completed]").check()


class NavigationCounter:
    """Counts main-frame navigations, to prove the live preview never reloads the page."""

    def __init__(self, page: Page) -> None:
        self.count = 0
        page.on("framenavigated",
                lambda frame: setattr(self, "count", self.count + (frame == page.main_frame)))


def test_officer_fills_two_steps_goes_back_and_sees_the_score_follow(
    page: Page, live_server: object, world: World, shot: Shot,
) -> None:
    login(page, live_server, world.officer_b.username)
    row = page.locator("tbody tr", has_text="江门市示范局")
    with page.expect_navigation():
        row.get_by_role("link", name="填报").click()
    expect(page).to_have_url(step_url(live_server, world.other, "basics"))

    # 部门支出: the live preview follows the typing without a reload, then the save keeps it.
    go_to_step(page, "部门支出")
    expect(page).to_have_url(step_url(live_server, world.other, "expenditure"))
    self_before = panel_number(page, "self")
    computed_before = panel_number(page, "computed")
    total = page.locator("[data-testid=total-spending]")
    expect(total).to_have_text("0.00")
    version_before = Submission.objects.get(pk=world.other.pk).version

    navigations = NavigationCounter(page)
    page.evaluate("window.__e2eMarker = 'still here'")
    # The 4th quarter first: a later quarter below an earlier one would be refused (no preview).
    rate_q4 = page.locator("#id_rate_q4")
    rate_q4.fill("")
    rate_q4.press_sequentially("96", delay=30)
    preview_badge = page.locator("#score-panel").get_by_text("按当前输入试算，尚未保存")
    expect(preview_badge).to_be_visible()
    expect(page.locator("#score-panel [data-testid=self]")).not_to_have_text(self_before)

    for name, value in EXPENDITURE.items():
        page.locator(f"#id_{name}").fill(value)
    expect(total).to_have_text("15,571.27")  # 5,520.39 + 364.35 + 9,107.52 + 579.01
    expect(page.locator("#derived")).to_contain_text("收支平衡")
    self_preview = panel_number(page, "self")  # the panel came with the derived figures
    assert navigations.count == 0, "the live preview must not reload the page"
    assert page.evaluate("window.__e2eMarker") == "still here"
    assert Submission.objects.get(pk=world.other.pk).version == version_before, \
        "the preview must not save"
    shot(page, "expenditure-live-preview")

    press(page, "保存并下一步")
    expect(page).to_have_url(step_url(live_server, world.other, "funds"))
    expect(page.locator(".messages")).to_contain_text("“部门支出”已保存。")
    self_after = panel_number(page, "self")
    assert self_after != self_before
    assert panel_number(page, "computed") != computed_before
    assert float(self_after) > float(self_before)
    assert self_after == self_preview, "the trial score of the typed values is the saved one"
    expect(page.locator("#score-panel").get_by_text("按当前输入试算，尚未保存")).to_have_count(0)

    press(page, "上一步")
    expect(page).to_have_url(step_url(live_server, world.other, "expenditure"))
    for name, shown in EXPENDITURE_SHOWN.items():
        expect(page.locator(f"#id_{name}")).to_have_value(shown)
    expect(total).to_have_text("15,571.27")
    assert panel_number(page, "self") == self_after
    saved = Submission.objects.get(pk=world.other.pk)
    assert saved.actual_personnel == Decimal("5520.39")
    assert "expenditure" in saved.saved_steps

    # 采购管理: counts and a checkbox, saved and shown again after 上一步.
    go_to_step(page, "采购管理")
    expect(page).to_have_url(step_url(live_server, world.other, "procurement"))
    self_before = panel_number(page, "self")
    for name, value in PROCUREMENT.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_internal_controls").check()
    expect(page.locator("#score-panel [data-testid=self]")).not_to_have_text(self_before)
    press(page, "保存并下一步")
    expect(page).to_have_url(step_url(live_server, world.other, "assets"))
    self_after = panel_number(page, "self")
    assert float(self_after) > float(self_before)
    press(page, "上一步")
    expect(page).to_have_url(step_url(live_server, world.other, "procurement"))
    for name, value in PROCUREMENT.items():
        expect(page.locator(f"#id_{name}")).to_have_value(value)
    expect(page.locator("#id_internal_controls")).to_be_checked()
    assert panel_number(page, "self") == self_after

    # Every step through the navigator (each click saves the page it leaves), photographed.
    paths = []
    for number, step in enumerate(STEPS, start=1):
        go_to_step(page, str(step.label))
        expect(page).to_have_url(step_url(live_server, world.other, step.key))
        expect(page.locator(".alert-danger")).to_have_count(0)
        paths.append(shot(page, f"{number:02d}-{step.key}"))
        if step.key == "targets":
            fill_target_row(page, 0)  # see test_an_untouched_blank_target_row_is_ignored
    for path in paths:
        assert path.is_file() and path.stat().st_size > MIN_SCREENSHOT_BYTES, path
    assert float(panel_number(page, "self")) > float(self_after)  # + the completed target
    saved = Submission.objects.get(pk=world.other.pk)
    assert saved.target_set.get().name == "新增城镇就业人数"

    # A phone: one column, nothing wider than the screen.
    page.set_viewport_size(PHONE_VIEWPORT)
    go_to_step(page, "部门支出")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], f"page is {width}px wide on a 390px screen"
    nav_box = page.locator(".step-nav").bounding_box()
    form_box = page.locator("#step-form").bounding_box()
    assert nav_box and form_box and nav_box["y"] < form_box["y"]
    phone = shot(page, "phone-expenditure")
    assert phone.is_file() and phone.stat().st_size > MIN_SCREENSHOT_BYTES


def test_reference_officer_sees_the_published_score_on_every_step(
    page: Page, live_server: object, world: World, shot: Shot,
) -> None:
    login(page, live_server, world.officer.username)
    home_row = page.locator("tbody tr", has_text=world.reference.department.name)
    expect(home_row).to_contain_text("97.59")
    expect(home_row).to_contain_text("98.49")
    with page.expect_navigation():
        home_row.get_by_role("link", name="填报").click()
    for step in STEPS:
        page.goto(step_url(live_server, world.reference, step.key))
        expect(page.locator("section h2.card-title").first).to_have_text(str(step.label))
        expect(page.locator("#score-panel [data-testid=computed]")).to_have_text("97.59")
        expect(page.locator("#score-panel [data-testid=self]")).to_have_text("98.49")
        expect(page.locator("#score-panel [data-testid=grade]")).to_have_text("优")
    path = shot(page, "reference-preview")
    assert path.stat().st_size > MIN_SCREENSHOT_BYTES


def test_an_untouched_blank_target_row_is_ignored(
    page: Page, live_server: object, world: World, shot: Shot,
) -> None:
    login_as(page, live_server, world.officer)
    page.goto(step_url(live_server, world.reference, "targets"))
    press(page, "保存并下一步")
    shot(page, "after-save")
    assert page.url == step_url(live_server, world.reference, "expenditure")
