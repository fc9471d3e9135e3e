"""Validate entry files without Sphinx, with the same located problems as the build."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .loader import load_yaml
from .problems import Problem, decode_problem
from .schema import Context, validate

#: Default layout, as in conf.py (``kb_entry_dirs``, ``kb_area_dir``, ``kb_people_dir``).
ENTRY_DIRS = {"projects": "project", "models": "model"}
AREA_DIR, PEOPLE_DIR = "research", "people"


def _stems(folder: Path, suffixes: tuple[str, ...]) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.iterdir() if p.suffix in suffixes and p.stem != "index"}


def context_for(docs: Path) -> Context:
    entries: set[str] = set()
    for folder in ENTRY_DIRS:
        entries |= _stems(docs / folder, (".yaml",))
    return Context(frozenset(_stems(docs / AREA_DIR, (".md", ".rst"))),
                   frozenset(_stems(docs / PEOPLE_DIR, (".md", ".rst"))), frozenset(entries))


def entry_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.yaml") if p.parent.name in ENTRY_DIRS)
        else:
            out.append(path)
    return out


def check_paths(paths: Iterable[Path], docs: Path,
                progress: Callable[[int], None] | None = None) -> tuple[list[Problem], int]:
    """All problems of the entry files under ``paths``, and how many files were checked."""
    context = context_for(docs)
    files = entry_files(paths)
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done)
        kind = ENTRY_DIRS.get(path.parent.name)
        if kind is None:
            problems.append(Problem(str(path), 1, "", "YAML entries belong in projects/ or "
                                    "models/", "id"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(path), 1, "", f"cannot read the file: {exc}", "yaml"))
            continue
        undecodable = decode_problem(str(path), data)
        if undecodable is not None:
            problems.append(undecodable)
            continue
        text = data.decode("utf-8-sig")
        result = validate(load_yaml(text, str(path)), str(path), path.stem, kind, context)
        problems += result.problems
        if result.data is not None:
            if path.stem in seen:
                problems.append(Problem(str(path), 1, "", f"duplicate entry id {path.stem!r} "
                                        f"(first defined in {seen[path.stem]})", "duplicate"))
            seen.setdefault(path.stem, path)
    return problems, len(files)
