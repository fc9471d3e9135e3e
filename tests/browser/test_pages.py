"""Every page of the built site loads in chromium without console errors or failed local requests."""

from __future__ import annotations

from pathlib import Path

from helpers import site_pages

from .conftest import REPORT


def test_every_page_loads_cleanly(site: Path, new_page) -> None:
    pages = [p.relative_to(site).as_posix() for p in site_pages(site)]
    assert len(pages) > 50, pages
    watched = new_page()
    failures: dict[str, list[str]] = {}
    for path in pages:
        watched.goto(path)
        if problems := watched.problems():
            failures[path] = problems
    externals = ", ".join(sorted(watched.external)) or "none"
    line = (f"pages loaded in chromium: {len(pages)} checked, {len(failures)} with problems "
            f"(external hosts intercepted: {externals})")
    REPORT.append(line)
    print(line)
    assert not failures, "\n".join(f"{page}:\n  " + "\n  ".join(found)
                                   for page, found in failures.items())
