"""A serial build holds at most ``kb_doctrees_kept`` doctrees between reading and writing, and
writes the same pages as a build that holds them all."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import copy_root
from labkb.sphinxext.doctree_memory import CACHE


def _pages(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): re.sub(r"\?v=[0-9a-f]+", "", p.read_text(encoding="utf8"))
            for p in sorted(out.rglob("*.html")) if "_static" not in p.parts}


def _build(make_app, rootdir, dest: Path, kept: int) -> tuple[dict[str, str], list[int], int]:
    """The pages, how many doctrees were held as each was read, and how many were held when
    writing began."""
    src = copy_root(rootdir, "kb-people", dest)
    app = make_app("html", srcdir=src, freshenv=True, confoverrides={"kb_doctrees_kept": kept})
    held: list[int] = []
    at_write: list[int] = []
    app.connect("doctree-read", lambda app, doctree: held.append(len(getattr(app.env, CACHE))),
                priority=900)
    app.connect("env-check-consistency", lambda app, env: at_write.append(len(getattr(env, CACHE))))
    app.build()
    app.cleanup()
    return _pages(Path(app.outdir)), held, at_write[0]


def test_a_bounded_build_holds_few_doctrees_and_writes_the_same_pages(make_app, rootdir, tmp_path):
    every, held_all, at_write_all = _build(make_app, rootdir, tmp_path / "all", 0)
    bounded, held, at_write = _build(make_app, rootdir, tmp_path / "two", 2)
    assert len(held_all) > 10 and max(held_all) == len(held_all) - 1  # Sphinx holds them all
    assert at_write_all == len(held_all)
    assert max(held) == 1 and at_write == 2  # room made for each one read
    assert bounded == every

