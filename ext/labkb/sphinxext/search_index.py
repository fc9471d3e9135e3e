"""Search as you type: the built HTML indexed by Pagefind, and what each page tells the index.

At ``html-page-context`` every page gets ``kb_search`` (its kind, areas and weighted aliases, see
:mod:`labkb.core.searchmeta`) for the templates' ``data-pagefind-*`` elements, and ``kb_pagefind``
(whether the site's search runs on Pagefind). At ``build-finished`` the Pagefind binary indexes
the output's pages, as :mod:`.search_pages` cuts them, into ``_build/html/pagefind/``: the one
npm installed from the project's
``package-lock.json`` (``make html`` runs ``npm ci``), else the one of the ``pagefind-bin-extended``
wheel (PyPI has it up to 1.5.2 only). With ``kb_search = False``, or without a binary (a located
``kb.search`` warning), pages keep Sphinx's own search.

With Pagefind, Sphinx's own index is not built: no page loads ``searchindex.js``, and feeding it
(jieba and stemming over every written page, in the main process even under ``-j``) was the largest
part of writing. The search page is then added as an extra page (``html-collect-pages``).
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from labkb.core.config import conf_py_values
from labkb.core.names_zh import kind_zh, name_zh
from labkb.core.searchmeta import Area, SearchMeta, entry_meta, name_row, named_pages, page_meta
from labkb.sphinxext import search_background, search_changes, search_pages
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.state import build_state

logger = logging.getLogger(__name__)

#: Parts of pages the index leaves out: card grids and the graph page's tables repeat the
#: entries' own pages (each lists its links), the filter bars are controls, what Sphinx's search
#: leaves out ("no-search": the BibTeX of each publication, which repeats the record shown above
#: it), and what every entry page says alike: how to read its graph (the list of its links stays)
#: and what the 译 mark means (words that made every entry page a hit of queries such as "l" or
#: "of", and its excerpt longer), and sphinxcontrib-bibtex's citation lists: the references page
#: repeats the records the publication lists show (each searchable there, with its links), and at
#: 5,000 records it was a 1.5 MB page that short queries ranked high and loaded.
EXCLUDE = (".kb-grid, .kb-filter, .kb-graph-filters, .kb-graph-table, .headerlink, .no-search, "
           ".citation-list, "
           ".kb-graph figcaption, .kb-graph-legend-box, .kb-graph-list > .rubric, "
           ".kb-zh > .visually-hidden")
BUNDLE = "pagefind"
#: Where :func:`write_names` writes what each letter lists.
NAMES = "kb-names"
#: What :mod:`.search_pages` takes out of the pages before Pagefind reads them.
DROPPED = search_pages.whole_classes(EXCLUDE)


def _where(app: Sphinx) -> str | None:
    """``conf.py:line`` of ``kb_search`` (or of the file's first line) for located warnings."""
    if not app.confdir:
        return None
    path = Path(app.confdir, "conf.py")
    return conf_py_values(path)[1].get("kb_search", f"{path}:1")


#: npm's names (``@pagefind/<platform>-<arch>``, the optional dependencies of the ``pagefind``
#: package, one of which ``npm ci`` installs) for Python's ``sys.platform`` and machine.
NPM_SYSTEMS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "freebsd": "freebsd"}
NPM_ARCHS = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


def npm_package() -> tuple[str, str] | None:
    """This machine's package (``linux-x64``: ``@pagefind/linux-x64``) and the name of its binary,
    if npm has a build of Pagefind for it."""
    system = NPM_SYSTEMS.get(sys.platform.rstrip("0123456789"))  # freebsd14: freebsd
    arch = NPM_ARCHS.get(platform.machine().lower())
    if system is None or arch is None:
        return None
    return f"{system}-{arch}", "pagefind_extended.exe" if system == "windows" else "pagefind_extended"


