"""Which person pages (``docs/<people_dir>/<id>.md``) a name from an imported file belongs to.

A person is matched by the ``#`` title of the page or its id, names folded (accents, case,
punctuation); the match is reported, never written: people are Markdown pages, with no field to
hold an ORCID or OpenAlex id yet.
"""

from __future__ import annotations

from pathlib import Path

from labkb.core.bibdata import name_key


def person_names(docs: Path, people_dir: str = "people") -> dict[str, str]:
    """Folded name -> person id, from each page's title and id."""
    out: dict[str, str] = {}
    folder = docs / people_dir
    for page in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if page.stem == "index":
            continue
        out.setdefault(name_key(page.stem.replace("-", " ")), page.stem)
        try:
            lines = page.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        title = next((line[2:].strip() for line in lines if line.startswith("# ")), "")
        if title:
            out.setdefault(name_key(title), page.stem)
    return out


def match_people(found: list[tuple[str, dict[str, str]]], names: dict[str, str]) -> list[str]:
    """Report lines: each person of a file, with the page it matches (or none) and its ids."""
    lines = []
    for name, ids in found:
        stated = ", ".join(f"{k} {v}" for k, v in ids.items())
        person = names.get(name_key(name)) if name.strip() else None
        if person:
            lines.append(f"person      {name}: matches {person} ({stated}); person pages have no field "
                         "for these ids yet, so they are reported, not written")
        else:
            lines.append(f"person      {name or '(no name)'}: {stated}; no person page of that name")
    return lines
