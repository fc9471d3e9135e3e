"""Hostile input in a real browser: no payload runs (issue 6).

The hostile site of ``tests/test_hostile.py`` (every field of every entry kind and every shown
.bib field holding injection payloads) is served on 127.0.0.1 and opened in chromium. Every
payload would call ``window.__kbPwned.push(...)`` (or ``alert``) if it ever ran: an init script
records those calls (also through an exposed function, so nothing is lost on a navigation), and
every dialog is recorded. On each affected page (entry pages, grids, publication lists,
references) every link, button and summary that carries a payload-derived attribute or sits in
a payload-carrying card or publication is clicked; navigations to http(s) or relative URLs are
cancelled (the targets are checked pages anyway), anything else is let through, so a
``javascript:`` link would run. Zero scripts may run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import site_pages
from test_hostile import PAYLOADS, URL_PAYLOADS, HostileSite, build_hostile

from .conftest import REPORT, serve

#: Runs before any script of every page (and frame): the recorder the payloads would call.
RECORDER = """
(() => {
  const calls = [];
  const report = (tag) => {
    try { (window.__kbReport || window.top.__kbReport)(String(tag)); } catch (e) {}
  };
  calls.push = function (...tags) {
    tags.forEach(report);
    return Array.prototype.push.apply(this, tags);
  };
  Object.defineProperty(window, "__kbPwned", {value: calls, writable: false});
})();
"""

#: Cancels navigations to http(s) and relative URLs after every other click handler ran (they
#: are checked pages or external sites); ``javascript:`` and other schemes are let through.
SAFE_NAVIGATION = """
window.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link) return;
  const url = new URL(link.getAttribute("href"), document.baseURI);
  if (url.protocol === "http:" || url.protocol === "https:") event.preventDefault();
}, false);
"""

#: Clicks every link, button and summary a payload reaches: one with an attribute holding a
#: payload (title, href, data-*), or inside a card or publication whose data attributes hold
#: one. ``element.click()`` (a click event for SVG links) runs the click handlers and the default
#: action (a link is followed), like a user's click; returns how many were clicked.
CLICK_ALL = """
(marker) => {
  const carries = (el) => el && Array.from(el.attributes).some((a) => a.value.includes(marker));
  let clicks = 0;
  document.querySelectorAll("a, button, summary").forEach((el) => {
    if (carries(el) || carries(el.closest(".kb-card-col, .kb-pub"))) {
      // an SVG link (the graph drawings) has no click(): send it the event a user's click sends
      if (typeof el.click === "function") el.click();
      else el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
      clicks += 1;
    }
  });
  return clicks;
}
"""

MARKER = "__kbPwned"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> HostileSite:
    return build_hostile(tmp_path_factory)


@pytest.fixture(scope="module")
def base_url(hostile: HostileSite) -> Iterator[str]:
    """Overrides the package's ``base_url``: the hostile site over http on 127.0.0.1."""
    with serve(hostile.out) as url:
        yield url


class Recorder:
    """A page with the recorder installed; ``ran`` lists every payload call and dialog."""

    def __init__(self, new_page) -> None:
        self.watched = new_page()
        self.page = self.watched.page
        self.ran: list[str] = []
        context = self.page.context
        context.expose_function("__kbReport", lambda tag: self.ran.append(f"push({tag})"))
        context.add_init_script(RECORDER)
        context.add_init_script(SAFE_NAVIGATION)
        context.on("page", lambda popup: self.ran.append(f"popup {popup.url}"))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.ran.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str) -> int:
        """Load a page, click what payloads reach; return the number of clicks."""
        self.watched.goto(path)
        clicks = self.page.evaluate(CLICK_ALL, MARKER)
        self.page.wait_for_timeout(50)  # a javascript: URL runs in a task of its own
        if self.page.url.split("#")[0] != self.watched.base_url + path:
            self.ran.append(f"navigated to {self.page.url}")
        recorded = self.page.evaluate("() => window.__kbPwned.slice()")
        self.ran += [f"in page: push({t})" for t in recorded if f"push({t})" not in self.ran]
        return clicks


def test_the_recorder_sees_a_payload_that_runs(new_page) -> None:
    """Control: on a page where payloads do run, the recorder sees each of them."""
    recorder = Recorder(new_page)
    control = ("<html><body><img src=x onerror=\"window.__kbPwned.push('img')\">"
               "<a id=js href=\"javascript:window.__kbPwned.push('link')\">js</a>"
               "<a id=safe href=\"https://example.org/\">safe</a>"
               "<img src=y onerror=\"alert('dialog')\"></body></html>")
    recorder.page.route("**/__control.html", lambda route: route.fulfill(
        status=200, content_type="text/html", body=control))
    recorder.watched.goto("__control.html")
    recorder.page.click("#js")
    recorder.page.click("#safe")  # cancelled: the page stays
    recorder.page.evaluate("() => document.querySelector('#js').click()")  # as CLICK_ALL does
    recorder.page.wait_for_timeout(200)
    assert recorder.page.url.endswith("__control.html")
    assert {"push(img)", "push(link)", "dialog alert: dialog"} <= set(recorder.ran), recorder.ran
    assert recorder.ran.count("push(link)") == 2, recorder.ran


def test_no_payload_runs_in_the_browser(hostile: HostileSite, new_page) -> None:
    pages = [p.relative_to(hostile.out).as_posix() for p in site_pages(hostile.out)]
    affected = [p for p in pages if p.startswith(("projects/", "models/", "research/", "people/",
                                                  "hosts/"))
                or p in ("index.html", "publications.html", "references.html")]
    recorder = Recorder(new_page)
    clicks = 0
    ran: dict[str, list[str]] = {}
    for path in affected:
        before = len(recorder.ran)
        clicks += recorder.visit(path)
        if len(recorder.ran) > before:
            ran[path] = recorder.ran[before:]
    line = (f"hostile input in chromium: {len(PAYLOADS)} + {len(URL_PAYLOADS)} payloads x fields = "
            f"{hostile.slots} combinations; {len(affected)} pages loaded, {clicks} links/buttons/"
            f"summaries clicked; scripts run: {sum(len(v) for v in ran.values())}")
    REPORT.append(line)
    print(line)
    assert len(affected) > 100
    assert ran == {}
    # console errors would hint at markup the payloads broke (failed local requests: <img src=x>)
    assert recorder.watched.problems() == []