def npm_binary(start: Path) -> Path | None:
    """Pagefind's binary for this machine in a ``node_modules`` folder of ``start`` or of a
    folder above it (where Node looks for a package)."""
    package = npm_package()
    if package is None:
        return None
    for folder in (start, *start.parents):
        binary = folder / "node_modules" / "@pagefind" / package[0] / "bin" / package[1]
        if binary.is_file():
            return binary
    return None


def pagefind_binary(confdir: str | Path | None = None) -> Path | None:
    """The Pagefind executable: npm's (the locked version, ``npm ci``) from the site's folder or
    from this checkout of labkb, else the one ``pagefind-bin-extended`` ships, if installed."""
    for start in ([Path(confdir)] if confdir else []) + [Path(__file__).resolve().parent]:
        found = npm_binary(start)
        if found is not None:
            return found
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
        return Path(get_executable())
    except (ImportError, OSError):
        return None


def choose_engine(app: Sphinx) -> None:
    """``builder-inited``: Pagefind when asked for and installed, else Sphinx's search."""
    state = build_state(app)
    state.pagefind, state.search_page = None, False
    if not app.config.kb_search or app.builder.format != "html":
        return
    state.pagefind = pagefind_binary(app.confdir)
    if state.pagefind is None:
        logger.warning("kb_search is on but the Pagefind binary is missing (run `npm ci`, as "
                       "`make html` does, or install the pagefind-bin-extended package of the "
                       "docs extra); the site keeps Sphinx's search", location=_where(app),
                       type="kb", subtype="search")
        return
    if app.config.kb_search_background:  # the running index is of pages about to change
        state.index_pending = stop_background(app)
    if getattr(app.builder, "search", False):
        # Sphinx's own switch, there for builders without its search (HTML Help)
        app.builder.search = False  # type: ignore[attr-defined]
        state.search_page = True


