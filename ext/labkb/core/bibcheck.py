"""Checks of .bib files that sphinxcontrib-bibtex does not make: located syntax errors and
duplicate keys across files (pybtex raises on the first and the rest of that file is lost).

Independent of Sphinx, for the build and the ``labkb check`` command alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from labkb.core.bibread import BibScan, entry_lines, read_bibfiles
from labkb.core.problems import Problem

__all__ = ["BibScan", "check_bibfiles", "entry_lines", "parse_lenient", "scan_bibfiles"]


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


def check_bibfiles(paths: Iterable[Path]) -> list[Problem]:
    """Missing files, syntax errors and keys defined twice (case-insensitively, as BibTeX does)."""
    return scan_bibfiles(paths).problems


def scan_bibfiles(paths: Iterable[Path]) -> BibScan:
    """:func:`check_bibfiles`, keeping the records' locations: pybtex and sphinxcontrib-bibtex do
    not know them, and every warning about a record should name its file and line. The build
    gets the same from the record-by-record read it uses for sphinxcontrib-bibtex."""
    return read_bibfiles(paths).scan
