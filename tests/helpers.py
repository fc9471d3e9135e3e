"""Small helpers shared by the tests."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from bs4 import BeautifulSoup


def html(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(outdir) / page).read_text(encoding="utf8"), "html.parser")


def card_names(node) -> list[str]:
    """Names of the cards of a grid, in order."""
    return [c.get_text(strip=True) for c in node.select(".kb-card-col .kb-card-title")
            if c.get_text(strip=True)]


def grids(soup: BeautifulSoup) -> list:
    return soup.select("div.kb-grid, p.kb-empty")


def warnings(app) -> list[str]:
    """The warning lines of a build, without ANSI colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def touch(path: Path, text: str | None = None) -> None:
    """Write ``text`` (if given) and move the mtime ahead, so an incremental build sees a change."""
    if text is not None:
        path.write_text(text, encoding="utf8")
    later = time.time() + 5
    os.utime(path, (later, later))
