"""Screenshots of the main page types at desktop and phone widths, for people to look at.

Written to _build/screenshots/<width>-<page>.png in the repository (git-ignored with _build/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import DESKTOP, PAGE_TYPES, PHONE, REPORT

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "_build" / "screenshots"

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots(new_page, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    extra = {"is_mobile": True, "has_touch": True} if width == "phone" else {}
    watched = new_page(viewport=WIDTHS[width], **extra)
    written, overflow = [], []
    for name, path in PAGE_TYPES.items():
        watched.goto(path)
        watched.page.evaluate("document.fonts.ready")
        scroll, client = watched.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            overflow.append(f"{path}: {scroll}px wide in a {client}px viewport")
        target = SHOTS / f"{width}-{name}.png"
        watched.page.screenshot(path=target, full_page=True)
        assert target.stat().st_size > 10_000, f"{target} looks blank"
        written.append(target.name)
    assert not watched.problems()
    assert not overflow, "pages scroll sideways (WCAG 1.4.10 reflow):\n" + "\n".join(overflow)
    REPORT.append(f"screenshots ({width}): {', '.join(written)} in {SHOTS}")
