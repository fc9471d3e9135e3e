"""The search of a site rebuilt after an edit, in chromium: the pages the edit changed come from
the index of changes (labkb's search_changes.py), their old versions in the full index are no
longer found, and each page is found once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import touch

from .conftest import serve
from .test_search import docname, open_search, suggestions

REPO = Path(__file__).resolve().parents[2]


def _build(root: Path) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", "html", "-c", str(root),
           "-d", str(root / "_build" / "doctrees"), str(root / "docs"), str(root / "_build" / "html")]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real site built whole with one word in MOSS-VL's summary, then rebuilt
    after that word was replaced by another."""
    root = tmp_path_factory.mktemp("edited")
    for name in ("docs", "refs"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("_build"))
    shutil.copy(REPO / "conf.py", root)
    (root / "benchmarks").mkdir()
    shutil.copy(REPO / "benchmarks" / "results.md", root / "benchmarks")  # docs include it
    if (REPO / "node_modules").is_dir():
        (root / "node_modules").symlink_to(REPO / "node_modules")  # the locked Pagefind
    entry = root / "docs" / "models" / "moss-vl.yaml"
    text = entry.read_text(encoding="utf8")
    entry.write_text(text.replace("summary: ", "summary: Zzxqvorth ", 1), encoding="utf8")
    _build(root)
    touch(entry, text.replace("summary: ", "summary: Zyzzogeton ", 1))
    _build(root)
    html = root / "_build" / "html"
    assert (html / "pagefind-changes" / "pagefind.js").is_file()
    return html


@pytest.fixture(scope="module")
def base_url(edited_site: Path) -> Iterator[str]:
    with serve(edited_site) as url:
        yield url


def test_an_edited_page_is_found_by_its_new_words_only(new_page) -> None:
    watched = new_page()
    page = watched.page
    box = open_search(watched)
    assert "models/moss-vl" in suggestions(page, box, "Zyzzogeton")
    assert suggestions(page, box, "Zzxqvorth") == []
    assert suggestions(page, box, "MOSS-VL").count("models/moss-vl") == 1
    watched.goto("search.html?q=MOSS-VL%20Zyzzogeton")
    page.wait_for_selector("#search-results[data-kb-done]")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('#search-results a'), a => a.href)")
    found = [docname(h) for h in hrefs]
    assert found.count("models/moss-vl") == 1 and len(found) == len(set(found))
    assert not watched.problems()
