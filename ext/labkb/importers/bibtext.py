""".bib text in and out: records read with the line they start on, and edits that keep a file's text.

Reading goes through pybtex (``@string`` macros, concatenation and comments are resolved as BibTeX
does); writing never re-serialises a file: new records are appended and a merged record gets its new
fields inserted before its closing brace, so every other byte of the file stays as it was.
"""

from __future__ import annotations

from labkb.core.bibcheck import entry_lines, parse_lenient
from labkb.core.problems import Problem
from labkb.importers.works import NAME_FIELDS, Work, balanced, field_text


def read_bib(text: str, path: str) -> tuple[list[Work], list[Problem]]:
    """Every record of a .bib text as a :class:`Work` (field names lower-cased, names as
    ``Last, First and …``), and the located problems: syntax errors, keys defined twice."""
    data, problems = parse_lenient(text, path)
    lines: dict[str, int] = {}
    for key, line in entry_lines(text):
        folded = key.casefold()
        if folded in lines:
            problems.append(Problem(path, line, key, f"key defined twice in this file (first at line "
                                    f"{lines[folded]}); pybtex keeps the first, this record is not read",
                                    "bib"))
        else:
            lines[folded] = line
    works = []
    for key, entry in data.entries.items():
        fields: dict[str, str] = {}
        notes: list[str] = []
        for name, value in entry.fields.items():
            text_value = str(value).strip()
            if not text_value:
                notes.append(f"{name.lower()}: empty; left out")
            else:
                fields[name.lower()] = text_value
        for role, persons in entry.persons.items():
            if role.lower() in NAME_FIELDS:
                fields[role.lower()] = " and ".join(str(p) for p in persons)
        line = lines.get(key.casefold(), 1)
        works.append(Work(str(entry.original_type).lower(), fields, path, line, key, notes))
    return works, problems


def record_span(text: str, line: int) -> tuple[int, int] | None:
    """Offsets of the ``{`` (or ``(``) opening the record whose ``@`` is on ``line`` and of its match."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    at = text.find("@", start)
    opens = [i for i in (text.find("{", at), text.find("(", at)) if i >= 0] if at >= 0 else []
    if not opens:
        return None
    opener = min(opens)
    depth = 0
    for i in range(opener + 1, len(text)):
        char = text[i]
        if depth == 0 and char == {"{": "}", "(": ")"}[text[opener]]:
            return opener, i
        depth += {"{": 1, "}": -1}.get(char, 0)
    return None


def add_fields(text: str, line: int, fields: dict[str, str]) -> str | None:
    """``text`` with ``fields`` inserted at the end of the record on ``line`` (None: not found)."""
    span = record_span(text, line)
    if span is None:
        return None
    end = span[1]
    last = end - 1
    while last > span[0] and text[last].isspace():
        last -= 1
    comma = "" if text[last] in ",{(" else ","
    added = ",".join(f"\n{field_text(name, value)}" for name, value in fields.items())
    return text[: last + 1] + comma + added + "\n" + text[end:]


def append_records(text: str, records: list[str]) -> str:
    """``text`` with ``records`` appended, a blank line before each."""
    out = text if not text or text.endswith("\n") else text + "\n"
    for record in records:
        out += ("\n" if out else "") + record
    return out


def writable(work: Work) -> str | None:
    """Why a record cannot be written as BibTeX (unbalanced braces in a field), or None."""
    bad = [name for name, value in work.fields.items() if not balanced(value)]
    return f"unbalanced braces in {', '.join(bad)}" if bad else None
