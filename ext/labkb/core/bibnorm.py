"""Make parsed BibTeX records renderable by a pybtex style, once, where they are parsed (no Sphinx).

pybtex formats a record with the style's ``get_<type>_template`` and raises ``AttributeError`` for
any other type, which stops a whole Sphinx build: ``@conference`` is standard BibTeX but pybtex's
styles lack it, and biblatex or al-folio files use ``@online``, ``@report``, ``@thesis``. Types
are therefore mapped to one the style has (aliases as BibTeX and biblatex define them, anything
else to ``misc``). pybtex also resolves ``crossref`` only for some fields and only when the
bibliography is passed along (sphinxcontrib-bibtex does not pass it), so the inherited fields and
people are copied into the record, as BibTeX does, and remembered so the copyable BibTeX shows the
record as written. ``original_type`` is left alone: the BibTeX writer prints it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pybtex.database import Entry

#: The attribute of an :class:`~pybtex.database.Entry` holding the (fields, person roles) it
#: inherited through ``crossref`` (kept on the record, so it is pickled with it).
INHERITED = "labkb_inherited"

#: BibTeX's and biblatex's aliases of the standard types (biblatex manual, "Type Aliases").
ALIASES = {
    "conference": "inproceedings",
    "online": "misc",
    "electronic": "misc",
    "www": "misc",
    "report": "techreport",
}

_PHD = re.compile(r"ph\.?\s*d|doctor", re.I)
_MASTER = re.compile(r"master|m\.?\s*sc?\b|\bma\b|mathesis", re.I)


@dataclass(frozen=True, slots=True)
class Normalised:
    """What normalising found: records whose type had to become ``misc``, broken crossrefs."""

    unknown_types: list[tuple[str, str]]  #: (key, type as written)
    missing_parents: list[tuple[str, str]]  #: (key, crossref value)


def style_types(style: Any) -> Callable[[str], bool]:
    """Whether ``style`` has a template for a (lower-case) type; only ``get_<type>_template``
    counts, as ``format_<name>`` also names the style's helpers (``format_title``...)."""
    return lambda name: callable(getattr(style, f"get_{name}_template", None))


def canonical_type(entry: Entry, known: Callable[[str], bool]) -> tuple[str, bool]:
    """The type to format ``entry`` as, and whether it was recognised (else ``misc``)."""
    written = str(entry.original_type).lower()
    if known(written):
        return written, True
    if written == "thesis":  # biblatex: the kind of thesis is in ``type``
        kind = str(entry.fields.get("type", ""))
        if _PHD.search(kind):
            return "phdthesis", True
        return ("mastersthesis" if _MASTER.search(kind) else "misc"), True
    if written in ALIASES:
        return ALIASES[written], True
    return "misc", False


def inherit_crossrefs(entries: Mapping[str, Entry]) -> list[tuple[str, str]]:
    """Copy into each record with a ``crossref`` the fields and people it lacks from the record
    it names, as BibTeX does (one level; a field present but empty is not replaced).

    Idempotent: what an earlier call inherited is removed first, so records kept from an earlier
    build are resolved again against the current parents. Returns (key, crossref) of records
    whose parent does not exist.
    """
    for entry in entries.values():
        fields, roles = getattr(entry, INHERITED, ((), ()))
        for name in fields:
            entry.fields.pop(name, None)
        for role in roles:
            entry.persons.pop(role, None)
        setattr(entry, INHERITED, ((), ()))
    missing: list[tuple[str, str]] = []
    additions: list[tuple[Entry, dict[str, Any], dict[str, Any]]] = []
    for key, entry in entries.items():
        target = str(entry.fields.get("crossref", "")).strip()
        if not target:
            continue
        parent = entries.get(target)
        if parent is None:
            missing.append((key, target))
            continue
        if parent is entry:
            continue
        fields = {name: value for name, value in parent.fields.items()
                  if name.lower() != "crossref" and name not in entry.fields}
        persons = {role: list(people) for role, people in parent.persons.items()
                   if role not in entry.persons}
        additions.append((entry, fields, persons))
    for entry, fields, persons in additions:  # after reading every parent: one level only
        entry.fields.update(fields)
        entry.persons.update(persons)
        setattr(entry, INHERITED, (tuple(fields), tuple(persons)))
    return missing


def normalise(entries: Mapping[str, Entry], known: Callable[[str], bool]) -> Normalised:
    """Give every record a type ``known`` to the style and resolve crossrefs (see the module)."""
    unknown: list[tuple[str, str]] = []
    for key, entry in entries.items():
        entry.type, recognised = canonical_type(entry, known)
        if not recognised:
            unknown.append((key, str(entry.original_type)))
    return Normalised(unknown, inherit_crossrefs(entries))
