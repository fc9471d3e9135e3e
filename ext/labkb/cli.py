"""``labkb`` / ``python -m labkb``: the command line for contributors (no Sphinx needed).

Only argument parsing and output live here; the work is done by the loader, the schema and
:mod:`labkb.check`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .check import check_paths
from .schema import json_schema, markdown_table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labkb", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate entry YAML files (exit 1 on any problem)")
    p_check.add_argument("paths", nargs="*", type=Path,
                         help="files or folders (default: docs/ of the current directory)")
    p_check.add_argument("--docs", type=Path, default=Path("docs"),
                         help="the docs folder (for area, people and entry ids)")
    p_schema = sub.add_parser("schema", help="print the JSON Schema of entries")
    p_schema.add_argument("--kind", choices=("project", "model"), default="model")
    p_schema.add_argument("--markdown", action="store_true", help="print the field table instead")
    args = parser.parse_args(argv)

    if args.command == "schema":
        if args.markdown:
            print(markdown_table())
        else:
            print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
        return 0
    problems, count = check_paths(args.paths or [args.docs], args.docs)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{count} entries checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0
