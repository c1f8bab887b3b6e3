"""The whole review in a browser: submit, return, fix, resubmit, decide both claims, approve.

The final 评分表 PDF must show the reviewer's two decisions. Screenshots of the review page, the
queue and the dashboard are saved under the test's tmp dir.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login_as
from tests.factories import World

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.e2e


def url(live_server: object, path: str) -> str:
    return f"{live_server}{path}"


def submit_from_preview(page: Page, live_server: object, world: World, button: str) -> None:
    page.goto(url(live_server, f"/submissions/{world.reference.pk}/steps/preview/"))
    page.locator("#warnings_confirmed").check()
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text("已提交，等待财政局审核")


def review_page(page: Page, live_server: object, world: World) -> None:
    page.goto(url(live_server, f"/submissions/{world.reference.pk}/review/"))


def decide(page: Page, code: str, button: str, comment: str = "") -> None:
    claim = page.locator(f'[id="claim-{code}"]')
    if comment:
        claim.locator("input[name=comment]").fill(comment)
    claim.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(f'[data-testid="claim-{code}"]')).to_have_text(
        "认可" if button == "认可" else "不予认可")


def test_submit_return_fix_resubmit_decide_and_approve(
    page: Page, live_server: object, world: World, shot: Shot,
) -> None:
    login_as(page, live_server, world.officer)
    submit_from_preview(page, live_server, world, "提交审核")

    login_as(page, live_server, world.reviewer)
    review_page(page, live_server, world)
    expect(page.get_by_test_id("status")).to_have_text("已提交（待审核）")
    page.locator("#return-comment").fill("请核实固定资产利用率并补充说明")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("已退回")

    login_as(page, live_server, world.officer)
    page.goto(url(live_server, f"/submissions/{world.reference.pk}/steps/assets/"))
    expect(page.get_by_test_id("return-notice")).to_contain_text("请核实固定资产利用率")
    page.locator("[name=utilisation_rate]").fill("99.8")
    page.get_by_role("button", name="保存并下一步").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    submit_from_preview(page, live_server, world, "重新提交")

    login_as(page, live_server, world.reviewer)
    review_page(page, live_server, world)
    expect(page.locator("body")).to_contain_text("与上次提交相比的修改")
    expect(page.locator("body")).to_contain_text("assets.utilisation_rate")
    decide(page, "1.1.3", "认可")
    decide(page, "1.2.2", "不予认可", "县区额度不足不属于可认可的客观原因")
    expect(page.get_by_test_id("pending-claims")).to_have_text("0")
    page.get_by_role("button", name="审核通过", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("已审核")
    expect(page.get_by_test_id("review")).to_contain_text("98.46")
    assert shot(page, "review-page").stat().st_size > 20_000

    page.goto(url(live_server, f"/submissions/{world.reference.pk}/steps/preview/"))
    sheet_row = page.locator("li[data-kind=score_sheet]")
    sheet_row.get_by_role("button", name="生成").click()
    download = page.locator("li[data-kind=score_sheet] a", has_text="下载")
    expect(download).to_be_visible(timeout=60_000)
    pdf = page.request.get(url(live_server, download.get_attribute("href") or "")).body()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in
                                      pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "复核得分" in text and "复核意见" in text
    assert "申请调整予以认可" in text
    assert "申请调整不予认可：县区额度不足不属于可认可的客观原因" in text
    assert "98.46" in text and "草稿" not in text

    page.goto(url(live_server, "/campaigns/2023/queue/"))
    expect(page.locator("body")).to_contain_text("江门市人力资源和社会保障局")
    assert shot(page, "queue").stat().st_size > 20_000
    page.goto(url(live_server, "/campaigns/2023/dashboard/"))
    expect(page.locator("svg").first).to_be_visible()
    assert shot(page, "dashboard").stat().st_size > 20_000
