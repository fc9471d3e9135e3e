"""Safe YAML loading that remembers the source line of every key and value.

The only module that knows about YAML. Aliases and anchors are refused (they are never needed in an
entry and they make "billion laughs" documents possible); duplicate keys, which PyYAML silently
collapses, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem, field_path

Path = tuple[str | int, ...]

#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Refuse files larger than this before parsing (a YAML entry is a few kilobytes).
MAX_BYTES = 1_000_000
#: Refuse documents nested deeper than this.
MAX_DEPTH = 20


@dataclass
class Loaded:
    """The data of one YAML file plus the line of each path in it (1-based)."""

    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, loc: Path) -> int:
        """The line of ``loc``, or of its closest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


class _Refused(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def load_yaml(text: str, path: str) -> Loaded:
    """Parse ``text`` (the content of ``path``) into plain Python data with line numbers."""
    out = Loaded()
    if len(text) > MAX_BYTES:
        out.problems.append(Problem(path, 1, "", f"file is larger than {MAX_BYTES} bytes", "yaml"))
        return out
    text = text.removeprefix("\ufeff")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            out.problems.append(Problem(path, 1, "", "the file is empty", "yaml"))
            return out
        _walk(node, (), out.lines, set(), 0)
        out.data = loader.construct_document(node)
    except _Refused as exc:
        out.problems.append(Problem(path, exc.line, exc.field, exc.message, "yaml"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            message += f" (the construct starts on line {exc.context_mark.line + 1})"
        out.problems.append(Problem(path, line, "", f"YAML syntax error: {message}", "yaml"))
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        out.problems.append(Problem(path, 1, "", f"YAML error: {exc}", "yaml"))
    except RecursionError:
        out.problems.append(Problem(path, 1, "", "the document is nested too deeply", "yaml"))
    finally:
        loader.dispose()
    return out


def _walk(node: yaml.Node, loc: Path, lines: dict[Path, int], seen: set[int], depth: int) -> None:
    """Record lines, refuse aliases, duplicate keys and excessive nesting."""
    if id(node) in seen:
        raise _Refused(node.start_mark.line + 1, field_path(loc), "YAML aliases are not allowed")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(node.start_mark.line + 1, field_path(loc), "nested too deeply")
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark.line + 1, field_path(loc), "keys must be plain")
            key = key_node.value
            if key in keys:
                raise _Refused(
                    key_node.start_mark.line + 1,
                    field_path((*loc, key)),
                    f"duplicate key (first defined on line {keys[key]})",
                )
            keys[key] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines, seen, depth + 1)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), lines, seen, depth + 1)
