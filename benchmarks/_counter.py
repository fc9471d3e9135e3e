"""Sphinx extension of the benchmark: which documents a build re-read and re-wrote, and when.

Copied into every generated project (labkb and baseline alike) and listed in its ``extensions``.
At ``build-finished`` it appends one JSON line to the file named by ``$LABKB_BENCH_COUNTER``
(nothing when the variable is unset):

- ``read``: the documents Sphinx re-read (``env-before-read-docs``, main process);
- ``written``: the documents written (``doctree-resolved``, emitted in the main process even with
  ``-j``, since Sphinx resolves every doctree there before handing it to a writer process);
- ``phases``: seconds from ``config-inited`` to reading, end of reading, writing, end (wall
  time), and the same marks in CPU seconds of the main process (``cpu_phases``);
- ``finish``: CPU seconds (this process and its children, e.g. Pagefind) of the work after the
  pages are written, in two parts: ``exports`` (every ``build-finished`` handler before priority
  900: Sphinx's and labkb's exports, feeds, machine files) and ``search_index`` (labkb's Pagefind
  run at priority 900); the record is written last (priority 999); ``finish_wall``: the same
  two parts in wall seconds;
- ``graph_work``: CPU seconds of labkb's graph, lineage and co-author work (its event handlers
  in ``GRAPH_HANDLERS``, the gathering of people, authorship, lineage and graph, and the GraphML
  export; nested calls counted once), with ``graph_work_missing`` naming any of them not found
  (the figure is then incomplete, and says so);
- ``groups``: per kind of page (entry, area, overview, person, publications, references, graph,
  index, other), the count and the CPU seconds spent
  reading and resolving+writing them (serial builds only: with ``-j`` the reading and writing
  happen in worker processes). CPU time of this process, not wall time, so that other programs
  running on the machine do not count.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

ENV_VAR = "LABKB_BENCH_COUNTER"
#: labkb's event handlers that do the graph, lineage and co-author work (module, function).
GRAPH_HANDLERS = {("labkb.sphinxext.graph", "graph_pages_to_rewrite"),
                  ("labkb.sphinxext.graph", "fill_graphs"),
                  ("labkb.sphinxext.people_figures", "fill_people"),
                  ("labkb.sphinxext.people_figures", "warn_shared_names")}
#: Functions called from elsewhere that do the same work (module, attribute).
GRAPH_FUNCTIONS = {("labkb.sphinxext.research", "_gather"), ("labkb.sphinxext.exports", "graphml")}


class CpuTimer:
    """CPU seconds spent inside the wrapped functions, a call inside another counted once."""

    def __init__(self) -> None:
        self.total = 0.0
        self.depth = 0

    def wrap(self, func: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.depth += 1
            start = time.process_time() if self.depth == 1 else 0.0
            try:
                return func(*args, **kwargs)
            finally:
                if self.depth == 1:
                    self.total += time.process_time() - start
                self.depth -= 1
        return timed


def time_graph_work(app: Any, timer: CpuTimer) -> list[str]:
    """Wrap labkb's graph work in ``timer``; the names of the pieces not found."""
    import importlib

    found: set[tuple[str, str]] = set()
    for listeners in app.events.listeners.values():
        for i, listener in enumerate(listeners):
            handler = listener.handler
            key = (getattr(handler, "__module__", ""), getattr(handler, "__name__", ""))
            if key in GRAPH_HANDLERS:
                listeners[i] = listener._replace(handler=timer.wrap(handler))
                found.add(key)
    for module_name, attr in sorted(GRAPH_FUNCTIONS):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, attr):
            setattr(module, attr, timer.wrap(getattr(module, attr)))
            found.add((module_name, attr))
    return sorted(f"{m}.{f}" for m, f in (GRAPH_HANDLERS | GRAPH_FUNCTIONS) - found)


def group_of(docname: str) -> str:
    """The kind of page: one per output the synthetic site has (see ``sitegen.py``)."""
    folder, _, leaf = docname.rpartition("/")
    if folder in ("projects", "models") and leaf != "index":
        return "entry"
    if folder == "research":
        return "overview" if leaf == "index" else "area"
    if folder == "people" and leaf != "index":
        return "person"
    if docname in ("publications", "references", "graph"):
        return docname
    if leaf == "index":
        return "index"
    return "other"


