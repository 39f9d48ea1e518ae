"""The browser harness: Debian's Chromium, driven by Playwright, against a real ASGI server on the test database.

Browser tests run in their own pytest process (``.venv/bin/pytest -m browser``; the third pass of
``make test``). Every test in this folder is marked ``browser`` automatically, so a plain
``pytest -m "not browser"`` never starts Chromium. See docs/testing.md for the whole picture.

The fixtures, from the bottom up:

``demo_site``
    The Dutch demo page tree and demo people (``community.demo`` and ``cms.demo``), committed to the test
    database. Browser tests need committed data (the server is another process), so they use
    ``transactional_db``, which empties every table after each test, including the Wagtail root page,
    locale, site and collection that migrations created: a serialized rollback puts those back first.
    Returns the demo log-ins by role (``{"resident": "jan@example.org", ...}``); the password is
    ``community.demo.DEMO_PASSWORD``.
``mail_dir``
    A folder where the server process writes every e-mail it sends (one file per message).
``live_server_url``
    ``http://127.0.0.1:<port>``: uvicorn serving ``config.asgi`` on the test database (tests.server),
    with test settings (``SAMENLAB_TESTING``: no page cache, fast password hashing) plus ``server_env``.
``browser``
    A Chromium browser, opened with ``sync_playwright()`` for one test and closed after it (after the
    server and the demo data are ready, so that all database set-up happens outside Playwright's loop).
``new_context``
    Factory for browser contexts (a context is one visitor, with its own cookies): Dutch locale, a
    360 x 740 viewport (mobile first), the live server as base URL, so ``page.goto("/mijn/")`` works.
    Call it twice for a test with two people; pass ``viewport=DESKTOP`` for a wide screen.
``page``
    One page in one fresh context.
``assert_accessible``
    ``assert_accessible(page)`` runs axe-core on the page as it is now and fails with a readable list
    of WCAG 2.1 A/AA violations (rule, what to fix, where).
``login``
    ``login(page, email, password)`` signs in through the real log-in form.
``read_mail``
    ``read_mail()`` returns the e-mails the server sent so far as ``email.message.EmailMessage`` objects.

ORM calls inside a browser test are allowed (``DJANGO_ALLOW_ASYNC_UNSAFE`` is set for these tests
only, because Playwright's sync API keeps an event loop running in the test's thread); the server
process runs without that switch.
"""

import email
import email.policy
import os
import re
from pathlib import Path

import pytest
from django.db import connections

from tests.server import asgi_server
from tests.services import require_service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
MOBILE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Long enough for a slow shared machine, short enough that a missing element fails the test quickly.
TIMEOUT_MS = 15_000

BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder ``browser`` before ``-m`` selects, so none can run in the other passes."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo_site(django_db_serialized_rollback, transactional_db):
    """Demo people and the Dutch page tree, committed to the test database.

    The serialized rollback puts back what migrations created (Wagtail's root page, locale, site and
    collection, groups, permissions) after an earlier browser test flushed every table.
    """
    from cms import demo as cms_demo
    from community import demo as community_demo

    logins = community_demo.seed()
    cms_demo.seed()
    return logins


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def read_mail(mail_dir):
    def read() -> list[email.message.EmailMessage]:
        messages = []
        for file in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime_ns):
            # The file backend writes each message followed by a line of 79 dashes.
            for chunk in file.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk.lstrip(), policy=email.policy.default))
        return messages

    return read


@pytest.fixture
def server_env():
    """Extra environment for the server process. Parametrize it to change a setting for one test:
    ``@pytest.mark.parametrize("server_env", [{"ANONYMOUS_PAGE_CACHE_SECONDS": "300"}])``."""
    return {}


@pytest.fixture
def live_server_url(demo_site, mail_dir, server_env):
    extra_env = {
        **server_env,
        # django-environ drops the slash after "filemail://", so an absolute path needs one extra.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        # Only the test process talks to the ORM beside a running event loop; the server must not.
        "DJANGO_ALLOW_ASYNC_UNSAFE": "",
    }
    with asgi_server(extra_env=extra_env) as base_url:
        yield base_url
    # PostgreSQL refuses to drop a test database while a connection from a test thread is open.
    connections.close_all()


@pytest.fixture
def browser(live_server_url):
    """Chromium for one test. It depends on the server so that the database is set up before, and
    flushed after, Playwright's event loop runs: while that loop runs, Django hands out other
    connections (asgiref treats the thread as async), and these must not see the set-up or teardown."""
    require_service("Chromium", Path(CHROMIUM).exists(),
                    f"Install it with `apt-get install chromium` (or set CHROMIUM to its path; looked at {CHROMIUM}).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # Connections the test body opened beside the running loop; unreachable once it stops.
            connections.close_all()


@pytest.fixture
def new_context(browser, live_server_url):
    contexts = []

    def make(*, viewport: dict | None = None, locale: str = "nl-NL"):
        context = browser.new_context(base_url=live_server_url, locale=locale, viewport=viewport or MOBILE)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation.get('impact') or '?'}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"       {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def axe_violations():
    """``axe_violations(page)``: the WCAG 2.1 A/AA violations axe-core finds on the page, as axe reports them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page) -> list[dict]:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        return axe.run(page, options=options).response["violations"]

    return run


@pytest.fixture
def assert_accessible(axe_violations):
    def check(page) -> None:
        violations = axe_violations(page)
        assert not violations, format_violations(page.url, violations)

    return check


@pytest.fixture
def login():
    from playwright.sync_api import expect

    def sign_in(page, email_address: str, password: str) -> None:
        page.goto("/accounts/login/")
        form = page.locator("main form")
        form.locator("input[name=login]").fill(email_address)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return sign_in
