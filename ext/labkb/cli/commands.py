"""``labkb`` / ``python -m labkb``: the command line for contributors (no Sphinx needed).

Only argument parsing and output live here; the work is done by the loader, the schema,
:mod:`labkb.cli.check`, :mod:`labkb.cli.scaffold`, :mod:`labkb.importers.hf` and
:mod:`labkb.outputs.cff`. The last three are imported by the command that uses them, so
``labkb check`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from labkb.cli.check import check_paths, context_for, default_bibfiles, entry_files
from labkb.cli.common import CliError, find_entry, problem_line, read_text, report
from labkb.cli.imports import add_import_commands
from labkb.core.config import KbConfig
from labkb.core.coverage import coverage, report_lines
from labkb.core.fields import ID_RE
from labkb.core.loader import load_yaml
from labkb.core.problems import Problem
from labkb.core.records import EntryRecord
from labkb.core.schema import KINDS, json_schema, validate
from labkb.core.schema_docs import markdown_table

DESCRIPTION = "The knowledge base's command line: check, create, import and export entries."
EPILOG = "exit status: 0 success, 1 problems found or a refusal, 2 usage error"
DOCS_HELP = "the docs folder (default: docs)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except CliError as exc:
        print(f"labkb: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labkb", description=DESCRIPTION, epilog=EPILOG)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], text: str,
                example: str = "") -> argparse.ArgumentParser:
        if example:  # kept on its own line: the description is wrapped here, not by argparse
            p = sub.add_parser(name, help=text, description=textwrap.fill(text, 100),
                               epilog=f"{example}\n\n{EPILOG}",
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        else:
            p = sub.add_parser(name, help=text, description=text, epilog=EPILOG)
        p.set_defaults(run=run, subparser=p)
        return p

    p = command("check", _check, "Validate entry YAML files and .bib files; every problem is reported as "
                "file:line: field: message.")
    p.add_argument("paths", nargs="*", type=Path, help="entry .yaml files, .bib files or folders (default: "
                   "the docs folder and refs/*.bib next to it)")
    p.add_argument("--docs", type=Path, default=Path("docs"), help=DOCS_HELP + "; area, people and entry "
                   "ids are read from it")
    p.add_argument("--coverage", action="store_true", help="also print the curation figures (share of "
                   "entries with each field and with sources, missing references); exit 1 below "
                   "kb_min_sourced")

    p = command("schema", _schema, "Print the JSON Schema of entries, or write the schema files editors use.")
    p.add_argument("--kind", choices=tuple(KINDS), default="model")
    p.add_argument("--markdown", action="store_true", help="print the README's field table instead")
    p.add_argument("--write", nargs="?", const=Path("schema"), type=Path, metavar="DIR",
                   help="write project.schema.json and model.schema.json into DIR (default: schema)")

    p = command("new", _new, "Create a commented, valid stub for a new entry (never overwrites a file).")
    p.add_argument("kind", choices=tuple(KINDS))
    p.add_argument("id", help="the entry id, which is the file name: lowercase letters, digits, hyphens")
    p.add_argument("--docs", type=Path, default=Path("docs"), help=DOCS_HELP)

    add_import_commands(command)

    p = command("export-hf", _export_hf, "Write a model entry as a Hugging Face model card (README.md).")
    p.add_argument("id", help="id of a model entry (docs/models/ID.yaml)")
    p.add_argument("--docs", type=Path, default=Path("docs"), help=DOCS_HELP)
    p.add_argument("-o", "--output", type=Path, help="file to write (default: print)")
    p.add_argument("--force", action="store_true", help="overwrite the output file")
    p.add_argument("--eval-results", type=Path, metavar="DIR", help="also write the results as the "
                   "Hub's DIR/.eval_results/*.yaml files (one per benchmark dataset)")

    p = command("cff", _cff, "Write a CITATION.cff (Citation File Format 1.2.0) for an entry.")
    p.add_argument("id", help="id of a project or model entry")
    p.add_argument("--docs", type=Path, default=Path("docs"), help=DOCS_HELP)
    p.add_argument("-o", "--output", type=Path, help="file to write, e.g. CITATION.cff (default: print)")
    p.add_argument("--force", action="store_true", help="overwrite the output file")
    return parser


# -- check --------------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [args.docs, *default_bibfiles(args.docs)]
    # a missing .bib file goes to the bib check, which reports it as the build does
    missing = [p for p in paths if not p.exists() and p.suffix != ".bib"]
    problems = [Problem(str(p), 1, "", "no such file or directory", "id") for p in missing]
    paths = [p for p in paths if p not in missing]
    bibs = [p for p in paths if p.suffix == ".bib"]
    bibs += [b for p in paths if p.is_dir() for b in sorted(p.rglob("*.bib"))
             if not any(part.startswith((".", "_")) for part in b.relative_to(p).parts)]
    bibs = _unique(bibs)  # in the order given: the first definition of a key wins, as in the build
    files = entry_files(p for p in paths if p.suffix != ".bib")
    # papers keys: the .bib files checked and the site's refs/*.bib (a commit may touch neither)
    keys_from = _unique([*bibs, *default_bibfiles(args.docs)])
    config, config_problems = KbConfig.discover(args.docs)
    for bad in config_problems:  # the build warns about these too, and uses the defaults
        print(f"{bad} [kb.config]", file=sys.stderr)
    records: list[EntryRecord] = []
    found, count = check_paths(files, args.docs, progress=_progress(len(files)), bibfiles=keys_from,
                               config=config, records=records)
    problems += found
    if bibs:
        from labkb.core.bibcheck import check_bibfiles  # imports pybtex: only when there are .bib files

        problems += check_bibfiles(bibs)
    for problem in problems:
        print(problem_line(problem), file=sys.stderr)
    checked = f"{count} entries" + (f" and {len(bibs)} .bib files" if bibs else "")
    total = len(problems) + len(config_problems)
    print(f"{checked} checked, {total} problems", file=sys.stderr)
    if args.coverage:
        cov = coverage(records, context_for(args.docs, [], config).areas or (),
                       [(f"{p.field}: {p.message}", p.location) for p in problems
                        if p.subtype in ("ref", "source")], config.min_sourced)
        print("\n".join(report_lines(cov)))
        if cov.below_threshold and config.require_sources:
            print(f"error: {cov.sourced_share:.0%} of the entries name a source, below "
                  f"kb_min_sourced ({cov.threshold:.0%})", file=sys.stderr)
            return 1
    return 1 if total else 0


def _unique(paths: Sequence[Path]) -> list[Path]:
    """``paths`` without repeats of one file, in their first order."""
    seen: dict[Path, Path] = {}
    for path in paths:
        seen.setdefault(path.resolve(), path)
    return list(seen.values())




def _progress(total: int) -> Callable[[int], None] | None:
    """Draw ``checking n/total`` on a terminal once a check takes longer than half a second."""
    if not sys.stderr.isatty() or total < 2:
        return None
    start = time.monotonic()

    def report(done: int) -> None:
        if time.monotonic() - start > 0.5:
            end = "\r\033[K" if done == total else ""
            print(f"\rchecking {done}/{total}" + end, end="", file=sys.stderr, flush=True)

    return report


# -- schema and new -----------------------------------------------------------------------------------


def _schema(args: argparse.Namespace) -> int:
    if args.write is not None:
        from labkb.cli.scaffold import write_schemas

        for path in write_schemas(args.write):
            print(path)
    elif args.markdown:
        print(markdown_table())
    else:
        print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
    return 0


def _new(args: argparse.Namespace) -> int:
    from labkb.cli.scaffold import first_area, first_source, stub

    if not ID_RE.match(args.id):
        raise CliError(f"invalid id {args.id!r}: use lowercase letters, digits and hyphens, starting with a "
                       "letter")
    taken = find_entry(args.docs, args.id)
    if taken is not None:
        raise CliError(f"{taken} already exists; refusing to overwrite it (an id names one entry)")
    config = KbConfig.discover(args.docs)[0]
    folder = config.folder_of_kind(args.kind)
    if folder is None:
        raise CliError(f"no folder holds {args.kind} entries (kb_entry_dirs)")
    path = args.docs / folder / f"{args.id}.yaml"
    if not path.parent.is_dir():
        raise CliError(f"{path.parent} is not a folder: is --docs the docs folder?")
    source = first_source(args.docs, [d for d, k in config.entry_dirs.items() if k == "source"])
    path.write_text(stub(args.kind, args.id, args.docs, config.area_dir,
                         None if args.kind == "source" else source), encoding="utf-8")
    print(path)
    if first_area(args.docs, config.area_dir) is None:
        print(f"note: no research area in {args.docs / config.area_dir}; set areas before checking",
              file=sys.stderr)
    print("edit it, then run: labkb check", file=sys.stderr)
    return 0


# -- Hugging Face and CFF -----------------------------------------------------------------------------




def _export_hf(args: argparse.Namespace) -> int:
    from labkb.outputs.hf_card import bib_records, export_card

    path, kind, data = _load_entry(args.docs, args.id)
    if kind != "model":
        raise CliError(f"{path} is a project; export-hf needs a model (docs/models/{args.id}.yaml)")
    bibtex = bib_records((str(bib), read_text(bib)) for bib in default_bibfiles(args.docs))
    text, notes = export_card(data, bibtex)
    if args.eval_results is not None:
        notes += _write_eval_results(data, args.eval_results / ".eval_results", args.force)
    for note in notes:
        print(f"{path}: {note}", file=sys.stderr)
    return _emit(text, args.output, args.force)


def _write_eval_results(data: dict[str, Any], folder: Path, force: bool) -> list[str]:
    from labkb.outputs.hf_eval import eval_files

    files, notes = eval_files(data)
    if not files:
        return [*notes, "no results: no .eval_results file written"]
    for name in files:
        _refuse_existing(folder / name, force)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        print(folder / name, file=sys.stderr)
    return notes


def _cff(args: argparse.Namespace) -> int:
    from labkb.outputs.cff import cff_text, citation

    path, _, data = _load_entry(args.docs, args.id)
    cff, notes = citation(data, args.docs, KbConfig.discover(args.docs)[0].people_dir)
    for note in notes:
        print(f"{path}: {note}", file=sys.stderr)
    return _emit(cff_text(cff), args.output, args.force)


# -- helpers ------------------------------------------------------------------------------------------




def _load_entry(docs: Path, entry_id: str) -> tuple[Path, str, dict[str, Any]]:
    """A valid entry's data by id; its problems (file:line: field: message) refuse it."""
    path = find_entry(docs, entry_id)
    if path is None:
        folders = " or ".join(str(docs / f) for f in KbConfig.discover(docs)[0].entry_dirs)
        raise CliError(f"unknown entry id {entry_id!r}: no {entry_id}.yaml in {folders}")
    kind = KbConfig.discover(docs)[0].kind_of_folder(path.parent.name) or "project"
    result = validate(load_yaml(read_text(path), str(path)), str(path), entry_id, kind)
    if result.problems or result.data is None:
        report(result.problems)
        raise CliError(f"{path} has problems; fix them first")
    return path, kind, result.data




def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise CliError(f"{path} already exists; refusing to overwrite it (use --force)")


def _emit(text: str, output: Path | None, force: bool) -> int:
    if output is None:
        print(text, end="")
        return 0
    _refuse_existing(output, force)
    output.write_text(text, encoding="utf-8")
    print(output)
    return 0



