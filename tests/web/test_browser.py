"""The whole journey in a real browser (Debian's Chromium driven by Playwright, no download).

A reviewer signs in, filters the queue, opens a case, sees both charts, moves it under
review, re-identifies the subject with a reason, and decides an adverse outcome; a
second reviewer concurs and records the subject's response; the auditor sees every
event and verification passes. Screenshots of the queue and the case page are saved in
``tests/web/artifacts/`` (printed at the end).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"), reason="no Chromium")


@pytest.fixture(scope="module")
def live_url(web_world: Any) -> Iterator[str]:
    import uvicorn

    from fairwitness.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(web_world.settings()), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=ARGS)
        yield b
        b.close()


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.wait_for_load_state()
    assert username in page.get_by_test_id("whoami").inner_text()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")


def _chart_drawn(page: Any, testid: str) -> bool:
    img = page.get_by_test_id(testid)
    img.scroll_into_view_if_needed()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle(), timeout=30_000)
    return bool(img.evaluate("el => el.naturalWidth > 100 && el.naturalHeight > 50"))


def test_review_journey_end_to_end(browser, live_url, web_world):
    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case

    store = create_store(web_world.db)
    with store.session() as s:
        case = s.get(Case, web_world.journey_case)
        route, pseudonym, staff_id = case.route, case.pseudonym, case.staff_id
    store.dispose()
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    _sign_in(page, live_url, "rita")
    page.get_by_test_id("filter-route").select_option(route)
    page.get_by_test_id("apply-filters").click()
    page.wait_for_load_state()
    assert f"route={route}" in page.url
    rows = page.get_by_test_id("case-row")
    assert rows.count() >= 1 and all(route.replace("_", " ") in rows.nth(i).inner_text() for i in range(rows.count()))
    page.screenshot(path=str(ARTIFACTS / "queue.png"), full_page=True)

    page.locator(f'a[href="/cases/{web_world.journey_case}"]').click()
    page.wait_for_load_state()
    assert page.get_by_test_id("pseudonym").inner_text() == pseudonym
    assert staff_id not in page.content()
    assert _chart_drawn(page, "timeline-chart") and _chart_drawn(page, "peer-chart")
    for target in ("triaged", "under_review"):
        page.get_by_test_id("transition-to").select_option(target)
        page.get_by_test_id("transition").click()
        page.wait_for_load_state()
    assert page.get_by_test_id("state").inner_text() == "under review"

    page.get_by_test_id("reidentify-reason").fill("interview planning with the professional standards lead")
    page.get_by_test_id("reidentify").click()
    page.wait_for_load_state()
    revealed = page.get_by_test_id("revealed").inner_text()
    assert staff_id in revealed and "until" in revealed and "UTC" in revealed
    page.get_by_test_id("evidence-rows").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "case.png"), full_page=True)

    page.get_by_test_id("decide-outcome").select_option(route)
    page.get_by_test_id("decide-rationale").fill("The evidence rows and the timeline support the recommended route.")
    page.get_by_test_id("decide").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("decision-status").first.inner_text() == "pending"
    _sign_out(page)

    _sign_in(page, live_url, "rex")
    page.goto(f"{live_url}/cases/{web_world.journey_case}")
    assert staff_id not in page.content()  # the first reviewer's re-identification is theirs alone
    page.get_by_test_id("concur-rationale").fill("I have read the evidence and agree with the decision and its route.")
    page.get_by_test_id("concur").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("decision-status").first.inner_text() == "final"
    assert "Concurred by rex" in page.get_by_test_id("concurrence").inner_text()
    page.get_by_test_id("respond-text").fill("I was recalled to duty by my inspector; the rota was changed by phone.")
    page.get_by_test_id("respond").click()
    page.wait_for_load_state()
    assert "recalled to duty" in page.get_by_test_id("response").inner_text()
    _sign_out(page)

    _sign_in(page, live_url, "aud")
    page.goto(f"{live_url}/audit?case={web_world.journey_case}")
    log = page.get_by_test_id("audit-log").inner_text()
    for action in ("case.transition", "case.reidentify", "case.decide", "case.concur", "case.respond", "case.view",
                   "case.timeline.view", "case.evidence.view"):  # fmt: skip
        assert action in log, action
    page.get_by_test_id("verify").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("verify-result").inner_text().startswith("Intact")
    assert not errors, errors
    print(f"\nscreenshots: {ARTIFACTS / 'queue.png'} {ARTIFACTS / 'case.png'}")
