"""Validate entry files without Sphinx, with the same located problems as the build."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from labkb.core import lineage
from labkb.core.coauthors import shared_names
from labkb.core.config import KbConfig
from labkb.core.loader import load_yaml
from labkb.core.problems import Problem, decode_problem, field_path
from labkb.core.records import Entry, EntryRecord
from labkb.core.schema import ENTRY_KINDS, Context, validate


def _stems(folder: Path, suffixes: tuple[str, ...]) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.iterdir() if p.suffix in suffixes and p.stem != "index"}


def default_bibfiles(docs: Path) -> list[Path]:
    """``refs/*.bib`` next to the docs folder, sorted: what conf.py gives ``bibtex_bibfiles``."""
    return sorted((docs.parent / "refs").glob("*.bib"))


def bib_keys(paths: Iterable[Path]) -> frozenset[str]:
    """The case-folded keys the build would know from these .bib files (unreadable ones and
    malformed entries left out, as sphinxcontrib-bibtex leaves them out)."""
    from labkb.core.bibcheck import parse_lenient  # imports pybtex: only when keys are needed

    keys: set[str] = set()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        keys |= {key.casefold() for key in parse_lenient(text, str(path))[0].entries}
    return frozenset(keys)


def context_for(docs: Path, bibfiles: Iterable[Path] | None = None,
                config: KbConfig | None = None) -> Context:
    """What entries under ``docs`` may refer to. ``papers`` keys are checked against
    ``bibfiles`` (default: :func:`default_bibfiles`); with no .bib file at all they are not
    checked, as in a build without sphinxcontrib-bibtex."""
    config = config or KbConfig.discover(docs)[0]
    entries: set[str] = set()
    sources: set[str] = set()
    people = set(_stems(docs / config.people_dir, (".md", ".rst")))
    for folder, kind in config.entry_dirs.items():
        if kind in ENTRY_KINDS or kind in ("source", "person"):
            {"source": sources, "person": people}.get(kind, entries).update(
                _stems(docs / folder, (".yaml",)))
    bibs = default_bibfiles(docs) if bibfiles is None else list(bibfiles)
    return Context(frozenset(_stems(docs / config.area_dir, (".md", ".rst"))),
                   frozenset(people), frozenset(entries),
                   bib_keys(bibs) if bibs else None, frozenset(sources), config.require_sources)


def entry_files(paths: Iterable[Path]) -> list[Path]:
    """The .yaml files given or under the folders given: Sphinx reads every one as an entry
    (hidden and ``_`` folders left out, as the site's ``exclude_patterns`` do)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.yaml")
                          if not any(part.startswith((".", "_"))
                                     for part in p.relative_to(path).parts[:-1]))
        else:
            out.append(path)
    return out


def _docname(path: Path, docs: Path) -> str:
    """The document name Sphinx gives ``path`` (``projects/adan``), or its stem outside ``docs``."""
    try:
        return path.resolve().relative_to(docs.resolve()).with_suffix("").as_posix()
    except ValueError:
        return path.stem


def entry_kind(path: Path, docs: Path, config: KbConfig) -> str | None:
    """The kind of an entry file, from its top folder under ``docs`` as in the build (its own
    folder when it is outside ``docs``)."""
    try:
        parts = path.resolve().relative_to(docs.resolve()).parts
    except ValueError:
        parts = (path.parent.name, path.name)
    return config.kind_of_folder(parts[0]) if len(parts) > 1 else None


def check_paths(paths: Iterable[Path], docs: Path,
                progress: Callable[[int], None] | None = None,
                bibfiles: Iterable[Path] | None = None,
                config: KbConfig | None = None,
                records: list[EntryRecord] | None = None) -> tuple[list[Problem], int]:
    """All problems of the entry files under ``paths``, and how many files were checked;
    ``papers`` keys are looked up in ``bibfiles`` (see :func:`context_for`)."""
    files = entry_files(paths)
    if not files:  # nothing refers to anything: skip reading the ids and the .bib keys
        return [], 0
    config = config or KbConfig.discover(docs)[0]
    context = context_for(docs, bibfiles, config)
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    built: dict[str, EntryRecord] = {}
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done)
        kind = entry_kind(path, docs, config)
        if kind is None:  # the build says so and renders it as a project
            folders = ", ".join(f"{d}/" for d in config.entry_dirs)
            problems.append(Problem(str(path), 1, "", f"YAML entries belong in one of: {folders}",
                                    "id"))
            kind = "project"
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
        loaded = load_yaml(text, str(path))
        result = validate(loaded, str(path), path.stem, kind, context)
        problems += result.problems
        if isinstance(result.entry, Entry):
            if path.stem not in seen:
                lines = {field_path(loc): line for loc, line in loaded.lines.items()
                         if len(loc) <= 2}  # as the build's records have them
                built[path.stem] = EntryRecord(path.stem, kind, _docname(path, docs), str(path),
                                               result.entry, lines)
                if records is not None:
                    records.append(built[path.stem])
            if path.stem in seen:
                problems.append(Problem(str(path), 1, "", f"duplicate entry id {path.stem!r} "
                                        f"(first defined in {seen[path.stem]}); this file is "
                                        "skipped", "duplicate"))
            seen.setdefault(path.stem, path)
    return problems + cross_problems(built), len(files)


def cross_problems(built: Mapping[str, EntryRecord]) -> list[Problem]:
    """What only the entries together show, as the build reports it: lineage (ids that are no
    model, cycles) and a written name two people entries share without ``distinct_from``."""
    models = {i: r for i, r in built.items() if r.kind == "model"}
    people = {i: r for i, r in built.items() if r.kind == "person"}
    return lineage.check(models, set(built))[0] + shared_names(people)
