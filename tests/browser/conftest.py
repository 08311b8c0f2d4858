"""Browser tests: the app served on 127.0.0.1 from the test itself (with a job consumer in
threads beside it), driven by Playwright in
Debian's chromium (never a browser Playwright downloads). Each test saves a screenshot of
its last page in test-artifacts/."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from jobs.engine import start_local_consumer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def live_server(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)  # a real browser sends real CSRF tokens
    start_local_consumer(app)  # jobs run beside the server, as with a job worker
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def page(live_server, request):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        tab = context.new_page()
        tab.base = live_server
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            yield tab
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            browser.close()
        assert errors == [], errors  # no script errors, no CSP violations, no 404s


@pytest.fixture
def scriptless(page):
    """A second tab in the same browser with JavaScript switched off (a context of its own,
    not logged in), for what the pages do without their scripts; closed after the test."""
    context = page.context.browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.base = page.base
    try:
        yield tab
    finally:
        context.close()
