"""Checks of .bib files that sphinxcontrib-bibtex does not make: located syntax errors and
duplicate keys across files (pybtex raises on the first and the rest of that file is lost).

Independent of Sphinx, for the build and the ``labkb check`` command alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from labkb.core.fields import unsafe_uri
from labkb.core.problems import Problem

#: ``@type{key,`` at the start of an entry (``@string``/``@comment``/``@preamble`` are not entries).
ENTRY_RE = re.compile(r"^[ \t]*@[ \t]*(?!(?:string|comment|preamble)\b)([A-Za-z]+)[ \t]*[{(][ \t]*"
                      r"([^,\s{}()]+)[ \t]*,", re.M | re.I)


def entry_lines(text: str) -> list[tuple[str, int]]:
    """``(key, line)`` of every entry, in file order."""
    return [(m.group(2), text.count("\n", 0, m.start()) + 1) for m in ENTRY_RE.finditer(text)]


def parse_lenient(text: str, path: str) -> tuple[BibliographyData, list[Problem]]:
    """Parse a .bib text keeping every well-formed entry; problems are located, not raised."""
    parser = Parser()
    problems: list[Problem] = []
    with pybtex.errors.capture() as errors:
        try:
            parser.parse_string(text)
        except Exception as raised:  # pybtex may still raise on what it cannot recover from
            errors.append(raised)
    for error in errors:
        if isinstance(error, PybtexSyntaxError):
            line = error.lineno or 1
            problems.append(Problem(path, line, _key_before(text, line),
                                    f"BibTeX {error.error_type}: {error.args[0] if error.args else error}",
                                    "bib"))
        elif "repeated" not in str(error):  # duplicates are reported with both locations instead
            problems.append(Problem(path, 1, "", f"BibTeX error: {error}", "bib"))
    return parser.data, problems


def _key_before(text: str, line: int) -> str:
    """The key of the entry that contains ``line`` (the field path of a bib problem)."""
    key = ""
    for name, start in entry_lines(text):
        if start > line:
            break
        key = name
    return key


@dataclass(slots=True)
class BibScan:
    """What reading the .bib files found: their problems, and where each record is."""

    problems: list[Problem] = field(default_factory=list)
    #: case-folded key -> (file, line) of the record that counts (the first definition)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)

    def location(self, key: str) -> str | None:
        """``file:line`` of a record, for warnings about it (None for an unknown key)."""
        where = self.locations.get(key.casefold())
        return f"{where[0]}:{where[1]}" if where else None


def check_bibfiles(paths: Iterable[Path]) -> list[Problem]:
    """Missing files, syntax errors and keys defined twice (case-insensitively, as BibTeX does)."""
    return scan_bibfiles(paths).problems


def scan_bibfiles(paths: Iterable[Path]) -> BibScan:
    """:func:`check_bibfiles`, keeping the records' locations: pybtex and sphinxcontrib-bibtex do
    not know them, and every warning about a record should name its file and line."""
    scan = BibScan()
    problems, first = scan.problems, scan.locations
    for path in paths:
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            problems.append(Problem(name, 1, "", "bib file not found", "bib"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, 1, "", f"cannot read the bib file: {exc}", "bib"))
            continue
        data, found = parse_lenient(text, name)
        problems += found
        lines = dict(reversed(entry_lines(text)))  # the first line of each key
        for key, entry in data.entries.items():
            url = str(entry.fields.get("url", "")).strip()
            if unsafe_uri(url):
                problems.append(Problem(name, lines.get(key, 1), key, f"url: {url!r} is not an "
                                        "http(s) link and is not linked", "link"))
        for key, line in entry_lines(text):
            folded = key.casefold()
            if folded in first:
                where = f"{first[folded][0]}:{first[folded][1]}"
                problems.append(Problem(name, line, key, f"duplicate BibTeX key (first defined at "
                                        f"{where}); this entry is ignored", "bib"))
            else:
                first[folded] = (name, line)
    return scan