class Counter:
    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()
        self.marks: dict[str, float] = {}
        self.cpu_marks: dict[str, float] = {}
        self.read: list[str] = []
        self.written: list[str] = []
        self.read_start: dict[str, float] = {}
        self.read_s: dict[str, float] = {}
        self.write_s: dict[str, float] = {}
        self.last_write: tuple[str, float] | None = None
        self.graph = CpuTimer()
        self.graph_missing: list[str] = []

    @staticmethod
    def cpu_with_children() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, time.perf_counter() - self.t0)
        self.cpu_marks.setdefault(name, time.process_time() - self.c0)

    # -- events ------------------------------------------------------------------------------------
    def config_inited(self, app: Any, config: Any) -> None:
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()

    def before_read(self, app: Any, env: Any, docnames: list[str]) -> None:
        self.mark("read_start")
        self.read.extend(docnames)

    def source_read(self, app: Any, docname: str, source: list[str]) -> None:
        self.read_start[docname] = time.process_time()

    def doctree_read(self, app: Any, doctree: Any) -> None:
        docname = app.env.docname
        start = self.read_start.pop(docname, None)
        if start is not None:
            self.read_s[docname] = time.process_time() - start

    def env_updated(self, app: Any, env: Any) -> None:
        self.mark("read_end")

    def write_started(self, app: Any, builder: Any) -> None:
        self.mark("write_start")

    def doctree_resolved(self, app: Any, doctree: Any, docname: str) -> None:
        # the time between two documents is the previous one's writing plus this one's resolving
        now = time.process_time()
        self.mark("first_resolved")
        if self.last_write is not None:
            prev, at = self.last_write
            self.write_s[prev] = now - at
        self.last_write = (docname, now)
        self.written.append(docname)

    def finish_start(self, app: Any, exc: BaseException | None) -> None:
        self.finish_marks = [(self.cpu_with_children(), time.perf_counter())]

    def exports_end(self, app: Any, exc: BaseException | None) -> None:
        self.finish_marks.append((self.cpu_with_children(), time.perf_counter()))

    def build_finished(self, app: Any, exc: BaseException | None) -> None:
        marks = [*getattr(self, "finish_marks", []), (self.cpu_with_children(),
                                                      time.perf_counter())]
        finish = {"exports": round(marks[1][0] - marks[0][0], 4),
                  "search_index": round(marks[2][0] - marks[1][0], 4)} if len(marks) == 3 else {}
        finish_wall = {"exports": round(marks[1][1] - marks[0][1], 4),
                       "search_index": round(marks[2][1] - marks[1][1], 4)} \
            if len(marks) == 3 else {}
        now = time.process_time()
        if self.last_write is not None and not self.write_s.get(self.last_write[0]):
            # the last page: up to the end of writing pages (the search index etc. follow, so cap
            # it at the mean of the others when there are others)
            others = list(self.write_s.values())
            self.write_s[self.last_write[0]] = (sum(others) / len(others)) if others else \
                now - self.last_write[1]
        self.mark("finished")
        path = os.environ.get(ENV_VAR)
        if not path:
            return
        groups: dict[str, dict[str, float]] = {}
        for docname in set(self.read) | set(self.written):
            g = groups.setdefault(group_of(docname), {"read": 0, "written": 0, "read_s": 0.0,
                                                       "write_s": 0.0})
            if docname in self.read_s:
                g["read"] += 1
                g["read_s"] += self.read_s[docname]
            if docname in self.write_s:
                g["written"] += 1
                g["write_s"] += self.write_s[docname]
        record = {
            "ok": exc is None,
            "parallel": app.parallel,
            "read": sorted(self.read),
            "written": sorted(self.written),
            "phases": {k: round(v, 4) for k, v in self.marks.items()},
            "cpu_phases": {k: round(v, 4) for k, v in self.cpu_marks.items()},
            "groups": groups,
            "finish": finish,
            "finish_wall": finish_wall,
            "graph_work": round(self.graph.total, 4),
            "graph_work_missing": self.graph_missing,
        }
        with open(path, "a", encoding="utf8") as f:
            f.write(json.dumps(record) + "\n")


def setup(app: Any) -> dict[str, Any]:
    counter = Counter()
    if "labkb" in app.extensions:  # listed before this extension: its handlers are connected
        counter.graph_missing = time_graph_work(app, counter.graph)
    app.connect("config-inited", counter.config_inited)
    app.connect("env-before-read-docs", counter.before_read)
    app.connect("source-read", counter.source_read)
    app.connect("doctree-read", counter.doctree_read)
    app.connect("env-updated", counter.env_updated)
    app.connect("write-started", counter.write_started)
    app.connect("doctree-resolved", counter.doctree_resolved)
    app.connect("build-finished", counter.finish_start, priority=1)
    app.connect("build-finished", counter.exports_end, priority=899)
    app.connect("build-finished", counter.build_finished, priority=999)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
