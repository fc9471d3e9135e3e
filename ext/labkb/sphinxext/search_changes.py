"""The index of changes: the pages an incremental build wrote, indexed apart from the full index.

Pagefind has no incremental mode, and indexing every page again was most of an edit at institute
scale (12 of the 24 s of one entry's edit at 5,000 entries). After a full index, a build that
changed pages indexes only the pages changed since that index (every one of them, each time) into
a second, small bundle, ``pagefind-changes/``, which the search merges with the full one
(Pagefind's ``mergeIndex``); ``pagefind/labkb-changes.json`` names it and lists the full index's
results it replaces (Pagefind's ids of the old versions and of removed pages) for the search to
drop. When the changed pages outgrow a tenth of the site, the build indexes it whole again, as a
clean build (CI, Read the Docs) always does: there a site has one index only.

A changed page is scored with its small bundle's statistics (BM25's document frequencies), so
until the next full index it may rank otherwise than it will then.

Standard library only, without Sphinx: :mod:`.search_index` runs Pagefind and calls these.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The bundle of the changed pages, beside the full one in the output.
BUNDLE = "pagefind-changes"
#: In the full bundle: which bundle of changes the search merges and which results it drops.
MANIFEST = "labkb-changes.json"
#: In the doctrees: the pages changed since the full index and the full index's ids, by URL.
STATE = "kb-pagefind-changes.json"
#: A site's changes are indexed apart while they are at most this many pages or a tenth of it.
FEWEST = 20
#: The manifest of a full index: no changes.
NONE = json.dumps({"added": [], "bundle": None, "superseded": []}, sort_keys=True)
_URL = re.compile(rb'"url":"((?:[^"\\]|\\.)*)"')
_SIGNATURE = b"pagefind_dcd"


def url_of(rel: str) -> str:
    """The URL Pagefind gives the page at ``rel`` (``models/index.html`` is ``/models/``)."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return "/" + rel


def _fragment_url(path: Path) -> str | None:
    """The URL a Pagefind fragment is of: it comes first in the fragment, so only its start is
    inflated (all of it when the start does not have it)."""
    data = path.read_bytes()
    head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:2048], 1024)
    found = _URL.search(head)
    if found is None:
        whole = zlib.decompress(data, 16 + zlib.MAX_WBITS)
        if not whole.startswith(_SIGNATURE):
            return None
        url = json.loads(whole[len(_SIGNATURE):]).get("url")
        return url if isinstance(url, str) else None
    return str(json.loads(b'"' + found.group(1) + b'"'))


def fragment_ids(bundle: Path) -> dict[str, str]:
    """Pagefind's id of each page of ``bundle``, by the page's URL (0.2 s at 5,000 pages)."""
    ids = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        try:
            url = _fragment_url(path)
        except (OSError, ValueError, zlib.error):
            continue
        if url is not None:
            ids[url] = path.name.removesuffix(".pf_fragment")
    return ids


def _load(state_file: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(state_file.read_text(encoding="utf8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not isinstance(state.get("replaced"), list):
        return None
    return state


#: The state after a full index: no page differs from it, its ids not read yet.
FRESH = json.dumps({"replaced": [], "ids": None})


def forget(state_file: Path) -> None:
    """What the full index is is unknown (it failed, or was stopped): the next index is full."""
    state_file.unlink(missing_ok=True)


@dataclass(frozen=True)
class Plan:
    """An index of changes to make: ``replaced``, the pages (paths of the site's HTML) that
    differ from the full index; ``pages``, those of them still there, to index."""

    replaced: tuple[str, ...]
    pages: tuple[str, ...]


def plan(state_file: Path, cut: frozenset[str], gone: frozenset[str], folder: Path,
         total: int) -> Plan | None:
    """The index of changes after a build that cut ``cut`` and removed ``gone`` from the pages
    kept in ``folder`` (``total`` of them), or None when the site must be indexed in full: no
    full index is known, or the changes are more than :data:`FEWEST` pages and a tenth of it."""
    state = _load(state_file)
    if state is None:
        return None
    replaced = sorted(set(state["replaced"]) | cut | gone)
    if len(replaced) > max(FEWEST, total // 10):
        return None
    return Plan(tuple(replaced), tuple(r for r in replaced if (folder / r).is_file()))


def stage(plan: Plan, folder: Path, staging: Path) -> None:
    """Put the pages of ``plan`` (kept in ``folder``) alone in ``staging``, for Pagefind."""
    shutil.rmtree(staging, ignore_errors=True)
    for rel in plan.pages:
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(folder / rel, target)
        except OSError:
            shutil.copyfile(folder / rel, target)


def record(state_file: Path, plan: Plan, output: Path, main: str) -> dict[str, Any]:
    """After the changes were indexed into ``output/BUNDLE`` (when ``plan.pages``): the
    manifest that tells the search of them, written into the full bundle ``output/main``, and
    the state kept for the next build. The full index's ids are read once after it was made."""
    state = _load(state_file) or {}
    ids = state.get("ids")
    if not isinstance(ids, dict):
        ids = fragment_ids(output / main)
    added = fragment_ids(output / BUNDLE) if plan.pages else {}
    kept = set(added.values())  # a page unchanged since the full index has the same id there
    superseded = sorted({ids[url] for url in map(url_of, plan.replaced) if url in ids} - kept)
    manifest = {"bundle": f"../{BUNDLE}/" if added else None, "superseded": superseded,
                "added": sorted(kept)}
    (output / main / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf8")
    state_file.write_text(json.dumps({"replaced": list(plan.replaced), "ids": ids}),
                          encoding="utf8")
    return manifest
