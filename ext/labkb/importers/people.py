"""Which people entries a name from an imported file belongs to, and the ids written into them.

A person is matched by every written name of its entry (``docs/<people_dir>/<id>.yaml``: ``name``,
``name_zh``, ``name_variants``) or, for a Markdown person page, its ``#`` title and id, names
folded (accents, case, punctuation). An ORCID iD or OpenAlex id the file states for a matching
*entry* is written into it (with ``--write``): a new field is inserted after ``name:``, the rest of
the file is untouched; an id the entry already has with another value is a conflict, reported and
never overwritten; an ORCID iD that fails its check digit is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from labkb.core.bibdata import name_key
from labkb.core.loader import load_yaml
from labkb.core.people import ORCID_RE, orcid_check_digit, written_names

#: The ids an import can write into a person entry.
ID_FIELDS = ("orcid", "openalex")


@dataclass
class PersonFile:
    id: str
    path: Path
    ids: dict[str, str] = field(default_factory=dict)  #: the ids the entry has
    entry: bool = True  #: a YAML entry (ids can be written) or a Markdown page


def person_files(docs: Path, people_dir: str = "people") -> dict[str, PersonFile]:
    """Folded name -> the person it names, from each entry's written names (or page's title)."""
    out: dict[str, PersonFile] = {}
    folder = docs / people_dir
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.stem == "index" or path.suffix not in (".yaml", ".md"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if path.suffix == ".yaml":
            data = load_yaml(text, str(path)).data
            if not isinstance(data, dict) or not isinstance(data.get("name"), str):
                continue
            ids = {k: str(data[k]) for k in ID_FIELDS if data.get(k)}
            person = PersonFile(path.stem, path, ids)
            names = [n for n in written_names(data) if isinstance(n, str)]
        else:
            person = PersonFile(path.stem, path, entry=False)
            names = [line[2:].strip() for line in text.splitlines() if line.startswith("# ")][:1]
        for name in [path.stem.replace("-", " "), *names]:
            out.setdefault(name_key(name), person)
    return out


def person_names(docs: Path, people_dir: str = "people") -> dict[str, str]:
    """Folded name -> person id."""
    return {k: v.id for k, v in person_files(docs, people_dir).items()}


def _valid(kind: str, value: str) -> bool:
    if kind == "orcid":
        digits = value.replace("-", "")
        return bool(ORCID_RE.match(value)) and orcid_check_digit(digits[:15]) == digits[15]
    return value.startswith("A") and value[1:].isdigit()


@dataclass
class PeoplePlan:
    lines: list[str] = field(default_factory=list)  #: report lines
    writes: list[tuple[Path, str, str]] = field(default_factory=list)  #: (entry, field, value)


def match_people(found: list[tuple[str, dict[str, str]]], people: dict[str, PersonFile]
                 ) -> PeoplePlan:
    """Report each person of a file, with the entry it matches (or none), and plan the ids to
    write into matching entries."""
    plan = PeoplePlan()
    planned: set[tuple[Path, str]] = set()
    for name, ids in found:
        stated = ", ".join(f"{k} {v}" for k, v in ids.items())
        person = people.get(name_key(name)) if name.strip() else None
        if person is None:
            plan.lines.append(f"person      {name or '(no name)'}: {stated}; no person entry of that name")
            continue
        if not person.entry:
            plan.lines.append(f"person      {name}: matches {person.id} ({stated}); {person.path.name} is a "
                              "Markdown page, not an entry: reported, not written")
            continue
        for kind, value in sorted(ids.items()):
            if kind not in ID_FIELDS:
                continue
            value = value.strip().rsplit("/", 1)[-1]  # https://orcid.org/…, https://openalex.org/…
            has = person.ids.get(kind)
            if not _valid(kind, value):
                plan.lines.append(f"refused     {name}: {kind} {value} is not valid (check digit or form)")
            elif has == value:
                plan.lines.append(f"duplicate   {name}: {person.path} already has {kind} {value}")
            elif has:
                plan.lines.append(f"conflicting {name}: {person.path} has {kind} {has}, the file states "
                                  f"{value}; kept {has}")
            elif (person.path, kind) not in planned:
                planned.add((person.path, kind))
                plan.writes.append((person.path, kind, value))
                plan.lines.append(f"person      {name}: matches {person.id}; sets {kind} {value} in "
                                  f"{person.path}")
    return plan


def insert_field(text: str, name: str, value: str) -> str:
    """``text`` with ``name: value`` inserted after the top-level ``name:`` line (else at the end)."""
    lines = text.splitlines(keepends=True)
    line = f"{name}: {value}\n"
    for i, current in enumerate(lines):
        if current.startswith("name:"):
            lines.insert(i + 1, line)
            return "".join(lines)
    return text + ("" if text.endswith("\n") or not text else "\n") + line


def write_ids(plan: PeoplePlan) -> list[Path]:
    """Apply the planned writes; return the entries changed."""
    changed: list[Path] = []
    for path, kind, value in plan.writes:
        path.write_text(insert_field(path.read_text(encoding="utf-8"), kind, value), encoding="utf-8")
        if path not in changed:
            changed.append(path)
    return changed
