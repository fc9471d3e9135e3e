"""Every page of the built site loads in chromium without console errors or failed local requests."""

from __future__ import annotations

from pathlib import Path

from .conftest import REPORT


def site_pages(site: Path) -> list[str]:
    """Every HTML page, as a URL path; _static/ holds theme template fragments, not pages."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] != "_static")


def test_every_page_loads_cleanly(site: Path, new_page) -> None:
    pages = site_pages(site)
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
