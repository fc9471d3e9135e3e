"""The people of the knowledge base, from one place: feeds, Markdown exports and news pages ask here.

People are the pages of ``kb_people_dir``: person entries (``docs/people/<id>.yaml``, whose page
title is the entry's name) and Markdown person pages (``<id>.md``, titled by their ``#`` heading).
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    docname: str


def people(env: BuildEnvironment) -> list[Person]:
    """Every person of the build, by id."""
    folder = env.config.kb_people_dir
    out = []
    for docname in sorted(env.found_docs):
        parent, _, leaf = docname.rpartition("/")
        if parent != folder or leaf == "index":
            continue
        title = env.titles.get(docname)
        out.append(Person(leaf, title.astext() if title is not None else leaf, docname))
    return out


def person_docname(env: BuildEnvironment, person_id: str) -> str:
    """The page of a person id (whether or not it exists)."""
    return f"{env.config.kb_people_dir}/{person_id}"
