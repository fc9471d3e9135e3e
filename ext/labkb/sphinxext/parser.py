"""Each ``docs/<kind>/<id>.yaml`` file is a Sphinx document of its own, read by this parser.

Sphinx then tracks the YAML file like any page: an edit re-reads exactly that document and nothing
is generated into the source tree. The parser validates the file, records the entry in the ``kb``
domain and hands a one-line MyST document to myst-parser, whose ``kb-entry-page`` directive renders
the page from the recorded data.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from docutils import nodes
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser

from labkb.core.loader import load_yaml
from labkb.core.problems import Problem, decode_problem, field_path
from labkb.core.records import Entry, EntryRecord
from labkb.core.schema import validate
from labkb.sphinxext.context import build_context, entry_kind
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.report import warn

FILETYPE = "labkb-entry"


class EntryParser(MystParser):
    """Parse an entry YAML file into a page (via the ``kb-entry-page`` directive)."""

    supported = (FILETYPE,)  # type: ignore[misc]  # docutils declares a ClassVar, myst an attribute

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.docname
        path = os.fspath(env.doc2path(docname))
        entry_id = docname.rsplit("/", 1)[-1]
        kind = entry_kind(docname, env.config)
        if kind is None:
            folders = ", ".join(f"{d}/" for d in env.config.kb_entry_dirs)
            warn(Problem(path, 1, "", f"YAML entries belong in one of: {folders}", "id"))
            kind = "project"
        context = kb_domain(env).data.get("context") or build_context(env)
        loaded = load_yaml(inputstring, path)
        result = validate(loaded, path, entry_id, kind, context)
        for problem in result.problems:
            warn(problem)
        entry = result.entry if isinstance(result.entry, Entry) else None
        kb_domain(env).note_entry(docname, EntryRecord(
            entry_id, kind, docname, path, entry,
            {field_path(loc): line for loc, line in loaded.lines.items() if len(loc) <= 2},
            [(f"{p.field}: {p.message}", p.location) for p in result.problems
             if p.subtype in ("ref", "source")]))
        # the site's MyST settings without substitutions: ``{{ ... }}`` is a Jinja2 expression with
        # the Sphinx environment in reach (code, not text), and a description is data
        config = env.myst_config
        config = dataclasses.replace(config, enable_extensions=set(config.enable_extensions)
                                     - {"substitution"})
        parser = create_md_parser(config, SphinxRenderer)
        parser.options["document"] = document
        parser.render("```{kb-entry-page}\n```\n")


def skip_undecodable(app: Any, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: Sphinx stops with a traceback on a source that is not valid
    UTF-8; report the file and line of the first bad byte instead, and leave that document out."""
    encoding = env.config.source_encoding
    for docname in list(docnames):
        path = env.doc2path(docname)
        try:
            problem = decode_problem(os.fspath(path), path.read_bytes(), encoding)
        except OSError:
            continue
        if problem is not None:
            warn(problem)
            docnames.remove(docname)
            env.found_docs.discard(docname)
