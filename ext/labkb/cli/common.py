"""What every command shares: the refusal exception and reading and reporting files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from labkb.core.config import KbConfig
from labkb.core.problems import Problem


class CliError(Exception):
    """A refusal or a missing input: reported as ``labkb: <message>``, exit status 1."""


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc


def problem_line(problem: Problem) -> str:
    """``file:line: field: message [kb.subtype]``, as the build prints it."""
    return f"{problem} [kb.{problem.subtype}]"


def report(problems: Sequence[Problem]) -> int:
    for problem in problems:
        print(problem_line(problem), file=sys.stderr)
    return 1 if problems else 0


def find_entry(docs: Path, entry_id: str) -> Path | None:
    folders = KbConfig.discover(docs)[0].entry_dirs
    return next((p for folder in folders if (p := docs / folder / f"{entry_id}.yaml").is_file()), None)