def search_page(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the search page Sphinx no longer writes once its index is off."""
    return [("search", {}, "search.html")] if build_state(app).search_page else []


def _areas(app: Sphinx, ids: list[str]) -> list[Area]:
    env, out = app.env, []
    for area in ids:
        docname = f"{app.config.kb_area_dir}/{area}"
        title = env.titles[docname].astext() if docname in env.titles else area
        out.append(Area(title, name_zh(env.metadata.get(docname, {}))[0]))
    return out


def page_kind(app: Sphinx, pagename: str) -> str:
    folder, _, leaf = pagename.rpartition("/")
    if leaf != "index" and folder == app.config.kb_area_dir:
        return "area"
    if leaf != "index" and folder == app.config.kb_people_dir:
        return "person"
    return "page"


def _listing_aliases(app: Sphinx, pagename: str) -> list[str]:
    """The Chinese name of what a listing page lists (模型 for the models' index)."""
    folder, _, leaf = pagename.rpartition("/")
    kinds = {**app.config.kb_entry_dirs, app.config.kb_area_dir: "area",
             app.config.kb_people_dir: "person"}
    kind = kinds.get(folder) if leaf == "index" else "paper" if pagename == "publications" \
        else None
    chinese = kind_zh(kind) if kind else None
    return [chinese] if chinese else []


def search_meta(app: Sphinx, pagename: str, title: str) -> SearchMeta:
    record = kb_domain(app.env).data["docs"].get(pagename)
    if record is not None and record.entry is not None:
        data = record.entry.model_dump(exclude_none=True)
        return entry_meta(record.kind, data, _areas(app, list(data.get("areas", []))))
    meta = page_meta(page_kind(app, pagename), title, app.env.metadata.get(pagename, {}))
    extra = tuple(_listing_aliases(app, pagename))
    return SearchMeta(meta.kind, meta.kind_zh, meta.areas, meta.aliases + extra, meta.tags,
                      meta.context, meta.names + extra) if extra else meta


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: Any) -> None:
    """``html-page-context``: the values the templates write for the index."""
    state = build_state(app)
    engine = state.pagefind
    context["kb_pagefind"] = engine is not None
    if state.search_page and "hasdoc" in context:  # the search page exists, written by labkb
        hasdoc = context["hasdoc"]
        context["hasdoc"] = lambda name: name == "search" or hasdoc(name)
    if engine is None or doctree is None:
        return
    title = context.get("title") or ""
    context["kb_search"] = search_meta(app, pagename, str(title)).as_template()


def write_names(app: Sphinx) -> None:
    """What each letter typed alone in the search box lists (:func:`named_pages`), one file a
    letter in ``kb-names/``, of every page of the site (a letter is not searched with Pagefind:
    as a word's start it matches nearly every page, and costs as much as its thousands of
    results). Each page's row is kept beside the doctrees and made again when the page is
    written; a file left unchanged is not written again."""
    env, folder, written = app.env, Path(app.outdir) / NAMES, build_state(app).written
    kept_file = Path(app.doctreedir) / "kb-names-rows.json"
    try:
        kept = json.loads(kept_file.read_text(encoding="utf8"))
    except (OSError, ValueError):
        kept = {}
    rows = {}
    for docname in sorted(env.found_docs):
        if docname in kept and docname not in written:
            rows[docname] = kept[docname]
            continue
        title = env.titles[docname].astext() if docname in env.titles else docname
        rows[docname] = name_row(app.builder.get_target_uri(docname), title,
                                 search_meta(app, docname, title))
    table = {f"{letter}.json": json.dumps(value, ensure_ascii=False, separators=(",", ":"))
             for letter, value in named_pages(rows.values()).items()}
    try:
        kept_file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf8")
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            if old.name not in table:
                old.unlink()
        for name, text in table.items():
            path = folder / name
            if not path.is_file() or path.read_text(encoding="utf8") != text:
                path.write_text(text, encoding="utf8")
    except OSError as error:
        logger.warning("the names the search box lists could not be written: %s", error,
                       location=_where(app), type="kb", subtype="search")


def pages_folder(app: Sphinx) -> Path:
    """Where the pages are kept as Pagefind reads them (:mod:`.search_pages`)."""
    return Path(app.doctreedir) / "kb-pagefind-pages"


def pagefind_command(app: Sphinx, binary: Path, output: Path | None = None,
                     site: Path | None = None) -> list[str]:
    """The indexing command, over the pages as :mod:`.search_pages` keeps them (or those in
    ``site``): Chinese segmentation when the site searches Chinese (its pages are then indexed
    as one Chinese-and-English index; English words still match by prefix). The index goes to
    ``_build/html/pagefind/``, or to ``output``."""
    command = [str(binary), "--site", str(site or pages_folder(app)),
               "--output-path", str(output or Path(app.outdir) / BUNDLE),
               "--exclude-selectors", EXCLUDE, "--quiet"]
    if str(app.config.html_search_language or app.config.language or "").startswith("zh"):
        command += ["--force-language", "zh"]
    return command


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: index the output with Pagefind: the pages changed since the full
    index alone when they are few (:mod:`.search_changes`), else all (skipped when nothing was
    written and the index exists)."""
    state = build_state(app)
    if exception is not None or state.pagefind is None:
        return
    folder = Path(app.outdir) / BUNDLE
    indexed = (folder / "pagefind.js").exists()
    if not (state.wrote or state.index_pending) and indexed:
        if not (Path(app.outdir) / NAMES).is_dir():  # a site indexed before labkb wrote them
            write_names(app)
        return
    Path(app.outdir, "searchindex.js").unlink(missing_ok=True)  # from a build on Sphinx's search
    write_names(app)
    try:
        update = search_pages.update(Path(app.outdir), pages_folder(app), BUNDLE, DROPPED)
    except OSError as error:
        logger.warning("the pages could not be prepared for Pagefind: %s", error,
                       location=_where(app), type="kb", subtype="search")
        return
    changes = _changes_state(app)
    plan = search_changes.plan(changes, update.cut, update.gone, pages_folder(app),
                               update.total) if indexed else None  # none without a full index
    if plan is not None:
        index_changes(app, state.pagefind, plan)
        return
    search_changes.forget(changes)  # until the full index is made
    if app.config.kb_search_background:
        index_in_background(app, state.pagefind, folder)
        return
    fail = "1" if getattr(app, "_fail_on_warnings", False) else "0"
    if search_background.defer(["--now", _where(app) or "conf.py", fail,
                                *_runner_arguments(app, state.pagefind, folder)]):
        return  # made by make html's command once Sphinx has returned
    # Pagefind adds its files to the folder and removes none: without this, every rebuild would
    # leave the fragments and index chunks of the pages it changed behind
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(Path(app.outdir) / search_changes.BUNDLE, ignore_errors=True)
    if run_pagefind(app, pagefind_command(app, state.pagefind)):
        (folder / search_changes.MANIFEST).write_text(search_changes.NONE, encoding="utf8")
        changes.write_text(search_changes.FRESH, encoding="utf8")


def run_pagefind(app: Sphinx, command: list[str]) -> bool:
    """Run Pagefind; whether it indexed (a located warning says why not)."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                              check=False)
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("Pagefind could not index the site: %s", error, location=_where(app),
                       type="kb", subtype="search")
        return False
    if done.returncode != 0:
        logger.warning("Pagefind could not index the site (exit %s): %s", done.returncode,
                       search_background.tail(done.stderr or done.stdout),
                       location=_where(app), type="kb", subtype="search")
    return done.returncode == 0


def _changes_state(app: Sphinx) -> Path:
    return Path(app.doctreedir) / search_changes.STATE


def index_changes(app: Sphinx, binary: Path, plan: search_changes.Plan) -> None:
    """Index the pages changed since the full index alone, for the search to merge."""
    out, changes = Path(app.outdir), _changes_state(app)
    staging = Path(app.doctreedir) / "kb-pagefind-changes-pages"
    search_changes.stage(plan, pages_folder(app), staging)
    shutil.rmtree(out / search_changes.BUNDLE, ignore_errors=True)
    if plan.pages and not run_pagefind(app, pagefind_command(
            app, binary, out / search_changes.BUNDLE, staging)):
        search_changes.forget(changes)
        return
    search_changes.record(changes, plan, out, BUNDLE)


def _background_state(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "kb-pagefind.json"


def stop_background(app: Sphinx) -> bool:
    """Stop the background index still going, if any (a new build has begun); whether one was."""
    return search_background.stop(_background_state(app))


def index_in_background(app: Sphinx, binary: Path, folder: Path) -> None:
    """Start Pagefind in a session of its own and return (see :mod:`.search_background`); say
    so if the previous background run failed (a run still going was stopped at builder-inited,
    :func:`choose_engine`)."""
    state_file = _background_state(app)
    last = search_background.last_run(state_file)
    if last.get("returncode"):
        logger.warning("the last background Pagefind index failed (exit %s): %s",
                       last["returncode"], search_background.tail(str(last.get("stderr", ""))),
                       location=_where(app), type="kb", subtype="search")
    runner = Path(__file__).with_name("search_background.py")
    try:
        proc = subprocess.Popen([sys.executable, str(runner),
                                 *_runner_arguments(app, binary, folder)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        state_file.write_text(json.dumps({"pid": proc.pid}), encoding="utf8")
    except OSError as error:
        logger.warning("Pagefind could not be started: %s", error, location=_where(app),
                       type="kb", subtype="search")


def _runner_arguments(app: Sphinx, binary: Path, folder: Path) -> list[str]:
    """What :mod:`.search_background` needs to index the site into a staging folder and swap it
    for ``folder``: then the full index is known, with no changes (:mod:`.search_changes`)."""
    staging = folder.with_name(f".{BUNDLE}-next")
    written = {"staged": {search_changes.MANIFEST: search_changes.NONE},
               "done": {str(_changes_state(app)): search_changes.FRESH},
               "removed": [str(Path(app.outdir) / search_changes.BUNDLE)]}
    return [str(_background_state(app)), json.dumps(pagefind_command(app, binary, staging)),
            str(staging), str(folder), json.dumps(written)]
