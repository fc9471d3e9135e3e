"""Read .bib files record by record, parsing again only the records whose text changed.

pybtex parses a whole file at once, so a build that sees one edited record would parse every
record of every file again (seconds for a few thousand). Here a file is cut into chunks, each
starting at a line that starts with ``@`` (one record, ``@string`` or ``@preamble``), and each
chunk is parsed alone, with the ``@string`` macros defined before it, as pybtex would. A chunk is
known by a digest of its text and of the macros in force, so what an earlier read parsed is reused
as is, and a record's *token* (that digest, and its crossref parent's) tells whether it changed.

The result is what pybtex's parser gives for the whole files (entries in file order, the first of
a repeated key kept), plus the located problems :mod:`labkb.core.bibcheck` reports.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from labkb.core.fields import unsafe_uri
from labkb.core.problems import Problem

#: ``@type{key,`` at the start of an entry (``@string``/``@comment``/``@preamble`` are not entries).
ENTRY_RE = re.compile(r"^[ \t]*@[ \t]*(?!(?:string|comment|preamble)\b)([A-Za-z]+)[ \t]*[{(][ \t]*"
                      r"([^,\s{}()]+)[ \t]*,", re.M | re.I)
#: Where a chunk starts: a line whose first non-blank character is ``@``.
CHUNK_RE = re.compile(r"^[ \t]*@", re.M)


def entry_lines(text: str) -> list[tuple[str, int]]:
    """``(key, line)`` of every entry, in file order."""
    return [(m.group(2), text.count("\n", 0, m.start()) + 1) for m in ENTRY_RE.finditer(text)]


@dataclass(slots=True)
class Chunk:
    """One parsed piece of a .bib file, as reused by later reads."""

    entries: list[tuple[str, Entry]]
    #: (line within the chunk, key, message) of each syntax or data error pybtex reported
    errors: list[tuple[int, str, str]]
    #: ``(key, line within the chunk)`` of every entry the chunk writes (duplicates included)
    lines: list[tuple[str, int]]
    macros: dict[str, str] = field(default_factory=dict)  #: ``@string`` definitions it makes
    preamble: list[str] = field(default_factory=list)


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


@dataclass(slots=True)
class BibRead:
    """The records of all the .bib files, what was wrong with them, and the cache for next time."""

    data: BibliographyData = field(default_factory=BibliographyData)
    #: file (as given) -> the keys it adds, in order (sphinxcontrib-bibtex's ``BibFile.keys``)
    keys: dict[str, dict[str, None]] = field(default_factory=dict)
    scan: BibScan = field(default_factory=BibScan)
    #: case-folded key -> digest of the record's text, macros and crossref parent
    tokens: dict[str, str] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)  #: digest -> chunk (this read's)
    parsed: int = 0  #: records parsed by this read (the others were reused)
    complete: bool = True  #: every file could be read


def read_bibfiles(paths: Iterable[Path], encoding: str = "utf-8-sig",
                  cache: dict[str, Chunk] | None = None) -> BibRead:
    """Read ``paths`` in order (macros carry over from one file to the next, as in pybtex),
    reusing the chunks of ``cache`` whose text and macros are unchanged."""
    read, parser, state = BibRead(), Parser(encoding), ""
    for path in paths:
        name = str(path)
        try:
            text = Path(path).read_text(encoding=encoding)
        except FileNotFoundError:
            read.scan.problems.append(Problem(name, 1, "", "bib file not found", "bib"))
            read.complete = False
            continue
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            read.scan.problems.append(Problem(name, 1, "", f"cannot read the bib file: {exc}",
                                              "bib"))
            read.complete = False
            continue
        state = _read_file(read, parser, name, text, state, cache or {})
    _tokens(read)
    return read


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    """(first line, text) of each chunk; text before the first ``@`` is a comment."""
    starts = [m.start() for m in CHUNK_RE.finditer(text)]
    line = text.count("\n", 0, starts[0]) + 1 if starts else 1
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        piece = text[start:end]
        yield line, piece
        line += piece.count("\n")


def _read_file(read: BibRead, parser: Parser, name: str, text: str, state: str,
               cache: dict[str, Chunk]) -> str:
    """Add one file's records to ``read``; returns the macro state after it."""
    keys = read.keys.setdefault(name, {})
    entries, problems = read.data.entries, read.scan.problems
    urls: list[Problem] = []
    duplicates: list[Problem] = []
    for start, piece in _chunks(text):
        digest = hashlib.sha1(f"{state}\0{piece}".encode()).hexdigest()
        chunk = cache.get(digest) or read.chunks.get(digest)
        if chunk is None:
            chunk = _parse_chunk(parser, name, piece)
            read.parsed += len(chunk.entries)
        else:
            parser.macros.update(chunk.macros)
        read.chunks[digest] = chunk
        if chunk.macros:
            state = hashlib.sha1(f"{state}\0{digest}".encode()).hexdigest()
        read.data.add_to_preamble(*chunk.preamble)
        problems.extend(Problem(name, start + line - 1, key, message, "bib")
                        for line, key, message in chunk.errors)
        for key, line in chunk.lines:
            folded, where = key.casefold(), start + line - 1
            first = read.scan.locations.get(folded)
            if first is not None:
                duplicates.append(Problem(name, where, key, "duplicate BibTeX key (first defined "
                                          f"at {first[0]}:{first[1]}); this entry is ignored",
                                          "bib"))
            else:
                read.scan.locations[folded] = (name, where)
        for key, entry in chunk.entries:
            if key in entries:
                continue
            read.data.add_entry(key, entry)
            keys[key] = None
            read.tokens[key.casefold()] = digest
            url = str(entry.fields.get("url", "")).strip()
            if unsafe_uri(url):
                line = read.scan.locations.get(key.casefold(), (name, start))[1]
                urls.append(Problem(name, line, key, f"url: {url!r} is not an http(s) link and "
                                    "is not linked", "link"))
    problems += urls + duplicates
    return state


def _parse_chunk(parser: Parser, name: str, piece: str) -> Chunk:
    """Parse one chunk with the macros in force; pybtex's errors are collected, not raised."""
    parser.data = BibliographyData()
    parser.filename = name
    defines = "@string" in piece.casefold()
    before = dict(parser.macros) if defines else {}
    with pybtex.errors.capture() as raised:
        try:
            parser.parse_string(piece)
        except Exception as exc:  # pybtex may still raise on what it cannot recover from
            raised.append(exc)
    lines = entry_lines(piece)
    errors: list[tuple[int, str, str]] = []
    for error in raised:
        if isinstance(error, PybtexSyntaxError):
            line = error.lineno or 1
            key = next((k for k, start in reversed(lines) if start <= line), "")
            message = error.args[0] if error.args else error
            errors.append((line, key, f"BibTeX {error.error_type}: {message}"))
        elif "repeated" not in str(error):  # duplicates are reported with both locations
            errors.append((1, "", f"BibTeX error: {error}"))
    macros = {k: v for k, v in parser.macros.items() if before.get(k) != v} if defines else {}
    return Chunk(list(parser.data.entries.items()), errors, lines, macros,
                 list(parser.data.preamble_list))


def _tokens(read: BibRead) -> None:
    """A record inheriting through ``crossref`` changes when its parent does."""
    tokens = read.tokens
    for key, entry in read.data.entries.items():
        parent = str(entry.fields.get("crossref", "")).strip().casefold()
        if parent and parent in tokens:
            both = f"{tokens[key.casefold()]}\0{tokens[parent]}"
            tokens[key.casefold()] = hashlib.sha1(both.encode()).hexdigest()
