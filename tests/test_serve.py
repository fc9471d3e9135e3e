"""make serve's rebuilds: forked from a zygote that has the imports done and never builds, so a
rebuild is a fresh Sphinx process without the start-up; a stale zygote is replaced."""

from __future__ import annotations

import os
import pickle
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from labkb.sphinxext.serve import ForkingBuilder, Zygote, _changed, _stamps

CONF = """import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
extensions = ["stamped_ext"]
"""
EXT = """LOADS = []
LOADS.append(1)


def setup(app):
    # a fresh process sets each extension up once: a fork of a zygote that built would not
    assert LOADS == [1], LOADS
    LOADS.append(2)
    return {"parallel_read_safe": True}
"""


@pytest.fixture
def owner() -> Iterator[int]:
    """A stand-in for sphinx-autobuild: the zygote ends when it has gone."""
    proc = subprocess.Popen(["sleep", "600"])
    yield proc.pid
    proc.kill()
    proc.wait()


def _project(root: Path) -> tuple[Path, list[str]]:
    (root / "docs").mkdir(parents=True)
    (root / "conf.py").write_text(CONF, encoding="utf8")
    (root / "stamped_ext.py").write_text(EXT, encoding="utf8")
    (root / "docs" / "index.rst").write_text("Title\n=====\n\nFirst text.\n", encoding="utf8")
    return root, ["-b", "html", "-q", "-c", str(root), "-d", str(root / "_build" / "doctrees"),
                  str(root / "docs"), str(root / "_build" / "html")]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here: rebuilds run as usual")
def test_each_rebuild_is_a_fresh_build_forked_from_the_zygote(tmp_path: Path, owner: int) -> None:
    root, args = _project(tmp_path / "site")
    zygote = Zygote(str(root), owner=owner)
    assert zygote.build(args) == 0
    page = root / "_build" / "html" / "index.html"
    assert "First text." in page.read_text(encoding="utf8")
    (root / "docs" / "index.rst").write_text("Title\n=====\n\nSecond text.\n", encoding="utf8")
    assert zygote.build(args) == 0  # the extension's setup ran once in this build too
    assert "Second text." in page.read_text(encoding="utf8")
    (root / "docs" / "index.rst").write_text("Title\n=====\n\n.. broken::\n", encoding="utf8")
    assert zygote.build([*args, "-W"]) == 1  # the build's own exit code

    # the extension is edited: the zygote that imported it says so, and a new one builds
    (root / "docs" / "index.rst").write_text("Title\n=====\n\nThird text.\n", encoding="utf8")
    ext = root / "stamped_ext.py"
    ext.write_text(EXT + "\n# edited\n", encoding="utf8")
    os.utime(ext, (time.time() + 5, time.time() + 5))
    assert zygote.build(args) is None
    assert zygote.build(args) == 0
    assert "Third text." in page.read_text(encoding="utf8")


def test_the_builder_pickles(tmp_path: Path, owner: int) -> None:
    """sphinx-autobuild sends its builder to a worker process for each rebuild."""
    _, args = _project(tmp_path / "site")
    builder = ForkingBuilder(args, url_host="127.0.0.1:1", pre_build_commands=[],
                             post_build_commands=[])
    builder.zygote.owner = owner
    again = pickle.loads(pickle.dumps(builder))
    assert again.zygote.address == builder.zygote.address


def test_a_changed_module_file_is_seen(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("x = 1\n", encoding="utf8")
    stamps = {**_stamps(), str(module): module.stat().st_mtime}
    assert not _changed(stamps)
    os.utime(module, (time.time() + 5, time.time() + 5))
    assert _changed(stamps)
    module.unlink()
    assert _changed(stamps)
