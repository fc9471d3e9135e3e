"""The ``import-*`` commands: arguments and output only; the importers do the work.

Scholarly records (``import-bib``, ``import-orcid``, ``import-openalex``, ``import-csl``) are merged
into ``refs/*.bib`` by :mod:`labkb.importers.merge`: a dry run by default that prints the report,
``--write`` applies it. Entries (``import-hf``, ``import-cff``) are validated before they are written.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labkb.cli.common import CliError, find_entry, read_text, report
from labkb.core.config import KbConfig
from labkb.core.problems import decode_problem

Command = Callable[[str, Callable[[argparse.Namespace], int], str, str], argparse.ArgumentParser]
JSON_READERS = {"import-orcid": "read_orcid", "import-openalex": "read_openalex", "import-csl": "read_csl"}


def add_import_commands(command: Command) -> None:
    p = command("import-hf", _import_hf, "Turn a Hugging Face model card (README.md, or a model folder with "
                ".eval_results/) into a model entry; what does not map is listed on stderr.",
                "example: labkb import-hf Qwen2-VL-7B-Instruct/README.md --area multimodal-large-models")
    p.add_argument("readme", type=Path, help="the model card (YAML front matter and Markdown), or a folder "
                   "holding README.md and .eval_results/*.yaml")
    p.add_argument("--id", help="entry id (default: from the card's # title, model_name, or the folder "
                   "or file name)")
    _entry_arguments(p)

    p = command("import-cff", _import_cff, "Turn a CITATION.cff (validated against CFF 1.2.0 first) into "
                "a project entry; its preferred-citation (else the software) is merged into a .bib file, "
                "both unless --stdout.",
                "example: labkb import-cff CITATION.cff --area learning-frameworks")
    p.add_argument("cff", type=Path, help="the CITATION.cff file")
    p.add_argument("--id", help="entry id (default: from the title)")
    p.add_argument("--to", type=Path, help="the .bib file for the preferred citation (default: "
                   "refs/<id>.bib)")
    _entry_arguments(p)

    sources = {"import-bib": ("BibTeX files (Google Scholar, DBLP, Zotero, al-folio, by hand)", "FILE.bib",
                              "labkb import-bib scholar.bib --to refs/pan-zhou.bib"),
               "import-orcid": ("an ORCID record or works JSON (v3.0 or v2.0) saved from orcid.org",
                                "FILE.json", "labkb import-orcid 0000-0002-1825-0097.json --write"),
               "import-openalex": ("saved OpenAlex works or authors JSON (citation counts kept with the "
                                   "file's updated_date)", "FILE.json",
                                   "labkb import-openalex works.json --to refs/rui-men.bib"),
               "import-csl": ("a CSL-JSON file (reference managers' export)", "FILE.json",
                              "labkb import-csl library.json --write")}
    for name, (what, metavar, example) in sources.items():
        p = command(name, _import_records, f"Merge {what} into refs/*.bib: new records get a key by the "
                    "convention, duplicates are found by DOI, arXiv id and title + first author + year, "
                    "nothing a curator set is overwritten. A dry run unless --write.", f"example: {example}")
        p.add_argument("files", nargs="+", type=Path, metavar=metavar)
        _record_arguments(p)


def _entry_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--summary", help="the summary, for a file that states none (nothing is made up)")
    p.add_argument("--area", action="append", default=[], metavar="AREA",
                   help="research area id (repeat or comma-separate); required unless --stdout")
    p.add_argument("--docs", type=Path, default=Path("docs"), help="the docs folder (default: docs)")
    p.add_argument("--stdout", action="store_true", help="print the entry instead of writing it")
    p.add_argument("--force", action="store_true", help="overwrite an existing, different entry file")


def _record_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", type=Path, help="the .bib file new records go to (default: refs/<input name>.bib)")
    p.add_argument("--refs", type=Path, default=Path("refs"), help="the folder of the .bib files already "
                   "there, searched for duplicates (default: refs)")
    p.add_argument("--docs", type=Path, default=Path("docs"), help="the docs folder, whose person pages "
                   "are matched (default: docs)")
    p.add_argument("--drop-urldate", action="store_true", help="also drop urldate (file is always dropped)")
    p.add_argument("--write", action="store_true", help="apply the report (default: a dry run)")


# -- scholarly records --------------------------------------------------------------------------------


def _import_records(args: argparse.Namespace) -> int:
    from labkb.importers.merge import MACHINE_FIELDS, apply, existing_records, plan
    from labkb.importers.people import PeoplePlan, match_people, person_files, write_ids

    works, found, notes = [], [], []
    bad = 0
    for path in args.files:
        read = _read_source(args.command, path)
        if read is None:
            bad += 1
            continue
        works += read.works
        found += read.persons
        notes += read.notes
    targets = sorted(args.refs.glob("*.bib")) if args.refs.is_dir() else []
    named = [args.to] if args.to else [_default_target(args.refs, p) for p in args.files]
    targets += [t for t in named if t.resolve() not in {x.resolve() for x in targets}]
    existing, problems = existing_records(targets, _maybe_read)
    drop = (*MACHINE_FIELDS, "urldate") if args.drop_urldate else MACHINE_FIELDS
    result = plan(works, existing, lambda w: str(args.to or _default_target(args.refs, Path(w.path))), drop)
    result.problems += problems + _SOURCE_PROBLEMS
    _SOURCE_PROBLEMS.clear()
    result.found += notes
    people = PeoplePlan()
    if found:
        config = KbConfig.discover(args.docs)[0]
        people = match_people(found, person_files(args.docs, config.people_dir))
        result.found += people.lines
    if args.write and result.changes():
        changed = apply(result, lambda p: _maybe_read(Path(p)) or "", _write)
        result.found += [f"wrote       {p}" for p in changed]
    if args.write:
        result.found += [f"wrote       {p}" for p in write_ids(people)]
    print(result.report(args.command, args.write), end="")
    return 1 if bad else 0


_SOURCE_PROBLEMS: list[Any] = []


def _read_source(command: str, path: Path) -> Any:
    """The records of one input file (an ``importers.scholarly.Read``), or None when it cannot be read."""
    from labkb.importers.scholarly import Read

    try:
        raw = path.read_bytes()
    except OSError as exc:
        print(f"labkb: cannot read {path}: {exc}", file=sys.stderr)
        return None
    bad = decode_problem(str(path), raw)
    if bad is not None:
        print(str(bad), file=sys.stderr)
        return None
    text = raw.decode("utf-8-sig")
    if command == "import-bib":
        from labkb.importers.bibtext import read_bib

        works, problems = read_bib(text, str(path))
        _SOURCE_PROBLEMS.extend(problems)
        return Read(works=works)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1)
        print(f"{path}:{line}: not JSON: {getattr(exc, 'msg', exc)}", file=sys.stderr)
        return None
    from labkb.importers import csl, scholarly

    module = csl if command == "import-csl" else scholarly
    reader: Callable[[Any, str, str], Read] = getattr(module, JSON_READERS[command])
    return reader(data, str(path), text)


def _default_target(refs: Path, source: Path) -> Path:
    return refs / f"{source.name.split('.', 1)[0] or 'imported'}.bib"


def _maybe_read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc


def _write(path: str, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


# -- entries ------------------------------------------------------------------------------------------


def _areas(args: argparse.Namespace) -> list[str]:
    areas = [a.strip() for value in args.area for a in value.split(",") if a.strip()]
    if not areas and not args.stdout:
        args.subparser.error("--area is required (entries need a research area), unless --stdout is given")
    return areas


def _import_hf(args: argparse.Namespace) -> int:
    from labkb.importers.hf import card_id, import_card
    from labkb.importers.hfindex import eval_results

    areas = _areas(args)
    readme = args.readme / "README.md" if args.readme.is_dir() else args.readme
    card = import_card(read_text(readme), str(readme))
    if args.readme.is_dir():
        eval_results(args.readme, card)
    if card.problems:
        return report(card.problems)
    if args.summary:
        card.data["summary"] = args.summary
    if not card.data.get("summary"):
        # nothing is made up: the summary says what the card is, and is marked as derived
        card.data["summary"] = "The model card gives no description of the model."
        card.data.setdefault("derived", {})["summary"] = (
            "the card has no prose paragraph; the summary says so (pass --summary to state one)")
        print(f"{readme}:1: summary: the card has no prose paragraph; the entry says so (marked "
              "derived): pass --summary to state one", file=sys.stderr)
    entry_id = args.id or card_id(card)
    return _save_entry(args, "model", entry_id, card.data, areas, card.notes, HF_SOURCE)


def _import_cff(args: argparse.Namespace) -> int:
    from labkb.importers.cff import import_cff
    from labkb.importers.hfbody import slug
    from labkb.importers.people import person_names

    areas = _areas(args)
    config = KbConfig.discover(args.docs)[0]
    result = import_cff(read_text(args.cff), str(args.cff), person_names(args.docs, config.people_dir))
    if result.problems:
        return report(result.problems)
    if args.summary:
        result.data["summary"] = args.summary
        result.notes = [n for n in result.notes if n.field != "summary"]
    entry_id = args.id or slug(str(result.data.get("name", "")))
    if result.citation is not None:
        code = _cff_citation(args, result, entry_id)
        if code:
            return code
    return _save_entry(args, "project", entry_id, result.data, areas, result.notes, CFF_SOURCE)


def _cff_citation(args: argparse.Namespace, result: Any, entry_id: str) -> int:
    from labkb.importers.merge import apply, existing_records, plan

    target = args.to or args.docs.parent / "refs" / f"{entry_id or 'citation'}.bib"
    refs = target.parent
    targets = sorted(refs.glob("*.bib")) if refs.is_dir() else []
    targets += [] if target in targets else [target]
    existing, problems = existing_records(targets, _maybe_read)
    merged = plan([result.citation], existing, lambda w: str(target))
    merged.problems += problems
    action = merged.actions[0]
    if action.record is not None:
        result.data["papers"] = [action.record.key]
    if not args.stdout and merged.changes():
        apply(merged, lambda p: _maybe_read(Path(p)) or "", _write)
    print(merged.report("citation record", not args.stdout), end="", file=sys.stderr)
    return 0


def _save_entry(args: argparse.Namespace, kind: str, entry_id: str, data: dict[str, Any], areas: list[str],
                notes: list[Any], source: dict[str, str]) -> int:
    from labkb.cli.check import context_for
    from labkb.cli.scaffold import modeline
    from labkb.core.fields import ID_RE
    from labkb.core.loader import load_yaml
    from labkb.core.schema import validate
    from labkb.core.writer import entry_yaml

    if areas:
        data["areas"] = areas
    if not ID_RE.match(entry_id):
        raise CliError(f"cannot use {entry_id!r} as an id: pass --id with lowercase letters, digits and "
                       "hyphens, starting with a letter")
    config = KbConfig.discover(args.docs)[0]
    path = args.docs / (config.folder_of_kind(kind) or f"{kind}s") / f"{entry_id}.yaml"
    source_path = (args.docs / (config.folder_of_kind("source") or "sources")
                   / f"{entry_id}-{source['suffix']}.yaml")
    data["sources"] = [{"id": source_path.stem}]  # the imported file is what the entry states
    output = modeline(kind) + "\n" + entry_yaml(data)
    where = "<stdout>" if args.stdout else str(path)
    context = context_for(args.docs)
    context = dataclasses.replace(context, sources=(context.sources or frozenset()) | {source_path.stem})
    result = validate(load_yaml(output, where), where, entry_id, kind, context)
    problems = [p for p in result.problems if areas or p.field != "areas"]
    for note in notes:
        print(note, file=sys.stderr)
    if args.stdout:
        print(output, end="")
    else:
        _write_entry(args, path, entry_id, output)
    _source_record(args, source_path, str(data.get("name", entry_id)), source)
    if not areas:
        print("note: add areas: [...] (research area ids) before saving the entry", file=sys.stderr)
    return report(problems)


#: The source record an import writes beside its entry: what the imported file is, nothing more.
HF_SOURCE = {"suffix": "card", "title": "{name} model card", "type": "model card (Hugging Face)",
             "summary": "The Hugging Face model card (README.md) the entry was imported from."}
CFF_SOURCE = {"suffix": "citation-cff", "title": "{name} CITATION.cff",
              "type": "citation file (Citation File Format)",
              "summary": "The CITATION.cff file the entry was imported from."}


def _source_record(args: argparse.Namespace, path: Path, name: str, source: dict[str, str]) -> None:
    """Write the imported file's source record unless it exists (or the entry went to stdout)."""
    from labkb.cli.scaffold import modeline
    from labkb.core.writer import dump_yaml

    if path.exists():
        return
    if args.stdout or not path.parent.is_dir():
        print(f"note: the entry cites the source record {path}; write it too (labkb new source)",
              file=sys.stderr)
        return
    record = {"name": source["title"].format(name=name), "type": source["type"],
              "summary": source["summary"]}
    path.write_text(modeline("source") + "\n" + dump_yaml(record), encoding="utf-8")
    print(path)


def _write_entry(args: argparse.Namespace, path: Path, entry_id: str, output: str) -> None:
    taken = find_entry(args.docs, entry_id)
    if taken is not None and taken != path:
        raise CliError(f"the id {entry_id!r} is taken by {taken}; pass another --id")
    if not path.parent.is_dir():
        raise CliError(f"{path.parent} is not a folder: is --docs the docs folder?")
    if path.exists() and path.read_text(encoding="utf-8") == output:
        print(f"{path} (unchanged)")
        return
    if path.exists() and not args.force:
        raise CliError(f"{path} already exists; refusing to overwrite it (use --force)")
    path.write_text(output, encoding="utf-8")
    print(path)
