"""A real browser signs up, resends and confirms against the sandbox.

examples/browser/ is a static page using amazon-cognito-identity-js (the
browser SDK Amplify's auth is built on, vendored, loaded from a local file).
It is served from its own loopback port, so every call is cross-origin as in
a real web app: the CORS preflight, the exposed error headers and the JSON
errors all have to be right for the SDK to get past its first call. Headless
Chromium (Debian's ``chromium``, installed by .ci/run) runs the page's
``?auto=1`` journey: sign up, resend, read the newest code from the outbox,
a wrong code (which must come back as CodeMismatchException), the right one.

Chromium reaches nothing but loopback: other hosts resolve to nothing and go
to a closed proxy port.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import cognito_client_for

if TYPE_CHECKING:
    from console.sandbox import Sandbox

PAGE_DIR = Path(__file__).resolve().parents[2] / "examples" / "browser"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless Chromium here (.ci/run installs Debian's chromium package)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@pytest.fixture
def page_url() -> Iterator[str]:
    """The example page, served on its own loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(PAGE_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def _run_page(browser: str, url: str, profile: Path) -> str:
    """The page's DOM once its journey has settled."""
    done = subprocess.run(
        [
            browser,
            "--headless=new",
            "--no-sandbox",  # root in CI; the page is our own
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--metrics-recording-only",
            "--no-pings",
            f"--user-data-dir={profile}",
            # Loopback only: any other host resolves to nothing, via a closed proxy.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=127.0.0.1",
            # Virtual time stands still while a fetch is pending: the dump
            # comes after the last call, however slow, without a sleep.
            "--virtual-time-budget=60000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,  # a hang guard, not a measurement
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _text_of(dom: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', dom, re.S)
    assert match is not None, f"no #{element_id} in the page: {dom[-2000:]}"
    return html.unescape(match.group(1)).strip()


@pytest.mark.slow
def test_a_browser_app_signs_up_resends_and_confirms(
    sandbox: Sandbox, page_url: str, tmp_path: Path
) -> None:
    browser = _browser()
    username = f"browser-{uuid.uuid4().hex[:10]}"
    endpoint = sandbox.info.endpoint_url
    url = f"{page_url}?auto=1&endpoint={endpoint}&username={username}"
    before = len(sandbox.outbox())

    dom = _run_page(browser, url, tmp_path / "profile")

    log = _text_of(dom, "log")
    assert _text_of(dom, "result") == "confirmed", log
    # Every step was Cognito's answer, as the SDK read it.
    assert "sign up: confirmed=false, code sent by EMAIL to w***@e***.org (email)" in log
    assert "resend: code sent by EMAIL to w***@e***.org (email)" in log
    assert "confirm: CodeMismatchException: Invalid verification code provided" in log
    assert "confirm: SUCCESS" in log
    # The sandbox agrees: two messages went out, and the user can sign in now.
    mine = [d for d in sandbox.outbox()[before:] if d["user"] == username]
    assert [d["destination"] for d in mine] == ["web.user@example.org"] * 2
    user = cognito_client_for(sandbox).admin_get_user(
        UserPoolId=sandbox.info.user_pool_id, Username=username
    )
    assert user["UserStatus"] == "CONFIRMED"
