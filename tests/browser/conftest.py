"""Real-browser fixtures: Debian's chromium driven by Playwright, over the site served on 127.0.0.1.

The site is the parent conftest's session ``site`` fixture (built once from clean). Chromium is the
system one (``shutil.which("chromium")``, launched through ``executable_path``): Playwright's own
browser download is never used. Without chromium or Playwright the browser tests skip, unless the
environment variable CI is set (``CI=true``), where a missing browser is a failure.

Every request to a host other than the local server is intercepted, so the suite runs offline:
images (the img.shields.io star badges) get a blank placeholder, anything else is aborted.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import in_ci

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000

# The main page types: screenshots and accessibility checks.
PAGE_TYPES = {
    "home": "index.html",
    "area": "research/multimodal-large-models.html",
    "model": "models/moss-vl.html",
    "publications": "publications.html",
    "person": "people/rui-men.html",
}

PLACEHOLDER_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"></svg>'

# Lines printed in the terminal summary (pages checked, accessibility counts), whatever -s says.
REPORT: list[str] = []


def unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where the browser tests must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: runs in chromium (deselect with -m 'not browser')")


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if REPORT:
        terminalreporter.section("browser tests")
        for line in REPORT:
            terminalreporter.write_line(line)


# -- the browser ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        unavailable("no chromium on PATH (Debian: apt-get install chromium)")
    return path


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# -- the site over http -----------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    timeout = 10  # seconds per connection: a stuck client cannot hold a thread forever

    def log_message(self, format: str, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over http on 127.0.0.1 and a free port (file:// breaks the search page)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="package")
def base_url(site: Path) -> Iterator[str]:
    """The built site over http."""
    with serve(site) as url:
        yield url


# -- pages with their problems recorded ---------------------------------------------------------------

@dataclass
class Watched:
    """A page whose console errors and failed local requests are recorded."""

    page: object
    base_url: str
    errors: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path, wait_until="load")

    def problems(self) -> list[str]:
        found, self.errors = self.errors, []
        return found


def _route_external(route) -> None:
    request = route.request
    if request.resource_type == "image":
        route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER_SVG)
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def new_page(browser, base_url: str) -> Iterator:
    """``new_page(viewport=..., color_scheme=...)`` -> Watched, in a fresh context (fresh storage)."""
    contexts = []
    local = re.compile("^" + re.escape(base_url))
    not_local = re.compile(r"^(?!" + re.escape(base_url) + r")https?://")

    def make(viewport: dict | None = None, color_scheme: str = "light", **kwargs) -> Watched:
        context = browser.new_context(viewport=viewport or DESKTOP, color_scheme=color_scheme,
                                      **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        watched = Watched(context.new_page(), base_url)

        def on_route(route) -> None:
            watched.external.add(route.request.url.split("/")[2])
            _route_external(route)

        context.route(not_local, on_route)

        def on_console(msg) -> None:
            if msg.type == "error":
                where = (msg.location or {}).get("url", "")
                if not where or local.match(where) or where.startswith("about:"):
                    watched.errors.append(f"console error: {msg.text} ({where})")

        def on_response(response) -> None:
            if local.match(response.url) and response.status >= 400:
                watched.errors.append(f"HTTP {response.status}: {response.url}")

        def on_failed(request) -> None:
            if local.match(request.url):
                watched.errors.append(f"request failed ({request.failure}): {request.url}")

        watched.page.on("console", on_console)
        watched.page.on("pageerror", lambda exc: watched.errors.append(f"page error: {exc}"))
        watched.page.on("response", on_response)
        watched.page.on("requestfailed", on_failed)
        return watched

    yield make
    for context in contexts:
        context.close()
