"""Files of the whole knowledge base written again only when what they say has changed.

A feed or the GraphML export is rebuilt from every record at the end of each build that wrote a
page; at 5,000 entries, building their XML took seconds while one edit rarely changed more than a
few of them. Each such file's digest (of the data it is made from, which is cheap to hash) is kept
beside the doctrees; the file is made again when its digest differs or the file is gone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

from labkb.outputs.knowledge import write_if_changed

KEPT = "kb-digests.json"


def digest(data: object) -> str:
    """A digest of ``data``'s ``repr`` (dataclasses, tuples and strings print deterministically)."""
    return hashlib.sha256(repr(data).encode("utf8")).hexdigest()


class Digests:
    """The digests of the files written by the last build, and those of this one."""

    def __init__(self, app: Sphinx) -> None:
        self.out = Path(app.outdir)
        self.path = Path(app.doctreedir) / KEPT
        try:
            self.last: dict[str, str] = json.loads(self.path.read_text(encoding="utf8"))
        except (OSError, ValueError):
            self.last = {}
        self.now = dict(self.last)

    def write(self, name: str, of: str, text: Callable[[], str]) -> None:
        """``text()`` to ``name`` (relative to the output folder) unless it was written from data
        of digest ``of`` and is still there."""
        self.now[name] = of
        target = self.out / name
        if self.last.get(name) == of and target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(target, text())

    def forget(self, name: str) -> None:
        self.now.pop(name, None)

    def save(self) -> None:
        write_if_changed(self.path, json.dumps(self.now, sort_keys=True))
